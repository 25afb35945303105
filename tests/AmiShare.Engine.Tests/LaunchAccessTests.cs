using AmiShare.Engine;
using AmiShare.Engine.Access;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;
using Fake = AmiShare.Engine.Tests.FakeOrganizationsGateway;

namespace AmiShare.Engine.Tests;

/// <summary>TestLaunchAccessAsync and the revoke warnings over fake EC2 and Organizations gateways.</summary>
public sealed class LaunchAccessTests
{
    private const string Ami = "ami-0123456789abcdef0";
    private const string Consumer = "111122223333";
    private const string PlatformMember = "444455556666";
    private const string FinanceMember = "555566667777";
    private const string Outsider = "999988887777";

    private static readonly Principal Org = PrincipalParser.Parse(Fake.OrgArn);
    private static readonly Principal EngineeringOu = PrincipalParser.Parse(Fake.OuArn(Fake.Engineering));
    private static readonly Principal PlatformOu = PrincipalParser.Parse(Fake.OuArn(Fake.Platform));
    private static readonly Principal OtherOrg = PrincipalParser.Parse("arn:aws:organizations::222233334444:organization/o-zzzz999999");

    private readonly FakeEc2Gateway _ec2 = new();
    private readonly Fake _orgs = new();
    private readonly ListReporter _reporter = new();

    private AmiShareService Service() => new(_ec2, null!, _orgs, _reporter);

    private static Principal Account(string id) => PrincipalParser.ParseAccount(id);

