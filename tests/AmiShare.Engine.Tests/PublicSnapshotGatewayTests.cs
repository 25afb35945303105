using Amazon.Runtime;
using AmiShare.Emulator;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>Set-AmiPublic -IncludeSnapshot through the real EC2 gateway against the in-process emulator: group all on snapshots.</summary>
public sealed class PublicSnapshotGatewayTests : IAsyncLifetime
{
    private const string OwnerKey = "AKIAAMISHAREOWNER001";
    private const string Plain = "ami-0a1b2c3d4e5f60001";
    private const string PlainSnapshot = "snap-0a1b2c3d4e5f60001";

    private readonly ListReporter _reporter = new();
    private EmulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await EmulatorHost.StartAsync(World.Demo());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Ec2Gateway Gateway() =>
        new(new AwsSession(new BasicAWSCredentials(OwnerKey, "owner-secret"), "the supplied key parameters", "us-east-1", "region parameter", _host.Endpoint), _reporter);

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
