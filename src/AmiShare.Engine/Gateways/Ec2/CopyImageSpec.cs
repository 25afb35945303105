using System;
using System.Collections.Generic;

namespace AmiShare.Engine.Gateways
{
    /// <summary>One CopyImage request, made in the destination region (the gateway's region).</summary>
    public sealed class CopyImageSpec
    {
        /// <summary>Gets or sets the region of the AMI to copy.</summary>
        public string SourceRegion { get; set; }

        /// <summary>Gets or sets the AMI to copy.</summary>
        public string SourceImageId { get; set; }

        /// <summary>Gets or sets the new AMI's name (unique per account and region).</summary>
        public string Name { get; set; }

        /// <summary>Gets or sets the new AMI's description, or null.</summary>
        public string Description { get; set; }

        /// <summary>Gets or sets a value indicating whether the copy's snapshots are encrypted (always true for an encrypted source).</summary>
        public bool Encrypted { get; set; }

        /// <summary>Gets or sets the KMS key (ARN) to encrypt the copy with; null = the region's EBS default key.</summary>
        public string KmsKeyId { get; set; }

        /// <summary>Gets or sets the idempotency token: the same token returns the same copy instead of a new one.</summary>
        public string ClientToken { get; set; }

        /// <summary>Gets or sets a value indicating whether the caller's own tags of the source are copied (CopyImageTags).</summary>
        public bool CopyImageTags { get; set; }

        /// <summary>Tags put on the new AMI when it is created (TagSpecification ResourceType=image).</summary>
        public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }
}
