using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using AmiShare.Emulator;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>
/// Watermarks, block public access for snapshots and Set-AmiPublic -IncludeSnapshot through the real EC2 gateway against the
/// in-process emulator (the world is set up with the raw AWSSDK client, as a user would with AWS.Tools).
/// </summary>
public sealed class PublicSnapshotGatewayTests : IAsyncLifetime
{
    private const string OwnerKey = "AKIAAMISHAREOWNER001";
    private const string Plain = "ami-0a1b2c3d4e5f60001";
    private const string PlainSnapshot = "snap-0a1b2c3d4e5f60001";

    private readonly ListReporter _reporter = new();
    private EmulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await EmulatorHost.StartAsync(World.Demo());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private AwsSession Session() => new(new BasicAWSCredentials(OwnerKey, "owner-secret"), "the supplied key parameters", "us-east-1", "region parameter", _host.Endpoint);

    private Ec2Gateway Gateway() => new(Session(), _reporter);

    private async Task<string> WatermarkAsync(string imageId, string name)
    {
        using IAmazonEC2 ec2 = Ec2Gateway.CreateClient(Session());
        return (await ec2.AttachImageWatermarkAsync(new AttachImageWatermarkRequest { ImageId = imageId, WatermarkName = name })).WatermarkKey;
    }

    private async Task BlockSnapshotsAsync(string state)
    {
        using IAmazonEC2 ec2 = Ec2Gateway.CreateClient(Session());
        await ec2.EnableSnapshotBlockPublicAccessAsync(new EnableSnapshotBlockPublicAccessRequest { State = state });
    }

    [Fact]
    public async Task DescribeImage_CarriesWatermarkKeys_AndEc2sOwnRefusalMapsToWatermarkedCannotBePublic()
    {
        string key = await WatermarkAsync(Plain, "approved-base");
        using Ec2Gateway gateway = Gateway();

        Assert.Equal("123456789012:approved-base", key);
        Assert.Equal(new[] { key }, (await gateway.DescribeImageAsync(Plain, default)).Watermarks);
        Assert.Equal(new[] { key }, Assert.Single(await gateway.DescribeImagesAsync(new[] { Plain }, default)).Watermarks);

        // Without AmiShare's preflight (another tool attached it in between): EC2's refusal has the same ErrorId.
        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.ModifyLaunchPermissionsAsync(Plain, new[] { AmiShare.Engine.Principals.Principal.Everyone }, null!, default));
        Assert.Equal(ErrorIds.WatermarkedCannotBePublic, e.ErrorId);
        Assert.Contains("DetachImageWatermark", e.Remedy);
    }

    [Fact]
    public async Task SetPublic_Watermarked_RefusedByThePreflight_NoModifyImageAttribute()
    {
        await WatermarkAsync(Plain, "approved-base");
        using var service = new AmiShareService(Gateway(), null, null, _reporter);

        var e = await Assert.ThrowsAsync<AmiShareException>(() => service.PlanSetPublicAsync(Plain, true, default));

        Assert.Equal(ErrorIds.WatermarkedCannotBePublic, e.ErrorId);
        Assert.Contains("123456789012:approved-base", e.Message);
        Assert.Equal(0, _host.Log.Count("ModifyImageAttribute"));
    }

    [Theory]
    [InlineData("block-new-sharing")]
    [InlineData("block-all-sharing")]
    public async Task GetSnapshotBlockPublicAccess_ReadsTheState(string state)
    {
        using Ec2Gateway gateway = Gateway();
        SnapshotBlockPublicAccessInfo before = await gateway.GetSnapshotBlockPublicAccessAsync(default);
        await BlockSnapshotsAsync(state);
        SnapshotBlockPublicAccessInfo after = await gateway.GetSnapshotBlockPublicAccessAsync(default);

        Assert.Equal(("unblocked", false), (before.State, before.BlocksNewSharing));
        Assert.Equal((state, true, "account"), (after.State, after.BlocksNewSharing, after.ManagedBy));
        Assert.Equal(state == "block-all-sharing", after.BlocksAllSharing);
    }

    [Fact]
    public async Task SetPublic_IncludeSnapshot_SnapshotsBlocked_AmiPublic_NoSnapshotWrite()
    {
        await BlockSnapshotsAsync("block-new-sharing");
        using var service = new AmiShareService(Gateway(), null, null, _reporter);

        SharePlan plan = await service.PlanSetPublicAsync(Plain, true, new ShareOptions { IncludeSnapshot = true }, default);
        await service.ApplyAsync(plan, default);

        Assert.Contains(plan.Warnings, w => w.Contains("block-new-sharing") && w.Contains("not copy it"));
        Assert.Equal(0, _host.Log.Count("ModifySnapshotAttribute"));
        Assert.Equal(1, _host.Log.Count("ModifyImageAttribute"));
        Assert.Contains(("Group", "all"), _host.World.LaunchPermissionsOf("us-east-1", Plain));
    }

    [Fact]
    public async Task ModifyCreateVolumePermissions_All_UnderTheBlock_MapsToPublicSnapshotSharingBlocked()
    {
        await BlockSnapshotsAsync("block-all-sharing");
        using Ec2Gateway gateway = Gateway();

        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.ModifyCreateVolumePermissionsAsync(PlainSnapshot, new[] { "all" }, Array.Empty<string>(), default));

        Assert.Equal(ErrorIds.PublicSnapshotSharingBlocked, e.ErrorId);
        Assert.Contains(PlainSnapshot, e.Message);
        Assert.Contains("Disable-EC2SnapshotBlockPublicAccess -Region us-east-1", e.Remedy);
    }

    [Fact]
    public async Task ModifyCreateVolumePermissions_All_SendsGroupAll_AndReadsBackAsAll()
    {
        using Ec2Gateway gateway = Gateway();
        await gateway.ModifyCreateVolumePermissionsAsync(PlainSnapshot, new[] { "all" }, Array.Empty<string>(), default);

        var write = _host.Log.Entries.Single(e => e.Action == "ModifySnapshotAttribute");
        Assert.Equal("all", write.Parameters["CreateVolumePermission.Add.1.Group"]);
        Assert.DoesNotContain(write.Parameters.Keys, k => k.EndsWith("UserId", StringComparison.Ordinal));
        Assert.Equal(new[] { "all" }, await gateway.GetCreateVolumePermissionsAsync(PlainSnapshot, default));

        await gateway.ModifyCreateVolumePermissionsAsync(PlainSnapshot, Array.Empty<string>(), new[] { "all" }, default);
        Assert.Empty(await gateway.GetCreateVolumePermissionsAsync(PlainSnapshot, default));
    }

    [Fact]
    public async Task SetPublic_IncludeSnapshot_SnapshotThenAmi_OneWriteEach()
    {
        using var service = new AmiShareService(Gateway(), null, null, _reporter);
        SharePlan plan = await service.PlanSetPublicAsync(Plain, true, new ShareOptions { IncludeSnapshot = true }, default);
        await service.ApplyAsync(plan, default);

        Assert.Equal(1, _host.Log.Count("ModifySnapshotAttribute"));
        Assert.Equal(1, _host.Log.Count("ModifyImageAttribute"));
        var writes = _host.Log.Entries.Where(e => e.Action.StartsWith("Modify", StringComparison.Ordinal)).Select(e => e.Action).ToList();
        Assert.Equal(new[] { "ModifySnapshotAttribute", "ModifyImageAttribute" }, writes);
    }
}
