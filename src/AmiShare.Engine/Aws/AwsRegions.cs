using System.Collections.Generic;
using System.Linq;
using Amazon;

namespace AmiShare.Engine.Aws
{
    /// <summary>The regions this SDK build knows (for tab completion), as plain strings.</summary>
    public static class AwsRegions
    {
        /// <summary>System name and display name of every known region, sorted by system name.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> Known { get; } =
            RegionEndpoint.EnumerableAllRegions
                .Select(r => new KeyValuePair<string, string>(r.SystemName, r.DisplayName))
                .OrderBy(r => r.Key, System.StringComparer.Ordinal)
                .ToList();
    }
}
