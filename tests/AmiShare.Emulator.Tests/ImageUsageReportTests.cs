using Amazon.EC2;
using Amazon.EC2.Model;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>CreateImageUsageReport / DescribeImageUsageReports / DescribeImageUsageReportEntries / DeleteImageUsageReport.</summary>
public sealed class ImageUsageReportTests : FreshEmulatorTest
{
    protected override World CreateWorld() => ImageUsageWorld.Create();

    private static ImageUsageResourceTypeRequest Type(string t) => new() { ResourceType = t };

    private Task<CreateImageUsageReportResponse> CreateAsync(string imageId = Demo.Web, List<string>? accounts = null, AmazonEC2Client? ec2 = null, string? token = null) =>
        (ec2 ?? Owner).CreateImageUsageReportAsync(new CreateImageUsageReportRequest
        {
            ImageId = imageId, ResourceTypes = new List<ImageUsageResourceTypeRequest> { Type("ec2:Instance"), Type("ec2:LaunchTemplate") },
            AccountIds = accounts, ClientToken = token,
        });

    private async Task<List<string>> EntriesAsync(string reportId, List<Filter>? filters = null) =>
        ((await Owner.DescribeImageUsageReportEntriesAsync(new DescribeImageUsageReportEntriesRequest
        {
            ReportIds = new List<string> { reportId }, Filters = filters,
        })).ImageUsageReportEntries ?? new List<ImageUsageReportEntry>())
        .Select(e => $"{e.AccountId} {e.ResourceType} {e.UsageCount} {e.ImageId} {e.ReportId}").ToList();

