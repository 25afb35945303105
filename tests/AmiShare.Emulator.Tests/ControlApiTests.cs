using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.SecurityToken.Model;
using AmiShare.Emulator;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>The local control API (/_emulator/*) over real HTTP against an in-process emulator (design.md §7).</summary>
public sealed class ControlApiTests : FreshEmulatorTest
{
    private readonly HttpClient _http = new();

    private async Task<(int Status, JsonElement Body)> Call(HttpMethod method, string path, string? json = null)
    {
        var req = new HttpRequestMessage(method, Host.Endpoint + path);
        if (json != null) req.Content = new StringContent(json, Encoding.UTF8, "application/json");
        var res = await _http.SendAsync(req);
        var text = await res.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return ((int)res.StatusCode, doc.RootElement.Clone());
    }

    private Task<(int Status, JsonElement Body)> Get(string path) => Call(HttpMethod.Get, path);
    private Task<(int Status, JsonElement Body)> Post(string path, string json) => Call(HttpMethod.Post, path, json);
    private Task<(int Status, JsonElement Body)> Delete(string path) => Call(HttpMethod.Delete, path);

    private static string Permissions(JsonElement list) =>
        string.Join(",", list.EnumerateArray().Select(p => p.GetProperty("type").GetString() + ":" + p.GetProperty("principal").GetString()));

    private static string Ids(JsonElement list, string property) =>
        string.Join(",", list.EnumerateArray().Select(p => p.GetProperty(property).GetString()));

    [Fact]
    public async Task Health_ReturnsStatusOk()
    {
        var (status, body) = await Get("/_emulator/health");
        Assert.Equal(200, status);
        Assert.Equal("{\"status\":\"ok\"}", body.GetRawText());
    }

    [Fact]
    public async Task State_ReflectsSharesMadeThroughTheSdk()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer), Org(Demo.OrgArn), Ou(Demo.FinanceOuArn), All());
        await Owner.ModifySnapshotAttributeAsync(new ModifySnapshotAttributeRequest
        {
            SnapshotId = "snap-0a1b2c3d4e5f60001", Attribute = SnapshotAttributeName.CreateVolumePermission, OperationType = OperationType.Add,
            UserIds = new List<string> { Demo.Consumer },
        });

        var (status, body) = await Get("/_emulator/state?imageId=" + Demo.Web);

        Assert.Equal(200, status);
        var image = Assert.Single(body.GetProperty("images").EnumerateArray());
        Assert.Equal((Demo.Web, "us-east-1", Demo.Owner, "web-server-2026.11", "available", true),
            (image.GetProperty("imageId").GetString(), image.GetProperty("region").GetString(), image.GetProperty("ownerId").GetString(),
             image.GetProperty("name").GetString(), image.GetProperty("state").GetString(), image.GetProperty("public").GetBoolean()));
        Assert.Equal($"Account:{Demo.Consumer},Organization:{Demo.OrgArn},OrganizationalUnit:{Demo.FinanceOuArn},Public:all",
            Permissions(image.GetProperty("launchPermissions")));
        Assert.Equal("[\"snap-0a1b2c3d4e5f60001\"]", image.GetProperty("snapshotIds").GetRawText());
        var snap = Assert.Single(body.GetProperty("snapshots").EnumerateArray());
        Assert.Equal(("snap-0a1b2c3d4e5f60001", "us-east-1", Demo.Owner, false, JsonValueKind.Null),
            (snap.GetProperty("snapshotId").GetString(), snap.GetProperty("region").GetString(), snap.GetProperty("ownerId").GetString(),
             snap.GetProperty("encrypted").GetBoolean(), snap.GetProperty("kmsKeyId").ValueKind));
        Assert.Equal($"Account:{Demo.Consumer}", Permissions(snap.GetProperty("createVolumePermissions")));
    }

    [Fact]
    public async Task State_KeyPolicyExactlyAsStoredAndGrants()
    {
        // Odd spacing and key order: the state must hand back the stored text, not a re-serialization.
        var policy = "{ \"Version\": \"2012-10-17\",\n  \"Statement\": [ { \"Effect\": \"Allow\", \"Principal\": { \"AWS\": \"arn:aws:iam::123456789012:root\" }, \"Action\": \"kms:*\", \"Resource\": \"*\" } ] }";
        using var kms = Clients.Kms(Host);
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = Demo.CmkArn, PolicyName = "default", Policy = policy });
        var grant = await kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = Demo.CmkArn, GranteePrincipal = $"arn:aws:iam::{Demo.Consumer}:root",
            Operations = new List<string> { "Decrypt", "CreateGrant" },
        });

        var (_, body) = await Get("/_emulator/state");

        var key = body.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("arn").GetString() == Demo.CmkArn);
        Assert.Equal(("1234abcd-12ab-34cd-56ef-1234567890ab", "us-east-1", Demo.Owner),
            (key.GetProperty("keyId").GetString(), key.GetProperty("region").GetString(), key.GetProperty("ownerId").GetString()));
        Assert.Equal(policy, key.GetProperty("policy").GetString());
        var g = Assert.Single(key.GetProperty("grants").EnumerateArray());
        Assert.Equal(grant.GrantId, g.GetProperty("grantId").GetString());
        Assert.Equal($"arn:aws:iam::{Demo.Consumer}:root", g.GetProperty("granteePrincipal").GetString());
        Assert.Equal("[\"Decrypt\",\"CreateGrant\"]", g.GetProperty("operations").GetRawText());
        // The C# view is the same data.
        Assert.Equal(policy, Host.State().Keys.Single(k => k.Arn == Demo.CmkArn).Policy);
    }

    [Fact]
    public async Task State_RegionFilter_NarrowsImagesSnapshotsKeysAndBlockPublicAccess()
    {
        await Owner.DisableImageBlockPublicAccessAsync(new DisableImageBlockPublicAccessRequest());   // us-east-1: explicit "unblocked"

        var (_, all) = await Get("/_emulator/state");
        var (_, eu) = await Get("/_emulator/state?region=eu-west-1");

        Assert.Equal(7, all.GetProperty("images").GetArrayLength());
        Assert.Equal(Demo.WebEu, Ids(eu.GetProperty("images"), "imageId"));
        Assert.Equal("snap-0a1b2c3d4e5f60006", Ids(eu.GetProperty("snapshots"), "snapshotId"));
        Assert.Equal(0, eu.GetProperty("keys").GetArrayLength());
        var bpa = Assert.Single(eu.GetProperty("blockPublicAccess").EnumerateArray());
        Assert.Equal((Demo.Owner, "eu-west-1", "block-new-sharing"),
            (bpa.GetProperty("accountId").GetString(), bpa.GetProperty("region").GetString(), bpa.GetProperty("state").GetString()));
        Assert.Contains(all.GetProperty("blockPublicAccess").EnumerateArray(),
            b => b.GetProperty("region").GetString() == "us-east-1" && b.GetProperty("state").GetString() == "unblocked");
    }

    [Fact]
    public async Task Log_CountsPerActionWithoutControlRequests_AndDeleteClears()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Web, User("bad")), "InvalidAMIAttributeItemValue");
        await Consumer.DescribeImagesAsync(new DescribeImagesRequest());
        await Get("/_emulator/state");

        var (status, log) = await Get("/_emulator/log");

        Assert.Equal(200, status);
        Assert.Equal(3, log.GetProperty("total").GetInt32());
        Assert.Equal("{\"DescribeImages\":1,\"ModifyImageAttribute\":2}", log.GetProperty("counts").GetRawText());
        var entries = log.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        var bad = entries[1];
        Assert.Equal(("ec2", "ModifyImageAttribute", Demo.Owner, "us-east-1", 400, "InvalidAMIAttributeItemValue"),
            (bad.GetProperty("service").GetString(), bad.GetProperty("action").GetString(), bad.GetProperty("accountId").GetString(),
             bad.GetProperty("region").GetString(), bad.GetProperty("status").GetInt32(), bad.GetProperty("error").GetString()));
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("error").ValueKind);
        Assert.Equal(Demo.Consumer, entries[2].GetProperty("accountId").GetString());
        Assert.True(DateTime.TryParse(entries[0].GetProperty("time").GetString(), out _));

        Assert.Equal(204, (await Delete("/_emulator/log")).Status);
        var (_, cleared) = await Get("/_emulator/log");
        Assert.Equal(0, cleared.GetProperty("total").GetInt32());
        Assert.Equal("{}", cleared.GetProperty("counts").GetRawText());
        Assert.Equal(0, Host.Log.Total);
    }

    [Fact]
    public async Task Faults_ErrorTimes_FailThatManyThenSucceed()
    {
        var (status, stored) = await Post("/_emulator/faults", "{\"action\":\"DescribeImages\",\"kind\":\"error\",\"times\":2}");
        Assert.Equal(201, status);
        Assert.True(stored.GetProperty("id").GetInt32() > 0);
        Assert.Equal(("DescribeImages", "error", "InternalError", 500, 2),
            (stored.GetProperty("action").GetString(), stored.GetProperty("kind").GetString(), stored.GetProperty("code").GetString(),
             stored.GetProperty("status").GetInt32(), stored.GetProperty("times").GetInt32()));

        await Assertions.Ec2Error(() => Owner.DescribeImagesAsync(new DescribeImagesRequest()), "InternalError", 500, "An internal error has occurred");
        var (_, pending) = await Get("/_emulator/faults");
        Assert.Equal(1, Assert.Single(pending.EnumerateArray()).GetProperty("times").GetInt32());
        await Assertions.Ec2Error(() => Owner.DescribeImagesAsync(new DescribeImagesRequest()), "InternalError", 500);
        Assert.Equal(5, (await Owner.DescribeImagesAsync(new DescribeImagesRequest { Owners = new List<string> { "self" } })).Images.Count);
        Assert.Equal(0, (await Get("/_emulator/faults")).Body.GetArrayLength());
    }

    [Fact]
    public async Task Faults_ErrorWithCodeAndStatus_RenderedInEachServiceFormat()
    {
        await Post("/_emulator/faults", "{\"action\":\"*\",\"kind\":\"error\",\"code\":\"Unavailable\",\"status\":503,\"times\":2}");
        await Assertions.Ec2Error(() => Owner.DescribeImagesAsync(new DescribeImagesRequest()), "Unavailable", 503,
            "The service is unavailable. Please try again shortly.");
        using var kms = Clients.Kms(Host);
        var e = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = Demo.CmkArn }));
        Assert.Equal(("Unavailable", HttpStatusCode.ServiceUnavailable), (e.ErrorCode, e.StatusCode));
        Assert.Equal(5, (await Owner.DescribeImagesAsync(new DescribeImagesRequest { Owners = new List<string> { "self" } })).Images.Count);
    }

    [Fact]
    public async Task Faults_Throttle_UsesEachServicesOwnThrottlingError()
    {
        await Post("/_emulator/faults", "{\"action\":\"*\",\"kind\":\"throttle\",\"times\":4}");

        await Assertions.Ec2Error(() => Owner.DescribeImagesAsync(new DescribeImagesRequest()), "RequestLimitExceeded", 503, "Request limit exceeded.");
        using var kms = Clients.Kms(Host);
        var k = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = Demo.CmkArn }));
        Assert.Equal(("ThrottlingException", HttpStatusCode.BadRequest, "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls."),
            (k.ErrorCode, k.StatusCode, k.Message));
        var (orgStatus, org, _) = await Clients.Json(Host, "AWSOrganizationsV20161128.DescribeOrganization", "{}");
        Assert.Equal(400, orgStatus);
        Assert.Equal("TooManyRequestsException", org.GetProperty("__type").GetString());
        Assert.StartsWith("AWS Organizations can't complete your request", org.GetProperty("Message").GetString());
        using var sts = Clients.Sts(Host);
        var s = await Assert.ThrowsAsync<Amazon.SecurityToken.AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal(("Throttling", HttpStatusCode.BadRequest, "Rate exceeded"), (s.ErrorCode, s.StatusCode, s.Message));

        Assert.Equal(new[] { "RequestLimitExceeded", "ThrottlingException", "TooManyRequestsException", "Throttling" }, Host.Log.Entries.Select(x => x.ErrorCode));
        Assert.All(Host.Log.Entries, x => Assert.Equal(Demo.Owner, x.Account));
    }

    [Fact]
    public async Task Faults_ThrottleOnce_SdkRetriesAndSucceeds()
    {
        await Post("/_emulator/faults", "{\"action\":\"ModifyImageAttribute\",\"kind\":\"throttle\"}");
        using var retrying = Clients.Ec2(Host, Demo.OwnerKey, retries: 2);
        await retrying.AddAsync(Demo.Web, User(Demo.Consumer));
        Assert.Equal(new[] { ("UserId", Demo.Consumer) }, Host.World.LaunchPermissionsOf("us-east-1", Demo.Web));
        Assert.Equal(new int[] { 503, 200 }, Host.Log.Entries.Select(e => e.HttpStatus));
    }

    [Fact]
    public async Task Faults_Rate_FailsTheFractionTheSeededRandomPicks()
    {
        Host.Options.Random = new Random(1234);
        var (status, stored) = await Post("/_emulator/faults", "{\"action\":\"DescribeRegions\",\"kind\":\"error\",\"code\":\"InternalError\",\"status\":500,\"rate\":0.25}");
        Assert.Equal(201, status);
        Assert.Equal(0.25, stored.GetProperty("rate").GetDouble());
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("times").ValueKind);

        var expected = new Random(1234);
        var want = Enumerable.Range(0, 40).Select(_ => expected.NextDouble() < 0.25 ? 500 : 200).ToList();
        var got = new List<int>();
        for (var n = 0; n < 40; n++)
            got.Add((int)(await Clients.PostForm(Host, "Action=DescribeRegions&Version=2016-11-15")).StatusCode);

        Assert.Equal(want, got);
        Assert.Contains(500, got);
        Assert.Contains(200, got);
        // Other actions are untouched, and the rule stays until cleared.
        Assert.Equal(200, (int)(await Clients.PostForm(Host, "Action=DescribeImages&Version=2016-11-15")).StatusCode);
        Assert.Single((await Get("/_emulator/faults")).Body.EnumerateArray());
        Assert.Equal(204, (await Delete("/_emulator/faults")).Status);
        Assert.Empty(Host.Options.Faults);
    }

    [Fact]
    public async Task Faults_Drop_AbortsTheConnectionOnceThenServes()
    {
        await Post("/_emulator/faults", "{\"action\":\"DescribeImages\",\"kind\":\"drop\",\"times\":1}");
        using var fresh = new HttpClient();
        var req = new HttpRequestMessage(HttpMethod.Post, Host.Endpoint + "/")
        {
            Content = new StringContent("Action=DescribeImages&Version=2016-11-15", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        req.Headers.TryAddWithoutValidation("Authorization", Clients.AuthHeader(Demo.OwnerKey, "us-east-1", "ec2"));
        await Assert.ThrowsAsync<HttpRequestException>(() => fresh.SendAsync(req));

        Assert.Equal(200, (int)(await Clients.PostForm(Host, "Action=DescribeImages&Version=2016-11-15")).StatusCode);
        Assert.Equal(new[] { (0, (string?)"ConnectionDropped"), (200, null) }, Host.Log.Entries.Select(e => (e.HttpStatus, e.ErrorCode)));
    }

    [Fact]
    public async Task Faults_NeverApplyToControlRequests()
    {
        await Post("/_emulator/faults", "{\"action\":\"*\",\"kind\":\"drop\",\"times\":5}");
        Assert.Equal(200, (await Get("/_emulator/health")).Status);
        Assert.Equal(200, (await Get("/_emulator/state")).Status);
        Assert.Equal(5, Host.Options.PendingFaults);
        Assert.Equal(0, Host.Log.Total);
    }

    [Fact]
    public async Task Faults_DeleteById_RemovesOnlyThatOne()
    {
        var (_, a) = await Post("/_emulator/faults", "{\"action\":\"DescribeImages\",\"kind\":\"throttle\",\"times\":3}");
        await Post("/_emulator/faults", "{\"action\":\"CopyImage\",\"kind\":\"drop\"}");
        Assert.Equal(204, (await Delete("/_emulator/faults/" + a.GetProperty("id").GetInt32())).Status);
        Assert.Equal("CopyImage", Assert.Single(Host.Options.Faults).Action);
        var (status, err) = await Delete("/_emulator/faults/999");
        Assert.Equal(404, status);
        Assert.Contains("999", err.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Reset_RestoresTheStartWorldAndClearsLogFaultsAndBuckets()
    {
        var clock = new ManualClock();
        Host.Options.Clock = clock;
        Host.Options.Throttling = true;
        Host.Options.SetThrottleBucket("DescribeRegions", 1, 1);   // clock never moves: no refill
        var (_, before) = await Get("/_emulator/state");

        await Owner.AddAsync(Demo.Web, User(Demo.Consumer), All());
        using var kms = Clients.Kms(Host);
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = Demo.CmkArn, PolicyName = "default", Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" });
        var copy = await Owner.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.Web, SourceRegion = "us-east-1", Name = "copied" });
        using var eu = Clients.Ec2(Host, Demo.OwnerKey, "eu-west-1");
        await eu.DisableImageBlockPublicAccessAsync(new DisableImageBlockPublicAccessRequest());
        await Owner.DescribeRegionsAsync(new DescribeRegionsRequest());
        await Assertions.Ec2Error(() => Owner.DescribeRegionsAsync(new DescribeRegionsRequest()), "RequestLimitExceeded", 503);
        await Post("/_emulator/faults", "{\"action\":\"DescribeImages\",\"kind\":\"drop\",\"rate\":1}");
        var (_, changed) = await Get("/_emulator/state");
        Assert.NotEqual(before.GetRawText(), changed.GetRawText());

        var (status, body) = await Post("/_emulator/reset", "");

        Assert.Equal(200, status);
        Assert.Equal("reset", body.GetProperty("status").GetString());
        Assert.Equal(before.GetRawText(), (await Get("/_emulator/state")).Body.GetRawText());
        Assert.False(Host.World.ImageExists("us-east-1", copy.ImageId));
        Assert.Empty(Host.Options.Faults);
        Assert.Equal(0, (await Get("/_emulator/log")).Body.GetProperty("total").GetInt32());
        await Owner.DescribeRegionsAsync(new DescribeRegionsRequest());   // bucket full again
        Assert.Empty(await Owner.LaunchPermissionsAsync(Demo.Web));
        Assert.True(Host.Options.Throttling);                              // options are not part of the world
    }

    [Fact]
    public async Task Reset_KeepsWhatWasArrangedBeforeStart()
    {
        var world = World.Demo();
        world.AddAccessKey(Demo.Owner, "AKIAARRANGEDBEFORE01");
        await using var host = await EmulatorHost.StartAsync(world);
        world.AddAccessKey(Demo.Owner, "AKIAADDEDAFTERSTART1");
        host.Reset();
        Assert.Contains(host.World.AccessKeys, k => k.AccessKeyId == "AKIAARRANGEDBEFORE01");
        Assert.DoesNotContain(host.World.AccessKeys, k => k.AccessKeyId == "AKIAADDEDAFTERSTART1");
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("{\"kind\":\"error\"}", "'action' is required")]
    [InlineData("{\"action\":\"DescribeImages\"}", "'kind' is required: one of throttle, error, drop")]
    [InlineData("{\"action\":\"DescribeImages\",\"kind\":\"boom\"}", "'kind' 'boom' is not valid: use one of throttle, error, drop")]
    [InlineData("{\"action\":\"Describe Images\",\"kind\":\"drop\"}", "Fault action 'Describe Images' is not valid")]
    [InlineData("{\"action\":\"DescribeImages\",\"kind\":\"throttle\",\"code\":\"X\"}", "apply only to kind 'error', not to 'throttle'")]
    [InlineData("{\"action\":\"DescribeImages\",\"kind\":\"error\",\"status\":200}", "Fault status 200 is not valid: give an HTTP error status from 400 to 599")]
    [InlineData("{\"action\":\"DescribeImages\",\"kind\":\"error\",\"times\":2,\"rate\":0.5}", "not both")]
    [InlineData("{\"action\":\"DescribeImages\",\"kind\":\"drop\",\"rate\":1.5}", "Fault rate 1.5 is not valid")]
    [InlineData("{\"action\":\"DescribeImages\",\"kind\":\"drop\",\"times\":0}", "Fault times 0 is not valid")]
    [InlineData("{\"action\":\"DescribeImages\",\"kind\":\"drop\",\"times\":\"3\"}", "'times' must be a whole number, not \"3\"")]
    [InlineData("{\"action\":\"DescribeImages\",\"kind\":\"drop\",\"tims\":3}", "Unknown property 'tims'; accepted: action, kind, code, status, message, times, rate")]
    public async Task Faults_BadBody_400NamingTheProblem(string json, string expected)
    {
        var (status, body) = await Post("/_emulator/faults", json);
        Assert.Equal(400, status);
        Assert.Contains(expected, body.GetProperty("error").GetString());
        Assert.Empty(Host.Options.Faults);
    }

    [Fact]
    public async Task UnknownEndpointAndWrongMethod_AreRefusedWithTheAcceptedOnes()
    {
        var (status, body) = await Get("/_emulator/nope");
        Assert.Equal(404, status);
        Assert.Contains("'/_emulator/nope'", body.GetProperty("error").GetString());
        Assert.Contains("POST /_emulator/reset", body.GetProperty("error").GetString());

        var res = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Put, Host.Endpoint + "/_emulator/log"));
        Assert.Equal(405, (int)res.StatusCode);
        Assert.Equal("GET, DELETE", string.Join(", ", res.Content.Headers.Allow));
        Assert.Contains("use GET or DELETE", await res.Content.ReadAsStringAsync());
        Assert.Equal(405, (await Get("/_emulator/reset")).Status);
        Assert.Equal(0, Host.Log.Total);
    }

    [Fact]
    public void CSharpApi_SameFaultRulesAndValidation()
    {
        Host.Options.ThrottleNext("CopyImage", 2);
        Host.Options.DropNext("*");
        var f = Host.Options.AddFault(new FaultRule("DescribeImages", FaultKind.Error, Rate: 0.5));
        Assert.Equal(("InternalError", 500, (int?)null, 0.5), (f.Code, f.Status, f.Remaining, f.Rate));
        Assert.Equal(new[] { FaultKind.Throttle, FaultKind.Drop, FaultKind.Error }, Host.Options.Faults.Select(x => x.Kind));
        Assert.Equal(3, Host.Options.PendingFaults);
        var e = Assert.Throws<ArgumentException>(() => Host.Options.AddFault(new FaultRule("CopyImage", FaultKind.Drop, Times: -1)));
        Assert.Contains("-1", e.Message);
    }
}
