namespace AmiShare.Engine.Gateways
{
    /// <summary>An EBS snapshot named by an AMI's block device mapping.</summary>
    public sealed class SnapshotRef
    {
        /// <summary>Gets or sets the device name of the mapping (e.g. /dev/xvda).</summary>
        public string DeviceName { get; set; }

        /// <summary>Gets or sets the snapshot id (snap-…).</summary>
        public string SnapshotId { get; set; }

        /// <summary>Gets or sets a value indicating whether the snapshot is encrypted.</summary>
        public bool Encrypted { get; set; }

        /// <summary>KMS key id or ARN when encrypted (may be null when EC2 does not say; DescribeSnapshots does).</summary>
        public string KmsKeyId { get; set; }
    }
}
