using System;
using System.Collections.Generic;
using System.Linq;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Consumer
{
    /// <summary>What the caller can see of a shared AMI before copying it (read once, in the source's region, as the caller).</summary>
    public sealed class SharedSourceFacts
    {
        /// <summary>Gets or sets the caller's account id (STS GetCallerIdentity).</summary>
        public string CallerAccount { get; set; }

        /// <summary>Gets or sets the source region.</summary>
        public string Region { get; set; }

        /// <summary>Gets or sets the AMI id asked for.</summary>
        public string ImageId { get; set; }

        /// <summary>Gets or sets the AMI as DescribeImages returns it to the caller, or null when the caller can't see it.</summary>
        public ImageInfo Image { get; set; }

        /// <summary>Gets or sets each source key's problem for the caller (null: usable).</summary>
        public IReadOnlyDictionary<string, string> KeyProblems { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Gets or sets the source snapshots the caller may create volumes from.</summary>
        public ISet<string> Restorable { get; set; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Gets a value indicating whether any snapshot behind the source is encrypted.</summary>
        public bool Encrypted => Image?.Snapshots?.Any(s => s.Encrypted) == true;
    }
}
