using System.Globalization;
using AmiShare.Emulator;

namespace AmiShare.Benchmarks;

/// <summary>Small helpers: medians, request-log tallies, number formatting.</summary>
public static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        int m = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    /// <summary>Requests per "service:Action", in first-seen order.</summary>
    public static IReadOnlyList<(string Action, int Calls)> ByAction(IEnumerable<RequestLogEntry> entries) =>
        entries.GroupBy(e => e.Service + ":" + e.Action).Select(g => (g.Key, g.Count())).ToList();

    /// <summary>
    /// EC2's token bucket of an action (burst, refill per second), as the emulator models it (anchors.md §8;
    /// EmulatorOptions.BucketFor, which is internal, for a filtered describe).
    /// </summary>
    public static (double Burst, double Refill) Ec2Bucket(string action) => action switch
    {
        "ModifyImageAttribute" or "ModifySnapshotAttribute" or "DeregisterImage" => (100, 5),
        "CopyImage" => (100, 1),
        "CreateTags" or "DeleteTags" => (100, 10),
        "EnableImageBlockPublicAccess" or "DisableImageBlockPublicAccess" => (1, 0.1),
        _ when action.StartsWith("Describe", StringComparison.Ordinal) || action.StartsWith("Get", StringComparison.Ordinal) => (100, 20),
        _ => (50, 5),
    };

    public static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    public static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
