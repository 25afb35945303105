using AmiShare.Engine;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;
using Fake = AmiShare.Engine.Tests.FakeOrganizationsGateway;

namespace AmiShare.Engine.Tests;

/// <summary>AmiShareService.ResolvePrincipalsAsync over a fake Organizations gateway.</summary>
public sealed class OrganizationResolutionTests
{
    private readonly FakeEc2Gateway _ec2 = new();
    private readonly Fake _orgs = new();
    private readonly ListReporter _reporter = new();

    private AmiShareService Service() => new(_ec2, null!, _orgs, _reporter);

    private static Principal Bare(string value) => PrincipalParser.Parse(value, false, true);

    [Fact]
    public void Parse_BareIdsAllowed_ReturnsUnresolvedPrincipals()
    {
        var org = Bare("o-abc1234567");
        var ou = Bare(" ou-ab12-11111111 ");
        Assert.True(org.IsUnresolved);
        Assert.Equal(PrincipalType.Organization, org.Type);
        Assert.True(ou.IsUnresolved);
        Assert.Equal(PrincipalType.OrganizationalUnit, ou.Type);
        Assert.Equal("ou-ab12-11111111", ou.Value);
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_BareOrgIdOfCaller_FullOrganizationArn()
    {
        var resolved = await Service().ResolvePrincipalsAsync(new[] { Bare("o-abc1234567") }, default);

        var p = Assert.Single(resolved);
        Assert.False(p.IsUnresolved);
        Assert.Equal(PrincipalType.Organization, p.Type);
        Assert.Equal(Fake.OrgArn, p.Value);
        Assert.Equal(PrincipalParser.Parse(Fake.OrgArn), p);
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_BareOuId_FullOuArnFromDescribeOrganizationalUnit()
    {
        var resolved = await Service().ResolvePrincipalsAsync(new[] { Bare("ou-ab12-33333333") }, default);

        var p = Assert.Single(resolved);
        Assert.Equal(PrincipalType.OrganizationalUnit, p.Type);
        Assert.Equal("arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-33333333", p.Value);
        Assert.Contains("DescribeOrganizationalUnit ou-ab12-33333333", _orgs.Calls);
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_MixedResolvedAndBare_ResolvedPassThroughInOrderAndDeduplicated()
    {
        var account = PrincipalParser.Parse("111122223333");
        var fullOu = PrincipalParser.Parse(Fake.OuArn(Fake.Engineering));
        var resolved = await Service().ResolvePrincipalsAsync(new[] { account, Bare(Fake.Engineering), fullOu, Bare("o-abc1234567") }, default);

        Assert.Equal(new[] { account, fullOu, PrincipalParser.Parse(Fake.OrgArn) }, resolved);
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_OnlyResolved_NoOrganizationsCall()
    {
        var account = PrincipalParser.Parse("111122223333");
        var resolved = await Service().ResolvePrincipalsAsync(new[] { account }, default);
        Assert.Equal(new[] { account }, resolved);
        Assert.Empty(_orgs.Calls);
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_OtherOrganizationId_InvalidPrincipalNamingBoth()
    {
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().ResolvePrincipalsAsync(new[] { Bare("o-zzzz999999") }, default));

        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.StartsWith("o-zzzz999999 is not your organization (yours is o-abc1234567)", e.Message);
        Assert.Contains("arn:aws:organizations::<management-account-id>:organization/o-zzzz999999", e.Message);
        Assert.Equal("o-zzzz999999", e.Target);
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_NotInUse_InvalidPrincipalWithReasonAndArnFormat()
    {
        _orgs.FailAll = Fake.NotInUse();
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().ResolvePrincipalsAsync(new[] { Bare("o-abc1234567") }, default));

        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Contains("'o-abc1234567'", e.Message);
        Assert.Contains("not a member of an organization", e.Message);
        Assert.Contains("arn:aws:organizations::<management-account-id>:organization/o-abc1234567", e.Message);
        Assert.Equal("AWSOrganizationsNotInUseException", e.AwsErrorCode);
        Assert.Equal(ErrorIds.OrganizationUnresolved, Assert.IsType<AmiShareException>(e.InnerException).ErrorId);
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_OuAsMemberAccount_InvalidPrincipalWithFormatAndLikelyArn()
    {
        _orgs.FailAllButDescribeOrganization = Fake.AccessDenied("DescribeOrganizationalUnit", Fake.Engineering);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().ResolvePrincipalsAsync(new[] { Bare(Fake.Engineering) }, default));

        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Contains("'ou-ab12-11111111'", e.Message);
        Assert.Contains("management account or a delegated administrator", e.Message);
        Assert.Contains("arn:aws:organizations::<management-account-id>:ou/o-<organization-id>/ou-ab12-11111111", e.Message);
        Assert.Contains("its ARN is arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111", e.Remedy);
        Assert.Equal("AccessDeniedException", e.AwsErrorCode);
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_UnknownOu_InvalidPrincipalNamingId()
    {
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().ResolvePrincipalsAsync(new[] { Bare("ou-ab12-99999999") }, default));
        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Contains("ou-ab12-99999999", e.Message);
        Assert.Equal("OrganizationalUnitNotFoundException", e.AwsErrorCode);
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_NoOrganizationsGateway_InvalidPrincipalWithArnFormat()
    {
        var service = new AmiShareService(_ec2, null, null, _reporter);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => service.ResolvePrincipalsAsync(new[] { Bare(Fake.Finance) }, default));
        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Contains("not available", e.Message);
        Assert.Contains("ou/o-<organization-id>/ou-ab12-22222222", e.Message);
    }

    [Fact]
    public async Task ResolvePrincipalsAsync_RepeatedCalls_OrganizationReadOnceAndFailureCached()
    {
        var service = Service();
        await service.ResolvePrincipalsAsync(new[] { Bare("o-abc1234567") }, default);
        await service.ResolvePrincipalsAsync(new[] { Bare("o-abc1234567"), Bare(Fake.Platform) }, default);
        await service.ResolvePrincipalsAsync(new[] { Bare(Fake.Platform) }, default);
        Assert.Equal(1, _orgs.Calls.Count(c => c == "DescribeOrganization"));
        Assert.Equal(1, _orgs.Calls.Count(c => c == "DescribeOrganizationalUnit ou-ab12-33333333"));

        var denied = new Fake { FailAll = Fake.NotInUse() };
        var other = new AmiShareService(_ec2, null!, denied, _reporter);
        await Assert.ThrowsAsync<AmiShareException>(() => other.ResolvePrincipalsAsync(new[] { Bare("o-abc1234567") }, default));
        await Assert.ThrowsAsync<AmiShareException>(() => other.ResolvePrincipalsAsync(new[] { Bare("o-abc1234567") }, default));
        Assert.Single(denied.Calls);
    }

    [Fact]
    public void Dispose_Service_DisposesOrganizationsGateway()
    {
        Service().Dispose();
        Assert.True(_orgs.Disposed);
    }
}
