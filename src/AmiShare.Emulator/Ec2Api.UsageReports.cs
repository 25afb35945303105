using System.Globalization;
using System.Text.RegularExpressions;

namespace AmiShare.Emulator;

/// <summary>
/// Image usage reports: CreateImageUsageReport, DescribeImageUsageReports, DescribeImageUsageReportEntries, DeleteImageUsageReport
/// ([DOC] EC2 API reference and the SDK doc comments; "View your AMI usage" in the EC2 User Guide). A report belongs to the AMI owner's
/// account and region; it counts, per other account, the instances and launch templates that reference the AMI.
/// </summary>
internal static partial class Ec2Api
{
    private static readonly Regex ReportIdRx = new("^amiur-[0-9a-f]{17}$", RegexOptions.Compiled);
    private static readonly string[] UsageResourceTypes = { "ec2:Instance", "ec2:LaunchTemplate" };

    /// <summary>Instance states that count as using the AMI [INFERRED: the docs say the report counts the instances that reference the
    /// image; a terminated (or terminating) instance no longer does].</summary>
    private static readonly HashSet<string> CountedInstanceStates = new(StringComparer.Ordinal) { "pending", "running", "stopping", "stopped" };

    /// <summary>[DOC] ImageUsageReport.ExpirationTime: "The date and time when Amazon EC2 will delete the report (30 days after the report was created)".</summary>
    private static readonly TimeSpan ReportLifetime = TimeSpan.FromDays(30);

    private static string CreateImageUsageReport(World w, EmulatorOptions o, CallContext c)
    {
        var me = c.AccountId;
        if (Replay(w, c, c.Get("ClientToken")) is { } replayed)
        {
            Gate(c);
            return new Xml().El("reportId", replayed).ToString();
        }
        // [INFERRED] an unknown AMI answers InvalidAMIID.NotFound and another account's AMI AuthFailure "Not authorized for image:<id>",
        // as DescribeImageAttribute does; the docs say only that the report is on "your image".
        var image = OwnedImage(w, c, c.Require("ImageId"), gate: false);

        var indices = c.Indices("ResourceType").ToList();
        // [INFERRED] ResourceType.N is required (API reference "Required: Yes"); the text follows EC2's MissingParameter pattern.
        if (indices.Count == 0) throw Bad("MissingParameter", "The request must contain the parameter ResourceType");
        var types = new List<string>();
        foreach (var n in indices)
        {
            var type = c.Get($"ResourceType.{n}.ResourceType") ?? "";
            // [INFERRED] text: "Valid values: ec2:Instance | ec2:LaunchTemplate" is documented, the error text is not.
            if (!UsageResourceTypes.Contains(type))
                throw Bad("InvalidParameterValue", $"Value ({type}) for parameter ResourceType is invalid. Valid values: ec2:Instance, ec2:LaunchTemplate.");
            if (types.Contains(type)) throw Bad("InvalidParameterValue", $"The resource type {type} is specified more than once.");
            foreach (var m in c.Indices($"ResourceType.{n}.ResourceTypeOption"))
                ValidateUsageOption(c, type, $"ResourceType.{n}.ResourceTypeOption.{m}");
            types.Add(type);
        }

        var accounts = c.List("AccountId");
        // [DOC] AccountId.N: "Maximum number of 200 items"; [INFERRED] text.
        if (accounts.Count > 200) throw Bad("InvalidParameterValue", $"The request includes {accounts.Count} account IDs. A report can include at most 200 account IDs.");
        foreach (var a in accounts)
            if (!Ec2Ids.IsAccountId(a)) throw Bad("InvalidUserID.Malformed", $"Invalid user id: \"{a}\"");

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var n in c.Indices("TagSpecification"))
        {
            // [DOC] "The ResourceType must be set to image-usage-report; any other value will cause the report creation to fail."
            var type = c.Get($"TagSpecification.{n}.ResourceType") ?? "";
            if (type != "image-usage-report") throw Bad("InvalidParameterValue", $"'{type}' is not a valid taggable resource type for this operation.");
            var items = TagItems(c, $"TagSpecification.{n}.Tag");
            ValidateTags(items);
            foreach (var (k, v) in items) tags[k] = v ?? "";
        }
        Gate(c);

