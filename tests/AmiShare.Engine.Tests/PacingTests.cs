using Amazon.Runtime;
using AmiShare.Emulator;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Pacing;
using AmiShare.Engine.Principals;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>
/// Client-side token buckets (Pacing/): shapes, keys, sharing, cancellation, the AMISHARE_RATE_LIMITS knob, and a run
/// against the emulator's own EC2 buckets. Each test builds its registry explicitly (the test process has pacing off,
/// RateLimitsForTests). Counts only: a "waiting" call is one whose task has not completed while its bucket is empty
/// and refills at one token in 1000 s.
/// </summary>
public sealed class PacingTests
{
    private static readonly Func<string, string, RateShape> OneSlowToken = (_, _) => new RateShape(1, 0.001);

    [Theory]
    [InlineData("EC2", "DescribeImages", 100, 20)]
    [InlineData("EC2", "DescribeImageAttribute", 100, 20)]
    [InlineData("EC2", "GetImageBlockPublicAccessState", 100, 20)]
    [InlineData("EC2", "DescribeSnapshots", 100, 20)]
    [InlineData("EC2", "ModifyImageAttribute", 100, 5)]
    [InlineData("EC2", "ModifySnapshotAttribute", 100, 5)]
    [InlineData("EC2", "CopyImage", 100, 1)]
    [InlineData("EC2", "CreateTags", 100, 10)]
    [InlineData("EC2", "ResetImageAttribute", 50, 5)]
    [InlineData("EC2", "EnableImageBlockPublicAccess", 1, 0.1)]
    [InlineData("EC2", "DisableImageBlockPublicAccess", 1, 0.1)]
    [InlineData("KMS", "DescribeKey", 1000, 1000)]
    [InlineData("KMS", "GetKeyPolicy", 1000, 1000)]
    [InlineData("KMS", "ListGrants", 100, 100)]
    [InlineData("KMS", "PutKeyPolicy", 5, 5)]
    public void RateShapes_For_DocumentedShape(string service, string action, int burst, double refill) =>
        Assert.Equal(new RateShape(burst, refill), RateShapes.For(service, action));

    [Fact]
    public void RateShapes_UnfilteredDescribeSnapshots_SmallerBucket() =>
        Assert.Equal(new RateShape(50, 10), RateShapes.For("EC2", "DescribeSnapshots", unfilteredDescribe: true));

    [Theory]
    [InlineData(null, true, 1)]
    [InlineData("", true, 1)]
    [InlineData(" ec2 ", true, 1)]
    [InlineData("EC2", true, 1)]
    [InlineData("off", false, 1)]
    [InlineData("OFF", false, 1)]
    [InlineData("20", true, 20)]
    [InlineData("0.5", true, 0.5)]
    public void RateLimitSettings_FromValue_Parses(string? value, bool enabled, double factor)
    {
        RateLimitSettings s = RateLimitSettings.FromValue(value!);
        Assert.Equal(enabled, s.Enabled);
        Assert.Equal(factor, s.SpeedFactor);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("NaN")]
    [InlineData("1e9")]
    public void RateLimitSettings_FromValue_BadValue_NamesValueAndChoices(string value)
    {
        var e = Assert.Throws<AmiShareException>(() => RateLimitSettings.FromValue(value));
        Assert.Equal(ErrorIds.InvalidRateLimitSetting, e.ErrorId);
        Assert.Equal(AmiShareErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"AMISHARE_RATE_LIMITS is '{value}'", e.Message);
        Assert.Contains("'ec2'", e.Message);
        Assert.Contains("'off'", e.Message);
        Assert.Contains("speed factor", e.Message);
    }

    [Fact]
    public void Settings_SpeedFactor_RefillsFasterWithTheSameBurst()
    {
        using var registry = new RateLimiterRegistry(RateLimitSettings.FromValue("20"));
        Assert.Equal(new RateShape(100, 100), registry.ShapeOf(Key(action: "ModifyImageAttribute")));
        Assert.Equal(new RateShape(100, 400), registry.ShapeOf(Key(action: "DescribeImages")));
    }

