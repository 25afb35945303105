using AmiShare.Engine.Gateways;
using AmiShare.Engine.Pacing;
using AmiShare.Engine.Usage;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>ImageUsageReader over a fake usage gateway: calls, polling, aggregation, account limits, timeout, errors, cancellation.</summary>
public sealed class ImageUsageReaderTests
{
    private const string A = "ami-0000000000000000a";
    private const string B = "ami-0000000000000000b";
    private const string C = "ami-0000000000000000c";
    private const string Consumer = "111122223333";
    private const string Third = "999988887777";

    private readonly List<TimeSpan> _delays = new();

    private ImageUsageSettings Settings(Func<DateTime>? clock = null) => new()
    {
        PollInterval = TimeSpan.FromSeconds(7),
        Timeout = TimeSpan.FromMinutes(10),
        UtcNow = clock ?? (() => new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc)),
        Delay = (span, ct) =>
        {
            _delays.Add(span);
            ct.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        },
    };

    [Fact]
    public async Task OneReportPerAmi_OnePollPerRoundForThePendingOnly_ThenEntriesAggregatedPerAccount()
    {
        var ec2 = new FakeUsageGateway("eu-west-1")
            .Use(A, Consumer, instances: 2, launchTemplates: 1)
            .Use(A, Third, instances: 1)
            .Use(B, Third, instances: 0, launchTemplates: 3);
        ec2.PendingPolls[A] = 2;
        ec2.PendingPolls[B] = 1;
        var progress = new List<(int Ready, int Total)>();

        IReadOnlyDictionary<string, ImageUsage> usage = await new ImageUsageReader(ec2, Settings())
            .ReadAsync([B, A, C, A], null!, (r, t) => progress.Add((r, t)), default);

        Assert.Equal(
        [
            $"DescribeImageUsageReports ImageId={B},{A},{C}",
            $"CreateImageUsageReport {B} ec2:Instance,ec2:LaunchTemplate accounts=all",
            $"CreateImageUsageReport {A} ec2:Instance,ec2:LaunchTemplate accounts=all",
            $"CreateImageUsageReport {C} ec2:Instance,ec2:LaunchTemplate accounts=all",
            "DescribeImageUsageReports amiur-00000000000000001,amiur-00000000000000002,amiur-00000000000000003",
            "DescribeImageUsageReports amiur-00000000000000001,amiur-00000000000000002",
            "DescribeImageUsageReports amiur-00000000000000002",
            "DescribeImageUsageReportEntries amiur-00000000000000001,amiur-00000000000000002,amiur-00000000000000003",
        ], ec2.Calls);
        Assert.Equal([(0, 3), (1, 3), (2, 3), (3, 3)], progress);
        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7)], _delays);

        Assert.Equal([A, B, C], usage.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.All(usage.Values, u => Assert.Equal("eu-west-1", u.Region));
        Assert.Equal([$"{Consumer} 2 1", $"{Third} 1 0"], usage[A].Accounts.Select(a => $"{a.AccountId} {a.Instances} {a.LaunchTemplates}"));
        Assert.Equal([$"{Third} 0 3"], usage[B].Accounts.Select(a => $"{a.AccountId} {a.Instances} {a.LaunchTemplates}"));
        Assert.Empty(usage[C].Accounts);
    }

    [Fact]
    public async Task AccountIds_UpTo200GoToEc2_MoreReportOnAllAndKeepOnlyThose()
    {
        var ec2 = new FakeUsageGateway().Use(A, Consumer, 1).Use(A, Third, 4);

        IReadOnlyDictionary<string, ImageUsage> one = await new ImageUsageReader(ec2, Settings()).ReadAsync([A], [Third], null!, default);
        Assert.Equal($"CreateImageUsageReport {A} ec2:Instance,ec2:LaunchTemplate accounts=1", ec2.Calls[1]);
        Assert.Equal([Third], one[A].Accounts.Select(a => a.AccountId));

        ec2.Calls.Clear();
        var many = Enumerable.Range(0, 201).Select(i => (100000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(Consumer).ToList();
        IReadOnlyDictionary<string, ImageUsage> wide = await new ImageUsageReader(ec2, Settings()).ReadAsync([A], many, null!, default);
        Assert.Equal($"CreateImageUsageReport {A} ec2:Instance,ec2:LaunchTemplate accounts=all", ec2.Calls[1]);
        Assert.Equal([Consumer], wide[A].Accounts.Select(a => a.AccountId));
    }

    [Fact]
    public async Task ManyAmis_PollsAndEntriesGo200ReportsPerCall()
    {
        var ec2 = new FakeUsageGateway();
        List<string> images = Enumerable.Range(1, 250).Select(i => $"ami-{i:x17}").ToList();

        IReadOnlyDictionary<string, ImageUsage> usage = await new ImageUsageReader(ec2, Settings()).ReadAsync(images, null!, null!, default);

        Assert.Equal(250, usage.Count);
        Assert.Equal(250, ec2.Calls.Count(c => c.StartsWith("CreateImageUsageReport", StringComparison.Ordinal)));
        Assert.Equal([200, 50], ec2.Calls.Where(c => c.StartsWith("DescribeImageUsageReports amiur-", StringComparison.Ordinal)).Select(c => c.Split(' ')[1].Split(',').Length));
        Assert.Equal([200, 50], ec2.Calls.Where(c => c.StartsWith("DescribeImageUsageReportEntries ", StringComparison.Ordinal)).Select(c => c.Split(' ')[1].Split(',').Length));
    }

    [Fact]
    public async Task StillPendingAfterTheTimeout_TimedOutNamingTheAmisAndTheVariable()
    {
        var ec2 = new FakeUsageGateway();
        ec2.PendingPolls[A] = int.MaxValue;
        var now = new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);
        var reader = new ImageUsageReader(ec2, Settings(() => now));
        ec2.OnPoll = () => now += TimeSpan.FromMinutes(4);

        var e = await Assert.ThrowsAsync<AmiShareException>(() => reader.ReadAsync([A, B], null!, null!, default));

        Assert.Equal(ErrorIds.UsageReportTimedOut, e.ErrorId);
        Assert.Contains($"The image usage report of 1 AMI in region 'us-east-1' was still pending after 720 seconds: {A}.", e.Message);
        Assert.Contains(ImageUsageSettings.TimeoutVariable, e.Remedy);
        Assert.Equal(3, ec2.Calls.Count(c => c.StartsWith("DescribeImageUsageReports amiur-", StringComparison.Ordinal)));
        Assert.DoesNotContain(ec2.Calls, c => c.StartsWith("DescribeImageUsageReportEntries", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoStillPendingAfterTheTimeout_PluralReportsAndAmis()
    {
        var ec2 = new FakeUsageGateway();
        ec2.PendingPolls[A] = int.MaxValue;
        ec2.PendingPolls[B] = int.MaxValue;
        var now = new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);
        ec2.OnPoll = () => now += TimeSpan.FromMinutes(11);

        var e = await Assert.ThrowsAsync<AmiShareException>(() => new ImageUsageReader(ec2, Settings(() => now)).ReadAsync([A, B], null!, null!, default));

        Assert.Contains($"The image usage reports of 2 AMIs in region 'us-east-1' were still pending after 660 seconds: {A}, {B}.", e.Message);
    }

    [Fact]
    public async Task RerunAfterTimeout_ReusesThePendingReports_NoCreate_CompletesOnceAvailable()
    {
        var ec2 = new FakeUsageGateway().Use(A, Consumer, 2);
        ec2.PendingPolls[A] = 3;
        var now = new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);
        ec2.Now = () => now;
        ec2.OnPoll = () => now += TimeSpan.FromMinutes(6);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => new ImageUsageReader(ec2, Settings(() => now)).ReadAsync([A], null!, null!, default));
        Assert.Equal(ErrorIds.UsageReportTimedOut, e.ErrorId);
        Assert.Contains("reuses the pending reports", e.Remedy);
        ec2.Calls.Clear();

        IReadOnlyDictionary<string, ImageUsage> usage = await new ImageUsageReader(ec2, Settings(() => now)).ReadAsync([A], null!, null!, default);

        Assert.Equal(0, ec2.Calls.Count(c => c.StartsWith("CreateImageUsageReport", StringComparison.Ordinal)));
        Assert.Equal($"DescribeImageUsageReports ImageId={A}", ec2.Calls[0]);
        Assert.Contains("DescribeImageUsageReportEntries amiur-00000000000000001", ec2.Calls);
        Assert.Equal([$"{Consumer} 2 0"], usage[A].Accounts.Select(a => $"{a.AccountId} {a.Instances} {a.LaunchTemplates}"));
    }

    [Fact]
    public async Task AvailableRecentReport_Reused_NewestWins_AccountsFilteredToTheOnesAsked()
    {
        var ec2 = new FakeUsageGateway().Use(A, Consumer, 1).Use(A, Third, 4);
        DateTime now = new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);
        ec2.AddReport(A, now - TimeSpan.FromMinutes(50), state: ImageUsageReportStatus.Available);
        string newest = ec2.AddReport(A, now - TimeSpan.FromMinutes(10), accounts: [Consumer, Third], state: ImageUsageReportStatus.Available);
        ec2.AddReport(A, now - TimeSpan.FromMinutes(1), state: ImageUsageReportStatus.Error);

        IReadOnlyDictionary<string, ImageUsage> usage = await new ImageUsageReader(ec2, Settings(() => now)).ReadAsync([A], [Third], null!, default);

        Assert.DoesNotContain(ec2.Calls, c => c.StartsWith("CreateImageUsageReport", StringComparison.Ordinal));
        Assert.Contains($"DescribeImageUsageReportEntries {newest}", ec2.Calls);
        Assert.Equal([Third], usage[A].Accounts.Select(a => a.AccountId));
    }

    [Theory]
    [InlineData("old")]
    [InlineData("narrower accounts")]
    [InlineData("instances only")]
    [InlineData("error")]
    [InlineData("named accounts, all asked")]
    public async Task ReportThatDoesNotCover_NotReused_ANewOneIsCreated(string kind)
    {
        var ec2 = new FakeUsageGateway().Use(A, Consumer, 1);
        DateTime now = new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);
        string available = ImageUsageReportStatus.Available;
        string[] asked = kind == "named accounts, all asked" ? null! : [Consumer, Third];
        _ = kind switch
        {
            "old" => ec2.AddReport(A, now - ImageUsageReader.ReuseWindow - TimeSpan.FromMinutes(1), state: available),
            "narrower accounts" => ec2.AddReport(A, now, accounts: [Consumer], state: available),
            "instances only" => ec2.AddReport(A, now, types: [ImageUsageResourceTypes.Instance], state: available),
            "error" => ec2.AddReport(A, now, state: ImageUsageReportStatus.Error),
            _ => ec2.AddReport(A, now, accounts: [Consumer, Third], state: available),
        };

        await new ImageUsageReader(ec2, Settings(() => now)).ReadAsync([A], asked, null!, default);

        Assert.Single(ec2.Calls, c => c.StartsWith("CreateImageUsageReport", StringComparison.Ordinal));
        Assert.Contains("DescribeImageUsageReportEntries amiur-00000000000000002", ec2.Calls);
    }

    [Fact]
    public async Task ReportInErrorState_FailedWithEc2sReason()
    {
        var ec2 = new FakeUsageGateway();
        ec2.Errors[B] = "Internal error";

        var e = await Assert.ThrowsAsync<AmiShareException>(() => new ImageUsageReader(ec2, Settings()).ReadAsync([A, B], null!, null!, default));

        Assert.Equal(ErrorIds.UsageReportFailed, e.ErrorId);
        Assert.Contains($"usage report amiur-00000000000000002 of AMI {B} in region 'us-east-1': Internal error.", e.Message);
    }

    [Fact]
    public async Task CancelledWhileWaiting_StopsPolling()
    {
        var ec2 = new FakeUsageGateway();
        ec2.PendingPolls[A] = int.MaxValue;
        using var cts = new CancellationTokenSource();
        ec2.OnPoll = () =>
        {
            if (ec2.Calls.Count(c => c.StartsWith("DescribeImageUsageReports amiur-", StringComparison.Ordinal)) == 2) cts.Cancel();
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ImageUsageReader(ec2, Settings()).ReadAsync([A], null!, null!, cts.Token));

        Assert.Equal(2, ec2.Calls.Count(c => c.StartsWith("DescribeImageUsageReports amiur-", StringComparison.Ordinal)));
    }

    [Fact]
    public void Settings_FromEnvironment_ReadsBothVariables_AndRefusesBadValuesNamingThem()
    {
        var env = new FakeEnvironment("/nonexistent").Set(ImageUsageSettings.PollVariable, "0.25").Set(ImageUsageSettings.TimeoutVariable, "60");
        ImageUsageSettings s = ImageUsageSettings.FromEnvironment(env);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), s.Timeout);

        ImageUsageSettings defaults = ImageUsageSettings.FromEnvironment(new FakeEnvironment("/nonexistent"));
        Assert.Equal(TimeSpan.FromSeconds(5), defaults.PollInterval);
        Assert.Equal(TimeSpan.FromMinutes(15), defaults.Timeout);

        env.Set(ImageUsageSettings.PollVariable, "soon");
        var e = Assert.Throws<AmiShareException>(() => ImageUsageSettings.FromEnvironment(env));
        Assert.Equal(ErrorIds.InvalidRetrySetting, e.ErrorId);
        Assert.Contains("AMISHARE_USAGE_POLL_SECONDS is 'soon'", e.Message);
    }

    [Fact]
    public void Pacing_CreateIsAMutatingCall_ThePollsAreDescribes()
    {
        Assert.Equal(RateShapes.Ec2MutatingDefault, RateShapes.For("EC2", "CreateImageUsageReport"));
        Assert.Equal(RateShapes.Ec2NonMutating, RateShapes.For("EC2", "DescribeImageUsageReports"));
        Assert.Equal(RateShapes.Ec2NonMutating, RateShapes.For("EC2", "DescribeImageUsageReportEntries"));
    }
}
