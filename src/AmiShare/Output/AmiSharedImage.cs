using System;
using System.Linq;
using AmiShare.Engine.Consumer;

namespace AmiShare
{
    /// <summary>One AMI another account shares with the caller (Get-AmiSharedWithMe). Pipes by ImageId and Region.</summary>
    public sealed class AmiSharedImage
    {
        /// <summary>The AMI id.</summary>
        public string ImageId { get; private set; }

        /// <summary>The AMI's name.</summary>
        public string Name { get; private set; }

        /// <summary>The region the AMI lives in.</summary>
        public string Region { get; private set; }

        /// <summary>The owner's account id.</summary>
        public string OwnerId { get; private set; }

        /// <summary>DirectOrOrganization (shared with this account, its organization or an OU it is in: EC2 does not tell a consumer which) or Public.</summary>
        public string Via { get; private set; }

        /// <summary>True when the AMI is public.</summary>
        public bool Public { get; private set; }

        /// <summary>True when any of its snapshots is encrypted.</summary>
        public bool Encrypted { get; private set; }

        /// <summary>The KMS keys of its encrypted snapshots.</summary>
        public PrincipalList KmsKeyIds { get; private set; }

        /// <summary>True when KMS DescribeKey as this account succeeds for every key; empty for an unencrypted AMI.</summary>
        public bool? CanUseKey { get; private set; }

        /// <summary>True when this account may create volumes from every snapshot (so may copy the AMI).</summary>
        public bool CanCopy { get; private set; }

        /// <summary>What stops use or copy, and what to ask the owner for; empty when nothing does.</summary>
        public string Problem { get; private set; }

        /// <summary>The creation date EC2 reports (UTC).</summary>
        public DateTime? CreationDate { get; private set; }

        /// <summary>The deprecation time (UTC), or null.</summary>
        public DateTime? DeprecationTime { get; private set; }

        internal static AmiSharedImage From(SharedImage s) => new AmiSharedImage
        {
            ImageId = s.ImageId,
            Name = s.Name,
            Region = s.Region,
            OwnerId = s.OwnerId,
            Via = s.Via,
            Public = s.Public,
            Encrypted = s.Encrypted,
            KmsKeyIds = new PrincipalList(s.KmsKeyIds.ToList()),
            CanUseKey = s.CanUseKey,
            CanCopy = s.CanCopy,
            Problem = s.Problem,
            CreationDate = Ec2Time.Parse(s.CreationDate),
            DeprecationTime = Ec2Time.Parse(s.DeprecationTime),
        };
    }
}
