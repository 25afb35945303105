using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

public sealed class PublicAndResetTests
{
    [Fact]
    public async Task SetAmiPublic_ThenPrivate_TogglesGroupAll()
    {
        await using var t = await StartAsync();
        t.Run("Set-AmiPublic $args[0] -Force", Web).ThrowIfErrors();
        Assert.Equal(new[] { "Group:all" }, t.PermissionsOf(Web));

        t.Run("Set-AmiPublic $args[0] -Public:$false -Force", Web).ThrowIfErrors();
        Assert.Empty(t.PermissionsOf(Web));
        Assert.Equal(2, t.Log.Count("ModifyImageAttribute"));
    }

    [Fact]
    public async Task SetAmiPublic_ConfirmFalse_WorksWithoutForce()
    {
        await using var t = await StartAsync();
        t.Run("Set-AmiPublic $args[0] -Confirm:$false", Web).ThrowIfErrors();

        Assert.Equal(new[] { "Group:all" }, t.PermissionsOf(Web));
    }

    [Theory]
    [InlineData(Cmk, "us-east-1", "EncryptedSnapshotsCannotBePublic")]
    [InlineData(AwsEbs, "us-east-1", "EncryptedSnapshotsCannotBePublic")]
    [InlineData(Market, "us-east-1", "ProductCodesCannotBePublic")]
    [InlineData(EuWeb, "eu-west-1", "PublicSharingBlocked")]
    [InlineData(ThirdParty, "us-east-1", "AmiNotOwned")]
    public async Task SetAmiPublic_ImpossibleAmi_RefusedBeforeAnyWrite_WithReasonAndFix(string imageId, string region, string errorId)
    {
        await using var t = await StartAsync();
        var before = t.PermissionsOf(imageId, region);
        var r = t.Run("Set-AmiPublic $args[0] -Region $args[1] -Force", imageId, region);

        var error = Assert.Single(r.Errors);
        Assert.Equal(errorId + ",AmiShare.Commands.SetAmiPublicCommand", error.FullyQualifiedErrorId);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction), "the error must say how to fix it");
        Assert.Equal(0, t.Log.MutatingCount);
        Assert.Equal(before, t.PermissionsOf(imageId, region));
    }

    [Fact]
    public async Task SetAmiPublic_BlockManagedByDeclarativePolicy_RemedySaysThePolicyManagesIt()
    {
        var doc = System.Text.Json.Nodes.JsonNode.Parse(AmiShare.Emulator.World.DemoJson())!;
        doc["blockPublicAccess"]![0]!["managedBy"] = "declarative-policy";
        await using var t = await StartAsync(AmiShare.Emulator.World.FromJson(doc.ToJsonString()));

        var r = t.Run("Set-AmiPublic $args[0] -Region eu-west-1 -Force", EuWeb);

        var error = Assert.Single(r.Errors);
        Assert.Equal("PublicSharingBlocked,AmiShare.Commands.SetAmiPublicCommand", error.FullyQualifiedErrorId);
        Assert.Contains("declarative policy", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task SetAmiPublic_WhatIf_WithForce_StillChangesNothing()
    {
        await using var t = await StartAsync();
        t.Run("Set-AmiPublic $args[0] -Force -WhatIf", Web).ThrowIfErrors();

        Assert.Empty(t.PermissionsOf(Web));
        Assert.Equal(0, t.Log.MutatingCount);
        Assert.Contains("Make public", t.Ps.HostOutput.ToString());
    }

    [Fact]
    public async Task SetAmiPublic_WithoutForceOrConfirm_InNonInteractiveHost_DoesNotWrite()
    {
        await using var t = await StartAsync();
        t.Run("Set-AmiPublic $args[0]", Web);

        Assert.Empty(t.PermissionsOf(Web));
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task SetAmiPublic_SixthPublicAmiInRegion_DefaultQuota_Ec2RefusesWithQuotaError()
    {
        // A world where the owner already has five public AMIs in us-east-1 (EC2's default quota).
        var doc = System.Text.Json.Nodes.JsonNode.Parse(AmiShare.Emulator.World.DemoJson())!;
        var images = doc["images"]!.AsArray();
        for (int i = 0; i < 5; i++)
        {
            images.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["imageId"] = $"ami-0b0b0b0b0b0b0b0{i}0",
                ["region"] = "us-east-1",
                ["owner"] = Owner,
                ["name"] = $"already-public-{i}",
                ["public"] = true,
            });
        }

        await using var t = await StartAsync(AmiShare.Emulator.World.FromJson(doc.ToJsonString()));
        var r = t.Run("Set-AmiPublic $args[0] -Force", Web);

        var error = Assert.Single(r.Errors);
        Assert.Equal("PublicImageQuotaExceeded,AmiShare.Commands.SetAmiPublicCommand", error.FullyQualifiedErrorId);
        Assert.Contains("L-0E3CBAB9", error.ErrorDetails!.RecommendedAction);
        Assert.Equal(0, t.Log.SuccessfulMutatingCount); // EC2 decided (the quota is adjustable), and refused
        Assert.Empty(t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Reset_SharedAmi_RemovesEverything_InOneCall()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -Principal 111122223333, $args[1]", Agent, OrgArn).ThrowIfErrors();

        var r = t.Run("Reset-AmiLaunchPermission $args[0] -Force -PassThru", Agent).ThrowIfErrors();

        Assert.Empty(t.PermissionsOf(Agent));
        Assert.Equal(1, t.Log.Count("ResetImageAttribute"));
        Assert.Equal(true, r.Output.Single().Properties["Changed"].Value);
    }

    [Fact]
    public async Task Reset_UnsharedAmi_MakesNoCall()
    {
        await using var t = await StartAsync();
        t.Run("Reset-AmiLaunchPermission $args[0] -Force", Agent).ThrowIfErrors();

        Assert.Equal(0, t.Log.Count("ResetImageAttribute"));
    }

    [Fact]
    public async Task Reset_WhatIf_LeavesStateUnchanged()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333", Agent).ThrowIfErrors();

        t.Run("Reset-AmiLaunchPermission $args[0] -WhatIf", Agent).ThrowIfErrors();

        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Agent));
        Assert.Equal(0, t.Log.Count("ResetImageAttribute"));
    }
}
