using Amazon.Runtime;
using AmiShare.Emulator;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Facts;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>
/// The run-scoped facts loader (Facts/) against the in-process emulator, through the services AmiShareServiceFactory
/// builds (the path the cmdlets use), counting calls from the emulator's request log.
/// </summary>
public sealed class RunFactsTests : IAsyncLifetime
{
    private const string Region = "us-east-1";
    private const string Owner = "123456789012";
    private const string OwnerKey = "AKIAAMISHAREOWNER001";
    private const string KeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string Missing = "ami-0dddddddddddddddd";

    private static readonly Principal Consumer = PrincipalParser.Parse("111122223333");

    private readonly ListReporter _reporter = new();
    private EmulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await EmulatorHost.StartAsync(World.Demo());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private AwsSession Session() =>
        new(new BasicAWSCredentials(OwnerKey, "owner-secret"), "the supplied key parameters", Region, "region parameter", _host.Endpoint);

    /// <summary>Adds <paramref name="count"/> plain AMIs (or encrypted ones, each on its own snapshot under the demo CMK).</summary>
    private List<string> AddAmis(int count, string prefix, bool encrypted = false)
    {
        var ids = new List<string>();
        for (int n = 0; n < count; n++)
        {
            string hex = prefix + n.ToString("x" + (17 - prefix.Length));
            string id = "ami-" + hex;
            var image = new ImageSpec { ImageId = id, Region = Region, Owner = Owner, Name = "build-" + n };
            if (encrypted)
            {
                _host.World.AddSnapshot(new SnapshotSpec { SnapshotId = "snap-" + hex, Region = Region, Owner = Owner, KmsKeyId = KeyArn });
                image.BlockDeviceMappings.Add(new BlockDeviceSpec { SnapshotId = "snap-" + hex, VolumeSize = 8 });
            }

            _host.World.AddImage(image);
            ids.Add(id);
        }

        return ids;
    }

    private int DescribeImagesByIdCalls => _host.Log.Entries.Count(e => e.Action == "DescribeImages" && !e.Parameters.Values.Contains("self"));

