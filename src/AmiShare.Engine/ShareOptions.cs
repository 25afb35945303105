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
    }
}
