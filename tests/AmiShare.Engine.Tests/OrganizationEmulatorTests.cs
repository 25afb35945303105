using Amazon.Runtime;
using AmiShare.Emulator;
using AmiShare.Engine;
using AmiShare.Engine.Access;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>The Organizations client, bare-id resolution, launch access and revoke warnings against the emulator's demo world.</summary>
public sealed class OrganizationEmulatorTests : IAsyncLifetime
{
    private const string Unshared = "ami-0a1b2c3d4e5f60005";
    private const string EngineeringArn = "arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111";
    private const string OrgArn = "arn:aws:organizations::123456789012:organization/o-abc1234567";

    private static readonly (string Key, string Secret) Owner = ("AKIAAMISHAREOWNER001", "owner-secret");
    private static readonly (string Key, string Secret) Consumer = ("AKIAAMISHARECONSUMER1", "consumer-secret");
    private static readonly (string Key, string Secret) Third = ("AKIAAMISHARETHIRD0001", "third-secret");

    private readonly ListReporter _reporter = new();
    private EmulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await EmulatorHost.StartAsync(World.Demo());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private AwsSession Session((string Key, string Secret) who, string region = "us-east-1") =>
        new(new BasicAWSCredentials(who.Key, who.Secret), "the supplied key parameters", region, "region parameter", _host.Endpoint);

    private AmiShareService Service((string Key, string Secret) who, string region = "us-east-1")
    {
        AwsSession session = Session(who, region);
        return new AmiShareService(new Ec2Gateway(session, _reporter), null!, new OrganizationsGateway(session, _reporter), _reporter);
    }

    private static Principal Bare(string id) => PrincipalParser.Parse(id, false, true);

    [Fact]
    public async Task ListParentsAsync_NestedAccount_PlatformOuAndSignedForUsEast1()
    {
        using var gateway = new OrganizationsGateway(Session(Owner, "eu-west-1"), _reporter);
        var parent = Assert.Single(await gateway.ListParentsAsync("444455556666", default));

        Assert.Equal("ou-ab12-33333333", parent.Id);
        Assert.Equal("ORGANIZATIONAL_UNIT", parent.Type);
        Assert.Contains($"Invoking Organizations ListParents for 444455556666 on endpoint '{_host.Endpoint}'", _reporter.VerboseLines);
        var entry = Assert.Single(_host.Log.Entries, e => e.Action == "ListParents");
        Assert.Equal("organizations", entry.Service);
        Assert.Equal("123456789012", entry.Account);
        Assert.Equal("us-east-1", entry.Region);
        Assert.True(entry.Succeeded);
    }

    [Fact]
    public async Task ListRootsAndDescribeAccount_ManagementAccount_TreeFacts()
    {
        using var gateway = new OrganizationsGateway(Session(Owner), _reporter);
        Assert.Equal(new[] { "r-ab12" }, await gateway.ListRootsAsync(default));
        var account = await gateway.DescribeAccountAsync("555566667777", default);
        Assert.Equal("555566667777", account.Id);
        Assert.Equal("arn:aws:organizations::123456789012:account/o-abc1234567/555566667777", account.Arn);
    }

    [Fact]
    public async Task DescribeAccountAsync_Unknown_InvalidPrincipal()
    {
        using var gateway = new OrganizationsGateway(Session(Owner), _reporter);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.DescribeAccountAsync("999988887777", default));
        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Equal("AccountNotFoundException", e.AwsErrorCode);
        Assert.NotNull(e.AwsRequestId);
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_BareEngineeringOu_FullOuArn()
    {
        using var service = Service(Owner);
        var resolved = await service.ResolvePrincipalsAsync(new[] { Bare("ou-ab12-11111111"), Bare("o-abc1234567") }, default);
        Assert.Equal(new[] { EngineeringArn, OrgArn }, resolved.Select(p => p.Value));
        Assert.All(resolved, p => Assert.False(p.IsUnresolved));
    }

    [Fact]
    public async Task ApplyAsync_GrantBareOu_SharesWithFullOuArn()
    {
        using var service = Service(Owner);
        var principals = await service.ResolvePrincipalsAsync(new[] { Bare("ou-ab12-11111111") }, default);
        await service.ApplyAsync(await service.PlanGrantAsync(Unshared, principals, ShareOptions.None, default), default);

        Assert.Equal(new[] { ("OrganizationalUnitArn", EngineeringArn) }, _host.World.LaunchPermissionsOf("us-east-1", Unshared));
    }

