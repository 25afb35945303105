using System;
using System.Collections.Generic;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Preflight
{
    /// <summary>What the facts loader learned about one KMS key behind the AMI.</summary>
    internal sealed class KeyFacts
    {
        /// <summary>The key id as the snapshots name it (usually the key ARN).</summary>
        public string KeyId { get; set; }

        public List<string> SnapshotIds { get; } = new List<string>();

        public KmsKeyInfo Info { get; set; }

        public AmiShareException DescribeError { get; set; }

        public string Policy { get; set; }

        public KeyPolicyDocument Document { get; set; }

        public IReadOnlyList<KmsGrantInfo> Grants { get; set; }

        public AmiShareException PolicyError { get; set; }

        public string KeyArn => Info?.KeyArn ?? KeyId;

        public bool IsCustomerManagedAndUsable => Info != null && !Info.IsAwsManaged && Info.Enabled;

        /// <summary>Partition of the key ARN (aws, aws-cn, aws-us-gov).</summary>
        public string Partition
        {
            get
            {
                string arn = KeyArn ?? string.Empty;
                string[] parts = arn.Split(':');
                return parts.Length > 1 && parts[0] == "arn" && parts[1].Length > 0 ? parts[1] : "aws";
            }
        }
    }

    /// <summary>
    /// Everything AWS said that the preflight rules need about one AMI: filled by <see cref="ShareFactsLoader"/> (the only
    /// code here that reads AWS), then only read by the rules (<see cref="ImageRules"/>, <see cref="KeyRules"/>,
    /// <see cref="PublicRules"/>), which are pure functions of it.
    /// </summary>
    internal sealed class ShareFacts
    {
        public string ImageId { get; set; }

        public string Region { get; set; }

        /// <summary>The time the rules take as now (deprecation dates).</summary>
        public DateTime Now { get; set; }

        public ImageInfo Image { get; set; }

        /// <summary>Launch permissions, or null when the caller does not own the AMI.</summary>
        public IReadOnlyList<Principal> Current { get; set; }

        /// <summary>Why the launch permissions could not be read (AmiNotOwned), when they could not.</summary>
        public AmiShareException NotOwned { get; set; }

        public bool Owned => Current != null;

        /// <summary>False when the command has no KMS client.</summary>
        public bool KmsAvailable { get; set; }

        public List<KeyFacts> Keys { get; } = new List<KeyFacts>();

        /// <summary>The principals as key policies see them (organization id, OU path), for the key access rule.</summary>
        public Dictionary<Principal, KeyAccessSubject> Subjects { get; } = new Dictionary<Principal, KeyAccessSubject>();

        /// <summary>Block public access for AMIs (public preflight of an owned AMI), or null when not read.</summary>
        public ImageBlockPublicAccessInfo BlockPublicAccess { get; set; }

        /// <summary>AccessDenied of the block-public-access read, when it was denied.</summary>
        public AmiShareException BlockPublicAccessError { get; set; }

        /// <summary>The account's public AMIs in the region (public preflight of an owned AMI), or null.</summary>
        public int? PublicImageCount { get; set; }

        /// <summary>AccessDenied of the public-AMI count, when it was denied.</summary>
        public AmiShareException PublicImageCountError { get; set; }

        /// <summary>Block public access for EBS snapshots (public preflight of an owned AMI with EBS snapshots), or null when not read.</summary>
        public SnapshotBlockPublicAccessInfo SnapshotBlockPublicAccess { get; set; }

        /// <summary>AccessDenied of the snapshot block-public-access read, when it was denied.</summary>
        public AmiShareException SnapshotBlockPublicAccessError { get; set; }

        /// <summary>Under block-new-sharing: the AMI's snapshots that are already public (they stay public), or null when not read.</summary>
        public IReadOnlyList<string> PublicSnapshotIds { get; set; }
    }
}
