namespace AmiShare.Engine.Gateways
{
    /// <summary>One snapshot as DescribeSnapshots reports it.</summary>
    public sealed class SnapshotInfo
    {
        /// <summary>Gets or sets the snapshot id (snap-…).</summary>
        public string SnapshotId { get; set; }

        /// <summary>Gets or sets the 12-digit id of the account that owns the snapshot.</summary>
        public string OwnerId { get; set; }

        /// <summary>pending, completed, error, …</summary>
        public string State { get; set; }

        /// <summary>Gets or sets a value indicating whether the snapshot is encrypted.</summary>
        public bool Encrypted { get; set; }

        /// <summary>The KMS key ARN when encrypted.</summary>
        public string KmsKeyId { get; set; }
    }
}
