using Amazon.Runtime;
using AmiShare.Emulator;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Completion;
using AmiShare.Engine.Gateways;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>-ImageId completion in the engine: filtering, order, cap, formats, cache, time budget and failures, over a fake source.</summary>
public sealed class OwnedImageListerTests : IDisposable
{
    private const string Key = "AKIACOMPLETION000001";
    private const string Endpoint = "http://127.0.0.1:1";

    private readonly TempHome _home = new();
    private readonly FakeEnvironment _env;
    private readonly FakeOwnedImageSource _source = new();
    private readonly List<AwsSession> _sessions = new();
    private DateTime _now = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);

    public OwnedImageListerTests() => _env = new FakeEnvironment(_home.Path);

    public void Dispose() => _home.Dispose();

    private static ImageInfo Image(string id, string name, string? created, string state = "available") =>
        new() { ImageId = id, Name = name, CreationDate = created!, State = state, OwnerId = "123456789012" };

    private static readonly ImageInfo[] Images =
    {
        Image("ami-0000000000000000a", "web-server-2026.10", "2026-10-01T08:00:00.000Z"),
        Image("ami-0000000000000000b", "web-server-2026.11", "2026-11-02T10:00:00.000Z"),
        Image("ami-0000000000000000c", "Build-Agent", "2026-11-02T10:00:00.000Z"),
        Image("ami-0000000000000000d", "database", null!),
        Image("ami-1111111111111111e", "WEB-legacy", "2024-01-15T00:00:00.000Z"),
    };

    private OwnedImageLister Lister(TimeSpan? budget = null)
    {
        var resolver = new AwsSessionResolver(_env) { UseInstanceMetadata = false };
        return new OwnedImageLister(resolver, session => { lock (_sessions) _sessions.Add(session); return _source; }, () => _now)
        {
            TimeBudget = budget ?? TimeSpan.FromMinutes(5),
        };
    }

    private static SessionParameters Keys(string region = "us-east-1", string accessKey = Key, string endpoint = Endpoint) =>
        new() { AccessKey = accessKey, SecretKey = "completion-secret", Region = region, EndpointUrl = endpoint };

    private static IReadOnlyList<string> Ids(IEnumerable<ImageIdSuggestion> s) => s.Select(x => x.ImageId).ToList();

    [Fact]
    public void Select_EmptyWord_AllNewestFirst_SameDateById_UndatedLast()
    {
        var result = OwnedImageLister.Select(Images, "", 100);

        Assert.Equal(new[] { "ami-0000000000000000b", "ami-0000000000000000c", "ami-0000000000000000a", "ami-1111111111111111e", "ami-0000000000000000d" }, Ids(result));
    }

    [Theory]
    [InlineData("ami-1", new[] { "ami-1111111111111111e" })]
    [InlineData("AMI-0000000000000000A", new[] { "ami-0000000000000000a" })]
    [InlineData("'ami-1", new[] { "ami-1111111111111111e" })]
    [InlineData("\"web", new[] { "ami-0000000000000000b", "ami-0000000000000000a", "ami-1111111111111111e" })]
    [InlineData("agent", new[] { "ami-0000000000000000c" })]
    [InlineData("2026.1", new[] { "ami-0000000000000000b", "ami-0000000000000000a" })]
    [InlineData("0000a", new string[0])] // the id matches by prefix only, the name by substring
    [InlineData("nothing-like-it", new string[0])]
    public void Select_IdPrefixOrNameSubstring_CaseInsensitive(string word, string[] expected)
    {
        Assert.Equal(expected, Ids(OwnedImageLister.Select(Images, word, 100)));
    }

    [Fact]
    public void Select_CapsAfterSorting()
    {
        Assert.Equal(new[] { "ami-0000000000000000b", "ami-0000000000000000c" }, Ids(OwnedImageLister.Select(Images, "", 2)));
    }

    [Fact]
    public void Select_ListItemAndToolTip_NameDateAndPendingState()
    {
        var images = new[]
        {
            Image("ami-0000000000000000b", "web-server-2026.11", "2026-11-02T10:00:00.000Z"),
            Image("ami-0000000000000000f", "web-server-2026.12", "2026-12-01T09:05:00.000Z", "pending"),
            Image("ami-0000000000000000d", "database", null!),
            Image("ami-00000000000000001", null!, "2025-02-03T04:05:06Z"),
        };

        var s = OwnedImageLister.Select(images, "", 100).ToDictionary(x => x.ImageId);

        Assert.Equal("ami-0000000000000000b (web-server-2026.11, 2026-11-02)", s["ami-0000000000000000b"].ListItemText);
        Assert.Equal("ami-0000000000000000b (web-server-2026.11, 2026-11-02 10:00 UTC)", s["ami-0000000000000000b"].ToolTip);
        Assert.Equal("ami-0000000000000000f (web-server-2026.12, 2026-12-01)", s["ami-0000000000000000f"].ListItemText);
        Assert.Equal("ami-0000000000000000f (web-server-2026.12, 2026-12-01 09:05 UTC, pending)", s["ami-0000000000000000f"].ToolTip);
        Assert.Equal("ami-0000000000000000d (database)", s["ami-0000000000000000d"].ListItemText);
        Assert.Equal("ami-00000000000000001 (2025-02-03)", s["ami-00000000000000001"].ListItemText);
    }

    [Fact]
    public void Complete_ListsThroughTheResolvedSession_FiltersAndCaps()
    {
        _source.Images = Images;
        var lister = Lister();
        lister.MaxResults = 2;

        var result = lister.Complete(Keys("eu-west-1"), "web");

        Assert.Equal(new[] { "ami-0000000000000000b", "ami-0000000000000000a" }, Ids(result));
        AwsSession session = Assert.Single(_sessions);
        Assert.Equal(("eu-west-1", Endpoint, "the supplied key parameters"), (session.Region, session.EndpointUrl, session.CredentialSource));
        Assert.Equal(1, _source.Calls);
        Assert.Equal(1, _source.Disposals);
    }

    [Fact]
    public void Complete_WithinCacheLifetime_AnyWord_ListsOnce_AfterItListsAgain()
    {
        _source.Images = Images;
        var lister = Lister();

        Assert.Equal(5, lister.Complete(Keys(), "").Count);
        _now = _now.AddSeconds(59);
        Assert.Equal(new[] { "ami-0000000000000000c" }, Ids(lister.Complete(Keys(), "agent")));
        Assert.Equal(1, _source.Calls);

        _now = _now.AddSeconds(2);
        Assert.Equal(5, lister.Complete(Keys(), "").Count);
        Assert.Equal(2, _source.Calls);
    }

    [Fact]
    public void Complete_CacheIsPerRegionEndpointAndAccessKey()
    {
        _source.Images = Images;
        var lister = Lister();

        lister.Complete(Keys(), "");
        lister.Complete(Keys(region: "us-west-2"), "");
        lister.Complete(Keys(endpoint: "http://127.0.0.1:2"), "");
        lister.Complete(Keys(accessKey: "AKIACOMPLETION000002"), "");
        lister.Complete(Keys(), "web");

        Assert.Equal(4, _source.Calls);
    }

    [Fact]
    public void CacheKey_StaticKeys_ByAccessKeyId_NeverTheSecret()
    {
        var session = new AwsSession(new BasicAWSCredentials(Key, "very-secret-text"), "the supplied key parameters", "us-east-1", "region parameter", Endpoint);

        string key = OwnedImageLister.CacheKey(session, new SessionParameters());

        Assert.Contains(Key, key);
        Assert.Contains("us-east-1", key);
        Assert.Contains(Endpoint, key);
        Assert.DoesNotContain("very-secret-text", key);
    }

    [Fact]
    public void Complete_RefreshingCredentials_CachedBySource_WithoutAskingThemForKeys()
    {
        _source.Images = Images;
        _env.Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x");
        var made = new List<CountingCredentials>();
        var resolver = new AwsSessionResolver(_env)
        {
            UseInstanceMetadata = false,
            AmbientCredentialsFactory = _ => { var c = new CountingCredentials(); made.Add(c); return c; },
        };
        var lister = new OwnedImageLister(resolver, _ => _source, () => _now) { TimeBudget = TimeSpan.FromMinutes(5) };

        lister.Complete(new SessionParameters { Region = "us-east-1" }, "");
        lister.Complete(new SessionParameters { Region = "us-east-1" }, "web");

        Assert.Equal(2, made.Count); // a new credentials object each resolution…
        Assert.Equal(1, _source.Calls); // …yet one listing
        Assert.All(made, c => Assert.Equal(0, c.Calls));
    }

    [Fact]
    public void Complete_NoCredentials_Empty_NothingListed()
    {
        var result = Lister().Complete(new SessionParameters { Region = "us-east-1", EndpointUrl = Endpoint }, "");

        Assert.Empty(result);
        Assert.Empty(_sessions);
    }

    [Fact]
    public void Complete_NoRegion_Empty_NothingListed()
    {
        var result = Lister().Complete(new SessionParameters { AccessKey = Key, SecretKey = "s" }, "");

        Assert.Empty(result);
        Assert.Empty(_sessions);
    }

    [Theory]
    [InlineData("not a region", null, null)]
    [InlineData("us-east-1", "AKIAONLYACCESSKEY", null)]
    [InlineData("us-east-1", null, "ftp://nowhere")]
    public void Complete_InvalidInput_Empty_NeverThrows(string region, string? accessKeyOnly, string? endpoint)
    {
        var p = accessKeyOnly != null
            ? new SessionParameters { AccessKey = accessKeyOnly, Region = region }
            : new SessionParameters { AccessKey = Key, SecretKey = "s", Region = region, EndpointUrl = endpoint };

        Assert.Empty(Lister().Complete(p, ""));
        Assert.Empty(_sessions);
    }

    [Fact]
    public void Complete_AwsError_Empty_AndNotCached()
    {
        _source.Failure = new AmiShareException(ErrorIds.AccessDenied, AmiShareErrorKind.PermissionDenied, "You are not authorized to perform this operation.", null, "Ask for ec2:DescribeImages.");
        var lister = Lister();

        Assert.Empty(lister.Complete(Keys(), ""));

        _source.Failure = null;
        _source.Images = Images;
        Assert.Equal(5, lister.Complete(Keys(), "").Count);
        Assert.Equal(2, _source.Calls);
    }

    [Fact]
    public void Complete_UnexpectedException_Empty()
    {
        _source.Failure = new InvalidOperationException("boom");

        Assert.Empty(Lister().Complete(Keys(), ""));
        Assert.Equal(1, _source.Calls);
    }

    [Fact]
    public async Task Complete_SourceNeverAnswers_EmptyWhenBudgetRunsOut_AndTheCallIsCancelled()
    {
        _source.Hang = true;
        _source.Images = Images;
        var lister = Lister(TimeSpan.FromMilliseconds(50));
        lister.ListingLimit = TimeSpan.FromMilliseconds(100);

        var result = lister.Complete(Keys(), "");

        Assert.Empty(result);
        // The listing went on after the prompt stopped waiting, until ListingLimit cancelled it.
        await _source.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await _source.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The cancelled listing left nothing in the cache.
        _source.Hang = false;
        lister.TimeBudget = TimeSpan.FromMinutes(5);
        Assert.Equal(5, lister.Complete(Keys(), "").Count);
        Assert.Equal(2, _source.Calls);
    }

    [Fact]
    public async Task Complete_SlowListing_GoesOnAfterTheBudget_ATabMeanwhileWaitsForIt_AndTheNextTabShowsIt()
    {
        _source.Images = Images;
        _source.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lister = Lister(TimeSpan.FromMilliseconds(50));

        // The budget runs out: nothing offered, but the listing is not cancelled.
        Assert.Empty(lister.Complete(Keys(), ""));
        // A Tab pressed while it is still listing joins it instead of starting another.
        Assert.Empty(lister.Complete(Keys(), ""));
        Assert.Equal(1, _source.Calls);

        _source.Gate.SetResult();
        await _source.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(_source.Cancelled.Task.IsCompleted);

        // The late answer was cached: the next Tab shows the AMIs without listing again.
        Assert.Equal(5, lister.Complete(Keys(), "").Count);
        Assert.Equal(1, _source.Calls);
    }

    [Fact]
    public async Task Ec2Source_AgainstEmulator_OwnAvailableAndPendingImages_AllPages_WithNames()
    {
        await using var host = await EmulatorHost.StartAsync(World.Demo());
        host.World.AddImage(new ImageSpec { ImageId = "ami-0a1b2c3d4e5f6000a", Region = "us-east-1", Owner = "123456789012", Name = "pending-build", State = "pending" });
        host.World.AddImage(new ImageSpec { ImageId = "ami-0a1b2c3d4e5f6000b", Region = "us-east-1", Owner = "123456789012", Name = "failed-build", State = "failed" });
        var session = new AwsSession(new BasicAWSCredentials("AKIAAMISHAREOWNER001", "owner-secret"), "the supplied key parameters", "us-east-1", "region parameter", host.Endpoint);
        using var source = new Ec2OwnedImageSource(session, NullShareReporter.Instance) { PageSize = 2 };

        var images = await source.ListOwnedImagesAsync(default);

        Assert.Equal(
            new[] { "ami-0a1b2c3d4e5f60001", "ami-0a1b2c3d4e5f60002", "ami-0a1b2c3d4e5f60003", "ami-0a1b2c3d4e5f60004", "ami-0a1b2c3d4e5f60005", "ami-0a1b2c3d4e5f6000a" },
            images.Select(i => i.ImageId).OrderBy(i => i, StringComparer.Ordinal));
        Assert.Equal("web-server-2026.11", images.Single(i => i.ImageId == "ami-0a1b2c3d4e5f60001").Name);
        Assert.Equal("pending", images.Single(i => i.ImageId == "ami-0a1b2c3d4e5f6000a").State);
        Assert.StartsWith("2026-11-02T10:00:00", images.Single(i => i.ImageId == "ami-0a1b2c3d4e5f60001").CreationDate);
        Assert.Equal(3, host.Log.Count("DescribeImages")); // 6 images, 2 a page
    }

    /// <summary>Refreshing credentials that count how often they are asked for keys.</summary>
    private sealed class CountingCredentials : AWSCredentials
    {
        public int Calls { get; private set; }

        public override ImmutableCredentials GetCredentials()
        {
            Calls++;
            return new ImmutableCredentials("AKIAREFRESHING000001", "s", "t");
        }
    }

    /// <summary>An in-memory listing that counts calls, can fail, or can hang until cancelled.</summary>
    private sealed class FakeOwnedImageSource : IOwnedImageSource
    {
        private int _calls;
        private int _disposals;

        public IReadOnlyList<ImageInfo> Images { get; set; } = Array.Empty<ImageInfo>();

        public Exception? Failure { get; set; }

        public bool Hang { get; set; }

        /// <summary>When set, the listing waits for it (a slow network the test releases).</summary>
        public TaskCompletionSource? Gate { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public int Disposals => Volatile.Read(ref _disposals);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IReadOnlyList<ImageInfo>> ListOwnedImagesAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Failure != null)
            {
                throw Failure;
            }

            if (Gate != null)
            {
                await Gate.Task;
            }

            if (Hang)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Cancelled.TrySetResult();
                    throw;
                }
            }

            return Images;
        }

        public void Dispose()
        {
            Interlocked.Increment(ref _disposals);
            Disposed.TrySetResult();
        }
    }
}
