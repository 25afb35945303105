using AmiShare.Engine.Plans;

namespace AmiShare.Engine.Manifests
{
    /// <summary>One AMI a manifest names (by id, or matched by a name pattern) and the launch permissions it should have.</summary>
    public sealed class ManifestTarget
    {
        /// <summary>The AMI id.</summary>
        public string ImageId { get; internal set; }

        /// <summary>The entry that names it.</summary>
        public ManifestEntry Entry { get; internal set; }

        /// <summary>Its desired launch permissions.</summary>
        public DesiredLaunchPermissions Desired { get; internal set; }
    }
}
