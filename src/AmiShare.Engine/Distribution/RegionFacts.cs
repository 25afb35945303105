using System;
using System.Collections.Generic;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Distribution
{
    /// <summary>What AWS says about one target region before anything is copied (read once per run).</summary>
    public sealed class RegionFacts
    {
        /// <summary>Gets or sets the region.</summary>
        public string Region { get; set; }

        /// <summary>Gets or sets a value indicating whether EBS encryption by default is on (every copy is then encrypted).</summary>
        public bool EncryptionByDefault { get; set; }

        /// <summary>Gets or sets the region's EBS default key as GetEbsDefaultKmsKeyId names it (alias/aws/ebs unless changed).</summary>
        public string DefaultKeyId { get; set; }

        /// <summary>Gets or sets the default key's ARN (null when it is the aws/ebs alias, which is AWS managed by definition).</summary>
        public string DefaultKeyArn { get; set; }

        /// <summary>Gets or sets a value indicating whether the default key is AWS managed (aws/ebs).</summary>
        public bool DefaultKeyIsAwsManaged { get; set; } = true;

        /// <summary>Gets or sets the key given with -KmsKeyId for this region, or null.</summary>
        public string RequestedKeyId { get; set; }

        /// <summary>Gets or sets what KMS DescribeKey says about the requested key, or null.</summary>
        public KmsKeyInfo RequestedKey { get; set; }

        /// <summary>Gets or sets why DescribeKey of the requested key failed, or null.</summary>
        public AmiShareException RequestedKeyError { get; set; }

        /// <summary>Gets or sets the caller's AMIs in this region tagged as copies of the source (earlier runs).</summary>
        public IReadOnlyList<ImageInfo> ExistingCopies { get; set; } = Array.Empty<ImageInfo>();
    }
}
