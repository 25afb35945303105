namespace AmiShare.Engine.Preflight
{
    /// <summary>
    /// Stable names of the preflight checks (they appear in output and in docs/Test-AmiShareable.md).
    /// </summary>
    public static class CheckNames
    {
        /// <summary>Only the owner can share.</summary>
        public const string Ownership = nameof(Ownership);
        /// <summary>Only an available AMI can be shared.</summary>
        public const string State = nameof(State);
        /// <summary>Encrypted snapshots (never public; consumers need the key).</summary>
        public const string SnapshotEncryption = nameof(SnapshotEncryption);
        /// <summary>Who manages each KMS key (aws/ebs cannot be shared).</summary>
        public const string KmsKeyManager = nameof(KmsKeyManager);
        /// <summary>Whether each principal may use each key.</summary>
        public const string KmsKeyAccess = nameof(KmsKeyAccess);
        /// <summary>AWS Marketplace product codes (never public).</summary>
        public const string ProductCodes = nameof(ProductCodes);
        /// <summary>Block public access for AMIs.</summary>
        public const string BlockPublicAccess = nameof(BlockPublicAccess);
        /// <summary>The account's public-AMI quota.</summary>
        public const string PublicImageQuota = nameof(PublicImageQuota);
        /// <summary>Automatic deprecation of public AMIs.</summary>
        public const string Deprecation = nameof(Deprecation);
        /// <summary>Snapshots take accounts only (-IncludeSnapshot).</summary>
        public const string SnapshotSharing = nameof(SnapshotSharing);
        /// <summary>AMI watermarks (a watermarked AMI is never public).</summary>
        public const string Watermarks = nameof(Watermarks);
        /// <summary>Block public access for EBS snapshots (consumers of a public AMI copy it only from public snapshots).</summary>
        public const string SnapshotBlockPublicAccess = nameof(SnapshotBlockPublicAccess);
    }
}
