using System.Text.Json.Nodes;
using Amazon.Runtime;
using AmiShare.Emulator;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Facts;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using AmiShare.Engine.Usage;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>The real EC2 gateway's usage report calls and the reader against the in-process emulator (reports that stay pending a while).</summary>
public sealed class ImageUsageEmulatorTests : IAsyncLifetime
{
    private const string Web = "ami-0a1b2c3d4e5f60001";
    private const string Cmk = "ami-0a1b2c3d4e5f60002";
    private const string Build = "ami-0a1b2c3d4e5f60005";
    private const string Consumer = "111122223333";
    private const string Platform = "444455556666";
    private const string Third = "999988887777";

    private readonly ListReporter _reporter = new();
    private readonly SteppedClock _clock = new(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
    private EmulatorHost _host = null!;

    public async Task InitializeAsync()
    {
        var doc = JsonNode.Parse(World.DemoJson())!.AsObject();
        JsonObject Instance(string account, string image, string state = "running") =>
            new() { ["account"] = account, ["region"] = "us-east-1", ["imageId"] = image, ["state"] = state };
        doc["instances"] = new JsonArray(
            Instance(Consumer, Web), Instance(Consumer, Web, "stopped"), Instance(Consumer, Web, "terminated"),
            Instance(Third, Web), Instance("123456789012", Web), Instance(Third, Cmk));
        doc["launchTemplates"] = new JsonArray(
            new JsonObject { ["account"] = Consumer, ["region"] = "us-east-1", ["imageId"] = Web, ["name"] = "web-lt" },
            new JsonObject { ["account"] = Platform, ["region"] = "us-east-1", ["imageId"] = Web, ["name"] = "platform-lt" });
        _host = await EmulatorHost.StartAsync(World.FromJson(doc.ToJsonString()), new EmulatorOptions
        {
            Clock = _clock,
            ImageUsageReportPendingTime = TimeSpan.FromSeconds(10),
        });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private AwsSession Session(string region = "us-east-1") =>
        new(new BasicAWSCredentials("AKIAAMISHAREOWNER001", "owner-secret"), "the supplied key parameters", region, "region parameter", _host.Endpoint);

    private ImageUsageSettings Settings() => new()
    {
        PollInterval = TimeSpan.FromSeconds(4),
        UtcNow = () => _clock.GetUtcNow().UtcDateTime,
        Delay = (span, ct) =>
        {
            _clock.Advance(span);
            return Task.CompletedTask;
        },
    };

    [Fact]
    public async Task ReadAsync_WaitsForThePendingReports_ThenCountsEachAccountsInstancesAndLaunchTemplates()
    {
        using var ec2 = new Ec2Gateway(Session(), _reporter);
        await ec2.ModifyLaunchPermissionsAsync(Web, [Principal.FromWire(PrincipalType.Account, Consumer), Principal.FromWire(PrincipalType.Account, Third)], [], default);
        await ec2.ModifyLaunchPermissionsAsync(Cmk, [Principal.FromWire(PrincipalType.Account, Third)], [], default);
        _host.Log.Clear();
        var progress = new List<(int Ready, int Total)>();

        IReadOnlyDictionary<string, ImageUsage> usage = await new ImageUsageReader(ec2, Settings()).ReadAsync([Web, Cmk, Build], null!, (r, t) => progress.Add((r, t)), default);

        // One ImageId.N look-up (no report to reuse yet); pending for 10 s, polled every 4 s: at 0, 4 and 8 s still pending, available at 12 s.
        Assert.Equal(3, _host.Log.Count("CreateImageUsageReport"));
        Assert.Equal(5, _host.Log.Count("DescribeImageUsageReports"));
        Assert.Equal(1, _host.Log.Count("DescribeImageUsageReportEntries"));
        Assert.Equal([(0, 3), (0, 3), (0, 3), (0, 3), (3, 3)], progress);
        Assert.All(_host.Log.Entries.Where(e => e.Action == "CreateImageUsageReport"), e =>
        {
            Assert.Equal("ec2:Instance", e.Parameters["ResourceType.1.ResourceType"]);
            Assert.Equal("ec2:LaunchTemplate", e.Parameters["ResourceType.2.ResourceType"]);
            Assert.False(e.Parameters.ContainsKey("AccountId.1"));
            Assert.False(string.IsNullOrEmpty(e.Parameters["ClientToken"]));
        });

        // The consumer's terminated instance, the owner's own instance and the platform's template (the AMI is not shared with it) do not count.
        Assert.Equal([$"{Consumer} 2 1", $"{Third} 1 0"], usage[Web].Accounts.Select(a => $"{a.AccountId} {a.Instances} {a.LaunchTemplates}"));
        Assert.Equal([$"{Third} 1 0"], usage[Cmk].Accounts.Select(a => $"{a.AccountId} {a.Instances} {a.LaunchTemplates}"));
        Assert.Empty(usage[Build].Accounts);
        Assert.Contains(_reporter.VerboseLines, l => l.StartsWith("Invoking EC2 CreateImageUsageReport for " + Web, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServiceOverRunFacts_PassesThrough_AndAccountIdsLimitTheReport()
    {
        using var ec2 = new Ec2Gateway(Session(), _reporter);
        await ec2.ModifyLaunchPermissionsAsync(Web, [Principal.FromWire(PrincipalType.Account, Consumer), Principal.FromWire(PrincipalType.Account, Third)], [], default);
        using var service = new AmiShareService(new RunEc2Facts(new Ec2Gateway(Session(), _reporter)), null, null, _reporter);
        Assert.True(service.CanReadUsage);

        IReadOnlyDictionary<string, ImageUsage> usage = await service.GetImageUsageAsync([Web], [Third], Settings(), null!, default);

        Assert.Equal([Third], usage[Web].Accounts.Select(a => a.AccountId));
        Assert.Equal(Third, _host.Log.Entries.Single(e => e.Action == "CreateImageUsageReport").Parameters["AccountId.1"]);
        Assert.False(new AmiShareService(new FakeEc2Gateway(), null, null, _reporter).CanReadUsage);
    }

    [Fact]
    public async Task ShareReports_WithUsage_RowsCarryTheirUsage_ProgressSumsTheRegions()
    {
        using var ec2 = new Ec2Gateway(Session(), _reporter);
        await ec2.ModifyLaunchPermissionsAsync(Web, [Principal.FromWire(PrincipalType.Account, Consumer)], [], default);
        var services = new[] { "us-east-1", "eu-west-1" }
            .Select(r => new AmiShareService(new RunEc2Facts(new Ec2Gateway(Session(r), _reporter)), null, null, _reporter))
            .ToList();
        var usageProgress = new List<(int Ready, int Total)>();
        try
        {
            IReadOnlyList<Reports.RegionShareReport> reports = await AmiShareService.GetShareReportsAsync(
                services, null!, Settings(), null!, (r, t) => { lock (usageProgress) usageProgress.Add((r, t)); }, default);

            Assert.All(reports, r => Assert.Null(r.Error));
            var rows = reports.SelectMany(r => r.Rows).ToDictionary(r => r.ImageId);
            Assert.Equal(6, rows.Count); // the demo owner's AMIs: five in us-east-1, one in eu-west-1
            Assert.Equal([$"{Consumer} 2 1"], rows[Web].Usage.Select(a => $"{a.AccountId} {a.Instances} {a.LaunchTemplates}"));
            Assert.All(rows.Values.Where(r => r.ImageId != Web), r => Assert.Empty(r.Usage));
            Assert.Equal((6, 6), usageProgress[^1]);
            Assert.Equal(1, _host.Log.Entries.Count(e => e.Action == "CreateImageUsageReport" && e.Region == "eu-west-1"));

            IReadOnlyList<Reports.RegionShareReport> plain = await AmiShareService.GetShareReportsAsync(services, null!, null!, default);
            Assert.All(plain.SelectMany(r => r.Rows), r => Assert.Null(r.Usage));
            Assert.Equal(6, _host.Log.Count("CreateImageUsageReport"));
        }
        finally
        {
            services.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task UnknownAmi_MapsEc2sError()
    {
        using var ec2 = new Ec2Gateway(Session(), _reporter);

        var e = await Assert.ThrowsAsync<AmiShareException>(() => ec2.CreateImageUsageReportAsync("ami-00000000000000bad", ImageUsageResourceTypes.All, null, default));

        Assert.Contains("ami-00000000000000bad", e.Message);
    }

    /// <summary>A clock the test moves (the reader's waits advance it).</summary>
    private sealed class SteppedClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan span) => _now += span;
    }
}