    [Fact]
    public async Task Entries_CountInstancesNotTerminatedAndLaunchTemplates_InEveryAccountTheAmiIsSharedWith()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer), User(Demo.Third));
        var id = (await CreateAsync()).ReportId;
        Assert.Matches("^amiur-[0-9a-f]{17}$", id);
        // Consumer: running + stopped (the terminated one and the instance of another AMI do not count); Third: one running;
        // the owner's own instance is not reported; Platform's launch template is not counted: the AMI is not shared with it.
        Assert.Equal(new[]
        {
            $"{Demo.Consumer} ec2:Instance 2 {Demo.Web} {id}",
            $"{Demo.Consumer} ec2:LaunchTemplate 1 {Demo.Web} {id}",
            $"{Demo.Third} ec2:Instance 1 {Demo.Web} {id}",
        }, await EntriesAsync(id));
    }

    [Fact]
    public async Task Entries_SharedThroughTheOrganization_CountEveryMemberAccount()
    {
        await Owner.AddAsync(Demo.Web, Org(Demo.OrgArn));
        var id = (await CreateAsync()).ReportId;
        var rows = await EntriesAsync(id);
        Assert.Contains($"{Demo.Platform} ec2:LaunchTemplate 1 {Demo.Web} {id}", rows);
        Assert.Contains($"{Demo.Consumer} ec2:Instance 2 {Demo.Web} {id}", rows);
        Assert.DoesNotContain(rows, r => r.StartsWith(Demo.Third, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Entries_AccountIdsLimitTheReport_AndFiltersSelectEntries()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer), User(Demo.Third));
        var id = (await CreateAsync(accounts: new List<string> { Demo.Third })).ReportId;
        Assert.Equal(new[] { $"{Demo.Third} ec2:Instance 1 {Demo.Web} {id}" }, await EntriesAsync(id));

        var all = (await CreateAsync()).ReportId;
        var byType = await EntriesAsync(all, new List<Filter> { new() { Name = "resource-type", Values = new List<string> { "ec2:LaunchTemplate" } } });
        Assert.Equal(new[] { $"{Demo.Consumer} ec2:LaunchTemplate 1 {Demo.Web} {all}" }, byType);
        var byAccount = await EntriesAsync(all, new List<Filter> { new() { Name = "account-id", Values = new List<string> { Demo.Third } } });
        Assert.Equal(new[] { $"{Demo.Third} ec2:Instance 1 {Demo.Web} {all}" }, byAccount);
    }

    [Fact]
    public async Task Reports_DescribedWithTheirRequest_ByReportIdImageIdAndFilter()
    {
        var r = await Owner.CreateImageUsageReportAsync(new CreateImageUsageReportRequest
        {
            ImageId = Demo.Web, ResourceTypes = new List<ImageUsageResourceTypeRequest> { Type("ec2:Instance") },
            AccountIds = new List<string> { Demo.Consumer },
            TagSpecifications = new List<TagSpecification> { new() { ResourceType = ResourceType.ImageUsageReport, Tags = new List<Tag> { new("Purpose", "audit") } } },
        });
        var other = (await CreateAsync(Demo.Cmk)).ReportId;

        var d = (await Owner.DescribeImageUsageReportsAsync(new DescribeImageUsageReportsRequest { ReportIds = new List<string> { r.ReportId } })).ImageUsageReports.Single();
        Assert.Equal(Demo.Web, d.ImageId);
        Assert.Equal("available", d.State);
        Assert.Equal(new[] { "ec2:Instance" }, d.ResourceTypes.Select(t => t.ResourceType));
        Assert.Equal(new[] { Demo.Consumer }, d.AccountIds);
        Assert.Equal("audit", d.Tags.Single(t => t.Key == "Purpose").Value);
        Assert.Equal(TimeSpan.FromDays(30), d.ExpirationTime!.Value - d.CreationTime!.Value);

        var byImage = await Owner.DescribeImageUsageReportsAsync(new DescribeImageUsageReportsRequest { ImageIds = new List<string> { Demo.Cmk } });
        Assert.Equal(new[] { other }, byImage.ImageUsageReports.Select(x => x.ReportId));
        var byTag = await Owner.DescribeImageUsageReportsAsync(new DescribeImageUsageReportsRequest
        { Filters = new List<Filter> { new() { Name = "tag:Purpose", Values = new List<string> { "audit" } } } });
        Assert.Equal(new[] { r.ReportId }, byTag.ImageUsageReports.Select(x => x.ReportId));
    }

    [Fact]
    public async Task ClientToken_RetryAnswersTheSameReport_DifferentRequestIsAMismatch()
    {
        var first = (await CreateAsync(token: "tok-1")).ReportId;
        Assert.Equal(first, (await CreateAsync(token: "tok-1")).ReportId);
        Assert.Single((await Owner.DescribeImageUsageReportsAsync(new DescribeImageUsageReportsRequest())).ImageUsageReports);
        await Assertions.Ec2Error(() => CreateAsync(Demo.Cmk, token: "tok-1"), "IdempotentParameterMismatch", 400);
    }

    [Fact]
    public async Task Errors_NotOwnerUnknownAndMalformedIds()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        await Assertions.Ec2Error(() => CreateAsync(ec2: Consumer), "AuthFailure", 400, $"Not authorized for image:{Demo.Web}");
        await Assertions.Ec2Error(() => CreateAsync("ami-0123456789abcdef0"), "InvalidAMIID.NotFound", 400);
        await Assertions.Ec2Error(() => CreateAsync("bogus"), "InvalidAMIID.Malformed", 400);
        await Assertions.Ec2Error(() => Owner.CreateImageUsageReportAsync(new CreateImageUsageReportRequest
        { ImageId = Demo.Web, ResourceTypes = new List<ImageUsageResourceTypeRequest> { Type("ec2:Volume") } }), "InvalidParameterValue", 400);
        await Assertions.Ec2Error(() => Owner.CreateImageUsageReportAsync(new CreateImageUsageReportRequest { ImageId = Demo.Web }), "MissingParameter", 400);
        await Assertions.Ec2Error(() => CreateAsync(accounts: Enumerable.Range(0, 201).Select(i => (100000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList()),
            "InvalidParameterValue", 400);
        await Assertions.Ec2Error(() => Owner.CreateImageUsageReportAsync(new CreateImageUsageReportRequest
        {
            ImageId = Demo.Web, ResourceTypes = new List<ImageUsageResourceTypeRequest> { Type("ec2:Instance") },
            TagSpecifications = new List<TagSpecification> { new() { ResourceType = ResourceType.Image, Tags = new List<Tag> { new("a", "b") } } },
        }), "InvalidParameterValue", 400);

        var id = (await CreateAsync()).ReportId;
        // Another account's report does not exist for the caller.
        await Assertions.Ec2Error(() => Consumer.DescribeImageUsageReportEntriesAsync(new DescribeImageUsageReportEntriesRequest { ReportIds = new List<string> { id } }),
            "InvalidImageUsageReportId.NotFound", 400);
        await Assertions.Ec2Error(() => Owner.DescribeImageUsageReportsAsync(new DescribeImageUsageReportsRequest { ReportIds = new List<string> { "amiur-0123456789abcdef0" } }),
            "InvalidImageUsageReportId.NotFound", 400, "The image usage report ID 'amiur-0123456789abcdef0' does not exist");
        await Assertions.Ec2Error(() => Owner.DescribeImageUsageReportEntriesAsync(new DescribeImageUsageReportEntriesRequest { ReportIds = new List<string> { "report-1" } }),
            "InvalidImageUsageReportId.Malformed", 400, "Invalid id: \"report-1\" (expecting \"amiur-...\")");
    }

    [Fact]
    public async Task DeleteImageUsageReport_RemovesIt()
    {
        var id = (await CreateAsync()).ReportId;
        Assert.True((await Owner.DeleteImageUsageReportAsync(new DeleteImageUsageReportRequest { ReportId = id })).Return);
        await Assertions.Ec2Error(() => Owner.DeleteImageUsageReportAsync(new DeleteImageUsageReportRequest { ReportId = id }), "InvalidImageUsageReportId.NotFound", 400);
    }

    [Fact]
    public async Task DryRun_AnswersDryRunOperation_AndCreatesNothing()
    {
        await Assertions.Ec2Error(() => Owner.CreateImageUsageReportAsync(new CreateImageUsageReportRequest
        { ImageId = Demo.Web, ResourceTypes = new List<ImageUsageResourceTypeRequest> { Type("ec2:Instance") }, DryRun = true }), "DryRunOperation", 412);
        Assert.Null((await Owner.DescribeImageUsageReportsAsync(new DescribeImageUsageReportsRequest())).ImageUsageReports);
    }
}

