using System;
using System.Collections.Generic;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Plans
{
    /// <summary>What happened to one AMI.</summary>
    public sealed class ShareResult
    {
        /// <summary>KMS keys whose policy was changed.</summary>
        public IReadOnlyList<string> KeyPoliciesChanged { get; set; } = Array.Empty<string>();

        /// <summary>Snapshots whose createVolumePermission was changed.</summary>
        public IReadOnlyList<string> SnapshotsChanged { get; set; } = Array.Empty<string>();

        /// <summary>KMS key access and snapshot permissions kept because another AMI behind them is still shared with the principal.</summary>
        public IReadOnlyList<AccessKept> AccessKept { get; set; } = Array.Empty<AccessKept>();

        /// <summary>The AMI.</summary>
        public string ImageId { get; set; }

        /// <summary>The AMI's name (see AmiShareService.WithImageNameAsync).</summary>
        public string ImageName { get; set; }

        /// <summary>The AMI's region.</summary>
        public string Region { get; set; }

        /// <summary>The operation applied.</summary>
        public ShareOperation Operation { get; set; }

        /// <summary>Principals added by the write.</summary>
        public IReadOnlyList<Principal> Added { get; set; } = Array.Empty<Principal>();

        /// <summary>Principals removed by the write.</summary>
        public IReadOnlyList<Principal> Removed { get; set; } = Array.Empty<Principal>();

        /// <summary>Requested principals that needed no change.</summary>
        public IReadOnlyList<Principal> Unchanged { get; set; } = Array.Empty<Principal>();

        /// <summary>True when an AWS write happened.</summary>
        public bool Changed { get; set; }

        /// <summary>Launch permissions after the change.</summary>
        public IReadOnlyList<Principal> LaunchPermissions { get; set; } = Array.Empty<Principal>();
    }
}
