namespace AmiShare.Emulator;

/// <summary>DescribeRegions with each region's opt-in status for the caller (wire-spec §2.11).</summary>
internal static partial class Ec2Api
{
    /// <summary>
    /// [DOC] DescribeRegions: "Describes the Regions that are enabled for your account, or all Regions"; AllRegions: "whether to display
    /// all Regions, including Regions that are disabled for your account"; RegionName: "You can specify any Regions, whether they are
    /// enabled and disabled for your account"; optInStatus opt-in-not-required | opted-in | not-opted-in; filters endpoint,
    /// opt-in-status, region-name. A name the world does not know: InvalidParameterValue "Invalid region: …" [INFERRED].
    /// </summary>
    private static string DescribeRegions(World w, EmulatorOptions o, CallContext c)
    {
        var names = c.List("RegionName");
        foreach (var n in names)
            if (!w.Doc.Regions.Contains(n)) throw Bad("InvalidParameterValue", $"Invalid region: {n}");
        var all = c.Bool("AllRegions");
        var regions = w.Doc.Regions
            .Where(r => names.Count > 0 ? names.Contains(r) : all || w.OptInStatus(c.AccountId, r) != "not-opted-in")
            .ToList();
        foreach (var f in Filters(c))
        {
            var ff = f;
            regions = regions.Where(r => Matches(ff, ff.Name switch
            {
                "region-name" => new[] { r },
                "endpoint" => new[] { $"ec2.{r}.amazonaws.com" },
                "opt-in-status" => new[] { w.OptInStatus(c.AccountId, r) },
                _ => throw Bad("InvalidParameterValue", $"The filter '{ff.Name}' is invalid"),
            })).ToList();
        }
        return new Xml().List("regionInfo", regions, (x, r) =>
            x.El("regionName", r).El("regionEndpoint", $"ec2.{r}.amazonaws.com").El("optInStatus", w.OptInStatus(c.AccountId, r))).ToString();
    }
}
