using System.Net;
using AmiShare.Engine.Aws;
using Amazon.Runtime;
using Xunit;

namespace AmiShare.Engine.Tests;

public sealed class ProxySettingsTests
{
    [Fact]
    public void ToWebProxy_NoHost_IsNull()
    {
        Assert.Null(new ProxySettings { Hostname = " ", Port = 3128 }.ToWebProxy());
    }

    [Fact]
    public void ToWebProxy_HostPortBypass_BuildsTheProxyAwsToolsWould()
    {
        var credentials = new NetworkCredential("user", "pw");
        var proxy = (WebProxy)new ProxySettings { Hostname = "proxy.example.com", Port = 3128, Credentials = credentials, BypassList = new[] { @"10\..*" }, BypassOnLocal = true }.ToWebProxy()!;

        Assert.Equal(new Uri("http://proxy.example.com:3128/"), proxy.Address);
        Assert.Same(credentials, proxy.Credentials);
        Assert.True(proxy.BypassProxyOnLocal);
        Assert.True(proxy.IsBypassed(new Uri("http://10.1.2.3/")));
        Assert.False(proxy.IsBypassed(new Uri("https://ec2.us-east-1.amazonaws.com/")));
    }

    [Fact]
    public void ToWebProxy_HostWithScheme_KeepsIt()
    {
        var proxy = (WebProxy)new ProxySettings { Hostname = "https://secure-proxy.example.com", Port = 8443 }.ToWebProxy()!;

        Assert.Equal(new Uri("https://secure-proxy.example.com:8443/"), proxy.Address);
    }

    [Fact]
    public void CacheKey_DiffersWithProxy_SoClientsAreNotShared()
    {
        var credentials = new BasicAWSCredentials("AKIAEXAMPLE", "secret");
        var direct = new AwsSession(credentials, "the supplied key parameters", "us-east-1", "region parameter", null);
        var proxied = new AwsSession(credentials, "the supplied key parameters", "us-east-1", "region parameter", null) { Proxy = new ProxySettings { Hostname = "p", Port = 1 } };

        Assert.NotEqual(direct.CacheKey, proxied.CacheKey);
        Assert.DoesNotContain("secret", proxied.CacheKey);
    }
}
