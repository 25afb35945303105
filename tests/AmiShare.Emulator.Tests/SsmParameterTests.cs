using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>SSM Parameter Store (AWS JSON 1.1, AmazonSSM.*) with the real AWSSDK.SimpleSystemsManagement client.</summary>
public sealed class SsmParameterTests : FreshEmulatorTest
{
    private readonly List<AmazonSimpleSystemsManagementClient> _clients = new();

    private AmazonSimpleSystemsManagementClient Ssm(string key = Demo.OwnerKey, string region = "us-east-1")
    {
        var c = new AmazonSimpleSystemsManagementClient(new BasicAWSCredentials(key, Demo.SecretOf(key)),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = Host.Endpoint, AuthenticationRegion = region, MaxErrorRetry = 0 });
        _clients.Add(c);
        return c;
    }

    private static Task<PutParameterResponse> Put(AmazonSimpleSystemsManagementClient ssm, string name, string value, string? dataType = null,
        bool overwrite = false, string? type = "String", List<Tag>? tags = null) =>
        ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = name, Value = value, Type = type == null ? null : new ParameterType(type), DataType = dataType, Overwrite = overwrite, Tags = tags,
        });

    private static async Task<T> SsmError<T>(Func<Task> call, string code, string? message = null) where T : AmazonSimpleSystemsManagementException
    {
        var e = await Assert.ThrowsAsync<T>(call);
        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(400, (int)e.StatusCode);
        if (message != null) Assert.Equal(message, e.Message);
        return e;
    }

    [Fact]
    public async Task PutGetDelete_VersionsIncrement_AlreadyExistsWithoutOverwrite_NotFoundAfterDelete()
    {
        var ssm = Ssm();
        var put = await Put(ssm, "/golden/linux/latest", "hello");
        Assert.Equal(1, put.Version);
        Assert.Equal("Standard", put.Tier.Value);
        var got = (await ssm.GetParameterAsync(new GetParameterRequest { Name = "/golden/linux/latest" })).Parameter;
        Assert.Equal(("hello", 1L, "text", "String"), (got.Value, got.Version!.Value, got.DataType, got.Type.Value));
        Assert.Equal("arn:aws:ssm:us-east-1:123456789012:parameter/golden/linux/latest", got.ARN);
        Assert.NotNull(got.LastModifiedDate);

        await SsmError<ParameterAlreadyExistsException>(() => Put(ssm, "/golden/linux/latest", "again"), "ParameterAlreadyExists",
            "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
        Assert.Equal(2, (await Put(ssm, "/golden/linux/latest", "again", overwrite: true, type: null)).Version);
        Assert.Equal(("again", 2L, "text"), Host.World.ParameterOf(Demo.Owner, "us-east-1", "/golden/linux/latest"));

        var many = await ssm.GetParametersAsync(new GetParametersRequest { Names = new List<string> { "/golden/linux/latest", "/nope" } });
        Assert.Equal("again", Assert.Single(many.Parameters).Value);
        Assert.Equal("/nope", Assert.Single(many.InvalidParameters));

        await ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = "/golden/linux/latest" });
        await SsmError<ParameterNotFoundException>(() => ssm.GetParameterAsync(new GetParameterRequest { Name = "/golden/linux/latest" }),
            "ParameterNotFound", "Parameter /golden/linux/latest not found.");
        await SsmError<ParameterNotFoundException>(() => ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = "/golden/linux/latest" }), "ParameterNotFound");
        Assert.Null(Host.World.ParameterOf(Demo.Owner, "us-east-1", "/golden/linux/latest"));
    }

    [Fact]
    public async Task Parameters_ArePerAccountAndRegion()
    {
        await Put(Ssm(), "/app/x", "east");
        await SsmError<ParameterNotFoundException>(() => Ssm(region: "us-west-2").GetParameterAsync(new GetParameterRequest { Name = "/app/x" }), "ParameterNotFound");
        await SsmError<ParameterNotFoundException>(() => Ssm(Demo.ConsumerKey).GetParameterAsync(new GetParameterRequest { Name = "/app/x" }), "ParameterNotFound");
        Assert.Equal(1, (await Put(Ssm(region: "us-west-2"), "/app/x", "west")).Version);
        Assert.Equal("west", (await Ssm(region: "us-west-2").GetParameterAsync(new GetParameterRequest { Name = "/app/x" })).Parameter.Value);
        Assert.Equal(2, Host.State().Parameters.Count);
    }

    [Fact]
    public async Task Ec2ImageDataType_ValidAmiIsStored_InvalidOrInvisibleAmi_AnswersSuccessButIsNotStored()
    {
        var ssm = Ssm();
        Assert.Equal(1, (await Put(ssm, "/golden/web", Demo.Web, "aws:ec2:image")).Version);
        var p = (await ssm.GetParameterAsync(new GetParameterRequest { Name = "/golden/web" })).Parameter;
        Assert.Equal((Demo.Web, "aws:ec2:image"), (p.Value, p.DataType));

        // Asynchronous validation: the call succeeds, the parameter is not created or updated.
        Assert.Equal(1, (await Put(ssm, "/golden/bad", "not-an-ami", "aws:ec2:image")).Version);
        await SsmError<ParameterNotFoundException>(() => ssm.GetParameterAsync(new GetParameterRequest { Name = "/golden/bad" }), "ParameterNotFound");
        Assert.Equal(2, (await Put(ssm, "/golden/web", "ami-00000000000000000", "aws:ec2:image", overwrite: true)).Version);
        Assert.Equal((Demo.Web, 1L, "aws:ec2:image"), Host.World.ParameterOf(Demo.Owner, "us-east-1", "/golden/web"));
        // An AMI of another region is not available in this one.
        await Put(ssm, "/golden/eu", Demo.WebEu, "aws:ec2:image");
        Assert.Null(Host.World.ParameterOf(Demo.Owner, "us-east-1", "/golden/eu"));
        var failures = Host.World.ParameterValidationFailuresOf(Demo.Owner, "us-east-1");
        Assert.Equal(new[] { "/golden/bad", "/golden/web", "/golden/eu" }, failures.Select(f => f.Name));
        Assert.Equal(3, Host.State().ParameterValidationFailures.Count);

        // An AMI shared with the caller validates; a private one of another account does not.
        var consumer = Ssm(Demo.ConsumerKey);
        await Put(consumer, "/shared/web", Demo.Web, "aws:ec2:image");
        Assert.Null(Host.World.ParameterOf(Demo.Consumer, "us-east-1", "/shared/web"));
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        await Put(consumer, "/shared/web", Demo.Web, "aws:ec2:image");
        Assert.Equal((Demo.Web, 1L, "aws:ec2:image"), Host.World.ParameterOf(Demo.Consumer, "us-east-1", "/shared/web"));
    }

    [Fact]
    public async Task Ec2ImageDataType_FailedImage_IsNotStored()
    {
        var failed = await Owner.CopyImageAsync(new Amazon.EC2.Model.CopyImageRequest
        {
            SourceImageId = Demo.Web, SourceRegion = "us-east-1", Name = "bad-key-copy", Encrypted = true, KmsKeyId = "alias/no-such-key",
        });
        Assert.Equal("failed", Host.World.ImageStateOf("us-east-1", failed.ImageId));
        await Put(Ssm(), "/golden/failed", failed.ImageId, "aws:ec2:image");
        Assert.Null(Host.World.ParameterOf(Demo.Owner, "us-east-1", "/golden/failed"));
    }

    [Fact]
    public async Task Ec2ImageDataType_NeedsEc2DescribeImages()
    {
        Host.World.DenyAction(Demo.Owner, "ec2:DescribeImages");
        await Put(Ssm(), "/golden/web", Demo.Web, "aws:ec2:image");
        Assert.Null(Host.World.ParameterOf(Demo.Owner, "us-east-1", "/golden/web"));
    }

    [Fact]
    public async Task PutParameter_ValidationErrors()
    {
        var ssm = Ssm();
        await SsmError<AmazonSimpleSystemsManagementException>(() => Put(ssm, "/x", "v", type: null), "ValidationException",
            "A parameter type is required when you create a parameter.");
        await SsmError<AmazonSimpleSystemsManagementException>(() => Put(ssm, "/x", "v", overwrite: true, tags: new List<Tag> { new() { Key = "k", Value = "v" } }),
            "ValidationException",
            "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.");
        await SsmError<AmazonSimpleSystemsManagementException>(() => Put(ssm, "/x", "v", dataType: "aws:ec2:Image"), "ValidationException",
            "The following data type is not supported: aws:ec2:Image (Data type names are all lowercase.)");
        await SsmError<AmazonSimpleSystemsManagementException>(() => Put(ssm, "awsthing", "v"), "ValidationException",
            "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");
        await SsmError<AmazonSimpleSystemsManagementException>(() => Put(ssm, "/x", Demo.Web, "aws:ec2:image", type: "StringList"), "ValidationException");

        await Put(ssm, "/x", "v", tags: new List<Tag> { new() { Key = "k", Value = "v" } });
        await SsmError<HierarchyTypeMismatchException>(() => Put(ssm, "/x", "v", overwrite: true, type: "StringList"), "HierarchyTypeMismatchException");
        await SsmError<AmazonSimpleSystemsManagementException>(() => Put(ssm, "/x", Demo.Web, "aws:ec2:image", overwrite: true), "ValidationException");
        Assert.Equal(("v", 1L, "text"), Host.World.ParameterOf(Demo.Owner, "us-east-1", "/x"));
    }

    [Fact]
    public async Task Ssm_RequestLog_Faults_AndThrottlingBuckets()
    {
        var ssm = Ssm();
        await Put(ssm, "/a", "1");
        var entry = Host.Log.Entries.Single(e => e.Action == "PutParameter");
        Assert.Equal(("ssm", Demo.Owner, "us-east-1", 200), (entry.Service, entry.Account, entry.Region, entry.HttpStatus));
        Assert.Equal(1, Host.Log.MutatingCount);

        Host.Options.ThrottleNext("GetParameter");
        await SsmError<AmazonSimpleSystemsManagementException>(() => ssm.GetParameterAsync(new GetParameterRequest { Name = "/a" }), "ThrottlingException", "Rate exceeded");

        Host.Options.Throttling = true;
        Host.Options.SetThrottleBucket("ssm:GetParameters", 2, 0);
        await ssm.GetParameterAsync(new GetParameterRequest { Name = "/a" });
        await ssm.GetParametersAsync(new GetParametersRequest { Names = new List<string> { "/a" } });
        await SsmError<AmazonSimpleSystemsManagementException>(() => ssm.GetParameterAsync(new GetParameterRequest { Name = "/a" }), "ThrottlingException", "Rate exceeded");
        Assert.Equal(2, (await Put(ssm, "/a", "2", overwrite: true, type: null)).Version);
        Assert.Equal(2, Host.Log.Entries.Count(e => e.ErrorCode == "ThrottlingException"));
    }

    public override async Task DisposeAsync()
    {
        foreach (var c in _clients) c.Dispose();
        await base.DisposeAsync();
    }
}
