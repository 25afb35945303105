using Amazon.Runtime;
using AmiShare.Emulator;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Organizations;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>
/// Issue 8, build 2: two AMIs behind one KMS key planned from the same key policy and applied at the same time never lose
/// each other's key-policy statements (the executor's per-key lock around GetKeyPolicy → re-apply → PutKeyPolicy).
/// Real gateways against the emulator's demo world plus a second AMI behind the demo CMK.
/// </summary>
public sealed class ConcurrentApplyTests : IAsyncLifetime
{
    private const string Region = "us-east-1";
    private const string First = "ami-0a1b2c3d4e5f60002";
    private const string Second = "ami-0a1b2c3d4e5f60022";
    private const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";

    private static readonly Principal A = PrincipalParser.Parse("111122223333");
    private static readonly Principal B = PrincipalParser.Parse("777788889999");
    private static readonly ShareOptions WithKey = new() { IncludeKmsKey = true };

    private readonly ListReporter _reporter = new();
    private EmulatorHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await EmulatorHost.StartAsync(World.Demo());
        KeyAccessFollowsAmisTests.AddSecondAmiBehindTheKey(_host.World);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ApplyAsync_TwoAmisBehindOneKeyAppliedAtOnce_KeyPolicyKeepsBothStatements()
    {
        var session = new AwsSession(new BasicAWSCredentials("AKIAAMISHAREOWNER001", "owner-secret"), "the supplied key parameters", Region, "region parameter", _host.Endpoint);
        var kms = new OverlappingReadsKms(new KmsGateway(session, _reporter));
        using var service = new AmiShareService(new Ec2Gateway(session, _reporter), kms, new OrganizationsGateway(session, _reporter), _reporter);

        // Both plans are made from the same key policy, before either is applied.
        SharePlan first = await service.PlanGrantAsync(First, new[] { A }, WithKey, default);
        SharePlan second = await service.PlanGrantAsync(Second, new[] { B }, WithKey, default);
        Assert.Single(first.KeyPolicyChanges);
        Assert.Single(second.KeyPolicyChanges);
        kms.Armed = true;

        await Task.WhenAll(service.ApplyAsync(first, default), service.ApplyAsync(second, default));

        string policy = _host.World.KeyPolicyOf(Region, KeyId);
        Assert.Contains("arn:aws:iam::111122223333:root", policy);
        Assert.Contains("arn:aws:iam::777788889999:root", policy);
        Assert.Equal(1, kms.MostOpenReadModifyWrites);
        Assert.Equal(2, kms.Puts);
    }

    [Fact]
    public async Task PlanAndApply_ThreeAmisAtOnceOnOneService_EachSharedAndTheKeyPolicyHasBoth()
    {
        var session = new AwsSession(new BasicAWSCredentials("AKIAAMISHAREOWNER001", "owner-secret"), "the supplied key parameters", Region, "region parameter", _host.Endpoint);
        using var service = new AmiShareService(new Ec2Gateway(session, _reporter), new KmsGateway(session, _reporter), new OrganizationsGateway(session, _reporter), _reporter);
        var images = new[] { (First, A), (Second, B), ("ami-0a1b2c3d4e5f60032", A) };

        ShareResult[] results = await Task.WhenAll(images.Select(async x =>
            await service.ApplyAsync(await service.PlanGrantAsync(x.Item1, new[] { x.Item2 }, new ShareOptions { IncludeKmsKey = true, IncludeSnapshot = true }, default), default)));

        Assert.All(results, r => Assert.True(r.Changed));
        foreach ((string image, Principal who) in images)
        {
            Assert.Contains(("UserId", who.Value), _host.World.LaunchPermissionsOf(Region, image));
        }

        string policy = _host.World.KeyPolicyOf(Region, KeyId);
        Assert.Contains("arn:aws:iam::111122223333:root", policy);
        Assert.Contains("arn:aws:iam::777788889999:root", policy);
    }

    /// <summary>
    /// A KMS gateway that, once armed, holds each GetKeyPolicy answer until a second GetKeyPolicy starts (or a second passes), so
    /// two read-modify-writes without a lock would both read the same policy (and the later PutKeyPolicy would drop the other's
    /// statement). It counts the read-modify-writes open at once (GetKeyPolicy started, its PutKeyPolicy not yet done).
    /// </summary>
    private sealed class OverlappingReadsKms : IKmsGateway
    {
        private readonly IKmsGateway _inner;
        private readonly TaskCompletionSource _secondRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armedReads;
        private int _open;
        private int _mostOpen;
        private int _puts;

        public OverlappingReadsKms(IKmsGateway inner) => _inner = inner;

        /// <summary>Set after planning: from then on, reads are the executor's.</summary>
        public bool Armed { get; set; }

        public int MostOpenReadModifyWrites => Volatile.Read(ref _mostOpen);

        public int Puts => Volatile.Read(ref _puts);

        public Task<KmsKeyInfo> DescribeKeyAsync(string keyId, CancellationToken cancellationToken) => _inner.DescribeKeyAsync(keyId, cancellationToken);

        public Task<IReadOnlyList<KmsGrantInfo>> ListGrantsAsync(string keyArn, CancellationToken cancellationToken) => _inner.ListGrantsAsync(keyArn, cancellationToken);

        public async Task<string> GetKeyPolicyAsync(string keyArn, CancellationToken cancellationToken)
        {
            if (!Armed)
            {
                return await _inner.GetKeyPolicyAsync(keyArn, cancellationToken);
            }

            int open = Interlocked.Increment(ref _open);
            int most;
            while (open > (most = Volatile.Read(ref _mostOpen)) && Interlocked.CompareExchange(ref _mostOpen, open, most) != most)
            {
            }

            if (Interlocked.Increment(ref _armedReads) == 2)
            {
                _secondRead.TrySetResult();
            }

            string policy = await _inner.GetKeyPolicyAsync(keyArn, cancellationToken);
            await Task.WhenAny(_secondRead.Task, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken)); // a timeout, never asserted
            return policy;
        }

        public async Task PutKeyPolicyAsync(string keyArn, string policy, CancellationToken cancellationToken)
        {
            await _inner.PutKeyPolicyAsync(keyArn, policy, cancellationToken);
            Interlocked.Decrement(ref _open);
            Interlocked.Increment(ref _puts);
        }

        public void Dispose() => _inner.Dispose();
    }
}
