using System.Text.Json.Nodes;
using AmiShare.Emulator;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// Usage reports that fail or already exist, against the emulator: a 403 or 5xx on the report calls keeps the region's sharing
/// rows (Usage null) and adds one error naming the AMIs (and, for AccessDenied, the IAM permissions); -CheckUsage right after
/// -IncludeUsage reuses the report the report run made.
/// </summary>
public sealed class UsageFailureTests
{
    private const string Third = "999988887777";

    private static World ThirdRunsWeb()
    {
        var doc = JsonNode.Parse(World.DemoJson())!.AsObject();
        doc["instances"] = new JsonArray(new JsonObject
        {
            ["account"] = Third, ["region"] = "us-east-1", ["imageId"] = Web, ["state"] = "running", ["launchTime"] = "2026-11-20T08:30:00Z",
        });
        return World.FromJson(doc.ToJsonString());
    }

    [Fact]
    public async Task IncludeUsage_AccessDeniedOnCreate_RowsStillOut_UsageNull_OneErrorNamingTheAmisAndThePermissions()
    {
        await using var t = await StartAsync(ThirdRunsWeb());
        t.Emulator.Options.FailNext("CreateImageUsageReport", "UnauthorizedOperation", 403, times: 100, message: "You are not authorized to perform this operation.");

        var r = t.Run("Get-AmiShareReport -Region us-east-1 -ImageId $args[0],$args[1] -IncludeUsage", Web, Agent);

        Assert.Equal(new[] { Web, Agent }, r.Output.Select(o => (string)o.Properties["ImageId"].Value).OrderBy(i => i, StringComparer.Ordinal));
        Assert.All(r.Output, o => Assert.Null(o.Properties["Usage"].Value));
        var error = Assert.Single(r.AllErrors);
        Assert.StartsWith("AccessDenied,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        string text = error + " " + error.ErrorDetails?.RecommendedAction;
        Assert.Contains($"The usage of 2 AMIs in region 'us-east-1' could not be read", text);
        Assert.Contains(Web, text);
        Assert.Contains(Agent, text);
        Assert.Contains("ec2:CreateImageUsageReport, ec2:DescribeImageUsageReports and ec2:DescribeImageUsageReportEntries", text);
    }

    [Fact]
    public async Task IncludeUsage_ServerErrorOnEntries_RowsStillOut_UsageNull_OneError()
    {
        await using var t = await StartAsync(ThirdRunsWeb());
        t.Emulator.Options.FailNext("DescribeImageUsageReportEntries", "InternalError", 500, times: 100);

        var r = t.Run("Get-AmiShareReport -Region us-east-1 -ImageId $args[0] -IncludeUsage", Web);

        var row = Assert.Single(r.Output);
        Assert.Null(row.Properties["Usage"].Value);
        Assert.Equal(Web, row.Properties["ImageId"].Value);
        var error = Assert.Single(r.AllErrors);
        Assert.Contains($"The usage of 1 AMI in region 'us-east-1' could not be read (their rows are written without Usage): {Web}.", error.ToString());
    }

    [Fact]
    public async Task CheckUsage_RightAfterIncludeUsage_ReusesTheReport_NoCreate()
    {
        await using var t = await StartAsync(ThirdRunsWeb());
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1]", Web, Third).ThrowIfErrors();
        var report = t.Run("Get-AmiShareReport -Region us-east-1 -ImageId $args[0] -IncludeUsage", Web).ThrowIfErrors();
        Assert.Equal($"{Third} (1 instance)", Assert.Single(report.Output).Properties["Usage"].Value.ToString());
        Assert.Equal(1, t.Log.Count("CreateImageUsageReport"));
        t.Log.Clear();

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId $args[1] -CheckUsage", Web, Third);

        Assert.Equal(new[] { "AmiInUse,AmiShare.Commands.RevokeAmiLaunchPermissionCommand" }, r.ErrorIds);
        Assert.Equal(0, t.Log.Count("CreateImageUsageReport"));
        Assert.Equal(1, t.Log.Count("DescribeImageUsageReportEntries"));
    }

    [Fact]
    public async Task CheckUsage_AccessDenied_ErrorNamesTheAmiAndThePermissions_NoWrite()
    {
        await using var t = await StartAsync(ThirdRunsWeb());
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1]", Web, Third).ThrowIfErrors();
        t.Emulator.Options.FailNext("CreateImageUsageReport", "UnauthorizedOperation", 403, times: 100);
        t.Log.Clear();

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId $args[1] -CheckUsage", Web, Third);

        var error = Assert.Single(r.Errors);
        Assert.Equal("AccessDenied,AmiShare.Commands.RevokeAmiLaunchPermissionCommand", error.FullyQualifiedErrorId);
        string text = error + " " + error.ErrorDetails?.RecommendedAction;
        Assert.Contains($"The usage of 1 AMI in region 'us-east-1' could not be read (nothing was changed on it): {Web}.", text);
        Assert.Contains("ec2:CreateImageUsageReport, ec2:DescribeImageUsageReports and ec2:DescribeImageUsageReportEntries", text);
        Assert.Equal(0, t.Log.Count("ModifyImageAttribute"));
    }
}
