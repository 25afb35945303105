using System;
using System.Collections.Generic;

namespace AmiShare.Engine.Plans
{
    /// <summary>A planned createVolumePermission change on one snapshot (adds and removes go in separate calls, ≤500 each).</summary>
    public sealed class SnapshotPermissionChange
    {
        /// <summary>The snapshot whose createVolumePermission changes.</summary>
        public string SnapshotId { get; internal set; }

        /// <summary>Accounts that get createVolumePermission.</summary>
        public IReadOnlyList<string> AddAccounts { get; internal set; } = Array.Empty<string>();

        /// <summary>Accounts that lose createVolumePermission.</summary>
        public IReadOnlyList<string> RemoveAccounts { get; internal set; } = Array.Empty<string>();
    }
}