    [Fact]
    public async Task Acquire_BurstThenWaits_AndCancellationEndsTheWait()
    {
        // A 4/0.001 shape holds 3 at once: one refill (1 token) less than its burst, so the client is never ahead of EC2.
        using var registry = new RateLimiterRegistry(RateLimitSettings.Ec2, (_, _) => new RateShape(4, 0.001));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(TimeSpan.Zero, await registry.AcquireAsync(Key(), default));
        }

        using var cts = new CancellationTokenSource();
        Task<TimeSpan> fourth = registry.AcquireAsync(Key(), cts.Token).AsTask();
        await Task.Delay(100);
        Assert.False(fourth.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fourth);
    }

    [Fact]
    public async Task Acquire_KeysApart_PerAccountRegionEndpointAndAction()
    {
        using var registry = new RateLimiterRegistry(RateLimitSettings.Ec2, OneSlowToken);
        await registry.AcquireAsync(Key(), default);
        foreach (RateLimitKey other in new[]
        {
            Key(account: "AKIAOTHERACCOUNT0001"),
            Key(region: "eu-west-1"),
            Key(endpoint: "http://127.0.0.1:2"),
            Key(action: "ResetImageAttribute"),
            new RateLimitKey("AKIAOWNER", "us-east-1", "http://127.0.0.1:1", "KMS", "ModifyImageAttribute"),
        })
        {
            Task<TimeSpan> t = registry.AcquireAsync(other, default).AsTask();
            Assert.True(t.IsCompletedSuccessfully, other.ToString());
        }

        Assert.Equal(6, registry.BucketCount);
        using var cts = new CancellationTokenSource();
        Task<TimeSpan> same = registry.AcquireAsync(Key(), cts.Token).AsTask();
        await Task.Delay(50);
        Assert.False(same.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => same);
    }

    [Fact]
    public async Task Off_NeverWaits_AndMakesNoBucket()
    {
        using var registry = new RateLimiterRegistry(RateLimitSettings.Off, OneSlowToken);
        for (int i = 0; i < 500; i++)
        {
            Assert.True(registry.AcquireAsync(Key(), default).IsCompletedSuccessfully);
        }

        Assert.Equal(0, registry.BucketCount);
        await Task.CompletedTask;
    }

    [Fact]
    public void For_SameSettings_OneProcessWideRegistry()
    {
        Assert.Same(RateLimiterRegistry.For(RateLimitSettings.FromValue("7")), RateLimiterRegistry.For(RateLimitSettings.FromValue("7.0")));
        Assert.NotSame(RateLimiterRegistry.For(RateLimitSettings.Ec2), RateLimiterRegistry.For(RateLimitSettings.FromValue("7")));
    }

    [Fact]
    public void AccountKeyOf_StaticKeys_AccessKeyId_OtherCredentials_Identity()
    {
        Assert.Equal("AKIAOWNER", RateLimitKey.AccountKeyOf(new BasicAWSCredentials("AKIAOWNER", "s1")));
        Assert.Equal("AKIAOWNER", RateLimitKey.AccountKeyOf(new SessionAWSCredentials("AKIAOWNER", "s2", "token")));
        var anonymous = new AnonymousAWSCredentials();
        Assert.StartsWith("#", RateLimitKey.AccountKeyOf(anonymous));
        Assert.Equal(RateLimitKey.AccountKeyOf(anonymous), RateLimitKey.AccountKeyOf(anonymous));
        Assert.NotEqual(RateLimitKey.AccountKeyOf(anonymous), RateLimitKey.AccountKeyOf(new AnonymousAWSCredentials()));
    }

    [Fact]
    public async Task Gateways_TwoJobsOfOneAccount_ShareTheBucket_ASecondCallWaitsAndIsNotSent()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync(World.Demo());
        using var registry = new RateLimiterRegistry(RateLimitSettings.Ec2, OneSlowToken);
        var reporter = new ListReporter();
        using var job1 = Gateway(host, registry, reporter);
        using var job2 = Gateway(host, registry, reporter);

        Assert.Empty(await job1.GetLaunchPermissionsAsync(Plain, default));
        using var cts = new CancellationTokenSource();
        Task waiting = job2.GetLaunchPermissionsAsync(Plain, cts.Token);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        Assert.Equal(1, host.Log.Count("DescribeImageAttribute"));
        Assert.Equal(1, reporter.VerboseLines.Count(l => l.StartsWith("Invoking EC2 DescribeImageAttribute", StringComparison.Ordinal)));
        Assert.DoesNotContain(reporter.VerboseLines, l => l.Contains("throttled", StringComparison.Ordinal));
    }

    /// <summary>
    /// The emulator's EC2 buckets on at TimeScale F and AmiShare's at the same factor: hundreds of concurrent
    /// ModifyImageAttribute calls all succeed, and fewer than 1% of the calls EC2 sees are answered RequestLimitExceeded.
    /// EC2's bucket exists before a client starts (as on AWS): one unpaced call makes the emulator's, and the client's
    /// bucket, made after it, takes one token for it, so the client is never ahead of EC2.
    /// </summary>
    [Fact]
    public async Task Ec2Buckets_OnAtTimeScale_PacedWritesAllSucceed_UnderOnePercentThrottled()
    {
        const double factor = 20;
        const int calls = 500;
        await using EmulatorHost host = await EmulatorHost.StartAsync(World.Demo());
        host.Options.Throttling = true;
        host.Options.TimeScale = factor;
        host.Options.Clock = new MonotonicClock();
        var consumer = PrincipalParser.Parse("111122223333");
        var reporter = new ListReporter();

        using (var unpaced = Gateway(host, new RateLimiterRegistry(RateLimitSettings.Off), reporter))
        {
            await unpaced.ModifyLaunchPermissionsAsync(Plain, new[] { consumer }, Array.Empty<Principal>(), default);
        }

        using var registry = new RateLimiterRegistry(RateLimitSettings.WithSpeedFactor(factor));
        await registry.AcquireAsync(new RateLimitKey(OwnerKey, "us-east-1", host.Endpoint, "EC2", "ModifyImageAttribute"), default);
        using var gateway = Gateway(host, registry, reporter);
        host.Log.Clear();

        using var gate = new SemaphoreSlim(10);
        var tasks = Enumerable.Range(0, calls).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                await gateway.ModifyLaunchPermissionsAsync(Plain, new[] { consumer }, Array.Empty<Principal>(), default);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks);

        var writes = host.Log.Entries.Where(e => e.Action == "ModifyImageAttribute").ToList();
        int throttled = writes.Count(e => e.ErrorCode == "RequestLimitExceeded");
        Assert.Equal(calls, writes.Count(e => e.Succeeded));
        DateTime start = writes[0].TimestampUtc;
        string when = string.Join(", ", writes.Select((e, i) => (e, i)).Where(x => x.e.ErrorCode == "RequestLimitExceeded").Select(x => $"#{x.i}@{(x.e.TimestampUtc - start).TotalMilliseconds:0}ms"));
        Assert.True(throttled * 100 < writes.Count, $"{throttled} of {writes.Count} ModifyImageAttribute calls were answered RequestLimitExceeded: {when}");
    }

    /// <summary>The emulator's bucket clock on the monotonic clock the client's buckets use (the wall clock may be adjusted).</summary>
    private sealed class MonotonicClock : TimeProvider
    {
        private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
        private readonly long _started = global::System.Diagnostics.Stopwatch.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => _start + global::System.Diagnostics.Stopwatch.GetElapsedTime(_started);
    }

    private const string OwnerKey = "AKIAAMISHAREOWNER001";
    private const string Plain = "ami-0a1b2c3d4e5f60001";

    private static Ec2Gateway Gateway(EmulatorHost host, RateLimiterRegistry registry, IShareReporter reporter)
    {
        var session = new AwsSession(new BasicAWSCredentials(OwnerKey, "owner-secret"), "the supplied key parameters", "us-east-1", "region parameter", host.Endpoint);
        return new Ec2Gateway(session, reporter) { Pacing = registry };
    }

    private static RateLimitKey Key(string account = "AKIAOWNER", string region = "us-east-1", string endpoint = "http://127.0.0.1:1", string action = "ModifyImageAttribute") =>
        new(account, region, endpoint, "EC2", action);
}
