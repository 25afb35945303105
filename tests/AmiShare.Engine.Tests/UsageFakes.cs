using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Tests;

/// <summary>
/// An in-memory EC2 image usage report service for one region: reports count what <see cref="Use"/> put in the world;
/// a report stays pending for <see cref="PendingPolls"/> DescribeImageUsageReports calls that name it; every call is recorded.
/// </summary>
internal sealed class FakeUsageGateway : IEc2UsageGateway
{
    private readonly Dictionary<string, (string ImageId, List<string> Accounts)> _reports = new(StringComparer.Ordinal);
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
            string image = _reports[id].ImageId;
            int poll = _polls[id] = _polls.GetValueOrDefault(id) + 1;
            string state = Errors.ContainsKey(image) ? ImageUsageReportStatus.Error
                : poll <= PendingPolls.GetValueOrDefault(image) ? ImageUsageReportStatus.Pending : ImageUsageReportStatus.Available;
            states.Add(new ImageUsageReportStatus { ReportId = id, ImageId = image, State = state, StateReason = Errors.GetValueOrDefault(image) });
        }

        return Task.FromResult<IReadOnlyList<ImageUsageReportStatus>>(states);
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
