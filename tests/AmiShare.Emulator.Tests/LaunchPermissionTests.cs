using Amazon.EC2;
using Amazon.EC2.Model;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>wire-spec §8 items 1–15 and 26 against the real AWSSDK.EC2 client.</summary>
public sealed class LaunchPermissionTests : FreshEmulatorTest
{
    [Fact]
    public async Task DescribeImageAttribute_NewAmi_HasEmptyLaunchPermissions()
    {
        Assert.Empty(await Owner.LaunchPermissionsAsync(Demo.Web));
        Assert.Empty(Host.World.LaunchPermissionsOf("us-east-1", Demo.Web));
    }

    [Fact]
    public async Task ModifyImageAttribute_AddGroupAll_MakesImagePublic()
    {
        await Owner.AddAsync(Demo.Web, All());
        var perms = await Owner.LaunchPermissionsAsync(Demo.Web);
        Assert.Equal(new[] { "Group:all" }, perms.Select(p => p.Describe()));
        Assert.True((await Owner.ImageAsync(Demo.Web))!.Public);
        Assert.True(Host.World.IsImagePublic("us-east-1", Demo.Web));
    }

    [Fact]
    public async Task ModifyImageAttribute_AddGroupAllTwice_IsIdempotent()
    {
        await Owner.AddAsync(Demo.Web, All());
        await Owner.AddAsync(Demo.Web, All());
        Assert.Single(await Owner.LaunchPermissionsAsync(Demo.Web));
    }

    [Fact]
    public async Task ModifyImageAttribute_RemoveGroupAll_MakesImagePrivate()
    {
        await Owner.AddAsync(Demo.Web, All());
        await Owner.RemoveAsync(Demo.Web, All());
        Assert.Empty(await Owner.LaunchPermissionsAsync(Demo.Web));
        Assert.False((await Owner.ImageAsync(Demo.Web))!.Public);
    }

    [Fact]
    public async Task ModifyImageAttribute_RemoveAbsentGroupAll_Succeeds()
    {
        await Owner.RemoveAsync(Demo.Web, All());
        Assert.Empty(await Owner.LaunchPermissionsAsync(Demo.Web));
    }