    private async Task<LaunchAccessResult> Test(string account, params Principal[] shares)
    {
        _ec2.WithImage(Ami, shares);
        return await Service().TestOneLaunchAccessAsync(Ami, account, default);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_ListedAccount_Direct()
    {
        var r = await Test(Consumer, Account(Consumer));
        Assert.True(r.CanLaunch);
        Assert.Equal(AccessPath.Direct, r.Via);
        Assert.Equal(Consumer, Assert.Single(r.Grants).Principal);
        Assert.Equal(Ami, r.ImageId);
        Assert.Equal("us-east-1", r.Region);
        Assert.Equal(Consumer, r.AccountId);
        Assert.Null(r.Caveat);
        Assert.Empty(_orgs.Calls);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_OwnerAccount_Owner()
    {
        var r = await Test(Fake.Management);
        Assert.Equal(AccessPath.Owner, r.Via);
        Assert.True(r.CanLaunch);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_SharedWithOrganization_Organization()
    {
        var r = await Test(FinanceMember, Org);
        var grant = Assert.Single(r.Grants);
        Assert.Equal(AccessPath.Organization, grant.Via);
        Assert.Equal(Fake.OrgArn, grant.Principal);
        Assert.Null(r.Caveat);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_OuTwoLevelsUp_OrganizationalUnitWithPath()
    {
        var r = await Test(PlatformMember, EngineeringOu);
        var grant = Assert.Single(r.Grants);
        Assert.Equal(AccessPath.OrganizationalUnit, grant.Via);
        Assert.Equal(EngineeringOu.Value, grant.Principal);
        Assert.Equal("o-abc1234567/r-ab12/ou-ab12-11111111/ou-ab12-33333333/", grant.OuPath);
        Assert.Equal(new[] { $"ListParents {PlatformMember}", $"ListParents {Fake.Platform}", $"ListParents {Fake.Engineering}" }, _orgs.Calls.Where(c => c.StartsWith("ListParents")));
    }

    [Fact]
    public async Task TestLaunchAccessAsync_Public_Public()
    {
        var r = await Test(Outsider, Principal.Everyone);
        Assert.Equal(AccessPath.Public, r.Via);
        Assert.Equal("all", Assert.Single(r.Grants).Principal);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_OuOfAnotherBranch_NoneWithoutCaveat()
    {
        var r = await Test(FinanceMember, EngineeringOu, Account(Consumer));
        Assert.False(r.CanLaunch);
        Assert.Equal(AccessPath.None, r.Via);
        Assert.Empty(r.Grants);
        Assert.Null(r.Caveat);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_Unshared_None()
    {
        var r = await Test(Consumer);
        Assert.False(r.CanLaunch);
        Assert.Equal(AccessPath.None, r.Via);
        Assert.Null(r.Caveat);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_EveryPath_SortedOwnerDirectOuOrgPublic()
    {
        var r = await Test(Fake.Management, Principal.Everyone, Org, Account(Fake.Management), EngineeringOu);
        Assert.Equal(new[] { AccessPath.Owner, AccessPath.Direct, AccessPath.Organization, AccessPath.Public }, r.Grants.Select(g => g.Via));

        var member = await Service().TestOneLaunchAccessAsync(Ami, Consumer, default);
        Assert.Equal(new[] { AccessPath.OrganizationalUnit, AccessPath.Organization, AccessPath.Public }, member.Grants.Select(g => g.Via));
        Assert.Equal(AccessPath.OrganizationalUnit, member.Via);
        Assert.Equal("o-abc1234567/r-ab12/ou-ab12-11111111/", member.Grants[0].OuPath);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_OrganizationsUnreadable_CaveatAndOtherGrantsKept()
    {
        _orgs.FailAllButDescribeOrganization = Fake.AccessDenied("ListParents", Consumer);
        var r = await Test(Consumer, EngineeringOu, Account(Consumer), Principal.Everyone);

        Assert.Equal(new[] { AccessPath.Direct, AccessPath.Public }, r.Grants.Select(g => g.Via));
        Assert.NotNull(r.Caveat);
        Assert.Contains(EngineeringOu.Value, r.Caveat);
        Assert.Contains("could not be checked", r.Caveat);
        Assert.Contains("management account or a delegated administrator", r.Caveat);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_OnlyOuShareAndUnreadable_NotCertainNone()
    {
        _orgs.FailAll = Fake.NotInUse();
        var r = await Test(Consumer, EngineeringOu);
        Assert.False(r.CanLaunch);
        Assert.NotNull(r.Caveat);
        Assert.Contains("not a member of an organization", r.Caveat);
        Assert.Contains("may launch the AMI through them", r.Caveat);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_NoOrganizationsGateway_Caveat()
    {
        _ec2.WithImage(Ami, Org);
        var r = await new AmiShareService(_ec2, null, null, _reporter).TestOneLaunchAccessAsync(Ami, Consumer, default);
        Assert.Empty(r.Grants);
        Assert.Contains("not available", r.Caveat);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_OutsiderAndOwnOrgShare_NoneWithoutCaveat()
    {
        var r = await Test(Outsider, Org, EngineeringOu);
        Assert.Empty(r.Grants);
        Assert.Null(r.Caveat);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_OutsiderAndOtherOrgShare_CaveatNamesOtherOrg()
    {
        var r = await Test(Outsider, OtherOrg);
        Assert.Empty(r.Grants);
        Assert.Contains(OtherOrg.Value, r.Caveat);
        Assert.Contains("not in your organization o-abc1234567", r.Caveat);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_MemberAndOtherOrgShare_NoneWithoutCaveat()
    {
        var r = await Test(Consumer, OtherOrg);
        Assert.Empty(r.Grants);
        Assert.Null(r.Caveat);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_ManyAccounts_TreeReadOncePerNodeAndAmiReadOnce()
    {
        _ec2.WithImage(Ami, EngineeringOu, PlatformOu);
        var results = await Service().TestLaunchAccessAsync(Ami, new[] { PlatformMember, Consumer, FinanceMember, PlatformMember }, default);

        Assert.Equal(new[] { PlatformMember, Consumer, FinanceMember }, results.Select(r => r.AccountId));
        Assert.Equal(new[] { AccessPath.OrganizationalUnit, AccessPath.OrganizationalUnit }, results[0].Grants.Select(g => g.Via));
        Assert.Equal(AccessPath.OrganizationalUnit, results[1].Via);
        Assert.Equal(AccessPath.None, results[2].Via);
        Assert.Equal(1, _orgs.Calls.Count(c => c == "DescribeOrganization"));
        Assert.Equal(1, _orgs.Calls.Count(c => c == $"ListParents {Fake.Engineering}"));
        Assert.Equal(1, _ec2.Calls.Count(c => c.StartsWith("DescribeImageAttribute")));
        Assert.Equal(1, _ec2.Calls.Count(c => c.StartsWith("DescribeImages")));
    }

    [Fact]
    public async Task TestLaunchAccessAsync_SecondCallSameService_NoNewOrganizationsCalls()
    {
        var service = Service();
        _ec2.WithImage(Ami, EngineeringOu);
        await service.TestOneLaunchAccessAsync(Ami, PlatformMember, default);
        int calls = _orgs.Calls.Count;
        await service.TestOneLaunchAccessAsync(Ami, PlatformMember, default);
        Assert.Equal(calls, _orgs.Calls.Count);
    }

    [Theory]
    [InlineData("ami-xyz", Consumer, ErrorIds.InvalidImageId)]
    [InlineData(Ami, "1111-2222-3333", ErrorIds.InvalidPrincipal)]
    [InlineData(Ami, "o-abc1234567", ErrorIds.InvalidPrincipal)]
    public async Task TestLaunchAccessAsync_BadInput_RefusedBeforeAnyCall(string image, string account, string errorId)
    {
        _ec2.WithImage(Ami);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().TestOneLaunchAccessAsync(image, account, default));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Empty(_ec2.Calls);
        Assert.Empty(_orgs.Calls);
    }

    [Fact]
    public async Task TestLaunchAccessAsync_AmiOfAnotherOwner_AmiNotOwned()
    {
        _ec2.WithImage(Ami, Org);
        _ec2.NotOwned.Add(Ami);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().TestOneLaunchAccessAsync(Ami, Consumer, default));
        Assert.Equal(ErrorIds.AmiNotOwned, e.ErrorId);
    }

    [Fact]
    public async Task PlanRevokeAsync_AccountUnderTwoSharedNestedOus_SaysThePathOnce()
    {
        _ec2.WithImage(Ami, Account(PlatformMember), EngineeringOu, PlatformOu);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { Account(PlatformMember) }, ShareOptions.None, default);

        string warning = Assert.Single(plan.Warnings);
        const string Path = "o-abc1234567/r-ab12/ou-ab12-11111111/ou-ab12-33333333/";
        Assert.True(warning.Contains($"through OUs ou-ab12-11111111 and ou-ab12-33333333 (path {Path}) that the AMI is still shared with"), warning);
        Assert.EndsWith("Revoke the OUs too, or move the account.", warning);
        Assert.Equal(warning.IndexOf(Path, StringComparison.Ordinal), warning.LastIndexOf(Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanRevokeAsync_NothingToRemove_WarnsFromTheSharesAlone_WithoutOrganizationsCalls()
    {
        _ec2.WithImage(Ami, EngineeringOu);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { Account(PlatformMember) }, ShareOptions.None, default);

        Assert.False(plan.HasChanges);
        Assert.Empty(_orgs.Calls);
        Assert.Equal(
            $"Account {PlatformMember} has no launch permission of its own on {Ami} to revoke. The AMI is shared with OU o-abc1234567/ou-ab12-11111111: " +
            $"if the account is a member, it keeps launch access. Check with Test-AmiLaunchAccess {Ami} -AccountId {PlatformMember}.",
            Assert.Single(plan.Warnings));
    }

    [Fact]
    public async Task PlanRevokeAsync_NothingToRemoveWithKmsAndSnapshotOptions_NoOrganizationsCalls()
    {
        _ec2.WithImage(Ami, EngineeringOu);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { Account(PlatformMember) }, new ShareOptions { IncludeKmsKey = true, IncludeSnapshot = true }, default);

        Assert.False(plan.HasChanges);
        Assert.Empty(plan.KeyPolicyChanges);
        Assert.Empty(plan.SnapshotChanges);
        Assert.Empty(_orgs.Calls);
    }

    [Fact]
    public async Task PlanRevokeAsync_AccountCoveredByOu_ExactWarningWithPath()
    {
        _ec2.WithImage(Ami, Account(Consumer), EngineeringOu);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { Account(Consumer) }, ShareOptions.None, default);

        Assert.Equal(
            $"Account {Consumer} keeps launch access to {Ami} through OU ou-ab12-11111111 (path o-abc1234567/r-ab12/ou-ab12-11111111/) that the AMI is still shared with; " +
            "EC2 accepts the revoke all the same. Revoke the OU too, or move the account.",
            Assert.Single(plan.Warnings));
        Assert.Equal(new[] { Account(Consumer) }, plan.ToRemove);
    }

    [Fact]
    public async Task PlanRevokeAsync_AccountCoveredByOrganization_ExactOrganizationWarning()
    {
        _ec2.WithImage(Ami, Account(FinanceMember), Org);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { Account(FinanceMember) }, ShareOptions.None, default);
        string warning = Assert.Single(plan.Warnings);
        Assert.StartsWith($"Account {FinanceMember} keeps launch access to {Ami} through organization o-abc1234567 that the AMI is still shared with;", warning);
        Assert.EndsWith("Revoke the organization too, or remove the account from the organization.", warning);
    }

    [Fact]
    public async Task PlanRevokeAsync_AccountsInAndOutOfOu_OnlyCoveredAccountWarned()
    {
        _ec2.WithImage(Ami, Account(PlatformMember), Account(FinanceMember), Account(Outsider), EngineeringOu);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { Account(PlatformMember), Account(FinanceMember), Account(Outsider) }, ShareOptions.None, default);
        string warning = Assert.Single(plan.Warnings);
        Assert.StartsWith($"Account {PlatformMember} keeps launch access", warning);
        Assert.Contains("(path o-abc1234567/r-ab12/ou-ab12-11111111/ou-ab12-33333333/)", warning);
    }

    [Fact]
    public async Task PlanRevokeAsync_WhilePublic_ExactPublicWarningWithoutOrganizationsCall()
    {
        _ec2.WithImage(Ami, Account(Outsider), Principal.Everyone);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { Account(Outsider) }, ShareOptions.None, default);
        string warning = Assert.Single(plan.Warnings);
        Assert.StartsWith($"Account {Outsider} keeps launch access to {Ami} through the public launch permission (group 'all')", warning);
        Assert.Contains("Set-AmiPublic -Public:$false", warning);
        Assert.Empty(_orgs.Calls);
    }

    [Fact]
    public async Task PlanRevokeAsync_OrganizationsUnreadable_MayKeepWithReason()
    {
        _orgs.FailAllButDescribeOrganization = Fake.AccessDenied("ListParents", Consumer);
        _ec2.WithImage(Ami, Account(Consumer), EngineeringOu);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { Account(Consumer) }, ShareOptions.None, default);
        string warning = Assert.Single(plan.Warnings);
        Assert.StartsWith($"Account {Consumer} may keep launch access to {Ami} through OU {EngineeringOu.Value} that the AMI is still shared with (membership could not be checked: ", warning);
        Assert.Contains("management account or a delegated administrator", warning);
        Assert.Contains("EC2 reports success, yet access persists", warning);
        Assert.Contains("Test-AmiLaunchAccess", warning);
    }

    [Fact]
    public async Task PlanRevokeAsync_PublicAndUnreadableOu_ExactPublicPlusMayAlso()
    {
        _orgs.FailAll = Fake.NotInUse();
        _ec2.WithImage(Ami, Account(Consumer), EngineeringOu, Principal.Everyone);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { Account(Consumer) }, ShareOptions.None, default);
        string warning = Assert.Single(plan.Warnings);
        Assert.StartsWith($"Account {Consumer} keeps launch access to {Ami} through the public launch permission", warning);
        Assert.Contains($"It may also keep access through OU {EngineeringOu.Value} (membership could not be checked:", warning);
    }

    [Fact]
    public async Task PlanRevokeAsync_AccountAndItsOuTogether_NoWarningNoOrganizationsCall()
    {
        _ec2.WithImage(Ami, Account(Consumer), EngineeringOu);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { Account(Consumer), EngineeringOu }, ShareOptions.None, default);
        Assert.Empty(plan.Warnings);
        Assert.Empty(_orgs.Calls);
    }

    [Fact]
    public async Task PlanRevokeAsync_OrganizationsThrottled_MayKeepNotFailure()
    {
        _orgs.FailAllButDescribeOrganization = OrganizationsGatewayThrottle();
        _ec2.WithImage(Ami, Account(Consumer), Org);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { Account(Consumer) }, ShareOptions.None, default);
        Assert.StartsWith($"Account {Consumer} may keep launch access", Assert.Single(plan.Warnings));
        Assert.Equal(new[] { Account(Consumer) }, plan.ToRemove);
    }

    private static AmiShareException OrganizationsGatewayThrottle() =>
        AmiShare.Engine.Gateways.OrganizationsErrorCatalog.Map("ListParents", Consumer, 400, "TooManyRequestsException", "slow down");
}
