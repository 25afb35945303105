using AmiShare.Engine.Jobs;
using AmiShare.Engine.Organizations;
using AmiShare.Engine.Planning;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Usage;
using Xunit;
using Fake = AmiShare.Engine.Tests.FakeOrganizationsGateway;

namespace AmiShare.Engine.Tests;

/// <summary>
/// -CheckUsage's reads over fake usage and Organizations gateways: which report is asked for, who loses access (the organization
/// evaluation before and after the plan), the refusal or -Force warning, progress and Ctrl+C.
/// </summary>
public sealed class UsageCheckTests
{
    private const string Ami = "ami-0a1b2c3d4e5f60001";
    private const string Consumer = "111122223333";
    private const string PlatformMember = "444455556666";
    private const string FinanceMember = "555566667777";

    private static readonly Principal Org = PrincipalParser.Parse(Fake.OrgArn);
    private static readonly Principal EngineeringOu = PrincipalParser.Parse(Fake.OuArn(Fake.Engineering));

    private readonly FakeUsageGateway _usage = new();
    private readonly Fake _orgs = new();
    private readonly ProgressReporter _reporter = new();

    private sealed class ProgressReporter : IShareReporter, IShareProgress
    {
        public List<string> VerboseLines { get; } = new();

        public List<string> Bars { get; } = new();

        public void Verbose(string message) => VerboseLines.Add(message);

        public void Debug(string message)
        {
        }

        public void Warning(string message) => throw new InvalidOperationException("the usage check puts its warnings in the plan: " + message);

        public void Progress(string key, string activity, string status, bool completed) => Bars.Add($"{key}|{activity}|{status}|{completed}");
    }

    private static ImageUsageSettings Settings() => new() { PollInterval = TimeSpan.FromSeconds(1), Delay = (_, ct) => Task.Delay(0, ct) };

    private UsageCheck Check() => new(
        (images, accounts, progress, ct) => new ImageUsageReader(_usage, Settings()).ReadAsync(images, accounts, progress, ct),
        new OrganizationDirectory(_orgs),
        _reporter);

    private static Principal Account(string id) => PrincipalParser.ParseAccount(id);

    private static SharePlan Revoke(IReadOnlyList<Principal> current, IReadOnlyList<Principal> remove, bool force = false) => new()
    {
        ImageId = Ami,
        Region = "us-east-1",
        Operation = ShareOperation.Revoke,
        Current = current,
        ToRemove = remove,
        Options = new ShareOptions { CheckUsage = true, RemoveInUse = force },
    };

    [Fact]
    public async Task RemovedAccountUsesIt_Refused_ReportAskedForThatAccountOnly_NoOrganizationsRead()
    {
        _usage.Use(Ami, Consumer, instances: 1);

        var e = await Assert.ThrowsAsync<AmiShareException>(() => Check().CheckAsync(Revoke(new[] { Account(Consumer) }, new[] { Account(Consumer) }), default));

        Assert.Equal(ErrorIds.AmiInUse, e.ErrorId);
        Assert.Contains($"{Consumer} has 1 instance and 0 launch templates using {Ami}", e.Message);
        Assert.Equal($"CreateImageUsageReport {Ami} ec2:Instance,ec2:LaunchTemplate accounts=1", _usage.Calls[1]);
        Assert.Empty(_orgs.Calls);
    }

    [Fact]
    public async Task Force_NoRefusal_TheUsageIsAWarningOfThePlan()
    {
        _usage.Use(Ami, Consumer, instances: 0, launchTemplates: 2);
        SharePlan plan = Revoke(new[] { Account(Consumer) }, new[] { Account(Consumer) }, force: true);

        await Check().CheckAsync(plan, default);

        Assert.Contains(plan.Warnings, w => w.Contains($"{Consumer} has 0 instances and 2 launch templates using {Ami}"));
    }

    [Fact]
    public async Task OrganizationRemoved_EveryAccountAsked_MembersLose_TheOneWithItsOwnPermissionKeeps()
    {
        _usage.Use(Ami, FinanceMember, instances: 3).Use(Ami, Consumer, instances: 1);

        var e = await Assert.ThrowsAsync<AmiShareException>(() => Check().CheckAsync(Revoke(new[] { Org, Account(Consumer) }, new[] { Org }), default));

        Assert.Contains($"{FinanceMember} has 3 instances", e.Message);
        Assert.DoesNotContain(Consumer, e.Message);
        Assert.EndsWith("accounts=all", _usage.Calls[1]);
        Assert.Contains(_reporter.VerboseLines, v => v.Contains($"{Consumer} has 1 instance and 0 launch templates using {Ami}, and keeps launch access through its own launch permission"));
    }