    private static async Task ForAllAsync(IEnumerable<string> ids, Func<string, Task> work, int concurrency = 10)
    {
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(ids.Select(async id =>
        {
            await gate.WaitAsync();
            try
            {
                await work(id);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    [Fact]
    public async Task Prefetched200_PlannedConcurrently_OneDescribeImages()
    {
        List<string> ids = AddAmis(200, "0b");
        using var factory = new AmiShareServiceFactory(_reporter);
        AmiShareService service = factory.For(Session());
        _host.Log.Clear();

        service.Prefetch(ids);
        await ForAllAsync(ids, async id => Assert.True((await service.PlanGrantAsync(id, new[] { Consumer }, new ShareOptions(), default)).HasChanges));

        Assert.Equal(1, DescribeImagesByIdCalls);
        Assert.Equal(200, _host.Log.Count("DescribeImageAttribute"));
        var batch = Assert.Single(_host.Log.Entries, e => e.Action == "DescribeImages");
        Assert.Equal("image-id", batch.Parameters["Filter.1.Name"]);
        Assert.Equal(200, batch.Parameters.Keys.Count(k => k.StartsWith("Filter.1.Value.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Prefetched201_ReadConcurrently_TwoCalls_AndEachImageReadOnce()
    {
        List<string> ids = AddAmis(201, "0c");
        using var facts = new RunEc2Facts(new Ec2Gateway(Session(), _reporter));
        _host.Log.Clear();

        facts.Prefetch(ids);
        await ForAllAsync(ids, async id => Assert.Equal(id, (await facts.DescribeImageAsync(id, default)).ImageId), concurrency: 25);
        await ForAllAsync(ids, async id => Assert.Equal(id, (await facts.DescribeImageAsync(id, default)).ImageId));

        Assert.Equal(2, DescribeImagesByIdCalls);
    }

    [Fact]
    public async Task MissingIdAmongPrefetched_SameErrorAsBefore_ForThatIdOnly()
    {
        List<string> ids = AddAmis(20, "0e");
        AmiShareException before;
        using (var plain = new Ec2Gateway(Session(), _reporter))
        {
            before = await Assert.ThrowsAsync<AmiShareException>(() => plain.DescribeImageAsync(Missing, default));
        }

        using var facts = new RunEc2Facts(new Ec2Gateway(Session(), _reporter));
        _host.Log.Clear();
        facts.Prefetch(ids.Append(Missing));

        var after = await Assert.ThrowsAsync<AmiShareException>(() => facts.DescribeImageAsync(Missing, default));
        await ForAllAsync(ids, async id => Assert.Equal("build-" + ids.IndexOf(id), (await facts.DescribeImageAsync(id, default)).Name));
        var again = await Assert.ThrowsAsync<AmiShareException>(() => facts.DescribeImageAsync(Missing, default));

        Assert.Equal(ErrorIds.AmiNotFound, after.ErrorId);
        Assert.Equal(before.ErrorId, after.ErrorId);
        Assert.Equal(before.Kind, after.Kind);
        Assert.Equal(before.Message, after.Message);
        Assert.Equal(before.Remedy, after.Remedy);
        Assert.Equal(before.Target, after.Target);
        Assert.Equal(before.AwsErrorCode, after.AwsErrorCode);
        Assert.Same(after, again);

        // One batch for all 21, then the missing id alone (as before batching), kept for the run.
        Assert.Equal(2, DescribeImagesByIdCalls);
    }

    [Fact]
    public async Task SetPublic_50Plans_BlockPublicAccessAndPublicCountReadOnce()
    {
        List<string> ids = AddAmis(50, "0f");
        using var factory = new AmiShareServiceFactory(_reporter);
        AmiShareService service = factory.For(Session());
        _host.Log.Clear();
        service.Prefetch(ids);

        await ForAllAsync(ids, async id => Assert.True((await service.PlanSetPublicAsync(id, true, default)).HasChanges));

        Assert.Equal(1, _host.Log.Count("GetImageBlockPublicAccessState"));
        Assert.Equal(1, _host.Log.Entries.Count(e => e.Action == "DescribeImages" && e.Parameters.Values.Contains("is-public")));
        Assert.Equal(1, DescribeImagesByIdCalls);
    }

    [Fact]
    public async Task PublicCount_FollowsOurOwnWrites_WithoutReadingAgain()
    {
        string id = AddAmis(1, "0a")[0];
        using var facts = new RunEc2Facts(new Ec2Gateway(Session(), _reporter));
        int before = await facts.CountOwnedPublicImagesAsync(default);

        Assert.DoesNotContain(Principal.Everyone, await facts.GetLaunchPermissionsAsync(id, default));
        await facts.ModifyLaunchPermissionsAsync(id, new[] { Principal.Everyone }, Array.Empty<Principal>(), default);
        Assert.Equal(before + 1, await facts.CountOwnedPublicImagesAsync(default));
        Assert.True(_host.World.IsImagePublic(Region, id));

        await facts.ModifyLaunchPermissionsAsync(id, Array.Empty<Principal>(), new[] { Principal.Everyone }, default);
        Assert.Equal(before, await facts.CountOwnedPublicImagesAsync(default));

        Assert.Equal(1, _host.Log.Entries.Count(e => e.Action == "DescribeImages" && e.Parameters.Values.Contains("is-public")));
    }

    [Fact]
    public async Task EncryptedGrant_20AmisBehindOneKey_KeyReadsOncePerRun()
    {
        List<string> ids = AddAmis(20, "09", encrypted: true);
        var options = new ShareOptions { IncludeKmsKey = true, IncludeSnapshot = true };
        using var factory = new AmiShareServiceFactory(_reporter);
        AmiShareService service = factory.For(Session());
        _host.Log.Clear();
        service.Prefetch(ids);

        foreach (string id in ids)
        {
            ShareResult result = await service.ApplyAsync(await service.PlanGrantAsync(id, new[] { Consumer }, options, default), default);
            Assert.True(result.Changed);
        }

        Assert.Equal(1, _host.Log.Count("DescribeKey"));
        Assert.Equal(1, _host.Log.Count("GetKeyPolicy"));
        Assert.Equal(1, _host.Log.Count("ListGrants"));
        Assert.Equal(1, _host.Log.Count("PutKeyPolicy"));
        Assert.Equal(20, _host.Log.Count("ModifySnapshotAttribute"));
        Assert.Equal(20, _host.Log.Count("ModifyImageAttribute"));
        Assert.Contains("111122223333", _host.World.KeyPolicyOf(Region, "1234abcd-12ab-34cd-56ef-1234567890ab"));
    }
}
