using System.Globalization;
using System.Text.Json.Nodes;
using AmiShare.Emulator;
using AmiShare.Sandbox;
using AmiShare.TestSupport;
using Xunit;
using Xunit.Abstractions;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// Issue 10's acceptance for Get-AmiShareReport: 3 regions, 40 owned AMIs of every kind (public, in-org, an outside account,
/// org and OU shares, CMK and aws/ebs), exported with the real Export-Csv and read back with Import-Csv: one row per AMI with
/// the right External accounts and KeyManager; the calls per region counted from the emulator's log; the regions read at
/// once (a gate that opens only when every region's first call is in flight); and -IncludeUsage over instances and launch
/// templates in the world, waiting for reports that stay pending.
/// </summary>
public sealed class ShareReportAcceptanceTests
{
    private const string Outside = "999988887777";
    private const string Finance = "555566667777";
    private const string Platform = "444455556666";
    private const int AmiCount = 40;
    private const int DescribeImagesPageSize = 1000; // the engine's MaxResults for DescribeImages Owner=self

    private static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1"];

    private readonly ITestOutputHelper _output;

    public ShareReportAcceptanceTests(ITestOutputHelper output) => _output = output;

    private static string Ami(int i) => $"ami-0bb{i:x14}";

    private static string CmkIn(string region) => $"arn:aws:kms:{region}:{Owner}:key/{KeyId(region, 'c')}";

    private static string AwsEbsIn(string region) => $"arn:aws:kms:{region}:{Owner}:key/{KeyId(region, 'e')}";

    private static string KeyId(string region, char kind) => $"{kind}{Array.IndexOf(Regions, region)}000000-0000-4000-8000-000000000000";

    private sealed record Expected(string Region, string[] External, string KeyManager, string? Key);

    /// <summary>The demo world (organization, accounts, regions) without its AMIs, with a CMK and an aws/ebs key per region.</summary>
    private static (World World, Dictionary<string, Expected> Expected) BuildWorld(Action<JsonObject>? extra = null)
    {
        JsonObject doc = JsonNode.Parse(World.DemoJson())!.AsObject();
        var keys = new JsonArray();
        foreach (string region in Regions)
        {
            keys.Add(new JsonObject { ["keyId"] = KeyId(region, 'c'), ["account"] = Owner, ["region"] = region, ["keyManager"] = "CUSTOMER", ["description"] = "report CMK" });
            keys.Add(new JsonObject { ["keyId"] = KeyId(region, 'e'), ["account"] = Owner, ["region"] = region, ["keyManager"] = "AWS", ["description"] = "aws/ebs", ["aliases"] = new JsonArray("alias/aws/ebs") });
        }

        doc["keys"] = keys;
        var images = new JsonArray();
        var snapshots = new JsonArray();
        var expected = new Dictionary<string, Expected>(StringComparer.Ordinal);
        JsonObject User(string id) => new() { ["userId"] = id };
        for (int i = 1; i <= AmiCount; i++)
        {
            string region = Regions[i % 3];
            var permissions = new JsonArray();
            var image = new JsonObject { ["imageId"] = Ami(i), ["region"] = region, ["owner"] = Owner, ["name"] = $"audit-{i}", ["launchPermissions"] = permissions };
            string[] external = [];
            string? key = null;
            switch (i % 8)
            {
                case 0: image["public"] = true; permissions.Add(new JsonObject { ["group"] = "all" }); break;
                case 1: permissions.Add(User(Consumer)); permissions.Add(User(Platform)); break;
                case 2: permissions.Add(User(Outside)); permissions.Add(User(Finance)); external = [Outside]; break;
                case 3: permissions.Add(new JsonObject { ["organizationArn"] = OrgArn }); break;
                case 4: permissions.Add(new JsonObject { ["organizationalUnitArn"] = EngineeringOu }); permissions.Add(User(Outside)); external = [Outside]; break;
                case 5: permissions.Add(User(Consumer)); key = CmkIn(region); break;
                case 6: permissions.Add(User(Outside)); key = AwsEbsIn(region); external = [Outside]; break;
                default: key = CmkIn(region); break;
            }

            if (key != null)
            {
                string snap = $"snap-0bb{i:x14}";
                snapshots.Add(new JsonObject { ["snapshotId"] = snap, ["region"] = region, ["owner"] = Owner, ["encrypted"] = true, ["kmsKeyId"] = key });
                image["blockDeviceMappings"] = new JsonArray(new JsonObject { ["snapshotId"] = snap });
            }

            images.Add(image);
            expected[Ami(i)] = new Expected(region, external, key == null ? "" : key.Contains("/e", StringComparison.Ordinal) ? "aws/ebs" : "CMK", key);
        }

        // Another account's AMI shared with the caller: not the caller's, never in its report.
        images.Add(new JsonObject { ["imageId"] = "ami-0bbffffffffffffff", ["region"] = "us-east-1", ["owner"] = Outside, ["name"] = "theirs", ["launchPermissions"] = new JsonArray(User(Owner)) });
        doc["images"] = images;
        doc["snapshots"] = snapshots;
        extra?.Invoke(doc);
        return (World.FromJson(doc.ToJsonString()), expected);
    }

