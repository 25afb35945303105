using Amazon.Runtime;
using AmiShare.Emulator;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>The real gateways (AWSSDK clients) against the in-process emulator's demo world.</summary>
public sealed class EmulatorGatewayTests : IAsyncLifetime
{
    private const string OwnerKey = "AKIAAMISHAREOWNER001";
    private const string OwnerSecret = "owner-secret";
    private const string Plain = "ami-0a1b2c3d4e5f60001";
    private const string CustomerKeyEncrypted = "ami-0a1b2c3d4e5f60002";
    private const string AwsManagedKeyEncrypted = "ami-0a1b2c3d4e5f60003";
    private const string Marketplace = "ami-0a1b2c3d4e5f60004";
    private const string EuBlocked = "ami-0a1b2c3d4e5f60006";
    private const string ThirdPartyPublic = "ami-0f0f0f0f0f0f0f0f0";

    private static readonly Principal Consumer = PrincipalParser.Parse("111122223333");
    private static readonly Principal Member = PrincipalParser.Parse("444455556666");
    private static readonly Principal Org = PrincipalParser.Parse("arn:aws:organizations::123456789012:organization/o-abc1234567");
    private static readonly Principal Ou = PrincipalParser.Parse("arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111");

    private readonly ListReporter _reporter = new();
    private EmulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await EmulatorHost.StartAsync(World.Demo());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private AwsSession Session(string region = "us-east-1", string key = OwnerKey, string secret = OwnerSecret, string? endpoint = null) =>
        new(new BasicAWSCredentials(key, secret), "the supplied key parameters", region, "region parameter", endpoint ?? _host.Endpoint);

    private AmiShareService Service(string region = "us-east-1") => new(new Ec2Gateway(Session(region), _reporter), null, null, _reporter);

    private IReadOnlyList<(string Kind, string Value)> WorldPermissions(string id, string region = "us-east-1") => _host.World.LaunchPermissionsOf(region, id);

    [Fact]
    public async Task GetLaunchPermissionsAsync_PrivateAmi_EmptyAndVerboseLineNamesEndpoint()
    {
        using var gateway = new Ec2Gateway(Session(), _reporter);
        Assert.Empty(await gateway.GetLaunchPermissionsAsync(Plain, default));
        Assert.Contains($"Invoking EC2 DescribeImageAttribute for {Plain} in region 'us-east-1' on endpoint '{_host.Endpoint}'", _reporter.VerboseLines);
    }

    [Fact]
    public async Task ApplyAsync_GrantAccountOrgAndOu_OneModifyCallAndAllPresent()
    {
        using var service = Service();
        var plan = await service.PlanGrantAsync(Plain, new[] { Consumer, Org, Ou }, ShareOptions.None, default);
        var result = await service.ApplyAsync(plan, default);

        Assert.True(result.Changed);
        Assert.Equal(1, _host.Log.Count("ModifyImageAttribute"));
        var now = await service.GetLaunchPermissionsAsync(Plain, default);
        Assert.Equal(new HashSet<Principal> { Consumer, Org, Ou }, now.ToHashSet());
        Assert.Equal(3, WorldPermissions(Plain).Count);
    }

    [Fact]
    public async Task ModifyLaunchPermissionsAsync_AddAndRemove_SendsOneRequestInLaunchPermissionForm()
    {
        using var gateway = new Ec2Gateway(Session(), _reporter);
        await gateway.ModifyLaunchPermissionsAsync(Plain, new[] { Consumer }, Array.Empty<Principal>(), default);
        await gateway.ModifyLaunchPermissionsAsync(Plain, new[] { Member, Org, Ou }, new[] { Consumer }, default);

        var writes = _host.Log.Entries.Where(e => e.Action == "ModifyImageAttribute").ToList();
        Assert.Equal(2, writes.Count);
        var last = writes[1].Parameters;
        Assert.Equal("444455556666", last["LaunchPermission.Add.1.UserId"]);
        Assert.Equal(Org.Value, last["LaunchPermission.Add.2.OrganizationArn"]);
        Assert.Equal(Ou.Value, last["LaunchPermission.Add.3.OrganizationalUnitArn"]);
        Assert.Equal("111122223333", last["LaunchPermission.Remove.1.UserId"]);
        Assert.DoesNotContain(last.Keys, k => k.StartsWith("UserId.", StringComparison.Ordinal) || k == "OperationType");
        Assert.Equal(new HashSet<Principal> { Member, Org, Ou }, (await gateway.GetLaunchPermissionsAsync(Plain, default)).ToHashSet());
        Assert.Contains($"Invoking EC2 ModifyImageAttribute for {Plain} in region 'us-east-1' on endpoint '{_host.Endpoint}'", _reporter.VerboseLines);
    }

