using AmiShare.Engine.Facts;
using AmiShare.Engine.Gateways;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>Which failures the run keeps, our own key-policy writes, and cancellation of a shared read (fakes, no emulator).</summary>
public sealed class RunOnceCacheTests
{
    private const string Key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    [Fact]
    public async Task KeyNotFound_KeptForTheRun_OneCall()
    {
        var fake = new KmsFake();
        using var facts = new RunKmsFacts(fake);
        var first = await Assert.ThrowsAsync<AmiShareException>(() => facts.DescribeKeyAsync(Key, default));
        var second = await Assert.ThrowsAsync<AmiShareException>(() => facts.DescribeKeyAsync(Key, default));
        Assert.Same(first, second);
        Assert.Single(fake.Calls);
    }

    [Fact]
    public async Task TransientFailure_NotKept_NextReadAsksAgain()
    {
        var fake = new FlakyKms();
        using var facts = new RunKmsFacts(fake);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => facts.GetKeyPolicyAsync(Key, default));
        Assert.Equal(ErrorIds.Throttled, e.ErrorId);
        Assert.Equal("{}", await facts.GetKeyPolicyAsync(Key, default));
        Assert.Equal("{}", await facts.GetKeyPolicyAsync(Key, default));
        Assert.Equal(2, fake.PolicyReads);
    }

    [Fact]
    public async Task PutKeyPolicy_TheRunsCopyIsOurLatestWrite()
    {
        var fake = new KmsFake().WithKey(Key);
        using var facts = new RunKmsFacts(fake);
        await facts.GetKeyPolicyAsync(Key, default);
        await facts.PutKeyPolicyAsync(Key, "{\"new\":1}", default);
        Assert.Equal("{\"new\":1}", await facts.GetKeyPolicyAsync(Key, default));
        Assert.Equal(1, fake.Calls.Count(c => c.StartsWith("GetKeyPolicy", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task StarterCancelled_AnotherWaiterReadsAgainWithItsOwnToken()
    {
        var cache = new RunOnceCache<string, int>();
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        int loads = 0;
        using var starter = new CancellationTokenSource();
        Task<int> first = cache.GetAsync("k", async ct =>
        {
            Interlocked.Increment(ref loads);
            using (ct.Register(() => release.TrySetCanceled()))
            {
                return await release.Task;
            }
        }, starter.Token);
        Task<int> second = cache.GetAsync("k", _ => { Interlocked.Increment(ref loads); return Task.FromResult(42); }, default);

        starter.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(42, await second);
        Assert.Equal(2, loads);
        Assert.Equal(42, await cache.GetAsync("k", _ => Task.FromResult(0), default));
    }

    private sealed class FlakyKms : IKmsGateway
    {
        public int PolicyReads;

        public Task<KmsKeyInfo> DescribeKeyAsync(string keyId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> GetKeyPolicyAsync(string keyArn, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref PolicyReads) == 1
                ? throw new AmiShareException(ErrorIds.Throttled, AmiShareErrorKind.LimitsExceeded, "KMS throttled GetKeyPolicy.", keyArn)
                : Task.FromResult("{}");

        public Task PutKeyPolicyAsync(string keyArn, string policy, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<KmsGrantInfo>> ListGrantsAsync(string keyArn, CancellationToken cancellationToken) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
