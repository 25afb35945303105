using System.Net.Http;
using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.SecurityToken;
using AmiShare.Emulator;
using Xunit;

namespace AmiShare.Emulator.Tests;

internal static class Demo
{
    public const string Owner = "123456789012";
    public const string Consumer = "111122223333";
    public const string Platform = "444455556666";
    public const string Finance = "555566667777";
    public const string Third = "999988887777";
    public const string OwnerKey = "AKIAAMISHAREOWNER001";
    public const string ConsumerKey = "AKIAAMISHARECONSUMER1";
    public const string ThirdKey = "AKIAAMISHARETHIRD0001";
    public const string Web = "ami-0a1b2c3d4e5f60001";
    public const string Cmk = "ami-0a1b2c3d4e5f60002";
    public const string AwsEbs = "ami-0a1b2c3d4e5f60003";
    public const string Marketplace = "ami-0a1b2c3d4e5f60004";
    public const string Build = "ami-0a1b2c3d4e5f60005";
    public const string WebEu = "ami-0a1b2c3d4e5f60006";
    public const string ThirdPublic = "ami-0f0f0f0f0f0f0f0f0";
    public const string OrgArn = "arn:aws:organizations::123456789012:organization/o-abc1234567";
    public const string EngineeringOuArn = "arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111";
    public const string PlatformOuArn = "arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-33333333";
    public const string FinanceOuArn = "arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-22222222";
    public const string CmkArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    public const string AwsEbsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/7a6f1b2c-0000-4000-8000-0000000000eb";

    public static string SecretOf(string key) => key switch
    {
        OwnerKey => "owner-secret",
        ConsumerKey => "consumer-secret",
        ThirdKey => "third-secret",
        _ => "whatever",
    };
}

internal static class Clients
{
    public static AmazonEC2Client Ec2(EmulatorHost h, string key = Demo.OwnerKey, string region = "us-east-1", int retries = 0) =>
        new(new BasicAWSCredentials(key, Demo.SecretOf(key)), new AmazonEC2Config { ServiceURL = h.Endpoint, AuthenticationRegion = region, MaxErrorRetry = retries });

