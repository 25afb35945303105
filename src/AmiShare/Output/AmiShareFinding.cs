using System.Collections.Generic;
using System.Text;
using AmiShare.Engine.Preflight;

namespace AmiShare
{
    /// <summary>One preflight finding of Test-AmiShareable: a check, its status, what was found and what to do.</summary>
    public sealed class AmiShareFinding
    {
        /// <summary>The AMI id.</summary>
        public string ImageId { get; private set; }

        /// <summary>The region the AMI lives in.</summary>
        public string Region { get; private set; }

        /// <summary>The check: Ownership, State, SnapshotEncryption, KmsKeyManager, KmsKeyAccess, ProductCodes, BlockPublicAccess, PublicImageQuota, Deprecation, SnapshotSharing.</summary>
        public string Check { get; private set; }

        /// <summary>Pass, Warn or Fail.</summary>
        public string Status { get; private set; }

        /// <summary>What was found.</summary>
        public string Detail { get; private set; }

        /// <summary>What to do about it (empty for Pass).</summary>
        public string Remedy { get; private set; }

        /// <summary>The principal the finding is about, if any.</summary>
        public string Principal { get; private set; }

        /// <summary>The snapshot or KMS key the finding is about, if any.</summary>
        public string Resource { get; private set; }

        /// <summary>For Fail: the ErrorId Grant-AmiLaunchPermission or Set-AmiPublic would report.</summary>
        public string ErrorId { get; private set; }

        internal static AmiShareFinding From(ShareFinding f) => new AmiShareFinding
        {
            ImageId = f.ImageId,
            Region = f.Region,
            Check = f.Check,
            Status = f.Status.ToString(),
            Detail = f.Detail,
            Remedy = f.Remedy ?? string.Empty,
            Principal = f.Principal,
            Resource = f.Resource,
            ErrorId = f.ErrorId,
        };

        /// <summary>
        /// The default view's text for a finding (AmiShare.Format.ps1xml): a "Check Status" line, then the Detail and,
        /// if any, "Remedy: ..." indented by 4 and wrapped at spaces so that no line is longer than <paramref name="width"/> - 1
        /// (PowerShell's formatter breaks longer lines at that column, mid-word). A word longer than the room (an ARN
        /// in a very narrow window) stays whole on a line of its own. A width under 40 (or unknown: 0) counts as 80.
        /// </summary>
        public static string ConsoleText(AmiShareFinding finding, int width)
        {
            if (finding == null)
            {
                return string.Empty;
            }

            const string Indent = "  ";
            int room = (width < 40 ? 80 : width) - 1 - Indent.Length;
            var lines = new List<string> { string.Format("{0,-18} {1}", finding.Check, finding.Status) };
            Wrap(finding.Detail, Indent, room, lines);
            if (!string.IsNullOrEmpty(finding.Remedy))
            {
                Wrap("Remedy: " + finding.Remedy, Indent, room, lines);
            }

            return string.Join("\n", lines);
        }

        private static void Wrap(string text, string indent, int room, List<string> lines)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return;
            }

            var line = new StringBuilder();
            foreach (string word in text.Split(new[] { ' ', '\n', '\r', '\t' }, System.StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > room)
                {
                    lines.Add(indent + line);
                    line.Clear();
                }

                line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
            }

            lines.Add(indent + line);
        }

        /// <inheritdoc />
        public override string ToString() => $"{ImageId} {Check} {Status}";
    }
}
