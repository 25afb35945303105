using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Tests;

/// <summary>
/// An in-memory EC2 image usage report service for one region: reports count what <see cref="Use"/> put in the world;
/// a report stays pending for <see cref="PendingPolls"/> DescribeImageUsageReports calls that name it; every call is recorded.
/// </summary>
internal sealed class FakeUsageGateway : IEc2UsageGateway
{
    private readonly Dictionary<string, (string ImageId, List<string> Accounts)> _reports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTime Created, List<string> Types, string? State)> _details = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _polls = new(StringComparer.Ordinal);
    private readonly List<(string ImageId, string AccountId, string Type, long Count)> _usage = new();

    public FakeUsageGateway(string region = "us-east-1") => Region = region;

    public string Region { get; }

    /// <summary>Every call, as "Action arguments".</summary>
    public List<string> Calls { get; } = new();

    /// <summary>Per AMI: how many polls its report stays pending (default 0: available at the first poll).</summary>
    public Dictionary<string, int> PendingPolls { get; } = new(StringComparer.Ordinal);

    /// <summary>Per AMI: the state reason of a report EC2 could not create.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>The clock reports are created by (their CreationTime).</summary>
    public Func<DateTime> Now { get; set; } = () => new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// A report made earlier (another run): on <paramref name="imageId"/>, created at <paramref name="created"/>, for
    /// <paramref name="accounts"/> (empty: all) and <paramref name="types"/> (null: both), in <paramref name="state"/> (null: as polls say).
    /// </summary>
    public string AddReport(string imageId, DateTime created, string[]? accounts = null, string[]? types = null, string? state = null)
    {
        string id = $"amiur-{_reports.Count + 1:x17}";
        _reports[id] = (imageId, accounts?.ToList() ?? new List<string>());
        _details[id] = (created, (types ?? ImageUsageResourceTypes.All.ToArray()).ToList(), state);
        return id;
    }

    /// <summary>Runs before each DescribeImageUsageReports answer (tests cancel or gate here).</summary>
    public Action? OnPoll { get; set; }

    public FakeUsageGateway Use(string imageId, string accountId, long instances, long launchTemplates = 0)
    {
        if (instances > 0) _usage.Add((imageId, accountId, ImageUsageResourceTypes.Instance, instances));
        if (launchTemplates > 0) _usage.Add((imageId, accountId, ImageUsageResourceTypes.LaunchTemplate, launchTemplates));
        return this;
    }

    public Task<string> CreateImageUsageReportAsync(string imageId, IReadOnlyList<string> resourceTypes, IReadOnlyList<string> accountIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string id = $"amiur-{_reports.Count + 1:x17}";
        _reports[id] = (imageId, accountIds?.ToList() ?? new List<string>());
        _details[id] = (Now(), resourceTypes.ToList(), null);
        Calls.Add($"CreateImageUsageReport {imageId} {string.Join(",", resourceTypes)} accounts={(accountIds == null ? "all" : accountIds.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        return Task.FromResult(id);
    }

    public Task<IReadOnlyList<ImageUsageReportStatus>> DescribeImageUsageReportsAsync(IReadOnlyList<string> reportIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls.Add("DescribeImageUsageReports " + string.Join(",", reportIds));
        OnPoll?.Invoke();
        cancellationToken.ThrowIfCancellationRequested();
        var states = new List<ImageUsageReportStatus>();
        foreach (string id in reportIds)
        {
            _polls[id] = _polls.GetValueOrDefault(id) + 1;
            states.Add(Status(id));
        }

        return Task.FromResult<IReadOnlyList<ImageUsageReportStatus>>(states);
    }

    public Task<IReadOnlyList<ImageUsageReportStatus>> DescribeImageUsageReportsOfImagesAsync(IReadOnlyList<string> imageIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls.Add("DescribeImageUsageReports ImageId=" + string.Join(",", imageIds));
        return Task.FromResult<IReadOnlyList<ImageUsageReportStatus>>(_reports.Keys.Where(id => imageIds.Contains(_reports[id].ImageId)).Select(Status).ToList());
    }

    /// <summary>A report's state now: error when its AMI is in <see cref="Errors"/>, pending for its AMI's <see cref="PendingPolls"/> polls.</summary>
    private ImageUsageReportStatus Status(string id)
    {
        var (image, accounts) = _reports[id];
        var (created, types, fixedState) = _details[id];
        string state = fixedState ?? (Errors.ContainsKey(image) ? ImageUsageReportStatus.Error
            : _polls.GetValueOrDefault(id) <= PendingPolls.GetValueOrDefault(image) ? ImageUsageReportStatus.Pending : ImageUsageReportStatus.Available);
        return new ImageUsageReportStatus
        {
            ReportId = id, ImageId = image, State = state, StateReason = Errors.GetValueOrDefault(image),
            CreationTime = created, ResourceTypes = types, AccountIds = accounts,
        };
    }

    public Task<IReadOnlyList<ImageUsageReportLine>> DescribeImageUsageReportEntriesAsync(IReadOnlyList<string> reportIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls.Add("DescribeImageUsageReportEntries " + string.Join(",", reportIds));
        var lines = new List<ImageUsageReportLine>();
        foreach (string id in reportIds)
        {
            var (image, accounts) = _reports[id];
            lines.AddRange(_usage
                .Where(u => u.ImageId == image && (accounts.Count == 0 || accounts.Contains(u.AccountId)))
                .Select(u => new ImageUsageReportLine { ReportId = id, ImageId = image, AccountId = u.AccountId, ResourceType = u.Type, UsageCount = u.Count }));
        }

        return Task.FromResult<IReadOnlyList<ImageUsageReportLine>>(lines);
    }

    public void Dispose()
    {
    }
}
