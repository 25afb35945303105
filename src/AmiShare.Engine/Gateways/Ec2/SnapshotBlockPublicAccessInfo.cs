using System;

namespace AmiShare.Engine.Gateways
{
    /// <summary>Block public access for EBS snapshots for the account in one region (GetSnapshotBlockPublicAccessState).</summary>
    public sealed class SnapshotBlockPublicAccessInfo
    {
        /// <summary>"block-all-sharing" (already public snapshots are treated as private), "block-new-sharing" (they stay public; no new public sharing) or "unblocked".</summary>
        public string State { get; set; } = "unblocked";

        /// <summary>"account" or "declarative-policy" (an organization's declarative policy: the account cannot change it); null when EC2 does not say.</summary>
        public string ManagedBy { get; set; }

        /// <summary>Gets a value indicating whether no snapshot can newly be made public (either blocking state).</summary>
        public bool BlocksNewSharing => !string.IsNullOrEmpty(State) && !string.Equals(State, "unblocked", StringComparison.OrdinalIgnoreCase);

        /// <summary>Gets a value indicating whether snapshots already public are treated as private too (block-all-sharing).</summary>
        public bool BlocksAllSharing => string.Equals(State, "block-all-sharing", StringComparison.OrdinalIgnoreCase);

        /// <summary>Gets a value indicating whether an organization's declarative policy sets the state (the account cannot change it).</summary>
        public bool IsManagedByDeclarativePolicy => string.Equals(ManagedBy, "declarative-policy", StringComparison.OrdinalIgnoreCase);
    }
}
