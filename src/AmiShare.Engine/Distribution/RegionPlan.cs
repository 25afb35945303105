using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Distribution
{
    /// <summary>The decision for one target region: which AMI is published there and, for a new copy, the CopyImage request.</summary>
    public sealed class RegionPlan
    {
        /// <summary>Gets the target region.</summary>
        public string Region { get; internal set; }

        /// <summary>Gets where the region's AMI comes from.</summary>
        public RegionPlanKind Kind { get; internal set; }

        /// <summary>Gets the AMI that is there already (Reuse, Source), or null for a copy still to make.</summary>
        public ImageInfo Image { get; internal set; }

        /// <summary>Gets the CopyImage request (Create), or null.</summary>
        public CopyImageSpec Copy { get; internal set; }

        /// <summary>Gets the key the region's AMI is (or will be) encrypted with, as an ARN, or null when unencrypted.</summary>
        public string KmsKeyArn { get; internal set; }

        /// <summary>Gets a value indicating whether this region's copy re-encrypts an aws/ebs source in its own region.</summary>
        public bool ReEncrypts { get; internal set; }

        /// <summary>Gets the id of the region's AMI once known.</summary>
        public string ImageId => Image?.ImageId;
    }
}
