using Amazon.EC2.Model;
using AmiShare.Emulator;
using Xunit;

namespace AmiShare.Emulator.Tests;

public sealed class WorldTests
{
    private const string Minimal = """
    {
      // comments and trailing commas are allowed
      "accounts": [
        { "id": "210987654321", "accessKeys": [ { "accessKeyId": "AKIAMINIMAL000000001", "secretAccessKey": "s" } ] },
        { "id": "777788889999" },
      ],
      "snapshots": [ { "snapshotId": "snap-11111111", "region": "ap-south-1", "owner": "210987654321" } ],
      "images": [
        { "imageId": "ami-11111111", "region": "ap-south-1", "owner": "210987654321", "name": "mini",
          "blockDeviceMappings": [ { "deviceName": "/dev/xvda", "snapshotId": "snap-11111111" } ],
          "launchPermissions": [ { "userId": "777788889999" } ], "tags": { "k": "v" } }
      ]
    }
    """;

    [Fact]
    public void FromJson_MinimalWorld_LoadsAccountsImagesAndRegions()
    {
        var w = World.FromJson(Minimal);
        Assert.Equal(new[] { "210987654321", "777788889999" }, w.AccountIds);
        Assert.Equal(new[] { "ap-south-1" }, w.Regions);
        Assert.Equal(new[] { ("UserId", "777788889999") }, w.LaunchPermissionsOf("ap-south-1", "ami-11111111"));
        Assert.Equal("v", w.TagsOf("ap-south-1", "ami-11111111")["k"]);
        Assert.True(w.ImageExists("ap-south-1", "ami-11111111"));
        Assert.False(w.IsImageBlockPublicAccessEnabled("210987654321", "ap-south-1"));
    }

