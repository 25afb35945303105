using AmiShare.Engine.Distribution;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Jobs;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>Publisher over in-memory gateways: order of steps, waiting, approval, -NoWait, rerun.</summary>
public class PublisherTests
{
    private const string Source = "ami-0a1b2c3d4e5f60001";
    private static readonly Principal Account = PrincipalParser.Parse("111122223333");

    /// <summary>One region: the EC2 fake the sharing service reads, plus the copy calls over the same images.</summary>
    private sealed class FakeRegion : IEc2CopyGateway, ISsmGateway
    {
        public FakeRegion(string name, List<string> journal)
        {
            Ec2 = new FakeEc2Gateway { Region = name };
            Journal = journal;
        }

        public FakeEc2Gateway Ec2 { get; }

        public List<string> Journal { get; }

        public Dictionary<string, string> Parameters { get; } = new();

        /// <summary>How many polls a new copy stays pending.</summary>
        public int PendingPolls { get; set; }

        private readonly Dictionary<string, int> _polls = new();

        public string Region => Ec2.Region;

        private void Log(string call)
        {
            // Regions poll and finish concurrently.
            lock (Journal)
            {
                Journal.Add(Region + " " + call);
            }
        }

        public Task<IReadOnlyList<ImageInfo>> DescribeImagesAsync(IReadOnlyList<string> imageIds, CancellationToken cancellationToken)
        {
            Log("DescribeImages");
            foreach (string id in imageIds.Where(_polls.ContainsKey))
            {
                if (--_polls[id] <= 0 && Ec2.Images.TryGetValue(id, out var image))
                {
                    image.State = "available";
                }
            }

            return Ec2.DescribeImagesAsync(imageIds, cancellationToken);
        }

