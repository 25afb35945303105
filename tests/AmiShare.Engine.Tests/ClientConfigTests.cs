using Amazon.EC2;
using Amazon.Runtime;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using Xunit;

namespace AmiShare.Engine.Tests;

public sealed class ClientConfigTests
{
    private static AwsSession Session(string? endpoint = null) =>
        new(new BasicAWSCredentials("AKIAEXAMPLE", "secret"), "the supplied key parameters", "eu-west-1", "region parameter", endpoint);

    [Fact]
    public void CreateClient_SdkRetriesOff_AmiShareRetriesInstead()
    {
        using var client = (AmazonEC2Client)Ec2Gateway.CreateClient(Session());

        // One SDK attempt per AmiShare attempt: SdkCall's policy retries, and re-reads a write whose answer was lost.
        Assert.Equal(0, client.Config.MaxErrorRetry);
        Assert.Equal(RequestRetryMode.Standard, client.Config.RetryMode);
        Assert.Equal("eu-west-1", client.Config.RegionEndpoint.SystemName);
    }

    [Fact]
    public void CreateClient_WithEndpoint_SignsForTheSessionRegion()
    {
        using var client = (AmazonEC2Client)Ec2Gateway.CreateClient(Session("http://127.0.0.1:4566"));

        Assert.StartsWith("http://127.0.0.1:4566", client.Config.ServiceURL);
        Assert.Equal("eu-west-1", client.Config.AuthenticationRegion);
    }
}
