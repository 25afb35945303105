using System;
using System.Collections.Generic;
using System.Linq;
using Amazon;

namespace AmiShare.Engine.Aws
{
    /// <summary>The regions this SDK build knows (for tab completion and the unknown-region warning), as plain strings.</summary>
    public static class AwsRegions
    {
        private static readonly HashSet<string> s_known = new HashSet<string>(
            RegionEndpoint.EnumerableAllRegions.Select(r => r.SystemName), StringComparer.Ordinal);

        /// <summary>System name and display name of every known region, sorted by system name.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> Known { get; } =
            RegionEndpoint.EnumerableAllRegions
                .Select(r => new KeyValuePair<string, string>(r.SystemName, r.DisplayName))
                .OrderBy(r => r.Key, StringComparer.Ordinal)
                .ToList();

        /// <summary>True when this SDK build lists <paramref name="region"/> (RegionEndpoint.EnumerableAllRegions).</summary>
        public static bool IsKnown(string region) => region != null && s_known.Contains(region);

        /// <summary>
        /// A warning for a well-formed region name this SDK build does not list (e.g. us-east-9), or null for a listed one.
        /// Such a name is warned about, not refused: AWS opens regions after an SDK build ships (the SDK's partition
        /// patterns already route them), so refusing would lock users out of a real new region, while a mistyped name
        /// cannot write anywhere unintended: without -EndpointUrl its endpoint ec2.&lt;name&gt;.amazonaws.com does not
        /// exist (EndpointUnreachable before any write), and with -EndpointUrl the region only signs the request.
        /// </summary>
        public static string UnknownRegionWarning(string region, string source)
        {
            if (region == null || IsKnown(region))
            {
                return null;
            }

            return $"The region '{region}' (from {source}) is not one this AWS SDK build knows; it is used as given. " +
                   "If it is a typo, the call fails with EndpointUnreachable and nothing is changed. Known regions: " +
                   string.Join(", ", Known.Select(k => k.Key)) + ".";
        }

        /// <summary>The <see cref="UnknownRegionWarning"/> of each of <paramref name="regions"/> that has one, in order.</summary>
        public static IEnumerable<string> UnknownRegionWarnings(IEnumerable<string> regions, string source) =>
            (regions ?? Enumerable.Empty<string>()).Select(r => UnknownRegionWarning(r, source)).Where(w => w != null);
    }
}