    [Fact]
    public async Task TestLaunchAccessAsync_SharedWithEngineering_PlatformMemberThroughOuWithPath()
    {
        using var service = Service(Owner);
        await service.ApplyAsync(await service.PlanGrantAsync(Unshared, new[] { PrincipalParser.Parse(EngineeringArn) }, ShareOptions.None, default), default);

        var r = await service.TestOneLaunchAccessAsync(Unshared, "444455556666", default);

        Assert.True(r.CanLaunch);
        Assert.Equal(AccessPath.OrganizationalUnit, r.Via);
        var grant = Assert.Single(r.Grants);
        Assert.Equal(EngineeringArn, grant.Principal);
        Assert.Equal("o-abc1234567/r-ab12/ou-ab12-11111111/ou-ab12-33333333/", grant.OuPath);
        Assert.Null(r.Caveat);

        var finance = await service.TestOneLaunchAccessAsync(Unshared, "555566667777", default);
        Assert.Equal(AccessPath.None, finance.Via);
        Assert.Null(finance.Caveat);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_Unshared_NoneAndOwnerIsOwner()
    {
        using var service = Service(Owner);
        Assert.Equal(AccessPath.None, (await service.TestOneLaunchAccessAsync(Unshared, "111122223333", default)).Via);
        Assert.Equal(AccessPath.Owner, (await service.TestOneLaunchAccessAsync(Unshared, "123456789012", default)).Via);
        Assert.Equal(0, _host.Log.Count("organizations", "ListParents"));
    }

    [Fact]
    public async Task PlanRevokeAsync_ConsumerAlsoInSharedOu_WarnsItKeepsAccessThroughOu()
    {
        using var service = Service(Owner);
        var consumer = PrincipalParser.ParseAccount("111122223333");
        await service.ApplyAsync(await service.PlanGrantAsync(Unshared, new[] { consumer, PrincipalParser.Parse(EngineeringArn) }, ShareOptions.None, default), default);

        var plan = await service.PlanRevokeAsync(Unshared, new[] { consumer }, ShareOptions.None, default);

        Assert.Equal(
            $"Account 111122223333 keeps launch access to {Unshared} through OU ou-ab12-11111111 (path o-abc1234567/r-ab12/ou-ab12-11111111/) that the AMI is still shared with; " +
            "EC2 accepts the revoke all the same. Revoke the OU too, or move the account.",
            Assert.Single(plan.Warnings));

        await service.ApplyAsync(plan, default);
        var after = await service.TestOneLaunchAccessAsync(Unshared, "111122223333", default);
        Assert.Equal(AccessPath.OrganizationalUnit, after.Via);
        Assert.DoesNotContain(_host.World.LaunchPermissionsOf("us-east-1", Unshared), p => p.Value == "111122223333");
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_ThirdPartyOutsideAnyOrganization_InvalidPrincipalFromNotInUse()
    {
        using var service = Service(Third);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => service.ResolvePrincipalsAsync(new[] { Bare("ou-ab12-11111111") }, default));

        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Equal("AWSOrganizationsNotInUseException", e.AwsErrorCode);
        Assert.Equal(ErrorIds.OrganizationUnresolved, Assert.IsType<AmiShareException>(e.InnerException).ErrorId);
        Assert.Contains("not a member of an organization", e.Message);
        Assert.Contains("arn:aws:organizations::<management-account-id>:ou/o-<organization-id>/ou-ab12-11111111", e.Message);
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_MemberAccount_OrgResolvesOuRefusedWithLikelyArn()
    {
        using var service = Service(Consumer);
        var org = Assert.Single(await service.ResolvePrincipalsAsync(new[] { Bare("o-abc1234567") }, default));
        Assert.Equal(OrgArn, org.Value);

        var e = await Assert.ThrowsAsync<AmiShareException>(() => service.ResolvePrincipalsAsync(new[] { Bare("ou-ab12-11111111") }, default));
        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Equal("AccessDeniedException", e.AwsErrorCode);
        Assert.Contains($"its ARN is {EngineeringArn}", e.Remedy);
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_UnknownOu_InvalidPrincipalNamingId()
    {
        using var service = Service(Owner);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => service.ResolvePrincipalsAsync(new[] { Bare("ou-ab12-99999999") }, default));
        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Contains("ou-ab12-99999999", e.Message);
        Assert.Equal("OrganizationalUnitNotFoundException", e.AwsErrorCode);
    }
}
