using AmiShare.Engine.Distribution;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Jobs;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>
/// The copy phase Publish-Ami and Copy-SharedAmi share: which image states end a copy, one DescribeImages per region per poll,
/// CopyFailed / CopyTimedOut with the command's remedy, and the stop note naming the copies left running.
/// </summary>
public class CopyWaiterTests
{
    /// <summary>A region whose DescribeImages answers each copy's next scripted state (null: not listed yet).</summary>
    private sealed class ScriptedRegion : IEc2CopyGateway
    {
        private readonly Dictionary<string, Queue<string?>> _states = new(StringComparer.Ordinal);

        public ScriptedRegion(string region) => Region = region;

        public string Region { get; }

        public int Describes { get; private set; }

        public List<string> Copies { get; } = new();

        /// <summary>The states <paramref name="imageId"/> shows poll after poll; the last one stays.</summary>
        public void Script(string imageId, params string?[] states) => _states[imageId] = new Queue<string?>(states);

        public Task<IReadOnlyList<ImageInfo>> DescribeImagesAsync(IReadOnlyList<string> imageIds, CancellationToken cancellationToken)
        {
            Describes++;
            var found = new List<ImageInfo>();
            foreach (string id in imageIds)
            {
                Queue<string?> q = _states[id];
                string? state = q.Count > 1 ? q.Dequeue() : q.Peek();
                if (state != null)
                {
                    found.Add(new ImageInfo { ImageId = id, State = state });
                }
            }

            return Task.FromResult<IReadOnlyList<ImageInfo>>(found);
        }

        public Task<string> CopyImageAsync(CopyImageSpec spec, CancellationToken cancellationToken)
        {
            string id = "ami-0c0000000000000" + (Copies.Count + 1).ToString("00");
            Copies.Add(id);
            return Task.FromResult(id);
        }

