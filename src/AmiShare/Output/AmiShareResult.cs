using System.Linq;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Sharing;

namespace AmiShare
{
    /// <summary>What a Grant/Revoke/Set-AmiPublic/Reset call did to one AMI (written with -PassThru).</summary>
    public sealed class AmiShareResult
    {
        /// <summary>The AMI id.</summary>
        public string ImageId { get; private set; }

        /// <summary>The AMI name, when it was read.</summary>
        public string ImageName { get; private set; }

        /// <summary>The region the AMI lives in.</summary>
        public string Region { get; private set; }

        /// <summary>Grant, Revoke, SetPublic, SetPrivate or Reset.</summary>
        public string Operation { get; private set; }

        /// <summary>True when AWS was called to change the AMI; false when it was already as asked.</summary>
        public bool Changed { get; private set; }

        /// <summary>Principals that were added.</summary>
        public PrincipalList Added { get; private set; }

        /// <summary>Principals that were removed.</summary>
        public PrincipalList Removed { get; private set; }

        /// <summary>Requested principals that needed no change.</summary>
        public PrincipalList Unchanged { get; private set; }

        /// <summary>Who can launch the AMI afterwards (account ids, 'all', ARNs).</summary>
        public PrincipalList LaunchPermissions { get; private set; }

        /// <summary>KMS keys (ARNs) whose AmiShare key-policy statements were changed (-IncludeKmsKey).</summary>
        public PrincipalList KeyPoliciesChanged { get; private set; }

        /// <summary>Snapshots whose createVolumePermission was changed (-IncludeSnapshot).</summary>
        public PrincipalList SnapshotsChanged { get; private set; }

        /// <summary>
        /// KMS key access and snapshot permissions kept on purpose (-IncludeKmsKey / -IncludeSnapshot), one line each:
        /// "111122223333 on arn:aws:kms:…: ami-… is still shared with 111122223333".
        /// </summary>
        public PrincipalList AccessKept { get; private set; }

        internal static AmiShareResult From(ShareResult r) => new AmiShareResult
        {
            ImageId = r.ImageId,
            ImageName = r.ImageName,
            Region = r.Region,
            Operation = r.Operation.ToString(),
            Changed = r.Changed,
            Added = new PrincipalList(r.Added.Select(p => p.Value).ToList()),
            Removed = new PrincipalList(r.Removed.Select(p => p.Value).ToList()),
            Unchanged = new PrincipalList(r.Unchanged.Select(p => p.Value).ToList()),
            LaunchPermissions = new PrincipalList(r.LaunchPermissions.Select(p => p.Value).ToList()),
            KeyPoliciesChanged = new PrincipalList(r.KeyPoliciesChanged.ToList()),
            SnapshotsChanged = new PrincipalList(r.SnapshotsChanged.ToList()),
            AccessKept = new PrincipalList(r.AccessKept.Select(k => k.ToString()).ToList()),
        };

        /// <summary>
        /// What changed, one line each, for the table view: "+ 111122223333" / "- o-abc1234567/ou-ab12-11111111" for launch
        /// permissions (organization and OU ARNs in short form), "KMS key 1234abcd-…" per key policy, "snapshot snap-…" per
        /// snapshot; "no change" when nothing changed.
        /// </summary>
        public static string DescribeChanges(AmiShareResult result)
        {
            if (result == null)
            {
                return string.Empty;
            }

            var lines = new System.Collections.Generic.List<string>();
            lines.AddRange((result.Added ?? Empty).Select(p => "+ " + PrincipalList.ShortForm(p)));
            lines.AddRange((result.Removed ?? Empty).Select(p => "- " + PrincipalList.ShortForm(p)));
            lines.AddRange((result.KeyPoliciesChanged ?? Empty).Select(k => "KMS key " + k.Substring(k.LastIndexOf('/') + 1)));
            lines.AddRange((result.SnapshotsChanged ?? Empty).Select(s => "snapshot " + s));
            return lines.Count == 0 ? "no change" : string.Join("\n", lines);
        }

        private static readonly PrincipalList Empty = new PrincipalList(new string[0]);

        /// <inheritdoc />
        public override string ToString() => ImageId;
    }
}
