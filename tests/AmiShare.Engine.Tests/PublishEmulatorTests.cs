using Amazon.Runtime;
using AmiShare.Emulator;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Distribution;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Jobs;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>Publisher over the real gateways (EC2 copy calls, KMS, SSM, the sharing service) against the emulator.</summary>
public sealed class PublishEmulatorTests : IAsyncLifetime
{
    private const string Web = "ami-0a1b2c3d4e5f60001";
    private static readonly Principal Ou = PrincipalParser.Parse("arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111");
    private readonly ListReporter _reporter = new();
    private EmulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await EmulatorHost.StartAsync(World.Demo());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private AwsSession Session(string region, string key = "AKIAAMISHAREOWNER001", string secret = "owner-secret") =>
        new(new BasicAWSCredentials(key, secret), "the supplied key parameters", region, "region parameter", _host.Endpoint);

    private sealed class Rows : ICopyCallbacks<PublishResult>
    {
        public List<PublishResult> Results { get; } = new();

        public Task<ApprovalAnswer> ApproveAsync(string action, string target, IReadOnlyList<string> details, CancellationToken cancellationToken) => Task.FromResult(ApprovalAnswer.Approved);

        public void Progress(JobProgress progress)
        {
        }

        public void Warning(string message)
        {
        }

        public void Verbose(string message)
        {
        }

        public void Result(PublishResult result) => Results.Add(result);

        public void StopNote(string? note)
        {
        }
    }

    [Fact]
    public async Task Publish_SharedTagIsVisibleToAMemberOfTheOu_OtherOwnerTagsAreNot_AndTheParameterHoldsTheCopy()
    {
        using var factory = new AmiShareServiceFactory(_reporter);
        AmiShareService source = factory.For(Session("us-east-1"));
        using var regions = new RegionGatewaysFactory(factory, source);
        var publisher = new Publisher(regions.For, new PublishSettings { PollInterval = TimeSpan.FromMilliseconds(20) });
        var rows = new Rows();

        await publisher.PublishAsync(new PublishRequest
        {
            SourceImageId = Web,
            SourceRegion = "us-east-1",
            Regions = new[] { "us-west-2" },
            Principals = new[] { Ou },
            Tags = new Dictionary<string, string> { ["team"] = "platform" },
            SharedTags = new Dictionary<string, string> { ["release"] = "2026.11" },
            SsmParameterName = "/golden/web/latest",
        }, rows, CancellationToken.None);

        PublishResult row = Assert.Single(rows.Results);
        Assert.Equal(("us-west-2", "Created", "available"), (row.Region, row.Action, row.State));

        // 111122223333 is in the Engineering OU: its DescribeImages shows the shared tag, and only that.
        using var consumer = new Ec2Gateway(Session("us-west-2", "AKIAAMISHARECONSUMER1", "consumer-secret"), _reporter);
        ImageInfo seen = Assert.Single(await consumer.DescribeImagesAsync(new[] { row.ImageId }, CancellationToken.None));
        Assert.Equal("2026.11", seen.Tags["ec2:SharedTag/release"]);
        Assert.False(seen.Tags.ContainsKey("team"));
        Assert.False(seen.Tags.ContainsKey(CopyIdentity.SourceTagKey));

        using var ssm = new SsmGateway(Session("us-west-2"), _reporter);
        Assert.Equal(row.ImageId, await ssm.GetParameterValueAsync("/golden/web/latest", CancellationToken.None));
        Assert.Null(await ssm.GetParameterValueAsync("/golden/none", CancellationToken.None));
    }
}