        var now = o.UtcNow;
        var report = new ImageUsageReportSpec
        {
            ReportId = "amiur-" + Ec2Ids.NewHex17(), Account = me, Region = c.RegionName, ImageId = image.ImageId,
            ResourceTypes = types, AccountIds = accounts.Distinct().ToList(), CreationTime = now, Tags = tags,
            AvailableAt = o.ImageUsageReportPendingTime > TimeSpan.Zero
                ? now + TimeSpan.FromTicks((long)(o.ImageUsageReportPendingTime.Ticks / Math.Max(o.TimeScale, 0.000001)))
                : null,
            Entries = CountUsage(w, image, types, accounts),
        };
        w.Doc.ImageUsageReports.Add(report);
        if (c.Get("ClientToken") is { Length: > 0 } token)
            w.Doc.ClientTokens.Add(new ClientTokenSpec { Account = me, Region = c.RegionName, Action = c.Action, ClientToken = token, Request = Fingerprint(c), Result = report.ReportId });
        return new Xml().El("reportId", report.ReportId).ToString();
    }

    /// <summary>[DOC] ImageUsageResourceTypeOptionRequest: OptionName "version-depth" (launch templates only), OptionValues integers 1–10000.</summary>
    private static void ValidateUsageOption(CallContext c, string type, string prefix)
    {
        var name = c.Get(prefix + ".OptionName") ?? "";
        // [INFERRED] texts for the option refusals.
        if (type != "ec2:LaunchTemplate") throw Bad("InvalidParameterValue", $"Resource type options are valid only for ec2:LaunchTemplate, not {type}.");
        if (name != "version-depth") throw Bad("InvalidParameterValue", $"Value ({name}) for parameter OptionName is invalid. Valid values: version-depth.");
        foreach (var v in c.List(prefix + ".OptionValue"))
            if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var depth) || depth < 1 || depth > 10000)
                throw Bad("InvalidParameterValue", $"Value ({v}) for parameter version-depth is invalid. Expecting an integer between 1 and 10000.");
    }

    /// <summary>
    /// The report's entries: per account other than the owner (those named in AccountId.N, else every account the AMI is shared with:
    /// directly, through its organization or OU, or publicly [DOC anchors.md §12: "omitting AccountIds = all accounts shared with"]),
    /// the number of its instances (not terminated) and launch templates in the AMI's region that reference the AMI. Accounts with
    /// no usage get no entry [INFERRED].
    /// </summary>
    private static List<ImageUsageEntrySpec> CountUsage(World w, ImageSpec image, List<string> types, List<string> accounts)
    {
        bool Included(string account) =>
            account != image.Owner && (accounts.Count > 0 ? accounts.Contains(account) : w.CanLaunch(image, account));
        var entries = new List<ImageUsageEntrySpec>();
        if (types.Contains("ec2:Instance"))
            entries.AddRange(w.Doc.Instances
                .Where(i => i.Region == image.Region && i.ImageId == image.ImageId && CountedInstanceStates.Contains(i.State) && Included(i.Account))
                .GroupBy(i => i.Account)
                .Select(g => new ImageUsageEntrySpec { AccountId = g.Key, ResourceType = "ec2:Instance", UsageCount = g.Count() }));
        if (types.Contains("ec2:LaunchTemplate"))
            entries.AddRange(w.Doc.LaunchTemplates
                .Where(t => t.Region == image.Region && t.ImageId == image.ImageId && Included(t.Account))
                .GroupBy(t => t.Account)
                .Select(g => new ImageUsageEntrySpec { AccountId = g.Key, ResourceType = "ec2:LaunchTemplate", UsageCount = g.Count() }));
        return entries.OrderBy(e => e.AccountId, StringComparer.Ordinal).ThenBy(e => e.ResourceType, StringComparer.Ordinal).ToList();
    }

    private static string ReportState(EmulatorOptions o, ImageUsageReportSpec r) => r.AvailableAt is { } t && o.UtcNow < t ? "pending" : "available";

    /// <summary>The caller's reports in the region, without those past their 30-day expiry ([DOC] EC2 deletes them then).</summary>
    private static List<ImageUsageReportSpec> MyReports(World w, EmulatorOptions o, CallContext c)
    {
        var now = o.UtcNow;
        w.Doc.ImageUsageReports.RemoveAll(r => r.CreationTime + ReportLifetime <= now);
        return w.Doc.ImageUsageReports.Where(r => r.Account == c.AccountId && r.Region == c.RegionName).ToList();
    }

    /// <summary>ReportId.N: malformed ids and ids that are not the caller's reports here are refused [INFERRED codes and texts, after
    /// EC2's InvalidXxxID.Malformed / .NotFound pattern].</summary>
    private static List<string> ReportIds(CallContext c, List<ImageUsageReportSpec> mine)
    {
        var ids = c.List("ReportId");
        foreach (var id in ids)
            if (!ReportIdRx.IsMatch(id)) throw Bad("InvalidImageUsageReportId.Malformed", $"Invalid id: \"{id}\" (expecting \"amiur-...\")");
        var missing = ids.Distinct().Where(id => mine.All(r => r.ReportId != id)).ToList();
        if (missing.Count > 0) throw Bad("InvalidImageUsageReportId.NotFound", $"The image usage report ID '{string.Join(", ", missing)}' does not exist");
        return ids;
    }

    private static List<string> UsageImageIds(CallContext c)
    {
        var ids = c.List("ImageId");
        foreach (var id in ids)
            if (!Ec2Ids.IsAmi(id)) throw Bad("InvalidAMIID.Malformed", $"Invalid id: \"{id}\" (expecting \"ami-...\")");
        return ids;
    }

    private static string DescribeImageUsageReports(World w, EmulatorOptions o, CallContext c)
    {
        var mine = MyReports(w, o, c);
        var ids = ReportIds(c, mine);
        var images = UsageImageIds(c);
        var filters = Filters(c);
        var paging = Paging(c);
        Gate(c);
        IEnumerable<ImageUsageReportSpec> result = mine;
        if (ids.Count > 0) result = result.Where(r => ids.Contains(r.ReportId));
        if (images.Count > 0) result = result.Where(r => images.Contains(r.ImageId));
        foreach (var f in filters)
        {
            var ff = f;
            result = result.Where(r => Matches(ff, ReportFilterValues(o, r, ff.Name)));
        }
        var (page, next) = Page(result.ToList(), paging);
        var x = new Xml();
        x.List("imageUsageReportSet", page, (x2, r) =>
        {
            x2.El("imageId", r.ImageId).El("reportId", r.ReportId)
              .List("resourceTypeSet", r.ResourceTypes, (x3, t) => x3.El("resourceType", t))
              .List("accountIdSet", r.AccountIds, (x3, a) => x3.Text(a))
              .El("state", ReportState(o, r))
              .El("creationTime", Ec2Ids.Iso(r.CreationTime))
              .El("expirationTime", Ec2Ids.Iso(r.CreationTime + ReportLifetime))
              .List("tagSet", r.Tags.ToList(), (x3, t) => x3.El("key", t.Key).El("value", t.Value));
        });
        x.El("nextToken", next);
        return x.ToString();
    }

    /// <summary>[DOC] DescribeImageUsageReports filters: creation-time, state, tag:&lt;key&gt;, tag-key.</summary>
    private static IEnumerable<string> ReportFilterValues(EmulatorOptions o, ImageUsageReportSpec r, string name)
    {
        if (name.StartsWith("tag:", StringComparison.Ordinal))
            return r.Tags.TryGetValue(name[4..], out var v) ? new[] { v } : Array.Empty<string>();
        return name switch
        {
            "creation-time" => new[] { Ec2Ids.Iso(r.CreationTime) },
            "state" => new[] { ReportState(o, r) },
            "tag-key" => r.Tags.Keys,
            _ => throw Bad("InvalidParameterValue", $"The filter '{name}' is invalid"),
        };
    }

    private static string DescribeImageUsageReportEntries(World w, EmulatorOptions o, CallContext c)
    {
        var mine = MyReports(w, o, c);
        var ids = ReportIds(c, mine);
        var images = UsageImageIds(c);
        var filters = Filters(c);
        var paging = Paging(c);
        Gate(c);
        // A pending report has no entries yet ([DOC] "pending - The report is being created and not available to view").
        var rows = mine.Where(r => ReportState(o, r) == "available")
                       .Where(r => ids.Count == 0 || ids.Contains(r.ReportId))
                       .Where(r => images.Count == 0 || images.Contains(r.ImageId))
                       .SelectMany(r => r.Entries.Select(e => (Report: r, Entry: e)));
        foreach (var f in filters)
        {
            var ff = f;
            rows = rows.Where(row => Matches(ff, ff.Name switch
            {
                "account-id" => new[] { row.Entry.AccountId },
                "resource-type" => new[] { row.Entry.ResourceType },
                "creation-time" => new[] { Ec2Ids.Iso(row.Report.CreationTime) },
                _ => throw Bad("InvalidParameterValue", $"The filter '{ff.Name}' is invalid"),
            }));
        }
        var (page, next) = Page(rows.ToList(), paging);
        var x = new Xml();
        x.List("imageUsageReportEntrySet", page, (x2, row) =>
            x2.El("resourceType", row.Entry.ResourceType).El("reportId", row.Report.ReportId)
              .El("usageCount", row.Entry.UsageCount.ToString(CultureInfo.InvariantCulture))
              .El("accountId", row.Entry.AccountId).El("imageId", row.Report.ImageId)
              .El("reportCreationTime", Ec2Ids.Iso(row.Report.CreationTime)));
        x.El("nextToken", next);
        return x.ToString();
    }

    private static string DeleteImageUsageReport(World w, EmulatorOptions o, CallContext c)
    {
        var id = c.Require("ReportId");
        var mine = MyReports(w, o, c);
        if (!ReportIdRx.IsMatch(id)) throw Bad("InvalidImageUsageReportId.Malformed", $"Invalid id: \"{id}\" (expecting \"amiur-...\")");
        var r = mine.FirstOrDefault(x => x.ReportId == id) ?? throw Bad("InvalidImageUsageReportId.NotFound", $"The image usage report ID '{id}' does not exist");
        Gate(c);
        w.Doc.ImageUsageReports.Remove(r);
        return ReturnTrue;
    }
}
