using System.Collections.Generic;

namespace AmiShare.Engine.Consumer
{
    /// <summary>One AMI another account shares with the caller, as the caller sees it.</summary>
    public sealed class SharedImage
    {
        /// <summary>The AMI id.</summary>
        public string ImageId { get; set; }

        /// <summary>The AMI's name.</summary>
        public string Name { get; set; }

        /// <summary>The region the AMI is in.</summary>
        public string Region { get; set; }

        /// <summary>The owner's account id.</summary>
        public string OwnerId { get; set; }

        /// <summary>How the caller can launch it: <see cref="SharedVia.DirectOrOrganization"/> or <see cref="SharedVia.Public"/>.</summary>
        public string Via { get; set; }

        /// <summary>Whether the AMI is public.</summary>
        public bool Public { get; set; }

        /// <summary>Whether any of its snapshots is encrypted.</summary>
        public bool Encrypted { get; set; }

        /// <summary>The KMS keys of its encrypted snapshots (distinct, in device order).</summary>
        public IReadOnlyList<string> KmsKeyIds { get; set; } = new List<string>();

        /// <summary>Whether KMS DescribeKey as the caller succeeded for every key; null for an unencrypted AMI.</summary>
        public bool? CanUseKey { get; set; }

        /// <summary>Whether the caller may create volumes from every snapshot (DescribeSnapshots RestorableBy=self), so may copy the AMI.</summary>
        public bool CanCopy { get; set; }

        /// <summary>Why the key or the copy is not usable, with what to ask the owner for; null when both are.</summary>
        public string Problem { get; set; }

        /// <summary>The AMI's creation date as EC2 reports it.</summary>
        public string CreationDate { get; set; }

        /// <summary>The deprecation time, or null.</summary>
        public string DeprecationTime { get; set; }
    }
}
