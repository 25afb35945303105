using System.Collections.Generic;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Manifests
{
    /// <summary>One validated entry of a launch-permission manifest: which AMIs (an id or a name pattern) and their exact principals.</summary>
    public sealed class ManifestEntry
    {
        /// <summary>The entry's position in Images, from 1.</summary>
        public int Number { get; internal set; }

        /// <summary>The AMI id, or null when the entry names a pattern.</summary>
        public string ImageId { get; internal set; }

        /// <summary>The name pattern (* and ? wildcards), or null when the entry names an id.</summary>
        public string Name { get; internal set; }

        /// <summary>The principals (never 'all'; bare o-…/ou-… ids are resolved later).</summary>
        public IReadOnlyList<Principal> Principals { get; internal set; }

        /// <summary>Public = $true / $false, or null when the entry does not say.</summary>
        public bool? Public { get; internal set; }

        /// <summary>"entry 2 (Name 'golden-linux-*')" or "entry 1 (ImageId 'ami-…')".</summary>
        public string Label => ImageId != null ? $"entry {Number} (ImageId '{ImageId}')" : $"entry {Number} (Name '{Name}')";
    }
}
