using System.Collections.Generic;

namespace AmiShare.Engine.Consumer
{
    /// <summary>The outcome of one region: its rows, or the error that stopped it.</summary>
    public sealed class SharedWithMeRegion
    {
        /// <summary>The region.</summary>
        public string Region { get; set; }

        /// <summary>The shared AMIs (empty when <see cref="Error"/> is set).</summary>
        public IReadOnlyList<SharedImage> Images { get; set; } = new List<SharedImage>();

        /// <summary>Why the region could not be read, or null.</summary>
        public AmiShareException Error { get; set; }
    }
}
