using System;
using System.Collections.Generic;

namespace AmiShare.Engine.Gateways
{
    /// <summary>What the engine needs to know about one AMI (read from DescribeImages).</summary>
    public sealed class ImageInfo
    {
        /// <summary>Gets or sets the AMI id (ami-…).</summary>
        public string ImageId { get; set; }

        /// <summary>Gets or sets the AMI's name.</summary>
        public string Name { get; set; }

        /// <summary>Gets or sets the 12-digit id of the account that owns the AMI.</summary>
        public string OwnerId { get; set; }

        /// <summary>available, pending, failed, deregistered, …</summary>
        public string State { get; set; }

        /// <summary>Gets or sets a value indicating whether the AMI is public.</summary>
        public bool IsPublic { get; set; }

        /// <summary>Gets or sets the creation time as EC2 reports it (ISO 8601 text).</summary>
        public string CreationDate { get; set; }

        /// <summary>Gets or sets the deprecation time as EC2 reports it (ISO 8601 text), or null.</summary>
        public string DeprecationTime { get; set; }

        /// <summary>Product code ids (marketplace AMIs); such an AMI can never be public.</summary>
        public IReadOnlyList<string> ProductCodes { get; set; } = Array.Empty<string>();

        /// <summary>EBS snapshots behind the AMI, from its block device mappings.</summary>
        public IReadOnlyList<SnapshotRef> Snapshots { get; set; } = Array.Empty<SnapshotRef>();

        /// <summary>Watermark keys (accountId:name, DescribeImages ImageWatermarks); a watermarked AMI can never be public.</summary>
        public IReadOnlyList<string> Watermarks { get; set; } = Array.Empty<string>();

        /// <summary>The AMI's tags (only its owner sees them, apart from ec2:SharedTag/ keys); empty when it has none.</summary>
        public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Gets or sets the last launch time as EC2 reports it to the owner (ISO 8601 text), or null.</summary>
        public string LastLaunchedTime { get; set; }
    }
}