    [Fact]
    public async Task ModifyLaunchPermissionsAsync_Everyone_SendsGroupAll()
    {
        using var gateway = new Ec2Gateway(Session(), _reporter);
        await gateway.ModifyLaunchPermissionsAsync(Plain, new[] { Principal.Everyone }, Array.Empty<Principal>(), default);
        var write = _host.Log.Entries.Single(e => e.Action == "ModifyImageAttribute");
        Assert.Equal("all", write.Parameters["LaunchPermission.Add.1.Group"]);
        Assert.Equal(new[] { Principal.Everyone }, await gateway.GetLaunchPermissionsAsync(Plain, default));
    }

    [Fact]
    public async Task ApplyAsync_GrantTwice_SecondRunMakesNoWrite()
    {
        using var service = Service();
        await service.ApplyAsync(await service.PlanGrantAsync(Plain, new[] { Consumer, Member }, ShareOptions.None, default), default);
        var again = await service.ApplyAsync(await service.PlanGrantAsync(Plain, new[] { Member, Consumer }, ShareOptions.None, default), default);
        Assert.False(again.Changed);
        Assert.Equal(1, _host.Log.Count("ModifyImageAttribute"));
    }

    [Fact]
    public async Task ApplyAsync_RevokeWhileOrgStays_WarnsAndRemovesAccount()
    {
        using var service = Service();
        await service.ApplyAsync(await service.PlanGrantAsync(Plain, new[] { Consumer, Org }, ShareOptions.None, default), default);
        var plan = await service.PlanRevokeAsync(Plain, new[] { Consumer }, ShareOptions.None, default);
        Assert.Contains(Org.Value, Assert.Single(plan.Warnings));
        await service.ApplyAsync(plan, default);
        Assert.Equal(new[] { Org }, await service.GetLaunchPermissionsAsync(Plain, default));
    }

    [Fact]
    public async Task ApplyAsync_SetPublicThenPrivate_RoundTrips()
    {
        using var service = Service();
        using var gateway = new Ec2Gateway(Session(), _reporter);
        Assert.Equal(0, await gateway.CountOwnedPublicImagesAsync(default));

        await service.ApplyAsync(await service.PlanSetPublicAsync(Plain, true, default), default);
        Assert.True(_host.World.IsImagePublic("us-east-1", Plain));
        Assert.Equal(1, await gateway.CountOwnedPublicImagesAsync(default));
        Assert.True((await gateway.DescribeImageAsync(Plain, default)).IsPublic);

        await service.ApplyAsync(await service.PlanSetPublicAsync(Plain, false, default), default);
        Assert.False(_host.World.IsImagePublic("us-east-1", Plain));
    }

    [Fact]
    public async Task DescribeImageAsync_EncryptedAmi_ReportsSnapshotsAndKey()
    {
        using var gateway = new Ec2Gateway(Session(), _reporter);
        var info = await gateway.DescribeImageAsync(CustomerKeyEncrypted, default);
        Assert.Equal("available", info.State);
        Assert.Equal("123456789012", info.OwnerId);
        var snap = Assert.Single(info.Snapshots);
        Assert.Equal("snap-0a1b2c3d4e5f60002", snap.SnapshotId);
        Assert.True(snap.Encrypted);
    }