    [Fact]
    public async Task ModifyImageAttribute_AddTwoAccounts_ListsBothAndStaysPrivate()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer), User(Demo.Platform));
        var perms = await Owner.LaunchPermissionsAsync(Demo.Web);
        Assert.Equal(new[] { "UserId:" + Demo.Consumer, "UserId:" + Demo.Platform }, perms.Select(p => p.Describe()));
        Assert.False((await Owner.ImageAsync(Demo.Web))!.Public);
    }

    [Fact]
    public async Task ModifyImageAttribute_ReAddSameAccounts_DoesNotDuplicate()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer), User(Demo.Platform));
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer), User(Demo.Platform));
        Assert.Equal(2, (await Owner.LaunchPermissionsAsync(Demo.Web)).Count);
    }

    [Fact]
    public async Task ModifyImageAttribute_RemoveOneOfTwoAccounts_LeavesTheOther()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer), User(Demo.Platform));
        await Owner.RemoveAsync(Demo.Web, User(Demo.Consumer));
        Assert.Equal(new[] { "UserId:" + Demo.Platform }, (await Owner.LaunchPermissionsAsync(Demo.Web)).Select(p => p.Describe()));
    }

    [Fact]
    public async Task ModifyImageAttribute_RemoveAbsentAccounts_Succeeds()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        await Owner.RemoveAsync(Demo.Web, User(Demo.Consumer));
        await Owner.RemoveAsync(Demo.Web, User(Demo.Consumer), User(Demo.Platform));
        Assert.Empty(await Owner.LaunchPermissionsAsync(Demo.Web));
    }

    [Fact]
    public async Task ModifyImageAttribute_AddAllPlusAccountsThenRemoveSame_EmptiesList()
    {
        await Owner.AddAsync(Demo.Web, All(), User(Demo.Consumer), User(Demo.Platform));
        Assert.Equal(3, (await Owner.LaunchPermissionsAsync(Demo.Web)).Count);
        Assert.True((await Owner.ImageAsync(Demo.Web))!.Public);
        await Owner.RemoveAsync(Demo.Web, All(), User(Demo.Consumer), User(Demo.Platform));
        Assert.Empty(await Owner.LaunchPermissionsAsync(Demo.Web));
        Assert.False((await Owner.ImageAsync(Demo.Web))!.Public);
    }

    [Fact]
    public async Task ModifyImageAttribute_DuplicatesInOneRequest_StoredOnce()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer), User(Demo.Consumer), All(), All());
        var perms = (await Owner.LaunchPermissionsAsync(Demo.Web)).Select(p => p.Describe()).ToList();
        Assert.Equal(new[] { "UserId:" + Demo.Consumer, "Group:all" }, perms);
    }

    [Fact]
    public async Task ModifyImageAttribute_AddOwnAccount_IsAcceptedAndListed()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Owner));
        Assert.Equal(new[] { "UserId:" + Demo.Owner }, (await Owner.LaunchPermissionsAsync(Demo.Web)).Select(p => p.Describe()));
    }

    [Fact]
    public async Task ModifyImageAttribute_OldFormAndNewForm_HaveSameEffect()
    {
        await Owner.ModifyImageAttributeAsync(new ModifyImageAttributeRequest
        {
            ImageId = Demo.Web, Attribute = "launchPermission", OperationType = OperationType.Add, UserIds = new List<string> { Demo.Consumer },
        });
        await Owner.AddAsync(Demo.Build, User(Demo.Consumer));
        Assert.Equal((await Owner.LaunchPermissionsAsync(Demo.Web)).Select(p => p.Describe()),
                     (await Owner.LaunchPermissionsAsync(Demo.Build)).Select(p => p.Describe()));
        await Owner.ModifyImageAttributeAsync(new ModifyImageAttributeRequest
        {
            ImageId = Demo.Web, Attribute = "launchPermission", OperationType = OperationType.Remove, UserIds = new List<string> { Demo.Consumer },
        });
        Assert.Empty(await Owner.LaunchPermissionsAsync(Demo.Web));
    }

    [Fact]
    public async Task ModifyImageAttribute_OldFormOrgAndOuArns_StoredWithTheirKinds()
    {
        await Owner.ModifyImageAttributeAsync(new ModifyImageAttributeRequest
        {
            ImageId = Demo.Web, Attribute = "launchPermission", OperationType = OperationType.Add,
            OrganizationArns = new List<string> { Demo.OrgArn }, OrganizationalUnitArns = new List<string> { Demo.EngineeringOuArn },
        });
        Assert.Equal(new[] { ("OrganizationArn", Demo.OrgArn), ("OrganizationalUnitArn", Demo.EngineeringOuArn) },
                     Host.World.LaunchPermissionsOf("us-east-1", Demo.Web));
        Assert.Equal(new[] { "OrganizationArn:" + Demo.OrgArn, "OrganizationalUnitArn:" + Demo.EngineeringOuArn },
                     (await Owner.LaunchPermissionsAsync(Demo.Web)).Select(p => p.Describe()));
    }

    [Fact]
    public async Task ModifyImageAttribute_MixedKindsInOneAdd_ReturnedInInsertionOrderOneKeyEach()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer), All(), Org(Demo.OrgArn), Ou(Demo.FinanceOuArn));
        var perms = await Owner.LaunchPermissionsAsync(Demo.Web);
        Assert.Equal(new[] { "UserId:" + Demo.Consumer, "Group:all", "OrganizationArn:" + Demo.OrgArn, "OrganizationalUnitArn:" + Demo.FinanceOuArn },
                     perms.Select(p => p.Describe()));
        Assert.All(perms, p => Assert.Equal(1, new object?[] { p.UserId, p.Group?.Value, p.OrganizationArn, p.OrganizationalUnitArn }.Count(v => v != null)));
    }

    [Fact]
    public async Task ResetImageAttribute_LaunchPermission_RemovesEverythingOwnerKeepsAccess()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer), All(), Org(Demo.OrgArn));
        await Owner.ResetImageAttributeAsync(new ResetImageAttributeRequest { ImageId = Demo.Web, Attribute = ResetImageAttributeName.LaunchPermission });
        Assert.Empty(await Owner.LaunchPermissionsAsync(Demo.Web));
        Assert.NotNull(await Owner.ImageAsync(Demo.Web));
        await Assertions.Ec2Error(() => Consumer.ImageAsync(Demo.Web), "InvalidAMIID.NotFound");
    }

    [Fact]
    public async Task ModifyImageAttribute_OrgShare_VisibleToNestedMembersNotToOutsiders()
    {
        await Owner.AddAsync(Demo.Web, Org(Demo.OrgArn));
        Assert.NotNull(await Consumer.ImageAsync(Demo.Web));
        await Assertions.Ec2Error(() => Third.ImageAsync(Demo.Web), "InvalidAMIID.NotFound");
    }

    [Fact]
    public async Task ModifyImageAttribute_OuShare_CoversNestedOuAccounts()
    {
        await Owner.AddAsync(Demo.Web, Ou(Demo.EngineeringOuArn));
        Host.World.AddAccessKey(Demo.Platform, "AKIAPLATFORMTEST0001");
        using var platform = Clients.Ec2(Host, "AKIAPLATFORMTEST0001");
        Assert.NotNull(await platform.ImageAsync(Demo.Web));
        Assert.NotNull(await Consumer.ImageAsync(Demo.Web));
    }

    [Fact]
    public async Task ModifyImageAttribute_RemoveAccountCoveredByOrgShare_StillShared()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer), Org(Demo.OrgArn));
        await Owner.RemoveAsync(Demo.Web, User(Demo.Consumer));
        Assert.NotNull(await Consumer.ImageAsync(Demo.Web));
    }

    [Fact]
    public async Task ModifyImageAttribute_ParallelAddsFromManyClients_AllApplied()
    {
        var ids = Enumerable.Range(0, 40).Select(n => (200000000000L + n).ToString()).ToList();
        await Task.WhenAll(ids.Select(id => Owner.AddAsync(Demo.Web, User(id))));
        Assert.Equal(ids.OrderBy(x => x), Host.World.LaunchPermissionsOf("us-east-1", Demo.Web).Select(p => p.Value).OrderBy(x => x));
        Assert.Equal(40, Host.Log.Count("ModifyImageAttribute"));
    }
}
