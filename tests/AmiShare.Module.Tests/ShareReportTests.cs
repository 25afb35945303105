using System.Globalization;
using System.Text.Json.Nodes;
using AmiShare.Emulator;
using Xunit;
using Xunit.Abstractions;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// Get-AmiShareReport against the emulator: a world with 3 regions and owned AMIs of every kind (public, in-org, an outside
/// account, org and OU shares, CMK and aws/ebs), one row per AMI with the right External accounts, counted from the log.
/// </summary>
public sealed class ShareReportTests
{
    private const string Outside = "999988887777";
    private const string Finance = "555566667777";
    private const string CmkArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string AwsEbsArn = "arn:aws:kms:us-east-1:123456789012:key/7a6f1b2c-0000-4000-8000-0000000000eb";

    private readonly ITestOutputHelper _output;

    public ShareReportTests(ITestOutputHelper output) => _output = output;

    private static string Ami(int i) => $"ami-0aa{i:x14}";

    private static LaunchPermissionSpec User(string id) => new() { UserId = id };

    /// <summary>The demo world (its organization, accounts, keys and 3 regions) without its AMIs.</summary>
    private static World EmptyDemo()
    {
        JsonNode doc = JsonNode.Parse(World.DemoJson())!;
        doc["images"] = new JsonArray();
        return World.FromJson(doc.ToJsonString());
    }

    private static void Add(World w, int i, string region, Action<ImageSpec> shape, string? kmsKey = null, string owner = Owner)
    {
        var image = new ImageSpec { ImageId = Ami(i), Region = region, Owner = owner, Name = $"report-{i}" };
        if (kmsKey != null)
        {
            string snap = $"snap-0aa{i:x14}";
            w.AddSnapshot(new SnapshotSpec { SnapshotId = snap, Region = region, Owner = owner, Encrypted = true, KmsKeyId = kmsKey });
            image.BlockDeviceMappings.Add(new BlockDeviceSpec { SnapshotId = snap });
        }

        shape(image);
        w.AddImage(image);
    }

