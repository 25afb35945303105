using System.Collections.Generic;

namespace AmiShare.Engine.Gateways
{
    /// <summary>What the engine needs to know about one AMI (read from DescribeImages).</summary>
    public sealed class ImageInfo
    {
        public string ImageId { get; set; }

        public string Name { get; set; }

        public string OwnerId { get; set; }

        /// <summary>available, pending, failed, deregistered, …</summary>
        public string State { get; set; }

        public bool IsPublic { get; set; }

        public string CreationDate { get; set; }

        public string DeprecationTime { get; set; }

        /// <summary>Product code ids (marketplace AMIs); such an AMI can never be public.</summary>
        public IReadOnlyList<string> ProductCodes { get; set; } = new string[0];

        /// <summary>EBS snapshots behind the AMI, from its block device mappings.</summary>
        public IReadOnlyList<SnapshotRef> Snapshots { get; set; } = new SnapshotRef[0];
    }

    /// <summary>An EBS snapshot named by an AMI's block device mapping.</summary>
    public sealed class SnapshotRef
    {
        public string DeviceName { get; set; }

        public string SnapshotId { get; set; }

        public bool Encrypted { get; set; }

        /// <summary>KMS key id or ARN when encrypted (may be null when EC2 does not say; DescribeSnapshots does).</summary>
        public string KmsKeyId { get; set; }
    }

    /// <summary>One snapshot as DescribeSnapshots reports it.</summary>
    public sealed class SnapshotInfo
    {
        public string SnapshotId { get; set; }

        public string OwnerId { get; set; }

        /// <summary>pending, completed, error, …</summary>
        public string State { get; set; }

        public bool Encrypted { get; set; }

        /// <summary>The KMS key ARN when encrypted.</summary>
        public string KmsKeyId { get; set; }
    }

    /// <summary>Image block public access for the account in one region (GetImageBlockPublicAccessState).</summary>
    public sealed class ImageBlockPublicAccessInfo
    {
        /// <summary>"block-new-sharing" or "unblocked".</summary>
        public string State { get; set; } = "unblocked";

        /// <summary>"account" or "declarative-policy" (an organization's declarative policy: the account cannot change it); null when EC2 does not say.</summary>
        public string ManagedBy { get; set; }

        public bool IsBlocked => string.Equals(State, "block-new-sharing", System.StringComparison.OrdinalIgnoreCase);

        public bool IsManagedByDeclarativePolicy => string.Equals(ManagedBy, "declarative-policy", System.StringComparison.OrdinalIgnoreCase);
    }
}
