using System;
using System.Collections.Generic;

namespace AmiShare.Engine.Kms
{
    /// <summary>What a subject may do with a key, and why.</summary>
    public sealed class KeyAccessResult
    {
        /// <summary>Actions launching needs that the subject does not get (empty = it can launch).</summary>
        public IReadOnlyList<string> Missing { get; set; } = Array.Empty<string>();

        /// <summary>True when the subject may use the key as launching needs.</summary>
        public bool HasAccess => Missing.Count == 0;

        /// <summary>Statements (by Sid or position) and grants that give access.</summary>
        public IReadOnlyList<string> Sources { get; set; } = Array.Empty<string>();

        /// <summary>Statements that might apply but could not be evaluated (unknown condition keys, unknown org path…).</summary>
        public IReadOnlyList<string> Notes { get; set; } = Array.Empty<string>();
    }
}