    /// <summary>
    /// The AMIs of the acceptance world by region, with the External accounts each must report
    /// (the organization holds 123456789012, 111122223333, 444455556666, 555566667777).
    /// </summary>
    private static Dictionary<string, (string Region, string[] External)> BuildWorld(World w)
    {
        var expected = new Dictionary<string, (string, string[])>();
        void Image(int i, string region, string[] external, Action<ImageSpec> shape, string? key = null)
        {
            Add(w, i, region, shape, key);
            expected[Ami(i)] = (region, external);
        }

        Image(1, "us-east-1", [], x => { x.Public = true; x.LaunchPermissions.Add(new LaunchPermissionSpec { Group = "all" }); });
        Image(2, "us-east-1", [], x => x.LaunchPermissions.Add(User(Consumer)), CmkArn);
        Image(3, "us-east-1", [Outside], x => { x.LaunchPermissions.Add(User(Outside)); x.LaunchPermissions.Add(User(Finance)); }, AwsEbsArn);
        Image(4, "us-east-1", [], x => x.Tags["ec2:SharedTag/team"] = "platform", CmkArn);
        Image(5, "us-west-2", [], x => x.LaunchPermissions.Add(new LaunchPermissionSpec { OrganizationArn = OrgArn }));
        Image(6, "us-west-2", [Outside], x => { x.LaunchPermissions.Add(new LaunchPermissionSpec { OrganizationalUnitArn = EngineeringOu }); x.LaunchPermissions.Add(User(Outside)); });
        Image(7, "us-west-2", [], x => { x.DeprecationTime = new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc); x.LastLaunchedTime = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc); });
        Image(8, "eu-west-1", [Outside], x => { x.LaunchPermissions.Add(User(Outside)); x.LaunchPermissions.Add(User(Consumer)); });
        Image(9, "eu-west-1", [], x => { x.Public = true; x.LaunchPermissions.Add(new LaunchPermissionSpec { Group = "all" }); });
        Image(10, "eu-west-1", [], _ => { });

        // Another account's AMI shared with the caller: not the caller's, never in its report.
        Add(w, 11, "us-east-1", x => x.LaunchPermissions.Add(User(Owner)), owner: Outside);
        return expected;
    }

    [Fact]
    public async Task AllRegions_OneRowPerOwnedAmi_RightExternal_CallsPerRegionAsDocumented()
    {
        World world = EmptyDemo();
        var expected = BuildWorld(world);
        await using var t = await StartAsync(world);
        {
            // What Export-Csv writes for a property is its ToString() (the Pester tests run the real Export-Csv).
            var r = t.Run("Get-AmiShareReport -AllRegions | ForEach-Object { $row = $_; $o = [ordered]@{}; foreach ($p in $row.PSObject.Properties) { $o[$p.Name] = if ($null -ne $p.Value) { $p.Value.ToString() } else { '' } }; [pscustomobject]$o }").ThrowIfErrors();
            var rows = r.Output.Select(o => o.Properties).ToList();

            Assert.Equal(expected.Count, rows.Count);
            Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), rows.Select(p => (string)p["ImageId"].Value).OrderBy(k => k, StringComparer.Ordinal));
            foreach (var p in rows)
            {
                var (region, external) = expected[(string)p["ImageId"].Value];
                Assert.Equal(region, (string)p["Region"].Value);
                Assert.Equal(string.Join(", ", external), (string)p["External"].Value);
                Assert.Equal("True", (string)p["ExternalKnown"].Value);
            }

            var byId = rows.ToDictionary(p => (string)p["ImageId"].Value, p => p);
            Assert.Equal("True", byId[Ami(1)]["Public"].Value);
            Assert.Equal("False", byId[Ami(2)]["Public"].Value);
            Assert.Equal("CMK", byId[Ami(2)]["KeyManager"].Value);
            Assert.Equal("aws/ebs", byId[Ami(3)]["KeyManager"].Value);
            Assert.Equal("True", byId[Ami(3)]["Encrypted"].Value);
            Assert.Equal("False", byId[Ami(5)]["Encrypted"].Value);
            Assert.Equal($"{Outside}, {Finance}", byId[Ami(3)]["Accounts"].Value);
            Assert.Equal(OrgArn, byId[Ami(5)]["Organizations"].Value);
            Assert.Equal(EngineeringOu, byId[Ami(6)]["OrganizationalUnits"].Value);
            Assert.Equal("ec2:SharedTag/team=platform", byId[Ami(4)]["SharedTags"].Value);
            // Export-Csv writes the UTC DateTimes in the session culture's format.
            Assert.Equal(new DateTime(2027, 1, 1, 0, 0, 0), DateTime.Parse((string)byId[Ami(7)]["DeprecationTime"].Value, CultureInfo.CurrentCulture));
            Assert.Equal(new DateTime(2026, 11, 1, 0, 0, 0), DateTime.Parse((string)byId[Ami(7)]["LastLaunchedTime"].Value, CultureInfo.CurrentCulture));

            // Calls per region: one DescribeImages (Owner=self; fewer AMIs than a page), one launchPermission read per AMI.
            var log = t.Log.Entries;
            foreach (var g in log.GroupBy(e => (e.Service, e.Action, e.Region)).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
            {
                _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{g.Key.Service} {g.Key.Action} {g.Key.Region}: {g.Count()}"));
            }

            foreach (string region in new[] { "us-east-1", "us-west-2", "eu-west-1" })
            {
                int amis = expected.Values.Count(v => v.Region == region);
                Assert.Equal(1, log.Count(e => e.Action == "DescribeImages" && e.Region == region));
                Assert.Equal(amis, log.Count(e => e.Action == "DescribeImageAttribute" && e.Region == region));
            }

            Assert.Equal(1, t.Log.Count("DescribeRegions"));
            Assert.Equal(2, t.Log.Count("DescribeKey")); // the CMK (two AMIs) and aws/ebs: once per key
            Assert.Empty(log.Where(e => e.Service == "ec2" && e.Action is not ("DescribeImages" or "DescribeImageAttribute" or "DescribeRegions")).Select(e => e.Action));
            Assert.Equal(0, t.Log.MutatingCount);
        }
    }

    [Fact]
    public async Task RegionList_AndImageId_OnlyThoseAmis_ListsAreLists()
    {
        World world = EmptyDemo();
        BuildWorld(world);
        await using var t = await StartAsync(world);

        var r = t.Run("Get-AmiShareReport -Region us-west-2, eu-west-1 -ImageId $args[0], $args[1], $args[2]", Ami(6), Ami(8), Ami(2)).ThrowIfErrors();

        var rows = r.Output.Select(o => o.Properties).OrderBy(p => (string)p["ImageId"].Value, StringComparer.Ordinal).ToList();
        Assert.Equal([Ami(6), Ami(8)], rows.Select(p => (string)p["ImageId"].Value));
        Assert.Equal([Outside, Consumer], (IEnumerable<string>)rows[1]["Accounts"].Value);
        Assert.Equal([Outside], (IEnumerable<string>)rows[1]["External"].Value);
        Assert.Equal(0, t.Log.Entries.Count(e => e.Region == "us-east-1" && e.Service == "ec2"));
        Assert.Equal(0, t.Log.Count("DescribeRegions"));
    }

    [Fact]
    public async Task OrganizationsUnreadable_ExternalIsMarkedUnknown()
    {
        World world = EmptyDemo();
        Add(world, 20, "us-east-1", x => x.LaunchPermissions.Add(User(Outside)), owner: Consumer);
        await using var t = await StartAsync(world);

        var r = t.Run($"Get-AmiShareReport -Region us-east-1 -AccessKey {ConsumerKey} -SecretKey {ConsumerSecret}").ThrowIfErrors();

        var row = r.Output.Single().Properties;
        Assert.Equal(Ami(20), row["ImageId"].Value);
        Assert.Equal(false, row["ExternalKnown"].Value);
        Assert.Equal("unknown", row["External"].Value!.ToString());
        Assert.Single(r.Warnings, w => w.Contains("External is 'unknown'", StringComparison.Ordinal) && w.Contains("management account", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImageIdNotOwnedHere_IsWarnedAbout_NotSilentlyEmpty()
    {
        World world = EmptyDemo();
        BuildWorld(world);
        await using var t = await StartAsync(world);

        var r = t.Run("Get-AmiShareReport -Region us-east-1 -ImageId ami-0123456789abcdef0").ThrowIfErrors();

        Assert.Empty(r.Output);
        Assert.Single(r.Warnings, w => w.Contains("ami-0123456789abcdef0", StringComparison.Ordinal) && w.Contains("us-east-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AllRegions_WithTwoRegions_RefusedBeforeAnyCall()
    {
        await using var t = await StartAsync(EmptyDemo());

        var r = t.Run("Get-AmiShareReport -AllRegions -Region us-east-1, eu-west-1");

        Assert.Contains(r.Errors, e => e.FullyQualifiedErrorId.StartsWith("ShareReportRegions,", StringComparison.Ordinal));
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task RegionsDifferingOnlyInCase_AreOneRegion_AndAnUnknownRegionIsWarnedOnce()
    {
        World world = EmptyDemo();
        BuildWorld(world);
        await using var t = await StartAsync(world);

        var once = t.Run("Get-AmiShareReport -Region us-east-1").ThrowIfErrors();
        var twice = t.Run("Get-AmiShareReport -Region us-east-1, US-EAST-1").ThrowIfErrors();
        Assert.NotEmpty(once.Output);
        Assert.Equal(once.Output.Count, twice.Output.Count);
        Assert.All(twice.Output, o => Assert.Equal("us-east-1", o.Properties["Region"].Value));

        // Times are UTC DateTimes, so `Where-Object LastLaunchedTime -lt (Get-Date).AddDays(-90)` compares times, not text.
        var dated = Assert.Single(t.Run($"Get-AmiShareReport -Region us-west-2 -ImageId {Ami(7)}").ThrowIfErrors().Output);
        Assert.Equal(new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), Assert.IsType<DateTime>(dated.Properties["DeprecationTime"].Value));
        Assert.Equal(DateTimeKind.Utc, Assert.IsType<DateTime>(dated.Properties["LastLaunchedTime"].Value).Kind);
        Assert.Equal(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), (DateTime)dated.Properties["LastLaunchedTime"].Value);

        var unknown = t.Run("Get-AmiShareReport -Region us-east-9");
        Assert.Single(unknown.Warnings, w => w.Contains("us-east-9", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PipedRows_ReportTheirAmisInTheirRegions()
    {
        World world = EmptyDemo();
        BuildWorld(world);
        await using var t = await StartAsync(world);

        var r = t.Run("[pscustomobject]@{ ImageId = $args[0]; Region = 'eu-west-1' }, [pscustomobject]@{ ImageId = $args[1]; Region = 'us-west-2' } | Get-AmiShareReport", Ami(8), Ami(5)).ThrowIfErrors();

        Assert.Equal([Ami(5), Ami(8)], r.Output.Select(o => (string)o.Properties["ImageId"].Value).OrderBy(x => x, StringComparer.Ordinal));
        Assert.Equal(0, t.Log.Entries.Count(e => e.Region == "us-east-1" && e.Service == "ec2"));
        Assert.Equal(1, t.Log.Entries.Count(e => e.Region == "eu-west-1" && e.Action == "DescribeImages"));
    }
}