    public static AmazonSecurityTokenServiceClient Sts(EmulatorHost h, string key = Demo.OwnerKey) =>
        new(new BasicAWSCredentials(key, Demo.SecretOf(key)), new AmazonSecurityTokenServiceConfig { ServiceURL = h.Endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    public static AmazonKeyManagementServiceClient Kms(EmulatorHost h, string key = Demo.OwnerKey, string region = "us-east-1") =>
        new(new BasicAWSCredentials(key, Demo.SecretOf(key)), new AmazonKeyManagementServiceConfig { ServiceURL = h.Endpoint, AuthenticationRegion = region, MaxErrorRetry = 0 });

    private static readonly HttpClient Http = new();

    public static string AuthHeader(string key, string region, string service) =>
        $"AWS4-HMAC-SHA256 Credential={key}/20260101/{region}/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00";

    public static async Task<HttpResponseMessage> PostForm(EmulatorHost h, string body, string? key = Demo.OwnerKey, string region = "us-east-1", string service = "ec2")
    {
        var req = new HttpRequestMessage(HttpMethod.Post, h.Endpoint + "/") { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
        if (key != null) req.Headers.TryAddWithoutValidation("Authorization", AuthHeader(key, region, service));
        return await Http.SendAsync(req);
    }

    public static async Task<HttpResponseMessage> Get(EmulatorHost h, string query, string? key = Demo.OwnerKey, string region = "us-east-1")
    {
        var req = new HttpRequestMessage(HttpMethod.Get, h.Endpoint + "/?" + query);
        if (key != null) req.Headers.TryAddWithoutValidation("Authorization", AuthHeader(key, region, "ec2"));
        return await Http.SendAsync(req);
    }

    public static async Task<(int Status, System.Text.Json.JsonElement Body, HttpResponseMessage Response)> Json(
        EmulatorHost h, string target, string json, string? key = Demo.OwnerKey, string service = "organizations", string region = "us-east-1")
    {
        var req = new HttpRequestMessage(HttpMethod.Post, h.Endpoint + "/") { Content = new StringContent(json, Encoding.UTF8) };
        req.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        req.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        if (key != null) req.Headers.TryAddWithoutValidation("Authorization", AuthHeader(key, region, service));
        var res = await Http.SendAsync(req);
        var text = await res.Content.ReadAsStringAsync();
        using var doc = System.Text.Json.JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return ((int)res.StatusCode, doc.RootElement.Clone(), res);
    }
}

internal static class Ec2Extensions
{
    public static async Task<List<LaunchPermission>> LaunchPermissionsAsync(this AmazonEC2Client ec2, string imageId)
    {
        var r = await ec2.DescribeImageAttributeAsync(new DescribeImageAttributeRequest { ImageId = imageId, Attribute = "launchPermission" });
        return r.ImageAttribute.LaunchPermissions ?? new List<LaunchPermission>();
    }

    public static async Task<Image?> ImageAsync(this AmazonEC2Client ec2, string imageId)
    {
        var r = await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = new List<string> { imageId } });
        return r.Images?.SingleOrDefault();
    }

    public static async Task<List<string>> ImageIdsAsync(this AmazonEC2Client ec2, DescribeImagesRequest req)
    {
        var r = await ec2.DescribeImagesAsync(req);
        return (r.Images ?? new List<Image>()).Select(i => i.ImageId).ToList();
    }

    public static Task AddAsync(this AmazonEC2Client ec2, string imageId, params LaunchPermission[] add) =>
        ec2.ModifyImageAttributeAsync(new ModifyImageAttributeRequest
        {
            ImageId = imageId,
            LaunchPermission = new LaunchPermissionModifications { Add = add.ToList() },
        });

    public static Task RemoveAsync(this AmazonEC2Client ec2, string imageId, params LaunchPermission[] remove) =>
        ec2.ModifyImageAttributeAsync(new ModifyImageAttributeRequest
        {
            ImageId = imageId,
            LaunchPermission = new LaunchPermissionModifications { Remove = remove.ToList() },
        });

    public static LaunchPermission User(string id) => new() { UserId = id };
    public static LaunchPermission All() => new() { Group = PermissionGroup.All };
    public static LaunchPermission Org(string arn) => new() { OrganizationArn = arn };
    public static LaunchPermission Ou(string arn) => new() { OrganizationalUnitArn = arn };

    public static string Describe(this LaunchPermission p) =>
        p.UserId != null ? "UserId:" + p.UserId
        : p.Group != null ? "Group:" + p.Group.Value
        : p.OrganizationArn != null ? "OrganizationArn:" + p.OrganizationArn
        : "OrganizationalUnitArn:" + p.OrganizationalUnitArn;
}

/// <summary>One emulator on the demo world for read-only tests.</summary>
public sealed class DemoEmulatorFixture : IAsyncLifetime
{
    public EmulatorHost Host { get; private set; } = null!;
    public async Task InitializeAsync() => Host = await EmulatorHost.StartAsync(World.Demo());
    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>A fresh emulator on the demo world per test (xunit creates one class instance per test).</summary>
public abstract class FreshEmulatorTest : IAsyncLifetime
{
    protected EmulatorHost Host { get; private set; } = null!;
    protected AmazonEC2Client Owner { get; private set; } = null!;
    protected AmazonEC2Client Consumer { get; private set; } = null!;
    protected AmazonEC2Client Third { get; private set; } = null!;
    protected virtual EmulatorOptions? Options => null;

    /// <summary>The world the emulator starts with (the demo world unless a test class needs more).</summary>
    protected virtual World CreateWorld() => World.Demo();

    public async Task InitializeAsync()
    {
        Host = await EmulatorHost.StartAsync(CreateWorld(), Options);
        Owner = Clients.Ec2(Host, Demo.OwnerKey);
        Consumer = Clients.Ec2(Host, Demo.ConsumerKey);
        Third = Clients.Ec2(Host, Demo.ThirdKey);
    }

    public virtual async Task DisposeAsync()
    {
        Owner.Dispose(); Consumer.Dispose(); Third.Dispose();
        await Host.DisposeAsync();
    }
}

internal static class Assertions
{
    public static async Task<AmazonEC2Exception> Ec2Error(Func<Task> call, string code, int status = 400, string? message = null)
    {
        var e = await Assert.ThrowsAsync<AmazonEC2Exception>(call);
        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(status, (int)e.StatusCode);
        Assert.False(string.IsNullOrEmpty(e.RequestId));
        if (message != null) Assert.Equal(message, e.Message);
        return e;
    }
}
