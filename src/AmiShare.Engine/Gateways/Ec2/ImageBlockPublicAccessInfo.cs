using System;

namespace AmiShare.Engine.Gateways
{
    /// <summary>Image block public access for the account in one region (GetImageBlockPublicAccessState).</summary>
    public sealed class ImageBlockPublicAccessInfo
    {
        /// <summary>"block-new-sharing" or "unblocked".</summary>
        public string State { get; set; } = "unblocked";

        /// <summary>"account" or "declarative-policy" (an organization's declarative policy: the account cannot change it); null when EC2 does not say.</summary>
        public string ManagedBy { get; set; }

        /// <summary>Gets a value indicating whether new public sharing is blocked (<see cref="State"/> is "block-new-sharing").</summary>
        public bool IsBlocked => string.Equals(State, "block-new-sharing", StringComparison.OrdinalIgnoreCase);

        /// <summary>Gets a value indicating whether an organization's declarative policy sets the state (the account cannot change it).</summary>
        public bool IsManagedByDeclarativePolicy => string.Equals(ManagedBy, "declarative-policy", StringComparison.OrdinalIgnoreCase);
    }
}
