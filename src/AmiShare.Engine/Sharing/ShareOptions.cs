namespace AmiShare.Engine.Sharing
{
    /// <summary>Options of Grant / Revoke beyond the launch permissions themselves.</summary>
    public sealed class ShareOptions
    {
        public static readonly ShareOptions None = new ShareOptions();

        /// <summary>Also give (or take) the KMS key access each principal needs on every customer managed key behind the AMI.</summary>
        public bool IncludeKmsKey { get; set; }

        /// <summary>Also keep createVolumePermission of every backing snapshot in step for account principals.</summary>
        public bool IncludeSnapshot { get; set; }
    }

    /// <summary>A planned key policy change on one KMS key (one PutKeyPolicy).</summary>
    public sealed class KeyPolicyChange
    {
        public string KeyArn { get; set; }

        /// <summary>The AmiShare-managed statements before, as JSON (null when there were none).</summary>
        public string StatementsBefore { get; set; }

        /// <summary>The AmiShare-managed statements after, as JSON (null when none remain).</summary>
        public string StatementsAfter { get; set; }

        /// <summary>The whole new policy document sent with PutKeyPolicy.</summary>
        public string NewPolicy { get; set; }

        /// <summary>Principals the change gives access (grant) or takes it from (revoke), as launch-permission values.</summary>
        public System.Collections.Generic.IReadOnlyList<string> Principals { get; set; } = new string[0];

        /// <summary>The policy the plan was computed from; ApplyAsync re-reads the policy and, if it changed meanwhile, re-applies the edit to the new text.</summary>
        internal string BasePolicy { get; set; }

        /// <summary>The edit behind this change (re-run on a policy that changed between plan and apply).</summary>
        internal System.Action<AmiShare.Engine.Kms.KeyPolicyDocument> Edit { get; set; }
    }

    /// <summary>A planned createVolumePermission change on one snapshot (adds and removes go in separate calls, ≤500 each).</summary>
    public sealed class SnapshotPermissionChange
    {
        public string SnapshotId { get; set; }

        public System.Collections.Generic.IReadOnlyList<string> AddAccounts { get; set; } = new string[0];

        public System.Collections.Generic.IReadOnlyList<string> RemoveAccounts { get; set; } = new string[0];
    }
}