/// <summary>With ImageUsageReportPendingTime a report is pending (no entries) until the scaled delay has passed.</summary>
public sealed class ImageUsageReportPendingTests : FreshEmulatorTest
{
    protected override World CreateWorld() => ImageUsageWorld.Create();

    [Fact]
    public async Task Report_PendingUntilTheScaledDelay_ThenAvailableWithEntries()
    {
        var clock = new ManualClock();
        Host.Options.Clock = clock;
        Host.Options.ImageUsageReportPendingTime = TimeSpan.FromMinutes(10);
        Host.Options.TimeScale = 60;
        await Owner.AddAsync(Demo.Web, User(Demo.Third));
        var id = (await Owner.CreateImageUsageReportAsync(new CreateImageUsageReportRequest
        { ImageId = Demo.Web, ResourceTypes = new List<ImageUsageResourceTypeRequest> { new() { ResourceType = "ec2:Instance" } } })).ReportId;

        async Task<string> StateAsync() => (await Owner.DescribeImageUsageReportsAsync(new DescribeImageUsageReportsRequest { ReportIds = new List<string> { id } }))
            .ImageUsageReports.Single().State;
        async Task<int> EntryCountAsync() => (await Owner.DescribeImageUsageReportEntriesAsync(new DescribeImageUsageReportEntriesRequest { ReportIds = new List<string> { id } }))
            .ImageUsageReportEntries?.Count ?? 0;

        Assert.Equal("pending", await StateAsync());
        Assert.Equal(0, await EntryCountAsync());
        var pending = await Owner.DescribeImageUsageReportsAsync(new DescribeImageUsageReportsRequest
        { Filters = new List<Filter> { new() { Name = "state", Values = new List<string> { "pending" } } } });
        Assert.Equal(new[] { id }, pending.ImageUsageReports.Select(r => r.ReportId));

        clock.Advance(TimeSpan.FromSeconds(9.999));
        Assert.Equal("pending", await StateAsync());
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("available", await StateAsync());
        Assert.Equal(1, await EntryCountAsync());

        clock.Advance(TimeSpan.FromDays(30));
        await Assertions.Ec2Error(() => StateAsync(), "InvalidImageUsageReportId.NotFound", 400);
    }
}
