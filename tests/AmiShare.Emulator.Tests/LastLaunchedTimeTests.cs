using Amazon.EC2;
using Amazon.EC2.Model;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>LastLaunchedTime from the world's instances (or the image's own value): DescribeImageAttribute and DescribeImages.</summary>
public sealed class LastLaunchedTimeTests : FreshEmulatorTest
{
    protected override World CreateWorld() => ImageUsageWorld.Create();

    private async Task<string?> AttributeAsync(AmazonEC2Client ec2, string imageId) =>
        (await ec2.DescribeImageAttributeAsync(new DescribeImageAttributeRequest { ImageId = imageId, Attribute = ImageAttributeName.LastLaunchedTime }))
        .ImageAttribute.LastLaunchedTime;

    [Fact]
    public async Task LastLaunchedTime_IsTheNewestInstanceLaunchInAnyAccount()
    {
        Assert.Equal("2026-11-20T08:30:00.000Z", await AttributeAsync(Owner, Demo.Web));
        Assert.Equal("2026-11-20T08:30:00.000Z", (await Owner.ImageAsync(Demo.Web))!.LastLaunchedTime);
        Assert.Equal("2026-11-25T00:00:00.000Z", (await Owner.ImageAsync(Demo.Cmk))!.LastLaunchedTime);
    }

    [Fact]
    public async Task LastLaunchedTime_AbsentForAnAmiNeverLaunched()
    {
        Assert.Null(await AttributeAsync(Owner, Demo.Build));
        Assert.Null((await Owner.ImageAsync(Demo.Build))!.LastLaunchedTime);
    }

    [Fact]
    public async Task LastLaunchedTime_OnlyTheOwnerSeesIt()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        Assert.Null((await Consumer.ImageAsync(Demo.Web))!.LastLaunchedTime);
        await Assertions.Ec2Error(() => AttributeAsync(Consumer, Demo.Web), "AuthFailure", 400, $"Not authorized for image:{Demo.Web}");
    }
}

/// <summary>An image's own lastLaunchedTime in the world wins when it is later than every instance.</summary>
public sealed class LastLaunchedTimeFromWorldTests : FreshEmulatorTest
{
    protected override World CreateWorld() => ImageUsageWorld.Create(webLastLaunched: "2026-11-28T10:00:00Z");

    [Fact]
    public async Task LastLaunchedTime_TheImagesOwnValue_WhenLaterThanEveryInstance()
    {
        Assert.Equal("2026-11-28T10:00:00.000Z", (await Owner.ImageAsync(Demo.Web))!.LastLaunchedTime);
        var attr = await Owner.DescribeImageAttributeAsync(new DescribeImageAttributeRequest { ImageId = Demo.Web, Attribute = ImageAttributeName.LastLaunchedTime });
        Assert.Equal("2026-11-28T10:00:00.000Z", attr.ImageAttribute.LastLaunchedTime);
    }
}
