namespace AmiShare
{
    /// <summary>What <see cref="AwsSdkConflict.Check"/> found.</summary>
    public enum AwsSdkDecision
    {
        /// <summary>No AWSSDK.Core of our assembly version is loaded: ours can be.</summary>
        NoneLoaded,

        /// <summary>Ours (from dependencies/) is loaded.</summary>
        Ours,

        /// <summary>Another copy of the very build we ship (same file version) is loaded: the engine works with it.</summary>
        SameBuild,

        /// <summary>Another build is loaded; the engine would bind to it and fail (MissingMethod/TypeLoad).</summary>
        Conflict,
    }
}
