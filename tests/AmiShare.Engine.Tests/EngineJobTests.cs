using System.Collections.Concurrent;
using AmiShare.Engine;
using AmiShare.Engine.Jobs;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

public class EngineJobTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    private static AmiShareService Service(string region = "us-east-1", IShareReporter? reporter = null) =>
        new(new FakeEc2Gateway { Region = region }, null, null, reporter ?? NullShareReporter.Instance);

    private static string Ami(int i) => $"ami-{i:x8}";

    /// <summary>Takes every event until the stream ends (fails after 10 s without one).</summary>
    private static List<JobEvent> Drain(EngineJob job, Action<JobEvent>? onEvent = null)
    {
        var all = new List<JobEvent>();
        while (!job.IsEnded)
        {
            if (job.TryTake(out JobEvent e, Long, CancellationToken.None))
            {
                all.Add(e);
                onEvent?.Invoke(e);
            }
            else if (!job.IsEnded)
            {
                throw new TimeoutException("no event for 10 s");
            }
        }

        return all;
    }

    [Fact]
    public void Events_ComeOutInInputOrder_WhateverTheTiming()
    {
        using var job = new EngineJob(new JobOptions { MaxInFlightPerLane = 8 });
        AmiShareService service = Service(reporter: job.Reporter);
        var random = new Random(7);
        for (int i = 0; i < 40; i++)
        {
            int n = i;
            int delay = random.Next(0, 15);
            job.Submit(service, Ami(n), async (s, ctx, ct) =>
            {
                job.Reporter.Verbose($"start {n}");  // a service message: attributed to the running item
                await Task.Delay(delay, ct);
                ctx.Warning($"warn {n}");
                ctx.WriteResult(n);
            });
        }

        job.CompleteInput();
        List<JobEvent> events = Drain(job);

        var expected = Enumerable.Range(0, 40).SelectMany(n => new[] { $"V start {n}", $"W warn {n}", $"R {n}", $"C {n}" });
        var actual = events.Select(e => e.Kind switch
        {
            JobEventKind.Verbose => "V " + e.Text,
            JobEventKind.Warning => "W " + e.Text,
            JobEventKind.Result => "R " + e.Result,
            JobEventKind.Completed => "C " + e.Item.Sequence,
            _ => e.Kind.ToString(),
        });
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Lane_RunsAtMostNAtOnce_AndReachesN()
    {
        const int limit = 3;
        using var job = new EngineJob(new JobOptions { MaxInFlightPerLane = limit });
        AmiShareService service = Service();
        int inFlight = 0, max = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (int i = 0; i < 12; i++)
        {
            int n = i;
            job.Submit(service, Ami(i), async (s, ctx, ct) =>
            {
                int now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref max, now);
                if (n > 0) // the lane's first item runs alone and opens the lane when it ends
                {
                    await release.Task.WaitAsync(ct);
                }

                Interlocked.Decrement(ref inFlight);
            });
        }

        job.CompleteInput();
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref inFlight) == limit, Long), "the lane never had 3 items in flight");
        release.SetResult();
        Drain(job);
        Assert.Equal(limit, max);
    }

    [Fact]
    public void Lanes_RunInParallel_EachWithItsOwnBound()
    {
        using var job = new EngineJob(new JobOptions { MaxInFlightPerLane = 2 });
        AmiShareService east = Service("us-east-1"), west = Service("us-west-2");
        var inFlight = new ConcurrentDictionary<string, int>();
        var max = new ConcurrentDictionary<string, int>();
        int total = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (int i = 0; i < 10; i++)
        {
            AmiShareService service = i % 2 == 0 ? east : west;
            bool probe = i < 2; // each lane's first item runs alone
            job.Submit(service, Ami(i), async (s, ctx, ct) =>
            {
                int now = inFlight.AddOrUpdate(s.Region, 1, (_, v) => v + 1);
                max.AddOrUpdate(s.Region, now, (_, v) => Math.Max(v, now));
                Interlocked.Increment(ref total);
                if (!probe)
                {
                    await release.Task.WaitAsync(ct);
                }

                inFlight.AddOrUpdate(s.Region, 0, (_, v) => v - 1);
                Interlocked.Decrement(ref total);
            });
        }

        job.CompleteInput();
        // Both regions' items are in flight together: 2 + 2.
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref total) == 4, Long), "the two lanes did not run at the same time");
        release.SetResult();
        Drain(job);
        Assert.Equal(2, max["us-east-1"]);
        Assert.Equal(2, max["us-west-2"]);
    }

    [Fact]
    public void SameAmi_NeverRunsTwiceAtOnce_AndKeepsInputOrder()
    {
        using var job = new EngineJob(new JobOptions { MaxInFlightPerLane = 10 });
        AmiShareService service = Service();
        int sameInFlight = 0, sameMax = 0;
        var order = new ConcurrentQueue<int>();
        for (int i = 0; i < 20; i++)
        {
            int n = i;
            bool same = n % 4 == 0; // 0, 4, 8, 12, 16: the same AMI, not adjacent
            job.Submit(service, same ? Ami(999) : Ami(n), async (s, ctx, ct) =>
            {
                if (same)
                {
                    InterlockedMax(ref sameMax, Interlocked.Increment(ref sameInFlight));
                    order.Enqueue(n);
                }

                await Task.Delay(5, ct);
                if (same)
                {
                    Interlocked.Decrement(ref sameInFlight);
                }
            });
        }

        job.CompleteInput();
        Drain(job);
        Assert.Equal(1, sameMax);
        Assert.Equal(new[] { 0, 4, 8, 12, 16 }, order);
    }

    [Fact]
    public void Error_OfOneItem_DoesNotStopTheOthers_AndComesOutInItsPlace()
    {
        using var job = new EngineJob(null);
        AmiShareService service = Service();
        for (int i = 0; i < 5; i++)
        {
            int n = i;
            job.Submit(service, Ami(n), (s, ctx, ct) =>
            {
                if (n == 2)
                {
                    throw new AmiShareException(ErrorIds.AmiNotFound, AmiShareErrorKind.ObjectNotFound, "gone", Ami(n));
                }

                ctx.WriteResult(n);
                return Task.CompletedTask;
            });
        }

        job.SubmitError(new AmiShareException(ErrorIds.InvalidImageId, AmiShareErrorKind.InvalidArgument, "bad id", "ami-x"), "ami-x");
        job.CompleteInput();
        var seen = Drain(job).Where(e => e.Kind is JobEventKind.Result or JobEventKind.Error)
            .Select(e => e.Kind == JobEventKind.Result ? $"R{e.Result}" : $"E {e.Error.ErrorId} {e.Target}").ToList();
        Assert.Equal(new[] { "R0", "R1", $"E {ErrorIds.AmiNotFound} {Ami(2)}", "R3", "R4", $"E {ErrorIds.InvalidImageId} ami-x" }, seen);
    }

    [Fact]
    public void Cancel_StopsWaitingAndRunningItems_AndCountsWritesNotReported()
    {
        var job = new EngineJob(new JobOptions { MaxInFlightPerLane = 2 });
        AmiShareService service = Service();
        int started = 0;
        for (int i = 0; i < 10; i++)
        {
            int n = i;
            job.Submit(service, Ami(n), async (s, ctx, ct) =>
            {
                Interlocked.Increment(ref started);
                if (n < 3)
                {
                    ctx.MarkWritten(); // the write happened; the result is still to come when the stop arrives
                }

                if (n > 0) // the first item ends at once and opens the lane to 2
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
            });
        }

        job.CompleteInput();
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref started) == 3, Long));
        job.Cancel();
        Assert.Throws<OperationCanceledException>(() => job.TryTake(out _, Long, CancellationToken.None));
        Assert.Equal(new[] { Ami(0), Ami(1), Ami(2) }, job.WrittenUnreported);
        Thread.Sleep(50);
        Assert.Equal(3, Volatile.Read(ref started)); // nothing waiting started after the stop
        job.Dispose();
    }

    [Fact]
    public void AuthenticationError_OnTheLanesFirstItem_StartsNoOtherItem_AndTheStreamEnds()
    {
        using var job = new EngineJob(new JobOptions { MaxInFlightPerLane = 10 });
        AmiShareService service = Service();
        int started = 0;
        for (int i = 0; i < 6; i++)
        {
            job.Submit(service, Ami(i), (s, ctx, ct) =>
            {
                Interlocked.Increment(ref started);
                throw new AmiShareException("CredentialsRejected", AmiShareErrorKind.AuthenticationError, "rejected");
            });
        }

        job.CompleteInput();
        List<JobEvent> events = Drain(job);
        Assert.Equal(1, started);
        Assert.Single(events, e => e.Kind == JobEventKind.Error);
        Assert.Equal(6, events.Count(e => e.Kind == JobEventKind.Completed));
    }

    [Fact]
    public void Approval_GoesOutInInputOrder_AndTheAnswerDecidesTheWrite()
    {
        using var job = new EngineJob(new JobOptions { MaxInFlightPerLane = 10 });
        var gateway = new FakeEc2Gateway();
        for (int i = 0; i < 3; i++)
        {
            gateway.WithImage(Ami(i));
        }

        var service = new AmiShareService(gateway, null, null, job.Reporter);
        Principal account = PrincipalParser.Parse("111122223333");
        for (int i = 0; i < 3; i++)
        {
            string id = Ami(i);
            job.Submit(service, id, (s, ctx, ct) => ShareSteps.PlanApplyAsync(s, ctx, t => s.PlanGrantAsync(id, new[] { account }, ShareOptions.None, t), true, r => r.ImageId, ct));
        }

        job.CompleteInput();
        var answers = new[] { ApprovalAnswer.Approved, ApprovalAnswer.Declined, ApprovalAnswer.WhatIf };
        var asked = new List<string>();
        var results = new List<object>();
        Drain(job, e =>
        {
            if (e.Kind == JobEventKind.Approval)
            {
                Assert.False(e.Approval.PreApproved);
                asked.Add(e.Approval.Plan.ImageId);
                e.Approval.Answer(answers[e.Item.Sequence]);
            }
            else if (e.Kind == JobEventKind.Result)
            {
                results.Add(e.Result);
            }
        });

        Assert.Equal(new[] { Ami(0), Ami(1), Ami(2) }, asked);
        Assert.Equal(new[] { Ami(0) }, gateway.Modifications.Select(m => m.ImageId));
        Assert.Equal(new object[] { Ami(0) }, results);
    }

    [Fact]
    public void ApproveWithoutWaiting_AppliesAtOnce_AndStillSaysSo()
    {
        using var job = new EngineJob(new JobOptions { ApproveWithoutWaiting = true });
        var gateway = new FakeEc2Gateway().WithImage(Ami(1));
        var service = new AmiShareService(gateway, null, null, job.Reporter);
        Principal account = PrincipalParser.Parse("111122223333");
        job.Submit(service, Ami(1), (s, ctx, ct) => ShareSteps.PlanApplyAsync(s, ctx, t => s.PlanGrantAsync(Ami(1), new[] { account }, ShareOptions.None, t), false, null, ct));
        job.CompleteInput();
        List<JobEvent> events = Drain(job); // nobody answers: the item must not wait
        Assert.True(events.Single(e => e.Kind == JobEventKind.Approval).Approval.PreApproved);
        Assert.Single(gateway.Modifications);
    }

    [Fact]
    public void FirstItemsPlan_OpensTheLane_BeforeItsWriteEnds()
    {
        // The first item's plan means AWS answered its reads with these credentials: the others start while it writes.
        using var job = new EngineJob(new JobOptions { ApproveWithoutWaiting = true });
        AmiShareService service = Service();
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int secondStarted = 0;
        job.Submit(service, Ami(1), async (s, ctx, ct) =>
        {
            await ctx.RequestApprovalAsync(new AmiShare.Engine.Plans.SharePlan { ImageId = Ami(1), Operation = AmiShare.Engine.Plans.ShareOperation.Grant }, ct);
            await writing.Task.WaitAsync(ct); // the first item's write, still going
        });
        job.Submit(service, Ami(2), (s, ctx, ct) =>
        {
            Interlocked.Exchange(ref secondStarted, 1);
            return Task.CompletedTask;
        });
        job.CompleteInput();
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref secondStarted) == 1, Long), "the second item waited for the first one's write");
        writing.SetResult();
        Drain(job);
    }

    [Fact]
    public void FirstItemFailingBeforeItsPlan_KeepsTheLaneClosed()
    {
        using var job = new EngineJob(new JobOptions { ApproveWithoutWaiting = true });
        AmiShareService service = Service();
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int secondStarted = 0;
        job.Submit(service, Ami(1), async (s, ctx, ct) => await reading.Task.WaitAsync(ct)); // still reading: no plan yet
        job.Submit(service, Ami(2), (s, ctx, ct) =>
        {
            Interlocked.Exchange(ref secondStarted, 1);
            return Task.CompletedTask;
        });
        job.CompleteInput();
        Assert.False(SpinWait.SpinUntil(() => Volatile.Read(ref secondStarted) == 1, TimeSpan.FromMilliseconds(300)), "the second item started before the first one's reads were answered");
        reading.SetResult();
        Drain(job);
        Assert.Equal(1, Volatile.Read(ref secondStarted));
    }

    [Fact]
    public void Submit_TellsTheServiceWhichAmisAreComing()
    {
        var gateway = new PrefetchRecordingGateway();
        using var job = new EngineJob(null);
        var service = new AmiShareService(gateway, null, null, job.Reporter);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        job.Submit(service, Ami(1), async (s, ctx, ct) => await gate.Task.WaitAsync(ct));
        job.Submit(service, Ami(2), async (s, ctx, ct) => await gate.Task.WaitAsync(ct));
        Assert.Equal(new[] { Ami(1), Ami(2) }, gateway.Prefetched);

        // A whole record's ids are told before its items start, each id once.
        job.Prefetch(service, new[] { Ami(2), Ami(3), Ami(4) });
        job.Submit(service, Ami(3), async (s, ctx, ct) => await gate.Task.WaitAsync(ct));
        Assert.Equal(new[] { Ami(1), Ami(2), Ami(3), Ami(4) }, gateway.Prefetched);
        gate.SetResult();
        job.CompleteInput();
        Drain(job);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("ten")]
    [InlineData("-3")]
    public void FromEnvironment_BadConcurrency_NamesTheValueAndTheFix(string value)
    {
        var env = new FakeEnvironment(Path.GetTempPath()).Set(JobOptions.ConcurrencyVariable, value);
        var e = Assert.Throws<AmiShareException>(() => JobOptions.FromEnvironment(env));
        Assert.Equal(JobOptions.InvalidConcurrencyErrorId, e.ErrorId);
        Assert.Contains($"'{value}'", e.Message);
        Assert.Contains(JobOptions.ConcurrencyVariable, e.Remedy);
    }

    [Fact]
    public void FromEnvironment_ReadsConcurrency_OrDefaultsToTen()
    {
        Assert.Equal(25, JobOptions.FromEnvironment(new FakeEnvironment(Path.GetTempPath()).Set(JobOptions.ConcurrencyVariable, " 25 ")).MaxInFlightPerLane);
        Assert.Equal(10, JobOptions.FromEnvironment(new FakeEnvironment(Path.GetTempPath())).MaxInFlightPerLane);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void FromEnvironment_BlankConcurrency_CountsAsUnset(string value)
    {
        // CI systems often set an unset variable to '': the default, as for AMISHARE_RETRY_* and AMISHARE_RATE_LIMITS.
        Assert.Equal(JobOptions.DefaultMaxInFlightPerLane, JobOptions.FromEnvironment(new FakeEnvironment(Path.GetTempPath()).Set(JobOptions.ConcurrencyVariable, value)).MaxInFlightPerLane);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private sealed class PrefetchRecordingGateway : AmiShare.Engine.Gateways.IImagePrefetch, AmiShare.Engine.Gateways.IEc2Gateway
    {
        private readonly FakeEc2Gateway _inner = new();

        public List<string> Prefetched { get; } = new();

        public void Prefetch(IEnumerable<string> imageIds) => Prefetched.AddRange(imageIds);

        public string Region => _inner.Region;
        public Task<AmiShare.Engine.Gateways.ImageInfo> DescribeImageAsync(string imageId, CancellationToken ct) => _inner.DescribeImageAsync(imageId, ct);
        public Task<IReadOnlyList<AmiShare.Engine.Gateways.ImageInfo>> DescribeImagesAsync(IReadOnlyList<string> imageIds, CancellationToken ct) => _inner.DescribeImagesAsync(imageIds, ct);
        public Task<IReadOnlyList<Principal>> GetLaunchPermissionsAsync(string imageId, CancellationToken ct) => _inner.GetLaunchPermissionsAsync(imageId, ct);
        public Task ModifyLaunchPermissionsAsync(string imageId, IReadOnlyList<Principal> add, IReadOnlyList<Principal> remove, CancellationToken ct) => _inner.ModifyLaunchPermissionsAsync(imageId, add, remove, ct);
        public Task ResetLaunchPermissionsAsync(string imageId, CancellationToken ct) => _inner.ResetLaunchPermissionsAsync(imageId, ct);
        public Task<string> GetImageBlockPublicAccessStateAsync(CancellationToken ct) => _inner.GetImageBlockPublicAccessStateAsync(ct);
        public Task<int> CountOwnedPublicImagesAsync(CancellationToken ct) => _inner.CountOwnedPublicImagesAsync(ct);
        public Task<AmiShare.Engine.Gateways.ImageBlockPublicAccessInfo> GetImageBlockPublicAccessAsync(CancellationToken ct) => _inner.GetImageBlockPublicAccessAsync(ct);
        public Task<IReadOnlyList<AmiShare.Engine.Gateways.SnapshotInfo>> DescribeSnapshotsAsync(IReadOnlyList<string> ids, CancellationToken ct) => _inner.DescribeSnapshotsAsync(ids, ct);
        public Task<IReadOnlyList<string>> GetCreateVolumePermissionsAsync(string snapshotId, CancellationToken ct) => _inner.GetCreateVolumePermissionsAsync(snapshotId, ct);
        public Task ModifyCreateVolumePermissionsAsync(string snapshotId, IReadOnlyList<string> add, IReadOnlyList<string> remove, CancellationToken ct) => _inner.ModifyCreateVolumePermissionsAsync(snapshotId, add, remove, ct);
        public Task<IReadOnlyList<AmiShare.Engine.Gateways.ImageInfo>> DescribeOwnedImagesAsync(CancellationToken ct) => _inner.DescribeOwnedImagesAsync(ct);
        public Task<IReadOnlyList<AmiShare.Engine.Gateways.SnapshotInfo>> DescribeOwnedEncryptedSnapshotsAsync(CancellationToken ct) => _inner.DescribeOwnedEncryptedSnapshotsAsync(ct);
        public Task<AmiShare.Engine.Gateways.SnapshotBlockPublicAccessInfo> GetSnapshotBlockPublicAccessAsync(CancellationToken ct) => _inner.GetSnapshotBlockPublicAccessAsync(ct);
        public void Dispose() => _inner.Dispose();
    }
}
