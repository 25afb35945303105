using System.Text.RegularExpressions;
using AmiShare.Emulator;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>Set-AmiLaunchPermission from parameters: exactly the given set, in one ModifyImageAttribute carrying adds and removes.</summary>
public sealed class SetLaunchPermissionTests
{
    private const string A = "111111111111";
    private const string B = "222222222222";
    private const string C = "333333333333";

    private static IReadOnlyList<RequestLogEntry> Modifies(ModuleTestContext t) => t.Log.Entries.Where(e => e.Action == "ModifyImageAttribute").ToList();

    [Fact]
    public async Task Set_AddsAndRemovesInOneCall_ThenNoCallWhenRepeated()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1],$args[2]", Web, A, B).ThrowIfErrors();
        t.Log.Clear();

        t.Run("Set-AmiLaunchPermission $args[0] -AccountId $args[1],$args[2] -Force", Web, B, C).ThrowIfErrors();

        var modify = Assert.Single(Modifies(t));
        Assert.Equal(C, modify.Parameters["LaunchPermission.Add.1.UserId"]);
        Assert.Equal(A, modify.Parameters["LaunchPermission.Remove.1.UserId"]);
        Assert.Equal(new[] { "UserId:" + B, "UserId:" + C }, t.PermissionsOf(Web));

        t.Log.Clear();
        t.Run("Set-AmiLaunchPermission $args[0] -AccountId $args[1],$args[2] -Force", Web, C, B).ThrowIfErrors();
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Set_PassThru_ShowsAddedRemovedAndTheResult()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1] -OrganizationalUnitArn $args[2]", Web, A, EngineeringOu).ThrowIfErrors();

        var r = t.Run("Set-AmiLaunchPermission $args[0] -Principal $args[1],$args[2] -PassThru -Force", Web, B, OrgArn).ThrowIfErrors();

        var row = Assert.Single(r.Output);
        Assert.Equal("Set", row.Properties["Operation"].Value);
        Assert.Equal(true, row.Properties["Changed"].Value);
        Assert.Equal(new[] { B, OrgArn }, ((IEnumerable<string>)row.Properties["Added"].Value).ToArray());
        Assert.Equal(new[] { A, EngineeringOu }, ((IEnumerable<string>)row.Properties["Removed"].Value).OrderBy(x => x.Length).ToArray());
        Assert.Equal(new[] { "OrganizationArn:" + OrgArn, "UserId:" + B }, t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Set_WhatIf_PrintsTheAddsAndRemoves_AndWritesNothing()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1]", Web, A).ThrowIfErrors();
        t.Log.Clear();

        t.Run("Set-AmiLaunchPermission $args[0] -AccountId $args[1] -WhatIf", Web, B).ThrowIfErrors();

        Assert.Equal(0, t.Log.MutatingCount);
        string shown = t.Ps.HostOutput.ToString()!;
        Assert.Contains($"What if: Performing the operation \"Set launch permissions to {B} (add: {B}; remove: {A})\" on target \"{Web}", shown);
        Assert.Equal(new[] { "UserId:" + A }, t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Set_PublicAmi_WithoutPublicParameter_IsRefused_WithTheFix_AndKeptPublic()
    {
        await using var t = await StartAsync();
        t.Run("Set-AmiPublic $args[0] -Force", Web).ThrowIfErrors();
        t.Log.Clear();

        var r = t.Run("Set-AmiLaunchPermission $args[0] -AccountId $args[1] -Force", Web, A);

        var error = Assert.Single(r.Errors);
        Assert.Equal("PublicRemovalNotConfirmed,AmiShare.Commands.SetAmiLaunchPermissionCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-Public:$false", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.MutatingCount);
        Assert.Equal(new[] { "Group:all" }, t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Set_PublicFalse_RemovesAll_AndAddsInTheSameCall()
    {
        await using var t = await StartAsync();
        t.Run("Set-AmiPublic $args[0] -Force", Web).ThrowIfErrors();
        t.Log.Clear();

        t.Run("Set-AmiLaunchPermission $args[0] -AccountId $args[1] -Public:$false -Force", Web, A).ThrowIfErrors();

        var modify = Assert.Single(Modifies(t));
        Assert.Equal("all", modify.Parameters["LaunchPermission.Remove.1.Group"]);
        Assert.Equal(A, modify.Parameters["LaunchPermission.Add.1.UserId"]);
        Assert.Equal(new[] { "UserId:" + A }, t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Set_PublicTrue_KeepsAllAndChangesTheRest_InOneCall()
    {
        await using var t = await StartAsync();
        t.Run("Set-AmiPublic $args[0] -Force; Grant-AmiLaunchPermission $args[0] -AccountId $args[1]", Web, A).ThrowIfErrors();
        t.Log.Clear();

        t.Run("Set-AmiLaunchPermission $args[0] -AccountId $args[1] -Public -Force", Web, B).ThrowIfErrors();

        Assert.Single(Modifies(t));
        Assert.Equal(new[] { "Group:all", "UserId:" + B }, t.PermissionsOf(Web));
    }

    [Theory]
    [InlineData(Cmk, "us-east-1", "EncryptedSnapshotsCannotBePublic")]
    [InlineData(Market, "us-east-1", "ProductCodesCannotBePublic")]
    [InlineData(EuWeb, "eu-west-1", "PublicSharingBlocked")]
    public async Task Set_PublicTrue_OnAnAmiThatCannotBePublic_FailsSetAmiPublicsCheck_BeforeAnyWrite(string imageId, string region, string errorId)
    {
        await using var t = await StartAsync();
        var before = t.PermissionsOf(imageId, region);
        var publicError = t.Run("Set-AmiPublic $args[0] -Region $args[1] -Force", imageId, region).Errors.Single();

        var r = t.Run("Set-AmiLaunchPermission $args[0] -Region $args[1] -AccountId $args[2] -Public:$true -Force", imageId, region, A);

        var error = Assert.Single(r.Errors);
        Assert.Equal(errorId + ",AmiShare.Commands.SetAmiLaunchPermissionCommand", error.FullyQualifiedErrorId);
        Assert.Equal(publicError.ErrorDetails.RecommendedAction, error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.MutatingCount);
        Assert.Equal(before, t.PermissionsOf(imageId, region));
    }

    [Fact]
    public async Task Set_AllAmongThePrincipals_IsRefused_PointingAtPublic()
    {
        await using var t = await StartAsync();
        var r = t.Run("Set-AmiLaunchPermission $args[0] -Principal all -Force", Web);

        Assert.Equal("PublicNotAllowedHere,AmiShare.Commands.SetAmiLaunchPermissionCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Contains("-Public:$true", r.Errors[0].ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Set_NoPrincipalAndNoPublic_StopsBeforeAnyCall()
    {
        await using var t = await StartAsync();
        var r = t.Run("Set-AmiLaunchPermission $args[0] -Force", Web);

        Assert.Contains(r.ErrorIds, id => id.StartsWith("MissingPrincipal,", StringComparison.Ordinal));
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task Set_NoPrincipalAndNoPublic_RecommendedAction_NamesHowToLeaveOnlyTheOwner()
    {
        await using var t = await StartAsync();
        var r = t.Run("try { Set-AmiLaunchPermission $args[0] -Force } catch { $_ }", Web);

        var error = Assert.IsType<System.Management.Automation.ErrorRecord>(Assert.Single(r.Output).BaseObject);
        Assert.StartsWith("MissingPrincipal,", error.FullyQualifiedErrorId);
        Assert.Contains("-AccountId", error.ErrorDetails.RecommendedAction);
        Assert.Contains("To leave only the owner, say so with -Public:$false and no principal", error.ErrorDetails.RecommendedAction);
        Assert.Single(Regex.Matches(error.Exception.Message, Regex.Escape("Name who gets launch permission")));
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task Set_RemovingAnAccountThatKeepsAccessThroughAnOu_WarnsAsRevokeDoes()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1]", Web, Consumer).ThrowIfErrors();

        var r = t.Run("Set-AmiLaunchPermission $args[0] -OrganizationArn $args[1] -Force", Web, OrgArn).ThrowIfErrors();

        Assert.Contains(r.Warnings, w => w.Contains(Consumer) && w.Contains("keeps launch access"));
        Assert.Equal(new[] { "OrganizationArn:" + OrgArn }, t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Set_KeepingPublicOnPurpose_RemovingAnAccount_DoesNotAskToMakeItPrivate()
    {
        await using var t = await StartAsync();
        t.Run("Set-AmiPublic $args[0] -Force; Grant-AmiLaunchPermission $args[0] -AccountId $args[1]", Web, Consumer).ThrowIfErrors();

        var r = t.Run("Set-AmiLaunchPermission $args[0] -AccountId $args[1] -Public -Force", Web, B).ThrowIfErrors();

        // -Public says the AMI stays public: that the removed account can still launch it through 'all' is the intent, not news.
        Assert.DoesNotContain(r.Warnings, w => w.Contains(Consumer));
        Assert.DoesNotContain(r.Warnings, w => w.Contains("Public:$false"));
        Assert.Equal(new[] { "Group:all", "UserId:" + B }, t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Set_WhatIf_AccountKeptThroughAnOuOfTheSet_WarnsWithoutClaimingEc2Answered_AndNamesTheSetFix()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1]", Web, Consumer).ThrowIfErrors();
        t.Log.Clear();

        var r = t.Run("Set-AmiLaunchPermission $args[0] -OrganizationalUnitArn $args[1] -WhatIf", Web, EngineeringOu).ThrowIfErrors();

        string warning = Assert.Single(r.Warnings);
        Assert.Contains($"Account {Consumer} loses its own launch permission on {Web} but keeps launch access through OU ou-ab12-11111111", warning);
        Assert.Contains("leave the OU out of the set", warning);
        Assert.DoesNotContain("accepts the revoke", warning);
        Assert.DoesNotContain("Revoke the OU", warning);
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Set_IncludeSnapshot_GivesTheAddedAndTakesFromTheRemoved()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1] -IncludeSnapshot", Web, A).ThrowIfErrors();
        string snapshot = t.World.SnapshotIdsOf("us-east-1", Web)[0];
        Assert.Contains(A, t.World.CreateVolumePermissionsOf("us-east-1", snapshot));

        t.Run("Set-AmiLaunchPermission $args[0] -AccountId $args[1] -IncludeSnapshot -Force", Web, B).ThrowIfErrors();

        Assert.Equal(new[] { B }, t.World.CreateVolumePermissionsOf("us-east-1", snapshot).ToArray());
        Assert.Equal(new[] { "UserId:" + B }, t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Set_IncludeKmsKey_GivesTheAddedAccountKeyAccess_AndTakesItFromTheRemoved()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1] -IncludeKmsKey", Cmk, A).ThrowIfErrors();
        string keyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
        Assert.Contains(A, t.World.KeyPolicyOf("us-east-1", keyId));

        t.Run("Set-AmiLaunchPermission $args[0] -AccountId $args[1] -IncludeKmsKey -Force", Cmk, B).ThrowIfErrors();

        string policy = t.World.KeyPolicyOf("us-east-1", keyId);
        Assert.Contains(B, policy);
        Assert.DoesNotContain(A, policy);
        Assert.Equal(new[] { "UserId:" + B }, t.PermissionsOf(Cmk));
    }

    [Fact]
    public async Task Set_PipelineRowWithNullPrincipals_IsAnError_NotAnEmptySet()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0],$args[1] -AccountId $args[2]", Web, Agent, A).ThrowIfErrors();
        t.Log.Clear();

        var r = t.Run("[pscustomobject]@{ ImageId = $args[0]; AccountId = $null }, [pscustomobject]@{ ImageId = $args[1]; AccountId = $args[2] } | Set-AmiLaunchPermission -Force", Web, Agent, B);

        Assert.StartsWith("MissingPrincipal,", Assert.Single(r.ErrorIds));
        Assert.Equal(new[] { "UserId:" + A }, t.PermissionsOf(Web));
        Assert.Equal(new[] { "UserId:" + B }, t.PermissionsOf(Agent));
        Assert.Equal(1, t.Log.MutatingCount);
    }
}
