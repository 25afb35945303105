using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Sharing;
using Amazon.Runtime;
using Xunit;

namespace AmiShare.Engine.Tests;

public class AmiShareServiceFactoryTests
{
    private static AwsSession Session(string region, string access = "AKIAEXAMPLE1", string secret = "s1") =>
        new(new BasicAWSCredentials(access, secret), "the supplied key parameters", region, "region parameter", null!);

    [Fact]
    public void For_SameCacheKey_ReturnsSameService()
    {
        var made = new List<FakeEc2Gateway>();
        using var factory = new AmiShareServiceFactory(null!, (s, r) => { var g = new FakeEc2Gateway { Region = s.Region }; made.Add(g); return g; });
        var one = factory.For(Session("us-east-1"));
        var two = factory.For(Session("us-east-1"));
        Assert.Same(one, two);
        Assert.Single(made);
    }

    [Fact]
    public void For_DifferentRegionOrKeys_NewService()
    {
        using var factory = new AmiShareServiceFactory(null!, (s, r) => new FakeEc2Gateway { Region = s.Region });
        var east = factory.For(Session("us-east-1"));
        var west = factory.For(Session("us-west-2"));
        var otherKeys = factory.For(Session("us-east-1", "AKIAEXAMPLE2", "s2"));
        Assert.Equal("us-west-2", west.Region);
        Assert.NotSame(east, west);
        Assert.NotSame(east, otherKeys);
    }

    [Fact]
    public void Dispose_DisposesGateways()
    {
        var made = new List<FakeEc2Gateway>();
        var factory = new AmiShareServiceFactory(null!, (s, r) => { var g = new FakeEc2Gateway(); made.Add(g); return g; });
        factory.For(Session("us-east-1"));
        factory.For(Session("eu-west-1"));
        factory.Dispose();
        Assert.All(made, g => Assert.True(g.Disposed));
    }

    [Fact]
    public void For_DefaultGateway_IsEc2GatewayForTheRegion()
    {
        using var factory = new AmiShareServiceFactory(new ListReporter());
        var service = factory.For(new AwsSession(new BasicAWSCredentials("AKIAEXAMPLE1", "s"), "x", "eu-central-1", "y", "http://127.0.0.1:1"));
        Assert.Equal("eu-central-1", service.Region);
    }
}