        public Task<IReadOnlyList<ImageInfo>> FindOwnedImagesByTagAsync(string tagKey, string tagValue, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> GetEbsEncryptionByDefaultAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> GetEbsDefaultKmsKeyIdAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CreateTagsAsync(string imageId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task EnableImageDeprecationAsync(string imageId, DateTime deprecateAt, CancellationToken cancellationToken) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }

    private sealed class Run
    {
        public Dictionary<string, ScriptedRegion> Regions { get; } = new(StringComparer.Ordinal);

        public List<JobProgress> Progress { get; } = new();

        public List<string?> StopNotes { get; } = new();

        public List<PendingCopy> Copies { get; } = new();

        public static CopyWaitTexts Texts { get; } = new()
        {
            Command = "Test-Copy",
            Rerun = "finish them",
            Source = "us-east-1/ami-0a1b2c3d4e5f60001",
            Activity = region => "Copying to " + region,
            TimeoutRemedy = "Run Test-Copy again later.",
            FailedRemedy = "Deregister it and run Test-Copy again.",
        };

        public PendingCopy Create(string region)
        {
            if (!Regions.ContainsKey(region))
            {
                Regions[region] = new ScriptedRegion(region);
            }

            var copy = new PendingCopy { Plan = new RegionPlan { Region = region, Kind = RegionPlanKind.Create, Copy = new CopyImageSpec { Name = "copy", Tags = new Dictionary<string, string>() } } };
            Copies.Add(copy);
            return copy;
        }

        public CopyWaiter Waiter(TimeSpan? timeout = null) => new(
            r => new RegionGateways(r, Regions[r], new KmsFake(), null!, new AmiShareService(new FakeEc2Gateway(), new KmsFake(), null!, NullShareReporter.Instance)),
            TimeSpan.FromMilliseconds(1),
            timeout,
            Texts,
            Copies,
            p =>
            {
                lock (Progress)
                {
                    Progress.Add(p);
                }
            },
            n =>
            {
                lock (StopNotes)
                {
                    StopNotes.Add(n);
                }
            });

        public async Task<CopyWaiter> CopyAndWaitAsync(TimeSpan? timeout = null)
        {
            CopyWaiter waiter = Waiter(timeout);
            await waiter.StartCopiesAsync(CancellationToken.None);
            await Task.WhenAll(Copies.GroupBy(c => c.Plan.Region).Select(g => waiter.WaitAsync(g.ToList(), CancellationToken.None)));
            return waiter;
        }
    }

    [Fact]
    public async Task PendingAndNotYetListed_KeepPolling_OneDescribeImagesPerRegionPerPoll_UntilAvailable()
    {
        var run = new Run();
        run.Create("us-west-2");
        run.Create("us-west-2");
        run.Create("eu-west-1");
        run.Regions["us-west-2"].Script("ami-0c000000000000001", null, "pending", "pending", "available");
        run.Regions["us-west-2"].Script("ami-0c000000000000002", "pending", "available");
        run.Regions["eu-west-1"].Script("ami-0c000000000000001", "available");

        CopyWaiter waiter = await run.CopyAndWaitAsync();

        Assert.Null(waiter.FirstError);
        Assert.Equal(4, run.Regions["us-west-2"].Describes);
        Assert.Equal(1, run.Regions["eu-west-1"].Describes);
        Assert.All(run.Copies, c => Assert.Equal(("available", false, 1), (c.Plan.Image.State, c.Failed, c.Writes)));
        Assert.Contains(run.Progress, p => p.Status.StartsWith("ami-0c000000000000001: pending (", StringComparison.Ordinal) && p.Activity == "Copying to us-west-2" && !p.Completed);
        Assert.Equal(3, run.Progress.Count(p => p.Completed));
        Assert.Null(run.StopNotes.Last());
    }

    [Theory]
    [InlineData("failed")]
    [InlineData("error")]
    [InlineData("invalid")]
    [InlineData("deregistered")]
    [InlineData("disabled")]
    [InlineData("transient")]
    public async Task EveryStateButPendingAndAvailable_EndsTheCopy_AsCopyFailed_WithTheCommandsRemedy(string state)
    {
        var run = new Run();
        PendingCopy copy = run.Create("us-west-2");
        run.Regions["us-west-2"].Script("ami-0c000000000000001", "pending", state);

        // The limit only turns a state wrongly taken as unfinished into a CopyTimedOut instead of an endless poll.
        CopyWaiter waiter = await run.CopyAndWaitAsync(TimeSpan.FromMinutes(1));

        AmiShareException error = Assert.IsType<AmiShareException>(waiter.FirstError);
        Assert.Equal(ErrorIds.CopyFailed, error.ErrorId);
        Assert.Equal($"The copy ami-0c000000000000001 of us-east-1/ami-0a1b2c3d4e5f60001 in us-west-2 ended in state '{state}'.", error.Reason);
        Assert.Equal("Deregister it and run Test-Copy again.", error.Remedy);
        Assert.True(copy.Failed);
        Assert.Equal(2, run.Regions["us-west-2"].Describes);
        Assert.Single(run.Progress, p => p.Completed && p.Status.StartsWith($"ami-0c000000000000001: {state} (", StringComparison.Ordinal));
        Assert.Null(run.StopNotes.Last());
    }

    [Fact]
    public async Task PastTheTimeout_StopsWithCopyTimedOut_AndTheStopNoteNamesTheCopyLeftRunning()
    {
        var run = new Run();
        PendingCopy copy = run.Create("us-west-2");
        run.Regions["us-west-2"].Script("ami-0c000000000000001", "pending");

        CopyWaiter waiter = await run.CopyAndWaitAsync(TimeSpan.Zero);

        AmiShareException error = Assert.IsType<AmiShareException>(waiter.FirstError);
        Assert.Equal(ErrorIds.CopyTimedOut, error.ErrorId);
        Assert.Equal("The copies ami-0c000000000000001 (us-west-2) were still pending after -TimeoutSec 0; they go on.", error.Reason);
        Assert.Equal("Run Test-Copy again later.", error.Remedy);
        Assert.True(copy.Failed);
        Assert.Equal(1, run.Regions["us-west-2"].Describes);
        Assert.Single(run.Progress, p => p.Completed && p.Status == "timed out");
        Assert.Equal(
            "Test-Copy: copies still being made, left running: ami-0c000000000000001 (us-west-2). Run the same Test-Copy again to finish them (it finds them by their amishare:source tag; no new copy).",
            run.StopNotes.First(n => n != null));
    }
}
