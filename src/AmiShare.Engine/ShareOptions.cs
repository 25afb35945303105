namespace AmiShare.Engine
{
    /// <summary>Options of Grant / Revoke beyond the launch permissions themselves.</summary>
    public sealed class ShareOptions
    {
        /// <summary>No option: launch permissions only (shared; never change it).</summary>
        public static readonly ShareOptions None = new ShareOptions();

        /// <summary>Also give (or take) the KMS key access each principal needs on every customer managed key behind the AMI.</summary>
        public bool IncludeKmsKey { get; set; }

        /// <summary>Also keep createVolumePermission of every backing snapshot in step for account principals.</summary>
        public bool IncludeSnapshot { get; set; }

        /// <summary>
        /// Revoke / Set / Reset: before removing anyone, read the AMI's usage report and refuse (AmiInUse) to take launch access from
        /// an account that still has instances or launch templates on it.
        /// </summary>
        public bool CheckUsage { get; set; }

        /// <summary>With <see cref="CheckUsage"/> (-Force): the usage is still read, but said as a warning and the access removed anyway.</summary>
        public bool RemoveInUse { get; set; }

        /// <summary>-WhatIf: the change is only shown, so the -Force usage warning says what would be removed.</summary>
        public bool WhatIf { get; set; }

        /// <summary>With <see cref="CheckUsage"/>: the poll interval of the usage reports (AMISHARE_USAGE_POLL_SECONDS, read when the options are built); null: the default.</summary>
        public System.TimeSpan? UsagePollInterval { get; set; }

        /// <summary>With <see cref="CheckUsage"/>: how long to wait for the usage reports (AMISHARE_USAGE_TIMEOUT_SECONDS, read when the options are built); null: the default.</summary>
        public System.TimeSpan? UsageTimeout { get; set; }
    }
}