        public Task<IReadOnlyList<ImageInfo>> FindOwnedImagesByTagAsync(string tagKey, string tagValue, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ImageInfo>>(Ec2.Images.Values.Where(i => i.Tags.TryGetValue(tagKey, out var v) && v == tagValue).ToList());

        public Task<string> CopyImageAsync(CopyImageSpec spec, CancellationToken cancellationToken)
        {
            Log("CopyImage");
            string id = "ami-" + (0x100 + Ec2.Images.Count).ToString("x17");
            Ec2.WithImage(id);
            Ec2.Images[id].Name = spec.Name;
            Ec2.Images[id].State = PendingPolls > 0 ? "pending" : "available";
            Ec2.Images[id].Tags = new Dictionary<string, string>(spec.Tags.ToDictionary(t => t.Key, t => t.Value));
            _polls[id] = PendingPolls;
            return Task.FromResult(id);
        }

        public Task<bool> GetEbsEncryptionByDefaultAsync(CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<string> GetEbsDefaultKmsKeyIdAsync(CancellationToken cancellationToken) => Task.FromResult("alias/aws/ebs");

        public Task CreateTagsAsync(string imageId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
        {
            Log("CreateTags");
            var merged = new Dictionary<string, string>(Ec2.Images[imageId].Tags.ToDictionary(t => t.Key, t => t.Value));
            foreach (var t in tags)
            {
                merged[t.Key] = t.Value;
            }

            Ec2.Images[imageId].Tags = merged;
            return Task.CompletedTask;
        }

        public Task EnableImageDeprecationAsync(string imageId, DateTime deprecateAt, CancellationToken cancellationToken)
        {
            Log("EnableImageDeprecation");
            Ec2.Images[imageId].DeprecationTime = DeprecationTime.Text(deprecateAt);
            return Task.CompletedTask;
        }

        public Task<string> GetParameterValueAsync(string name, CancellationToken cancellationToken) =>
            Task.FromResult(Parameters.TryGetValue(name, out var v) ? v : null!);

        public Task PutImageParameterAsync(string name, string imageId, CancellationToken cancellationToken)
        {
            Log("PutParameter");
            Parameters[name] = imageId;
            return Task.CompletedTask;
        }

        public void Dispose()
        {
        }
    }

    private sealed class Recorder : ICopyCallbacks<PublishResult>
    {
        public ApprovalAnswer Answer { get; set; } = ApprovalAnswer.Approved;

        public List<string> Approvals { get; } = new();

        public List<JobProgress> Progress { get; } = new();

        public List<PublishResult> Results { get; } = new();

        public List<string?> StopNotes { get; } = new();

        public Task<ApprovalAnswer> ApproveAsync(string action, string target, IReadOnlyList<string> details, CancellationToken cancellationToken)
        {
            Approvals.Add(target + ": " + string.Join(" | ", details));
            return Task.FromResult(Answer);
        }

        void ICopyCallbacks<PublishResult>.Progress(JobProgress progress) => Progress.Add(progress);

        public void Warning(string message)
        {
        }

        public void Verbose(string message)
        {
        }

        public void Result(PublishResult result) => Results.Add(result);

        public void StopNote(string? note) => StopNotes.Add(note);
    }

    private sealed class World
    {
        public List<string> Journal { get; } = new();

        public Dictionary<string, FakeRegion> Regions { get; } = new();

        public World()
        {
            foreach (string name in new[] { "us-east-1", "us-west-2", "eu-west-1" })
            {
                Regions[name] = new FakeRegion(name, Journal);
            }

            Regions["us-east-1"].Ec2.WithImage(Source);
            Regions["us-east-1"].Ec2.Images[Source].CreationDate = "2026-11-02T10:00:00.000Z";
        }

        public Publisher Publisher() => new(r =>
        {
            FakeRegion region = Regions[r];
            return new RegionGateways(r, region, new KmsFake(), region, new AmiShareService(region.Ec2, new KmsFake(), null!, NullShareReporter.Instance));
        }, new PublishSettings { PollInterval = TimeSpan.FromMilliseconds(1), UtcNow = () => new DateTime(2026, 11, 29, 23, 0, 0, DateTimeKind.Utc) });
    }

    private static PublishRequest Request(bool noWait = false) => new()
    {
        SourceImageId = Source,
        SourceRegion = "us-east-1",
        Regions = new[] { "us-west-2", "eu-west-1" },
        Principals = new[] { Account },
        SharedTags = new Dictionary<string, string> { ["release"] = "2026.11" },
        DeprecateAfter = TimeSpan.FromDays(365),
        SsmParameterName = "/golden/latest",
        NoWait = noWait,
    };

    [Fact]
    public async Task Publish_CopiesWaitsThenSharesTagsDeprecatesAndWritesSsmLast_ThenARerunWritesNothing()
    {
        var world = new World();
        world.Regions["us-west-2"].PendingPolls = 3;
        world.Regions["eu-west-1"].PendingPolls = 1;
        var calls = new Recorder();

        await world.Publisher().PublishAsync(Request(), calls, CancellationToken.None);

        Assert.Equal(new[] { "us-west-2", "eu-west-1" }, calls.Results.Select(r => r.Region));
        Assert.All(calls.Results, r => Assert.Equal(("available", "Created"), (r.State, r.Action)));
        foreach (string region in new[] { "us-west-2", "eu-west-1" })
        {
            string[] steps = world.Journal.Where(j => j.StartsWith(region, StringComparison.Ordinal) && !j.EndsWith("DescribeImages", StringComparison.Ordinal)).ToArray();
            Assert.Equal(new[] { region + " CopyImage", region + " EnableImageDeprecation", region + " PutParameter" }, steps);
            string copy = calls.Results.Single(r => r.Region == region).ImageId;
            Assert.Equal(new[] { Account }, world.Regions[region].Ec2.Permissions[copy]);
            Assert.Equal(copy, world.Regions[region].Parameters["/golden/latest"]);
            Assert.Equal("2026.11", world.Regions[region].Ec2.Images[copy].Tags["ec2:SharedTag/release"]);
        }

        // Polling: us-west-2's copy needed 3 polls, each one DescribeImages for the region; its bar ends once.
        Assert.Equal(3, world.Journal.Count(j => j == "us-west-2 DescribeImages"));
        Assert.Single(calls.Progress, p => p.Key == "us-west-2" && p.Completed);
        Assert.Contains("left running", calls.StopNotes.First(n => n != null));
        Assert.Null(calls.StopNotes.Last());

        world.Journal.Clear();
        int writes = world.Regions["us-west-2"].Ec2.WriteCount + world.Regions["eu-west-1"].Ec2.WriteCount;
        var again = new Recorder();
        await world.Publisher().PublishAsync(Request(), again, CancellationToken.None);
        Assert.Empty(again.Approvals);
        Assert.DoesNotContain(world.Journal, j => !j.EndsWith("DescribeImages", StringComparison.Ordinal));
        Assert.All(again.Results, r => Assert.Equal(("Reused", 0), (r.Action, r.Changes)));
        Assert.Equal(writes, world.Regions["us-west-2"].Ec2.WriteCount + world.Regions["eu-west-1"].Ec2.WriteCount);
        Assert.Equal(2, writes);
    }

    [Fact]
    public async Task Publish_ARegionWhoseCopyIsAvailable_IsFinished_WhileAnotherRegionStillWaits()
    {
        var world = new World();
        world.Regions["us-west-2"].PendingPolls = 40;
        world.Regions["eu-west-1"].PendingPolls = 1;

        await world.Publisher().PublishAsync(Request(), new Recorder(), CancellationToken.None);

        // eu-west-1 is shared, deprecated and recorded in SSM before us-west-2's copy has finished its 40 polls.
        List<string> journal = world.Journal.ToList();
        int euDone = journal.IndexOf("eu-west-1 PutParameter");
        int westLastPoll = journal.LastIndexOf("us-west-2 DescribeImages");
        Assert.True(euDone >= 0 && euDone < westLastPoll, string.Join(Environment.NewLine, journal));
        Assert.Equal(40, journal.Count(j => j == "us-west-2 DescribeImages"));
        Assert.Contains("us-west-2 PutParameter", journal);
    }

    [Fact]
    public async Task Publish_WhatIfAnswer_DescribesEachRegion_AndMakesNoCall_ThatWrites()
    {
        var world = new World();
        var calls = new Recorder { Answer = ApprovalAnswer.WhatIf };

        await world.Publisher().PublishAsync(Request(), calls, CancellationToken.None);

        Assert.Equal(2, calls.Approvals.Count);
        Assert.Contains("CopyImage us-east-1/" + Source + " to us-west-2", calls.Approvals[0]);
        Assert.Contains("deprecate at 2027-11-02T10:00:00Z", calls.Approvals[0]);
        Assert.Empty(calls.Results);
        Assert.Equal(new[] { "us-east-1 DescribeImages" }, world.Journal);
    }

    [Fact]
    public async Task Publish_ASecondSourceWithTheSameSsmParameter_IsRefusedBeforeAnyCall_TheFirstKeepsIt()
    {
        const string Other = "ami-0a1b2c3d4e5f60005";
        var world = new World();
        world.Regions["us-east-1"].Ec2.WithImage(Other);
        Publisher publisher = world.Publisher();

        await publisher.PublishAsync(Request(), new Recorder(), CancellationToken.None);
        string first = world.Regions["us-west-2"].Parameters["/golden/latest"];
        world.Journal.Clear();
        PublishRequest second = Request();
        second.SourceImageId = Other;

        var refusal = await Assert.ThrowsAsync<AmiShareException>(() => publisher.PublishAsync(second, new Recorder(), CancellationToken.None));

        Assert.Equal(ErrorIds.InvalidSsmParameterName, refusal.ErrorId);
        Assert.Contains("'/golden/latest' already receives " + Source, refusal.Message, StringComparison.Ordinal);
        Assert.Equal(Other, refusal.Target);
        Assert.Empty(world.Journal);
        Assert.Equal(first, world.Regions["us-west-2"].Parameters["/golden/latest"]);

        // The same source again in the same command (e.g. piped twice) is not a conflict.
        await publisher.PublishAsync(Request(), new Recorder(), CancellationToken.None);
    }

    [Fact]
    public async Task Publish_NoWait_ReturnsPendingRows_WithoutSharingOrSsm()
    {
        var world = new World();
        world.Regions["us-west-2"].PendingPolls = 5;
        world.Regions["eu-west-1"].PendingPolls = 5;
        var calls = new Recorder();

        await world.Publisher().PublishAsync(Request(noWait: true), calls, CancellationToken.None);

        Assert.All(calls.Results, r => Assert.Equal(("pending", "Created", 1), (r.State, r.Action, r.Changes)));
        Assert.All(calls.Results, r => Assert.Empty(r.Principals));
        Assert.Equal(new[] { "us-west-2 CopyImage", "eu-west-1 CopyImage" }, world.Journal.Where(j => !j.EndsWith("DescribeImages", StringComparison.Ordinal)));
        Assert.Empty(world.Regions["us-west-2"].Parameters);
    }
}
