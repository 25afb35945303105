using AmiShare.Emulator;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>Copy-AmiLaunchPermission: targets (in any region) get exactly the source's launch permissions; the source is read once.</summary>
public sealed class CopyLaunchPermissionTests
{
    private const string A = "111111111111";
    private const string B = "222222222222";
    private const string CopyEast = "ami-0c0c0c0c0c0c00001";
    private const string CopyWest = "ami-0c0c0c0c0c0c00002";
    private const string CopyEu = "ami-0c0c0c0c0c0c00003";

    /// <summary>The golden AMI (Web, us-east-1) shared with A and the Engineering OU, and three regional copies that drift each their own way.</summary>
    private static async Task<ModuleTestContext> StartWithCopiesAsync()
    {
        var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1] -OrganizationalUnitArn $args[2]", Web, A, EngineeringOu).ThrowIfErrors();
        AddCopy(t, CopyEast, "us-east-1", new LaunchPermissionSpec { UserId = B });
        AddCopy(t, CopyWest, "us-west-2");
        AddCopy(t, CopyEu, "eu-west-1", new LaunchPermissionSpec { UserId = A }, new LaunchPermissionSpec { OrganizationalUnitArn = EngineeringOu }, new LaunchPermissionSpec { UserId = B });
        t.Log.Clear();
        return t;
    }

    private static void AddCopy(ModuleTestContext t, string id, string region, params LaunchPermissionSpec[] permissions)
    {
        var image = new ImageSpec { ImageId = id, Region = region, Owner = Owner, Name = "web-server-2026.11-" + region, SourceImageId = Web, SourceImageRegion = "us-east-1" };
        image.LaunchPermissions.AddRange(permissions);
        t.World.AddImage(image);
    }

    private static readonly string[] Golden = { "OrganizationalUnitArn:" + EngineeringOu, "UserId:" + A };

    [Fact]
    public async Task Copy_ThreeRegionalCopies_MatchTheSourceInOneCommand_OneWriteEach_SourceReadOnce()
    {
        await using var t = await StartWithCopiesAsync();
        const string script = @"
$copies = @(
    [pscustomobject]@{ ImageId = $args[1]; Region = 'us-east-1' }
    [pscustomobject]@{ ImageId = $args[2]; Region = 'us-west-2' }
    [pscustomobject]@{ ImageId = $args[3]; Region = 'eu-west-1' }
)
$copies | Copy-AmiLaunchPermission -SourceImageId $args[0] -Force -PassThru";

        var r = t.Run(script, Web, CopyEast, CopyWest, CopyEu).ThrowIfErrors();

        Assert.Equal(Golden, t.PermissionsOf(CopyEast, "us-east-1"));
        Assert.Equal(Golden, t.PermissionsOf(CopyWest, "us-west-2"));
        Assert.Equal(Golden, t.PermissionsOf(CopyEu, "eu-west-1"));
        var modifies = t.Log.Entries.Where(e => e.Action == "ModifyImageAttribute").ToList();
        Assert.Equal(new[] { "eu-west-1 " + CopyEu, "us-east-1 " + CopyEast, "us-west-2 " + CopyWest }, modifies.Select(m => m.Region + " " + m.Parameters["ImageId"]).OrderBy(x => x));
        Assert.Equal(1, t.Log.Entries.Count(e => e.Action == "DescribeImageAttribute" && e.Parameters["ImageId"] == Web));
        Assert.Equal(new[] { "eu-west-1", "us-east-1", "us-west-2" }, r.Output.Select(o => (string)o.Properties["Region"].Value).OrderBy(x => x));
        var west = r.Output.Single(o => (string)o.Properties["ImageId"].Value == CopyWest);
        Assert.Equal(new[] { A, EngineeringOu }, ((IEnumerable<string>)west.Properties["Added"].Value).ToArray());

        t.Log.Clear();
        t.Run(script, Web, CopyEast, CopyWest, CopyEu).ThrowIfErrors();
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Copy_WhatIf_ShowsEachTargetsPlan_AndWritesNothing()
    {
        await using var t = await StartWithCopiesAsync();

        t.Run("Copy-AmiLaunchPermission -SourceImageId $args[0] -ImageId $args[1] -WhatIf", Web, CopyEast).ThrowIfErrors();

        Assert.Equal(0, t.Log.MutatingCount);
        Assert.Contains($"(add: {A}, {EngineeringOu}; remove: {B})\" on target \"{CopyEast}", t.Ps.HostOutput.ToString());
    }

    [Fact]
    public async Task Copy_SourceInAnotherRegion_WithSourceRegion()
    {
        await using var t = await StartWithCopiesAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -Region eu-west-1 -AccountId $args[1]", EuWeb, B).ThrowIfErrors();

        t.Run("Copy-AmiLaunchPermission -SourceImageId $args[0] -SourceRegion eu-west-1 -ImageId $args[1] -Force", EuWeb, CopyEast).ThrowIfErrors();

        Assert.Equal(new[] { "UserId:" + B }, t.PermissionsOf(CopyEast, "us-east-1"));
    }

    [Fact]
    public async Task Copy_TargetIsTheSource_IsRefused_TheOthersGoOn()
    {
        await using var t = await StartWithCopiesAsync();

        var r = t.Run("Copy-AmiLaunchPermission -SourceImageId $args[0] -ImageId $args[0],$args[1] -Force", Web, CopyEast);

        var error = Assert.Single(r.Errors);
        Assert.Equal("SourceIsTarget,AmiShare.Commands.CopyAmiLaunchPermissionCommand", error.FullyQualifiedErrorId);
        Assert.Equal(Golden, t.PermissionsOf(CopyEast, "us-east-1"));
        Assert.Equal(1, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Copy_PublicSource_TargetsPassThePublicChecks_EncryptedTargetRefused()
    {
        await using var t = await StartAsync();
        t.Run("Set-AmiPublic $args[0] -Force", Web).ThrowIfErrors();
        t.Log.Clear();

        var r = t.Run("Copy-AmiLaunchPermission -SourceImageId $args[0] -ImageId $args[1],$args[2] -Force", Web, Agent, Cmk);

        var error = Assert.Single(r.Errors);
        Assert.Equal("EncryptedSnapshotsCannotBePublic,AmiShare.Commands.CopyAmiLaunchPermissionCommand", error.FullyQualifiedErrorId);
        Assert.Equal(new[] { "Group:all" }, t.PermissionsOf(Agent));
        Assert.Empty(t.PermissionsOf(Cmk));
        Assert.Equal(1, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Copy_PrivateSource_PublicTarget_IsRefused_SayingHowToMakeItPrivate()
    {
        await using var t = await StartAsync();
        t.Run("Set-AmiPublic $args[0] -Force", Agent).ThrowIfErrors();
        t.Log.Clear();

        var r = t.Run("Copy-AmiLaunchPermission -SourceImageId $args[0] -ImageId $args[1] -Force", Web, Agent);

        var error = Assert.Single(r.Errors);
        Assert.Equal("PublicRemovalNotConfirmed,AmiShare.Commands.CopyAmiLaunchPermissionCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Set-AmiPublic -Public:$false", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Copy_BadSourceId_StopsBeforeAnyCall()
    {
        await using var t = await StartAsync();

        var r = t.Run("Copy-AmiLaunchPermission -SourceImageId ami-nope -ImageId $args[0] -Force", Web);

        Assert.StartsWith("InvalidImageId,", Assert.Single(r.ErrorIds));
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task Copy_SourceNotInTheCommandsRegion_StopsTheCommand_SayingSourceRegion()
    {
        await using var t = await StartAsync();

        var r = t.Run("try { Copy-AmiLaunchPermission -SourceImageId $args[0] -ImageId $args[1] -Region eu-west-1 -Force } catch { $_ }", Web, EuWeb);

        // Every target would fail, so the command stops (a terminating error: try/catch sees it).
        var error = Assert.IsType<System.Management.Automation.ErrorRecord>(Assert.Single(r.Output).BaseObject);
        Assert.Empty(r.Errors);
        Assert.StartsWith("AmiNotFound,", error.FullyQualifiedErrorId);
        Assert.Contains($"source AMI {Web} was not found in eu-west-1", error.ToString());
        Assert.Contains("-SourceRegion", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Copy_SourceOfAnotherAccount_StopsTheCommand_SayingItIsTheSource_WithAFixThatFitsACopy()
    {
        await using var t = await StartAsync();

        var r = t.Run("try { Copy-AmiLaunchPermission -SourceImageId $args[0] -ImageId $args[1] -Force } catch { $_ }", ThirdParty, Web);

        var error = Assert.IsType<System.Management.Automation.ErrorRecord>(Assert.Single(r.Output).BaseObject);
        Assert.StartsWith("AmiNotOwned,", error.FullyQualifiedErrorId);
        Assert.Contains($"source AMI {ThirdParty} in us-east-1 belongs to another account", error.ToString());
        Assert.Contains("-SourceImageId", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("Copy-EC2Image", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Copy_SourceNotFound_RecommendedAction_IsSentences()
    {
        await using var t = await StartAsync();

        var r = t.Run("try { Copy-AmiLaunchPermission -SourceImageId $args[0] -ImageId $args[1] -Region eu-west-1 -Force } catch { $_ }", Web, EuWeb);

        var error = Assert.IsType<System.Management.Automation.ErrorRecord>(Assert.Single(r.Output).BaseObject);
        Assert.Contains("input row's Region). Check the image id", error.ErrorDetails.RecommendedAction);
    }
}