    [Fact]
    public async Task AccountRemoved_ButInAnOuThatStays_NotRefused_NoReport()
    {
        _usage.Use(Ami, PlatformMember, instances: 1);

        await Check().CheckAsync(Revoke(new[] { Account(PlatformMember), EngineeringOu }, new[] { Account(PlatformMember) }), default);

        Assert.Contains(_reporter.VerboseLines, v => v.Contains($"{PlatformMember} keeps launch access through OU ou-ab12-11111111"));
        Assert.Empty(_usage.Calls); // it loses nothing, so its usage is not asked about
    }

    [Fact]
    public async Task MembershipOfWhatStaysCannotBeRead_RefusedAsMayKeepAccess()
    {
        _usage.Use(Ami, PlatformMember, instances: 1);
        _orgs.FailAll = Fake.AccessDenied();

        var e = await Assert.ThrowsAsync<AmiShareException>(() => Check().CheckAsync(Revoke(new[] { Account(PlatformMember), Org }, new[] { Account(PlatformMember) }), default));

        Assert.Contains($"{PlatformMember} has 1 instance and 0 launch templates using {Ami} (it may keep access: whether it is in o-abc1234567, which stays, could not be checked", e.Message);
    }

    [Fact]
    public async Task Reset_EveryoneWithUsageThatHadAccessLoses()
    {
        _usage.Use(Ami, PlatformMember, instances: 1);
        var plan = new SharePlan
        {
            ImageId = Ami, Region = "us-east-1", Operation = ShareOperation.Reset, Current = new[] { EngineeringOu },
            Options = new ShareOptions { CheckUsage = true },
        };

        var e = await Assert.ThrowsAsync<AmiShareException>(() => Check().CheckAsync(plan, default));

        Assert.Contains($"{PlatformMember} has 1 instance", e.Message);
    }

    [Fact]
    public async Task NothingRemoved_NoReport()
    {
        await Check().CheckAsync(Revoke(new[] { Account(Consumer) }, Array.Empty<Principal>()), default);

        Assert.Empty(_usage.Calls);
    }

    [Fact]
    public async Task Waiting_ShowsABarUnderTheCommands_EndedWhenDone()
    {
        _usage.PendingPolls[Ami] = 2;

        await Check().CheckAsync(Revoke(new[] { Account(Consumer) }, new[] { Account(Consumer) }), default);

        string bar = $"usage:{Ami}|Checking who still uses {Ami} (us-east-1)|";
        Assert.Equal(bar + "creating the image usage report|False", _reporter.Bars[0]);
        Assert.Contains(bar + "waiting for the image usage report (pending)|False", _reporter.Bars);
        Assert.Contains(bar + "image usage report ready|False", _reporter.Bars);
        Assert.Equal(bar + "done|True", _reporter.Bars[^1]);
    }

    [Fact]
    public async Task Cancelled_WhileWaiting_StopsWithNothingDecided_AndTheBarEnds()
    {
        _usage.PendingPolls[Ami] = 1000;
        using var cts = new CancellationTokenSource();
        _usage.OnPoll = () => cts.Cancel();
        SharePlan plan = Revoke(new[] { Account(Consumer) }, new[] { Account(Consumer) });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Check().CheckAsync(plan, cts.Token));

        Assert.DoesNotContain(_usage.Calls, c => c.StartsWith("DescribeImageUsageReportEntries", StringComparison.Ordinal));
        Assert.EndsWith("done|True", _reporter.Bars[^1]);
    }

    [Fact]
    public async Task ReportFails_TheAmiStopsWithUsageReportFailed()
    {
        _usage.Errors[Ami] = "internal error";

        var e = await Assert.ThrowsAsync<AmiShareException>(() => Check().CheckAsync(Revoke(new[] { Account(Consumer) }, new[] { Account(Consumer) }), default));

        Assert.Equal(ErrorIds.UsageReportFailed, e.ErrorId);
    }

    [Fact]
    public void JobReporter_ProgressOfAnItem_ComesOutAsThatItemsProgressEvent()
    {
        using var job = new EngineJob(new JobOptions { MaxInFlightPerLane = 1 });
        var service = new Sharing.AmiShareService(new FakeEc2Gateway(), null, null, job.Reporter);
        job.Submit(service, Ami, (s, ctx, ct) =>
        {
            ((IShareProgress)job.Reporter).Progress("usage:" + Ami, "Checking", "pending", false);
            return Task.CompletedTask;
        });
        job.CompleteInput();

        var events = new List<JobEvent>();
        while (!job.IsEnded)
        {
            if (job.TryTake(out JobEvent e, TimeSpan.FromSeconds(10), CancellationToken.None))
            {
                events.Add(e);
            }
        }

        JobEvent progress = Assert.Single(events, e => e.Kind == JobEventKind.Progress);
        Assert.Equal(Ami, progress.Item.ImageId);
        Assert.Equal(("usage:" + Ami, "Checking", "pending", false), (progress.Progress.Key, progress.Progress.Activity, progress.Progress.Status, progress.Progress.Completed));
    }
}
