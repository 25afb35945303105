using System.Linq;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Distribution
{
    /// <summary>What AWS says about the source AMI (read once per run, in the source region).</summary>
    public sealed class SourceFacts
    {
        /// <summary>Gets or sets the source region.</summary>
        public string Region { get; set; }

        /// <summary>Gets or sets the source AMI as DescribeImages returns it.</summary>
        public ImageInfo Image { get; set; }

        /// <summary>Gets or sets the ARN of the key behind the source's encrypted snapshots, or null when unencrypted.</summary>
        public string KeyArn { get; set; }

        /// <summary>Gets or sets a value indicating whether that key is AWS managed (aws/ebs: never shareable).</summary>
        public bool KeyIsAwsManaged { get; set; }

        /// <summary>Gets a value indicating whether any snapshot behind the source is encrypted.</summary>
        public bool Encrypted => Image?.Snapshots?.Any(s => s.Encrypted) == true;
    }
}
