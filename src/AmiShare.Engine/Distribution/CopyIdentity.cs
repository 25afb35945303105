using System.Security.Cryptography;
using System.Text;

namespace AmiShare.Engine.Distribution
{
    /// <summary>
    /// How a copy is known again on a rerun: the amishare:source tag (found with DescribeImages Owner=self, tag filter) and
    /// a client token derived from the source, the target region and the key (the same CopyImage sent twice makes one copy).
    /// </summary>
    public static class CopyIdentity
    {
        /// <summary>The tag every copy carries: its value is &lt;source region&gt;/&lt;source AMI id&gt;.</summary>
        public const string SourceTagKey = "amishare:source";

        /// <summary>The prefix EC2 shows to every account an AMI is shared with (the owner's other tags stay private).</summary>
        public const string SharedTagPrefix = "ec2:SharedTag/";

        /// <summary>The value of <see cref="SourceTagKey"/> for a source.</summary>
        public static string SourceTagValue(string sourceRegion, string sourceImageId) => sourceRegion + "/" + sourceImageId;

        /// <summary>
        /// The CopyImage client token: "amishare-" and 40 hex digits of SHA-256 over the source region, source id, target
        /// region and key ARN (empty for the default key). Deterministic, at most 64 ASCII characters as EC2 requires.
        /// </summary>
        public static string ClientToken(string sourceRegion, string sourceImageId, string targetRegion, string keyArn)
        {
            string text = string.Join("|", sourceRegion, sourceImageId, targetRegion, keyArn ?? string.Empty);
            using (SHA256 sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
                var hex = new StringBuilder("amishare-", 49);
                for (int i = 0; i < 20; i++)
                {
                    hex.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                }

                return hex.ToString();
            }
        }
    }
}
