using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using Xunit;

namespace AmiShare.Emulator.Tests;

/// <summary>DescribeRegions: enabled regions by default, AllRegions, RegionName, and each region's opt-in status for the caller.</summary>
public sealed class DescribeRegionsTests : FreshEmulatorTest
{
    /// <summary>The demo world plus two opt-in regions: af-south-1 (the owner opted in) and ap-east-1 (nobody did).</summary>
    protected override World CreateWorld()
    {
        var doc = JsonNode.Parse(World.DemoJson())!;
        doc["optInRegions"] = new JsonArray(
            new JsonObject { ["region"] = "af-south-1", ["optedInAccounts"] = new JsonArray(Demo.Owner) },
            new JsonObject { ["region"] = "ap-east-1" });
        return World.FromJson(doc.ToJsonString());
    }

    private static Dictionary<string, string> StatusOf(DescribeRegionsResponse r) =>
        (r.Regions ?? new List<Region>()).ToDictionary(x => x.RegionName, x => x.OptInStatus);

    [Fact]
    public async Task DescribeRegions_EnabledOnlyByDefault_AllRegionsShowsTheDisabledOnes_StatusPerCaller()
    {
        var mine = StatusOf(await Owner.DescribeRegionsAsync(new DescribeRegionsRequest()));
        Assert.Equal("opted-in", mine["af-south-1"]);
        Assert.Equal("opt-in-not-required", mine["us-east-1"]);
        Assert.False(mine.ContainsKey("ap-east-1"));
        Assert.Equal(4, mine.Count);

        var all = StatusOf(await Owner.DescribeRegionsAsync(new DescribeRegionsRequest { AllRegions = true }));
        Assert.Equal("not-opted-in", all["ap-east-1"]);
        Assert.Equal(5, all.Count);

        var consumers = StatusOf(await Consumer.DescribeRegionsAsync(new DescribeRegionsRequest()));
        Assert.False(consumers.ContainsKey("af-south-1"));
        Assert.Equal("not-opted-in", StatusOf(await Consumer.DescribeRegionsAsync(new DescribeRegionsRequest { AllRegions = true }))["af-south-1"]);
    }

    [Fact]
    public async Task DescribeRegions_NamedRegionsAnswerWhetherEnabledOrNot_OptInStatusFilter()
    {
        var named = await Owner.DescribeRegionsAsync(new DescribeRegionsRequest { RegionNames = new List<string> { "ap-east-1", "us-west-2" } });
        Assert.Equal(new Dictionary<string, string> { ["ap-east-1"] = "not-opted-in", ["us-west-2"] = "opt-in-not-required" }, StatusOf(named));
        Assert.Equal("ec2.us-west-2.amazonaws.com", named.Regions.Single(r => r.RegionName == "us-west-2").Endpoint);

        var notOpted = await Owner.DescribeRegionsAsync(new DescribeRegionsRequest
        {
            AllRegions = true, Filters = new List<Filter> { new() { Name = "opt-in-status", Values = new List<string> { "not-opted-in", "opted-in" } } },
        });
        Assert.Equal(new[] { "af-south-1", "ap-east-1" }, notOpted.Regions.Select(r => r.RegionName).OrderBy(r => r, StringComparer.Ordinal));
        await Assertions.Ec2Error(() => Owner.DescribeRegionsAsync(new DescribeRegionsRequest { RegionNames = new List<string> { "xx-nowhere-1" } }),
            "InvalidParameterValue", 400, "Invalid region: xx-nowhere-1");
    }
}
