using System.Diagnostics;
using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using AmiShare.Emulator;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>Wire framing (§1.2, §1.3, §7), request log, knobs and fault injection.</summary>
public sealed class HostTests : FreshEmulatorTest
{
    [Fact]
    public void Endpoint_IsLoopbackWithoutTrailingSlash()
    {
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", Host.Endpoint);
    }

    [Fact]
    public async Task SuccessResponse_HasExactHeadersNamespaceAndRequestId()
    {
        var res = await Clients.PostForm(Host, "Action=DescribeImages&Version=2016-11-15&Owner.1=self");
        var body = await res.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)res.StatusCode);
        Assert.Contains("\r\nContent-Type: text/xml;charset=UTF-8\r\n", await RawHeaders("Action=DescribeImages&Version=2016-11-15&Owner.1=self"));
        Assert.Equal("AmazonEC2", string.Join(",", res.Headers.GetValues("Server")));
        var requestId = res.Headers.GetValues("x-amzn-RequestId").Single();
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeImagesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>" + requestId + "</requestId><imagesSet><item>", body);
    }

    private async Task<string> RawHeaders(string form)
    {
        var uri = new Uri(Host.Endpoint);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = tcp.GetStream();
        var req = $"POST / HTTP/1.1\r\nHost: {uri.Authority}\r\nAuthorization: {Clients.AuthHeader(Demo.OwnerKey, "us-east-1", "ec2")}\r\n" +
                  $"Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\nContent-Length: {form.Length}\r\nConnection: close\r\n\r\n{form}";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(req));
        using var reader = new StreamReader(stream);
        var all = await reader.ReadToEndAsync();
        return all[..all.IndexOf("\r\n\r\n", StringComparison.Ordinal)] + "\r\n";
    }

    [Fact]
    public async Task WriteResponse_ReturnsTrue()
    {
        var res = await Clients.PostForm(Host, $"Action=ModifyImageAttribute&Version=2016-11-15&ImageId={Demo.Web}&LaunchPermission.Add.1.UserId={Demo.Consumer}");
        var body = await res.Content.ReadAsStringAsync();
        Assert.Matches("^<\\?xml version=\"1.0\" encoding=\"UTF-8\"\\?>\n<ModifyImageAttributeResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>[0-9a-f-]{36}</requestId><return>true</return></ModifyImageAttributeResponse>$", body);
    }

    [Fact]
    public async Task ErrorResponse_HasRealShapeWithoutNamespace()
    {
        var res = await Clients.PostForm(Host, "Action=DescribeImages&Version=2016-11-15&ImageId.1=ami-fake1234");
        var body = await res.Content.ReadAsStringAsync();
        var id = res.Headers.GetValues("x-amzn-RequestId").Single();
        Assert.Equal(400, (int)res.StatusCode);
        Assert.Equal("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>InvalidAMIID.NotFound</Code><Message>The image id '[ami-fake1234]' does not exist</Message></Error></Errors><RequestID>"
                     + id + "</RequestID></Response>", body);
    }

    [Fact]
    public async Task EveryResponse_CarriesCurrentDateHeader()
    {
        foreach (var res in new[]
                 {
                     await Clients.PostForm(Host, "Action=DescribeImages&Version=2016-11-15"),
                     await Clients.PostForm(Host, "Action=DescribeImages&Version=2016-11-15", key: null),
                     await Clients.PostForm(Host, "Action=GetCallerIdentity&Version=2011-06-15", service: "sts"),
                     (await Clients.Json(Host, "TrentService.DescribeKey", "{\"KeyId\":\"alias/aws/ebs\"}", service: "kms")).Response,
                 })
        {
            var date = res.Headers.Date;
            Assert.NotNull(date);
            Assert.True(Math.Abs((date!.Value.UtcDateTime - DateTime.UtcNow).TotalSeconds) < 60);
        }
    }

    [Fact]
    public async Task MissingAuthorization_AuthFailure401()
    {
        var res = await Clients.PostForm(Host, "Action=DescribeImages&Version=2016-11-15", key: null);
        Assert.Equal(401, (int)res.StatusCode);
        Assert.Contains("<Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message>", await res.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetForm_QueryStringRequest_IsServed()
    {
        var res = await Clients.Get(Host, $"Action=DescribeImages&Version=2016-11-15&ImageId.1={Demo.Web}");
        var body = await res.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)res.StatusCode);
        Assert.Contains($"<imageId>{Demo.Web}</imageId>", body);
        var mod = await Clients.Get(Host, $"Action=ModifySnapshotAttribute&Version=2016-11-15&SnapshotId=snap-0a1b2c3d4e5f60001&Attribute=createVolumePermission&OperationType=add&UserId.1={Demo.Consumer}");
        Assert.Equal(200, (int)mod.StatusCode);
        Assert.Equal(new[] { Demo.Consumer }, Host.World.CreateVolumePermissionsOf("us-east-1", "snap-0a1b2c3d4e5f60001"));
    }

    [Fact]
    public async Task RequestLog_CountsPerActionAndMutating()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        await Owner.AddAsync(Demo.Build, User(Demo.Consumer));
        await Owner.DescribeImagesAsync(new DescribeImagesRequest());
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Web, User("bad")), "InvalidAMIAttributeItemValue");
        Assert.Equal(3, Host.Log.Count("ModifyImageAttribute"));
        Assert.Equal(3, Host.Log.Count("ec2", "ModifyImageAttribute"));
        Assert.Equal(0, Host.Log.Count("kms", "ModifyImageAttribute"));
        Assert.Equal(4, Host.Log.Total);
        Assert.Equal(3, Host.Log.MutatingCount);
        Assert.Equal(2, Host.Log.SuccessfulMutatingCount);
        var last = Host.Log.Entries.Last();
        Assert.Equal(("ec2", "ModifyImageAttribute", Demo.Owner, "us-east-1", 400, "InvalidAMIAttributeItemValue"),
                     (last.Service, last.Action, last.Account, last.Region, last.HttpStatus, last.ErrorCode));
        Assert.Equal("bad", last.Parameters["LaunchPermission.Add.1.UserId"]);
        Host.Log.Clear();
        Assert.Equal(0, Host.Log.Total);
    }

    [Fact]
    public async Task FailNext_RequestLimitExceededOnce_SdkRetriesAndSucceeds()
    {
        Host.Options.FailNext("DescribeImages", "RequestLimitExceeded", 503);
        using var retrying = Clients.Ec2(Host, Demo.OwnerKey, retries: 2);
        var r = await retrying.DescribeImagesAsync(new DescribeImagesRequest { Owners = new List<string> { "self" } });
        Assert.Equal(5, r.Images.Count);
        Assert.Equal(2, Host.Log.Count("DescribeImages"));
        Assert.Equal("RequestLimitExceeded", Host.Log.Entries[0].ErrorCode);
        Assert.Equal(503, Host.Log.Entries[0].HttpStatus);
    }

    [Fact]
    public async Task FailNext_ThreeTimes_SdkGivesUpWithRequestLimitExceeded()
    {
        Host.Options.FailNext("ModifyImageAttribute", "RequestLimitExceeded", 503, times: 3);
        using var retrying = Clients.Ec2(Host, Demo.OwnerKey, retries: 2);
        await Assertions.Ec2Error(() => retrying.AddAsync(Demo.Web, User(Demo.Consumer)), "RequestLimitExceeded", 503, "Request limit exceeded.");
        Assert.Equal(3, Host.Log.Count("ModifyImageAttribute"));
        Assert.Empty(Host.World.LaunchPermissionsOf("us-east-1", Demo.Web));
        Assert.Equal(0, Host.Options.PendingFaults);
    }

    [Fact]
    public async Task DropNext_ConnectionAborted_SdkRetriesTransparently()
    {
        Host.Options.DropNext("DescribeImageAttribute");
        using var retrying = Clients.Ec2(Host, Demo.OwnerKey, retries: 2);
        Assert.Empty(await retrying.LaunchPermissionsAsync(Demo.Web));
        Assert.Equal("ConnectionDropped", Host.Log.Entries[0].ErrorCode);
        Assert.Equal(2, Host.Log.Count("DescribeImageAttribute"));
    }

    [Fact]
    public async Task DropNext_NoRetries_SurfacesTransportError()
    {
        // The transport (SocketsHttpHandler) itself re-sends a request whose pooled connection was reset, so drop plenty.
        Host.Options.DropNext("*", times: 20);
        Exception? e = null;
        try { await Owner.DescribeImagesAsync(new DescribeImagesRequest()); } catch (Exception x) { e = x; }
        Assert.True(e != null, string.Join("; ", Host.Log.Entries.Select(x => x.ToString())));
        Assert.IsNotType<AmazonEC2Exception>(e);
        Assert.All(Host.Log.Entries, x => Assert.Equal("ConnectionDropped", x.ErrorCode));
        Host.Options.ClearFaults();
        Assert.Equal(0, Host.Options.PendingFaults);
    }

    [Fact]
    public async Task Throttling_BurstExhausted_RequestLimitExceededPerAccountRegionAndApi()
    {
        Host.Options.Throttling = true;
        Host.Options.TimeScale = 0.001;
        Host.Options.SetThrottleBucket("ModifyImageAttribute", 2, 5);
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        await Owner.AddAsync(Demo.Web, User(Demo.Platform));
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Web, User(Demo.Finance)), "RequestLimitExceeded", 503, "Request limit exceeded.");
        await Owner.DescribeImagesAsync(new DescribeImagesRequest());
        using var eu = Clients.Ec2(Host, Demo.OwnerKey, "eu-west-1");
        await eu.AddAsync(Demo.WebEu, User(Demo.Consumer));
        Assert.Equal(2, Host.World.LaunchPermissionsOf("us-east-1", Demo.Web).Count);
    }

    [Fact]
    public async Task Throttling_TimeScale_RefillsBucketFaster()
    {
        var clock = new ManualClock();
        Host.Options.Clock = clock;
        Host.Options.Throttling = true;
        Host.Options.TimeScale = 1000;
        Host.Options.SetThrottleBucket("DescribeImages", 1, 1);
        await Owner.DescribeImagesAsync(new DescribeImagesRequest());

        // One token a second, sped up 1000 times: 2 ms of emulator time refill the bucket.
        clock.Advance(TimeSpan.FromMilliseconds(2));
        await Owner.DescribeImagesAsync(new DescribeImagesRequest());
        Assert.Equal(2, Host.Log.Entries.Count(e => e.Succeeded));
    }

    [Fact]
    public async Task Throttling_DefaultBuckets_FollowAnchors()
    {
        Assert.False(new EmulatorOptions().Throttling);
        Host.Options.Clock = new ManualClock();
        Host.Options.Throttling = true;
        // Enable/DisableImageBlockPublicAccess: burst 1, refill 0.1/s (anchors.md §8); ModifyImageAttribute: burst 100.
        await Owner.EnableImageBlockPublicAccessAsync(new EnableImageBlockPublicAccessRequest { ImageBlockPublicAccessState = ImageBlockPublicAccessEnabledState.BlockNewSharing });
        await Assertions.Ec2Error(() => Owner.EnableImageBlockPublicAccessAsync(new EnableImageBlockPublicAccessRequest { ImageBlockPublicAccessState = ImageBlockPublicAccessEnabledState.BlockNewSharing }),
            "RequestLimitExceeded", 503);
        for (var n = 0; n < 100; n++)
            await Owner.ModifyImageAttributeAsync(new ModifyImageAttributeRequest { ImageId = Demo.Web, Description = "d" + n });
        Assert.Equal(101, Host.Log.Entries.Count(e => e.Succeeded));
    }

    [Fact]
    public async Task Latency_DelaysResponses()
    {
        var waits = new List<TimeSpan>();
        Host.Options.Latency = TimeSpan.FromMilliseconds(150);
        Host.Options.Delay = d => { lock (waits) waits.Add(d); return Task.CompletedTask; };
        await Owner.DescribeImagesAsync(new DescribeImagesRequest { Owners = new List<string> { "self" } });
        Assert.Equal(new[] { TimeSpan.FromMilliseconds(150) }, waits);
    }

    [Fact]
    public async Task CopyImagePendingTime_ImageAvailableAfterScaledDelay()
    {
        var clock = new ManualClock();
        Host.Options.Clock = clock;
        Host.Options.CopyImagePendingTime = TimeSpan.FromSeconds(10);
        Host.Options.TimeScale = 20;
        var r = await Owner.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.Web, SourceRegion = "us-east-1", Name = "pending-copy" });
        Assert.Equal(ImageState.Pending, (await Owner.ImageAsync(r.ImageId))!.State);

        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(ImageState.Pending, (await Owner.ImageAsync(r.ImageId))!.State);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(ImageState.Available, (await Owner.ImageAsync(r.ImageId))!.State);
    }
}

/// <summary>A clock that moves only when a test advances it.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