    [Fact]
    public async Task FromJson_CustomWorld_ServesItsAccountsOverTheWire()
    {
        await using var host = await EmulatorHost.StartAsync(World.FromJson(Minimal));
        using var ec2 = new Amazon.EC2.AmazonEC2Client(new Amazon.Runtime.BasicAWSCredentials("AKIAMINIMAL000000001", "s"),
            new Amazon.EC2.AmazonEC2Config { ServiceURL = host.Endpoint, AuthenticationRegion = "ap-south-1", MaxErrorRetry = 0 });
        var r = await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = new List<string> { "self" } });
        Assert.Equal("mini", Assert.Single(r.Images).Name);
    }

    [Fact]
    public void FromJson_InvalidAccountId_Throws()
    {
        Assert.Throws<InvalidDataException>(() => World.FromJson("{\"accounts\":[{\"id\":\"123\"}]}"));
    }

    [Fact]
    public void FromJson_DuplicateAccessKey_Throws()
    {
        Assert.Throws<InvalidDataException>(() => World.FromJson(
            "{\"accounts\":[{\"id\":\"111111111111\",\"accessKeys\":[{\"accessKeyId\":\"AKIA1\"}]},{\"id\":\"222222222222\",\"accessKeys\":[{\"accessKeyId\":\"AKIA1\"}]}]}"));
    }

    [Fact]
    public void FromJson_KeyGivenTwice_Throws_RatherThanKeepingTheLastList()
    {
        var e = Assert.Throws<System.Text.Json.JsonException>(() => World.FromJson(
            "{\"instances\":[{\"account\":\"111122223333\",\"region\":\"us-east-1\",\"imageId\":\"ami-0a1b2c3d4e5f60001\",\"state\":\"running\"}],\"instances\":[]}"));
        Assert.Contains("instances", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Demo_FixedIds_MatchTheContract()
    {
        var w = World.Demo();
        Assert.Equal(new[] { "123456789012", "111122223333", "444455556666", "555566667777", "999988887777" }, w.AccountIds);
        Assert.Contains(("123456789012", "AKIAAMISHAREOWNER001", (string?)"owner-secret"), w.AccessKeys);
        Assert.Contains(("111122223333", "AKIAAMISHARECONSUMER1", (string?)"consumer-secret"), w.AccessKeys);
        Assert.Contains(("999988887777", "AKIAAMISHARETHIRD0001", (string?)"third-secret"), w.AccessKeys);
        Assert.Equal(new[] { Demo.Web, Demo.Cmk, Demo.AwsEbs, Demo.Marketplace, Demo.Build }, w.ImageIds("us-east-1", Demo.Owner));
        Assert.Equal(new[] { Demo.WebEu }, w.ImageIds("eu-west-1"));
        Assert.True(w.IsImagePublic("us-east-1", Demo.ThirdPublic));
        Assert.True(w.IsImageBlockPublicAccessEnabled(Demo.Owner, "eu-west-1"));
        Assert.False(w.IsImageBlockPublicAccessEnabled(Demo.Owner, "us-east-1"));
        Assert.Equal(new[] { "snap-0a1b2c3d4e5f60005", "snap-0a1b2c3d4e5f60015" }, w.SnapshotIdsOf("us-east-1", Demo.Build));
        Assert.Contains("arn:aws:iam::123456789012:root", w.KeyPolicyOf("us-east-1", Demo.CmkArn));
    }

    [Fact]
    public void DemoPath_FileCopiedToOutput_LoadsSameWorld()
    {
        Assert.True(File.Exists(World.DemoPath), World.DemoPath);
        var w = World.Load(World.DemoPath);
        Assert.Equal(World.Demo().ImageIds("us-east-1"), w.ImageIds("us-east-1"));
    }

    [Fact]
    public void ToJson_RoundTrip_PreservesLiveState()
    {
        var w = World.Demo();
        w.SetImageBlockPublicAccess(Demo.Owner, "us-east-1", true);
        var copy = World.FromJson(w.ToJson());
        Assert.True(copy.IsImageBlockPublicAccessEnabled(Demo.Owner, "us-east-1"));
        Assert.True(copy.IsImagePublic("us-east-1", Demo.ThirdPublic));
    }
}

public sealed class CommandLineTests
{
    [Fact]
    public void Parse_NoArguments_DefaultsToPort4566AndDemoWorld()
    {
        var cl = EmulatorCommandLine.Parse(Array.Empty<string>());
        Assert.Equal(4566, cl.Port);
        Assert.Null(cl.WorldPath);
        Assert.False(cl.LogRequests);
        Assert.False(cl.Throttling);
    }

    [Fact]
    public void Parse_AllOptions_AreRead()
    {
        var cl = EmulatorCommandLine.Parse(new[] { "--port", "5000", "--world", "w.json", "--log", "--throttling", "--latency-ms", "25", "--time-scale", "10" });
        Assert.Equal(new EmulatorCommandLine(5000, "w.json", true, true, TimeSpan.FromMilliseconds(25), 10, false), cl);
        var o = cl.ToOptions();
        Assert.True(o.Throttling);
        Assert.Equal(10, o.TimeScale);
    }

    [Fact]
    public void Parse_CopyPendingSeconds_SetsTheCopyImagePendingTime()
    {
        var cl = EmulatorCommandLine.Parse(new[] { "--copy-pending-seconds", "90", "--time-scale", "3" });
        Assert.Equal(TimeSpan.FromSeconds(90), cl.CopyPending);
        EmulatorOptions o = cl.ToOptions();
        Assert.Equal(TimeSpan.FromSeconds(90), o.CopyImagePendingTime);
        Assert.Equal(TimeSpan.Zero, EmulatorCommandLine.Parse(Array.Empty<string>()).ToOptions().CopyImagePendingTime);
    }

    [Fact]
    public void Parse_UsageReportPendingSeconds_SetsTheImageUsageReportPendingTime()
    {
        var o = EmulatorCommandLine.Parse(new[] { "--usage-report-pending-seconds", "120" }).ToOptions();
        Assert.Equal(TimeSpan.FromSeconds(120), o.ImageUsageReportPendingTime);
        Assert.Equal(TimeSpan.Zero, EmulatorCommandLine.Parse(Array.Empty<string>()).ToOptions().ImageUsageReportPendingTime);
        var e = Assert.Throws<ArgumentException>(() => EmulatorCommandLine.Parse(new[] { "--usage-report-pending-seconds", "-1" }));
        Assert.Contains("'-1'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeedAlias_SetsWorldPath()
    {
        Assert.Equal("seed.json", EmulatorCommandLine.Parse(new[] { "--seed", "seed.json" }).WorldPath);
    }

    [Theory]
    [InlineData("--port")]
    [InlineData("--port", "abc")]
    [InlineData("--port", "70000")]
    [InlineData("--bogus")]
    [InlineData("--time-scale", "0")]
    [InlineData("--copy-pending-seconds", "-1")]
    [InlineData("--copy-pending-seconds", "soon")]
    public void Parse_BadArguments_ThrowArgumentException(params string[] args)
    {
        Assert.Throws<ArgumentException>(() => EmulatorCommandLine.Parse(args));
    }

    [Fact]
    public async Task Banner_ListsEndpointAccountsAndKeys()
    {
        await using var host = await EmulatorHost.StartAsync(World.Demo());
        var text = EmulatorCommandLine.Banner(host, null);
        Assert.Contains(host.Endpoint, text);
        Assert.Contains("AccessKeyId=AKIAAMISHAREOWNER001  SecretAccessKey=owner-secret", text);
        Assert.Contains("444455556666  (no access keys)", text);
    }

    [Fact]
    public async Task Main_BadArgument_ReturnsExitCode2()
    {
        Assert.Equal(2, await Program.Main(new[] { "--nope" }));
        Assert.Equal(0, await Program.Main(new[] { "--help" }));
        Assert.Equal(3, await Program.Main(new[] { "--world", "/nonexistent/world.json", "--port", "0" }));
    }
}