    [Fact]
    public async Task AllRegions_ExportCsvImportCsv_OneRowPerAmi_RightExternalAndKey_CallsPerRegionCounted_RegionsAtOnce()
    {
        var (world, expected) = BuildWorld();
        await using var t = await StartAsync(world);

        // The gate: after DescribeRegions, every request waits until one request of each region is waiting. Read one region
        // after the other, the first region's DescribeImages would wait alone: the gate would never open (and the guard fails the test).
        var gate = new RegionGate(t.Emulator, Regions.Length);
        string csv = Path.Combine(Path.GetTempPath(), $"amishare-report-{Guid.NewGuid():N}.csv");
        try
        {
            // The real Export-Csv and Import-Csv (pwsh 7, the module as users import it); the rows come back as JSON.
            string script = $$"""
                $ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'
                Import-Module '{{RepoPaths.ModuleManifest}}'
                Get-AmiShareReport -AllRegions -Region us-east-1 -EndpointUrl '{{t.Emulator.Endpoint}}' -AccessKey {{OwnerKey}} -SecretKey {{OwnerSecret}} |
                    Export-Csv -LiteralPath '{{csv}}' -NoTypeInformation
                '##ROWS## ' + (ConvertTo-Json -Compress -InputObject @(Import-Csv -LiteralPath '{{csv}}'))
                """;
            var psi = RealPwsh.StartInfo("-Command", script);
            psi.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            psi.Environment["AMISHARE_RATE_LIMITS"] = "off";
            PwshResult run = await RealPwsh.RunAsync(psi, TimeSpan.FromMinutes(5));
            string? line = run.StdOut.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("##ROWS## ", StringComparison.Ordinal));
            Assert.True(run.ExitCode == 0 && line != null, $"pwsh failed:\n{run}");
            Assert.True(gate.Opened, "the regions were not read at once: the gate never saw one request of every region waiting together");
            Assert.DoesNotContain("System.", File.ReadAllText(csv), StringComparison.Ordinal);

            var rows = JsonNode.Parse(line!["##ROWS## ".Length..])!.AsArray()
                .Select(n => n!.AsObject().ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? ""))
                .ToList();
            Assert.Equal(AmiCount, rows.Count);
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), rows.Select(p => p["ImageId"]).Order(StringComparer.Ordinal));
            foreach (var p in rows)
            {
                string id = p["ImageId"];
                Expected e = expected[id];
                Assert.Equal(e.Region, p["Region"]);
                Assert.True(string.Join(", ", e.External) == p["External"], $"{id}: External '{p["External"]}', expected '{string.Join(", ", e.External)}'");
                Assert.Equal("True", p["ExternalKnown"]);
                Assert.True(e.KeyManager == p["KeyManager"], $"{id}: KeyManager '{p["KeyManager"]}', expected '{e.KeyManager}'");
                Assert.Equal(e.Key != null ? "True" : "False", p["Encrypted"]);
            }

            Assert.Equal(expected.Keys.Where(k => Convert.ToInt32(k[^2..], 16) % 8 == 0).Order(StringComparer.Ordinal), rows.Where(p => p["Public"] == "True").Select(p => p["ImageId"]).Order(StringComparer.Ordinal));
            Assert.DoesNotContain(rows, p => p["UsedBy"] != "" || p["Usage"] != ""); // no -IncludeUsage: no usage read, empty cells

            // Calls per region: DescribeImages pages (AMIs/page, rounded up) + one DescribeImageAttribute per AMI + DescribeKey once per key.
            var log = t.Log.Entries;
            foreach (var g in log.GroupBy(e => (e.Service, e.Action, e.Region)).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
            {
                _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{g.Key.Service} {g.Key.Action} {g.Key.Region}: {g.Count()}"));
            }

            foreach (string region in Regions)
            {
                List<Expected> here = expected.Values.Where(v => v.Region == region).ToList();
                int pages = (here.Count + DescribeImagesPageSize - 1) / DescribeImagesPageSize;
                Assert.Equal(pages, log.Count(e => e.Service == "ec2" && e.Action == "DescribeImages" && e.Region == region));
                Assert.Equal(here.Count, log.Count(e => e.Action == "DescribeImageAttribute" && e.Region == region));
                Assert.Equal(here.Where(v => v.Key != null).Select(v => v.Key).Distinct().Count(), log.Count(e => e.Action == "DescribeKey" && e.Region == region));
            }

            Assert.Equal(1, t.Log.Count("DescribeRegions"));
            Assert.Empty(log.Where(e => e.Service is "ec2" or "kms" && e.Action is not ("DescribeImages" or "DescribeImageAttribute" or "DescribeRegions" or "DescribeKey")).Select(e => e.Action));
            Assert.Equal(0, t.Log.MutatingCount);

            // Organizations: each shared account placed once for the whole run, however many AMIs and regions share it.
            int sharedAccounts = new[] { Consumer, Platform, Outside, Finance }.Length;
            Assert.InRange(log.Count(e => e.Service == "organizations"), 1, 3 * sharedAccounts);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public async Task IncludeUsage_WaitsForThePendingReports_ThenRowsNameWhoStillUsesEachAmi()
    {
        // Instances and launch templates in other accounts: AMI 1 (Consumer, Platform: in-org) used by both; AMI 2 (Outside) by Outside;
        // AMI 5 (Consumer, CMK) by a stopped instance; AMI 17 (Consumer, Platform) only by the owner itself (not reported).
        var (world, _) = BuildWorld(doc =>
        {
            JsonObject Instance(string account, int ami, string state = "running") =>
                new() { ["account"] = account, ["region"] = Regions[ami % 3], ["imageId"] = Ami(ami), ["state"] = state };
            JsonObject Template(string account, int ami, string name) =>
                new() { ["account"] = account, ["region"] = Regions[ami % 3], ["imageId"] = Ami(ami), ["name"] = name };
            doc["instances"] = new JsonArray(
                Instance(Consumer, 1), Instance(Consumer, 1), Instance(Consumer, 1, "terminated"), Instance(Outside, 2),
                Instance(Consumer, 5, "stopped"), Instance(Owner, 17));
            doc["launchTemplates"] = new JsonArray(Template(Platform, 1, "platform-lt"), Template(Outside, 2, "outside-lt"), Template(Outside, 2, "outside-lt-2"));
        });
        await using var t = await StartAsync(world);
        var clock = new TestClock(DateTimeOffset.UtcNow);
        t.Emulator.Options.Clock = clock;
        t.Emulator.Options.ImageUsageReportPendingTime = TimeSpan.FromHours(1);

        // The reports stay pending until three polls have been answered; then an hour and more goes by at once.
        int polls = 0;
        t.Log.EntryAdded += e =>
        {
            if (e.Action == "DescribeImageUsageReports" && e.Parameters.ContainsKey("ReportId.1") && Interlocked.Increment(ref polls) == 3)
            {
                clock.Advance(TimeSpan.FromHours(2));
            }
        };
        t.Run("$env:AMISHARE_USAGE_POLL_SECONDS = '0.05'").ThrowIfErrors();
        try
        {
            var r = t.Run("Get-AmiShareReport -Region us-east-1, us-west-2, eu-west-1 -IncludeUsage").ThrowIfErrors();

            var rows = r.Output.ToDictionary(o => (string)o.Properties["ImageId"].Value, o => o);
            Assert.Equal(AmiCount, rows.Count);
            Assert.Equal("AmiShare.AmiShareReportRow#Usage", rows[Ami(1)].TypeNames[0]);
            string Usage(int i) => rows[Ami(i)].Properties["Usage"].Value.ToString()!;
            Assert.Equal($"{Consumer} (2 instances); {Platform} (1 launch template)", Usage(1));
            Assert.Equal($"{Outside} (1 instance, 2 launch templates)", Usage(2));
            Assert.Equal($"{Consumer} (1 instance)", Usage(5));
            Assert.Equal("", Usage(17));
            Assert.Equal([Consumer, Platform], (IEnumerable<string>)rows[Ami(1)].Properties["UsedBy"].Value);
            Assert.Empty((IEnumerable<string>)rows[Ami(17)].Properties["UsedBy"].Value);
            Assert.Equal(37, rows.Values.Count(o => ((IEnumerable<string>)o.Properties["UsedBy"].Value).Any() == false));

            // One report per AMI in its region, a poll per round for all of a region's pending reports, one entries read per region.
            var log = t.Log.Entries;
            foreach (string region in Regions)
            {
                int amis = rows.Values.Count(o => (string)o.Properties["Region"].Value == region);
                Assert.Equal(amis, log.Count(e => e.Action == "CreateImageUsageReport" && e.Region == region));
                Assert.Equal(1, log.Count(e => e.Action == "DescribeImageUsageReportEntries" && e.Region == region));
                Assert.InRange(log.Count(e => e.Action == "DescribeImageUsageReports" && e.Region == region), 1, int.MaxValue);
            }

            Assert.InRange(polls, 4, int.MaxValue);
            // Before creating, one look-up per region for reports to reuse (ImageId.N); none here, so every AMI got a new one.
            foreach (string region in Regions)
            {
                Assert.Single(log, e => e.Action == "DescribeImageUsageReports" && e.Region == region && e.Parameters.ContainsKey("ImageId.1"));
            }
        }
        finally
        {
            t.Run("Remove-Item Env:AMISHARE_USAGE_POLL_SECONDS -ErrorAction SilentlyContinue");
        }
    }

    [Fact]
    public async Task IncludeUsage_ReportsStillPendingAtTheTimeout_RowsWithoutUsage_ErrorNamesTheAmis_RerunReusesTheReport()
    {
        var (world, _) = BuildWorld();
        await using var t = await StartAsync(world);
        var clock = new TestClock(DateTimeOffset.UtcNow);
        t.Emulator.Options.Clock = clock;
        t.Emulator.Options.ImageUsageReportPendingTime = TimeSpan.FromMinutes(30);
        t.Run("$env:AMISHARE_USAGE_POLL_SECONDS = '0.05'; $env:AMISHARE_USAGE_TIMEOUT_SECONDS = '1'").ThrowIfErrors();
        try
        {
            var r = t.Run("Get-AmiShareReport -Region eu-west-1 -ImageId $args[0] -IncludeUsage", Ami(2));

            var row = Assert.Single(r.Output);
            Assert.Equal(Ami(2), row.Properties["ImageId"].Value);
            Assert.Null(row.Properties["Usage"].Value);
            ErrorRecordAssert(r, "UsageReportTimedOut", Ami(2), "AMISHARE_USAGE_TIMEOUT_SECONDS", "The usage of 1 AMI in region 'eu-west-1' could not be read", "reuses the pending reports");
            Assert.Equal(1, t.Log.Count("CreateImageUsageReport"));

            // "Run the command again later": the report is still there, pending, and becomes available; the rerun creates none.
            clock.Advance(TimeSpan.FromMinutes(40));
            t.Log.Clear();
            var again = t.Run("Get-AmiShareReport -Region eu-west-1 -ImageId $args[0] -IncludeUsage", Ami(2)).ThrowIfErrors();

            Assert.Equal(0, t.Log.Count("CreateImageUsageReport"));
            Assert.Equal("", Assert.Single(again.Output).Properties["Usage"].Value.ToString());
            Assert.Equal(1, t.Log.Count("DescribeImageUsageReportEntries"));
        }
        finally
        {
            t.Run("Remove-Item Env:AMISHARE_USAGE_POLL_SECONDS, Env:AMISHARE_USAGE_TIMEOUT_SECONDS -ErrorAction SilentlyContinue");
        }
    }

    private static void ErrorRecordAssert(AmiShare.Sandbox.PsResult r, string errorId, params string[] mentions)
    {
        var e = Assert.Single(r.AllErrors);
        Assert.StartsWith(errorId + ",", e.FullyQualifiedErrorId, StringComparison.Ordinal);
        foreach (string m in mentions)
        {
            Assert.Contains(m, e.ToString() + " " + e.ErrorDetails?.RecommendedAction, StringComparison.Ordinal);
        }
    }

    /// <summary>A clock the test moves (the emulator's report states follow it).</summary>
    private sealed class TestClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks = start.UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public void Advance(TimeSpan span) => Interlocked.Add(ref _ticks, span.Ticks);
    }

    /// <summary>
    /// Holds every request after the first (DescribeRegions) until <c>regions</c> requests wait at once (the emulator's latency
    /// hook). Each region's reads go one after the other, so that many requests waiting together means that many regions read at
    /// once. A guard opens it after a minute so a failing run ends; <see cref="Opened"/> then stays false.
    /// </summary>
    private sealed class RegionGate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waiting;
        private int _seen;

        public RegionGate(EmulatorHost host, int regions)
        {
            host.Options.Latency = TimeSpan.FromTicks(1);
            host.Options.Delay = async _ =>
            {
                if (Interlocked.Increment(ref _seen) == 1 || _open.Task.IsCompleted)
                {
                    return; // DescribeRegions, alone by design; and everything once the gate is open.
                }

                if (Interlocked.Increment(ref _waiting) >= regions)
                {
                    Opened = true;
                    _open.TrySetResult();
                }

                Task guard = Task.Delay(TimeSpan.FromMinutes(1));
                if (await Task.WhenAny(_open.Task, guard) == guard)
                {
                    _open.TrySetResult();
                }
            };
        }

        public bool Opened { get; private set; }
    }
}
