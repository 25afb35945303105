using System;
using System.Collections.Generic;

namespace AmiShare.Engine.Manifests
{
    /// <summary>
    /// A launch-permission manifest as read from its file, before validation, in a neutral shape both formats map to: the root
    /// and each entry are dictionaries (keys compared ignoring case), lists are <see cref="IList{T}"/> of objects, scalars are
    /// string, bool or a number. The cmdlet builds it from a .psd1 (PowerShell's data-only parser); <see cref="ManifestJson"/>
    /// builds it from JSON.
    /// </summary>
    public sealed class ManifestDocument
    {
        /// <summary>A document read from <paramref name="path"/>.</summary>
        public ManifestDocument(string path, IDictionary<string, object> root)
        {
            Path = path;
            Root = root ?? throw new ArgumentNullException(nameof(root));
        }

        /// <summary>The file it was read from, as given (named in every error).</summary>
        public string Path { get; }

        /// <summary>The top-level table (its one key is Images).</summary>
        public IDictionary<string, object> Root { get; }

        /// <summary>A new empty table with the comparer manifests use (keys ignore case, as in PowerShell).</summary>
        public static IDictionary<string, object> NewTable() => new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
    }
}