    [Theory]
    [InlineData(CustomerKeyEncrypted, "us-east-1", ErrorIds.EncryptedSnapshotsCannotBePublic)]
    [InlineData(Marketplace, "us-east-1", ErrorIds.ProductCodesCannotBePublic)]
    [InlineData(EuBlocked, "eu-west-1", ErrorIds.PublicSharingBlocked)]
    public async Task PlanSetPublicAsync_UnshareableAmi_RefusedWithoutAnyWrite(string imageId, string region, string errorId)
    {
        using var service = Service(region);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => service.PlanSetPublicAsync(imageId, true, default));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(0, _host.Log.Count("ModifyImageAttribute"));
        Assert.False(_host.World.IsImagePublic(region, imageId));
    }

    [Fact]
    public async Task ModifyLaunchPermissionsAsync_AwsManagedKeyAmi_MapsToEncryptedWithAwsManagedKey()
    {
        using var gateway = new Ec2Gateway(Session(), _reporter);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.ModifyLaunchPermissionsAsync(AwsManagedKeyEncrypted, new[] { Consumer }, Array.Empty<Principal>(), default));
        Assert.Equal(ErrorIds.EncryptedWithAwsManagedKey, e.ErrorId);
        Assert.Equal("InvalidParameter", e.AwsErrorCode);
        Assert.False(string.IsNullOrEmpty(e.AwsRequestId));
        Assert.Contains("Copy-EC2Image", e.Message);
    }

    [Fact]
    public async Task ModifyLaunchPermissionsAsync_DirectPublicOnEncrypted_MapsServiceError()
    {
        using var gateway = new Ec2Gateway(Session(), _reporter);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.ModifyLaunchPermissionsAsync(CustomerKeyEncrypted, new[] { Principal.Everyone }, Array.Empty<Principal>(), default));
        Assert.Equal(ErrorIds.EncryptedSnapshotsCannotBePublic, e.ErrorId);
        Assert.Equal("UnsupportedOperation", e.AwsErrorCode);
    }

    [Fact]
    public async Task GetLaunchPermissionsAsync_PublicAmiOfAnotherAccount_AmiNotOwned()
    {
        using var gateway = new Ec2Gateway(Session(), _reporter);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.GetLaunchPermissionsAsync(ThirdPartyPublic, default));
        Assert.Equal(ErrorIds.AmiNotOwned, e.ErrorId);
        Assert.Equal("AuthFailure", e.AwsErrorCode);
    }

    [Fact]
    public async Task GetLaunchPermissionsAsync_UnknownAmi_AmiNotFound()
    {
        using var gateway = new Ec2Gateway(Session(), _reporter);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.GetLaunchPermissionsAsync("ami-0123456789abcdef0", default));
        Assert.Equal(ErrorIds.AmiNotFound, e.ErrorId);
    }

    [Fact]
    public async Task DescribeImageAsync_UnknownAmi_AmiNotFound()
    {
        using var gateway = new Ec2Gateway(Session(), _reporter);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.DescribeImageAsync("ami-0123456789abcdef0", default));
        Assert.Equal(ErrorIds.AmiNotFound, e.ErrorId);
    }

    [Fact]
    public async Task GetLaunchPermissionsAsync_UnknownAccessKey_CredentialsRejected()
    {
        using var gateway = new Ec2Gateway(Session(key: "AKIAUNKNOWNKEY000001", secret: "nope"), _reporter);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.GetLaunchPermissionsAsync(Plain, default));
        Assert.Equal(ErrorIds.CredentialsRejected, e.ErrorId);
        Assert.DoesNotContain("nope", e.Message);
    }

    [Fact]
    public async Task ApplyAsync_Reset_RemovesEverything()
    {
        using var service = Service();
        await service.ApplyAsync(await service.PlanGrantAsync(Plain, new[] { Consumer, Ou }, ShareOptions.None, default), default);
        var result = await service.ApplyAsync(await service.PlanResetAsync(Plain, ShareOptions.None, default), default);
        Assert.True(result.Changed);
        Assert.Equal(1, _host.Log.Count("ResetImageAttribute"));
        Assert.Empty(WorldPermissions(Plain));
    }

    [Fact]
    public async Task GetImageBlockPublicAccessStateAsync_PerRegion()
    {
        using var east = new Ec2Gateway(Session("us-east-1"), _reporter);
        using var eu = new Ec2Gateway(Session("eu-west-1"), _reporter);
        Assert.Equal("unblocked", await east.GetImageBlockPublicAccessStateAsync(default));
        Assert.Equal("block-new-sharing", await eu.GetImageBlockPublicAccessStateAsync(default));
    }

    [Fact]
    public async Task GetLaunchPermissionsAsync_ThrottledBeyondTheRetryBudget_Throttled()
    {
        _host.Options.FailNext("DescribeImageAttribute", "RequestLimitExceeded", 503, times: 10, message: "Request limit exceeded.");
        using var gateway = new Ec2Gateway(Session(), _reporter) { RetrySettings = new RetrySettings { ThrottleBudget = TimeSpan.Zero } };
        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.GetLaunchPermissionsAsync(Plain, default));
        Assert.Equal(ErrorIds.Throttled, e.ErrorId);
    }

    [Fact]
    public async Task GetLaunchPermissionsAsync_ThrottledOnce_RetrySucceeds()
    {
        _host.Options.FailNext("DescribeImageAttribute", "RequestLimitExceeded", 503, times: 1, message: "Request limit exceeded.");
        using var gateway = new Ec2Gateway(Session(), _reporter);
        Assert.Empty(await gateway.GetLaunchPermissionsAsync(Plain, default));
    }

    [Fact]
    public async Task GetLaunchPermissionsAsync_NothingListening_EndpointUnreachable()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }

        using var gateway = new Ec2Gateway(Session(endpoint: "http://127.0.0.1:" + port), _reporter);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.GetLaunchPermissionsAsync(Plain, default));
        Assert.Equal(ErrorIds.EndpointUnreachable, e.ErrorId);
        Assert.Contains("127.0.0.1:" + port, e.Message);
    }

    [Fact]
    public async Task GetLaunchPermissionsAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var gateway = new Ec2Gateway(Session(), _reporter);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gateway.GetLaunchPermissionsAsync(Plain, cts.Token));
    }

    [Fact]
    public async Task GetCallerAccountAsync_OwnerKey_ReturnsAccount()
    {
        using var factory = new AmiShareServiceFactory(_reporter);
        using var sts = factory.CreateSts(Session());
        Assert.Equal("123456789012", await sts.GetCallerAccountAsync(default));
        Assert.Contains(_reporter.VerboseLines, l => l.StartsWith("Invoking STS GetCallerIdentity in region 'us-east-1' on endpoint"));
    }

    [Fact]
    public async Task GetCallerAccountAsync_UnknownKey_CredentialsRejected()
    {
        using var sts = new StsGateway(Session(key: "AKIAUNKNOWNKEY000001", secret: "nope"), _reporter);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => sts.GetCallerAccountAsync(default));
        Assert.Equal(ErrorIds.CredentialsRejected, e.ErrorId);
    }

    [Fact]
    public async Task ResolveAndFactory_EnvironmentPointsAtEmulator_EndToEnd()
    {
        using var home = new TempHome();
        var env = new FakeEnvironment(home.Path)
            .Set("AWS_ACCESS_KEY_ID", OwnerKey).Set("AWS_SECRET_ACCESS_KEY", OwnerSecret)
            .Set("AWS_REGION", "us-east-1").Set("AWS_ENDPOINT_URL", _host.Endpoint);
        var session = new AwsSessionResolver(env) { UseInstanceMetadata = false }.Resolve(new SessionParameters(), null!);
        using var factory = new AmiShareServiceFactory(_reporter);
        var service = factory.For(session);
        Assert.Same(service, factory.For(session));
        await service.ApplyAsync(await service.PlanGrantAsync(Plain, new[] { Member }, ShareOptions.None, default), default);
        Assert.Contains(("UserId", "444455556666"), WorldPermissions(Plain).Select(p => (p.Kind, p.Value)));
    }

    [Fact]
    public async Task ResolveAndFactory_StoredAwsToolsCredentialsHoldingForeignObject_SignsWithItsKeys()
    {
        using var home = new TempHome();
        var foreign = new ForeignCredentials(OwnerKey, OwnerSecret);
        var parameters = new SessionParameters
        {
            StoredCredentials = new Amazon.PowerShell.Common.AWSPSCredentials(foreign, "dev"),
            StoredRegion = "us-east-1",
            EndpointUrl = _host.Endpoint,
        };
        var session = new AwsSessionResolver(new FakeEnvironment(home.Path)) { UseInstanceMetadata = false }.Resolve(parameters, null!);
        Assert.Equal("shell variable $StoredAWSCredentials", session.CredentialSource);
        using var factory = new AmiShareServiceFactory(_reporter);
        Assert.Empty(await factory.For(session).GetLaunchPermissionsAsync(Plain, default));
        Assert.True(foreign.Calls >= 1);
        Assert.Equal("123456789012", _host.Log.Entries.Last().Account);
    }
}
