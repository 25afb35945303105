using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

public sealed class RevokeAndGetTests
{
    [Fact]
    public async Task Get_SharedAmi_OneRowPerPrincipal_WithType()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -Principal 111122223333, $args[1], $args[2]", Agent, OrgArn, EngineeringOu).ThrowIfErrors();

        var r = t.Run("Get-AmiLaunchPermission $args[0]", Agent).ThrowIfErrors();

        var rows = r.Output.Select(o => (Type: (string)o.Properties["Type"].Value, Principal: (string)o.Properties["Principal"].Value, Image: (string)o.Properties["ImageId"].Value, Region: (string)o.Properties["Region"].Value))
            .OrderBy(x => x.Type, StringComparer.Ordinal).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(("Account", "111122223333"), (rows[0].Type, rows[0].Principal));
        Assert.Equal(("Organization", OrgArn), (rows[1].Type, rows[1].Principal));
        Assert.Equal(("OrganizationalUnit", EngineeringOu), (rows[2].Type, rows[2].Principal));
        Assert.All(rows, x => Assert.Equal((Agent, "us-east-1"), (x.Image, x.Region)));
    }

    [Fact]
    public async Task Get_PipedIntoRevoke_RemovesEveryListedPermission_InOneCall()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -Principal 111122223333, 444455556666, $args[1]", Agent, EngineeringOu).ThrowIfErrors();
        t.Log.Clear();

        t.Run("Get-AmiLaunchPermission $args[0] | Revoke-AmiLaunchPermission", Agent).ThrowIfErrors();

        Assert.Empty(t.PermissionsOf(Agent));
        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
    }

    [Fact]
    public async Task Get_PublicAmi_RowOfTypePublic_RevokePipelineMakesItPrivate()
    {
        await using var t = await StartAsync();
        t.Run("Set-AmiPublic $args[0] -Force", Web).ThrowIfErrors();
        var rows = t.Run("Get-AmiLaunchPermission $args[0]", Web).ThrowIfErrors();
        Assert.Equal("Public", rows.Output.Single().Properties["Type"].Value);
        Assert.Equal("all", rows.Output.Single().Properties["Principal"].Value);

        t.Run("Get-AmiLaunchPermission $args[0] | Revoke-AmiLaunchPermission", Web).ThrowIfErrors();

        Assert.Empty(t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Get_UnsharedAmi_NoRows_AndVerboseSaysOnlyOwner()
    {
        await using var t = await StartAsync();
        var r = t.Run("Get-AmiLaunchPermission $args[0] -Verbose", Web).ThrowIfErrors();

        Assert.Empty(r.Output);
        Assert.Contains(r.Verbose, v => v.Contains("only its owner"));
    }

    [Fact]
    public async Task Get_ByPropertyName_FromCustomObjectsAndCsvShapedRows()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0],$args[1] -AccountId 111122223333", Web, Agent).ThrowIfErrors();

        // Import-Csv yields PSCustomObjects whose properties are strings; these rows have that shape.
        var r = t.Run("[pscustomobject]@{ ImageId = $args[0]; Name = 'web' }, [pscustomobject]@{ ImageId = $args[1]; Name = 'agent' } | Get-AmiLaunchPermission", Web, Agent).ThrowIfErrors();

        Assert.Equal(new[] { Web, Agent }, r.Output.Select(o => (string)o.Properties["ImageId"].Value).ToArray());
    }

    [Fact]
    public async Task Grant_FromAwsSdkImageObjects_BindsImageIdByPropertyName()
    {
        await using var t = await StartAsync();
        // As AWS.Tools.EC2 would: AWSSDK.EC2 loaded into the default context, apart from AmiShare's own copy.
        string ec2Dll = Path.Combine(Path.GetDirectoryName(t.Ps.ManifestPath)!, "dependencies", "AWSSDK.EC2.dll");
        var r = t.Run(@"$null = [System.Reflection.Assembly]::LoadFrom($args[0])
$images = foreach ($id in $args[1], $args[2]) { $i = [Amazon.EC2.Model.Image]::new(); $i.ImageId = $id; $i.Name = 'x'; $i }
$images | Grant-AmiLaunchPermission -AccountId 111122223333", ec2Dll, Web, Agent).ThrowIfErrors();

        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Web));
        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Agent));
    }

    [Fact]
    public async Task Grant_CsvShapedRowsWithAccountColumn_BindsBothByPropertyName()
    {
        await using var t = await StartAsync();
        t.Run(@"[pscustomobject]@{ ImageId = $args[0]; AccountId = '111122223333' },
[pscustomobject]@{ ImageId = $args[0]; AccountId = '444455556666' },
[pscustomobject]@{ ImageId = $args[1]; AccountId = '444455556666' } | Grant-AmiLaunchPermission", Web, Agent).ThrowIfErrors();

        Assert.Equal(new[] { "UserId:111122223333", "UserId:444455556666" }, t.PermissionsOf(Web));
        Assert.Equal(new[] { "UserId:444455556666" }, t.PermissionsOf(Agent));
        Assert.Equal(2, t.Log.Count("ModifyImageAttribute"));
    }

    [Fact]
    public async Task Revoke_AccountStillCoveredByOrganization_WarnsThatAccessPersists()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -Principal 111122223333, $args[1]", Agent, OrgArn).ThrowIfErrors();

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333", Agent).ThrowIfErrors();

        var warning = Assert.Single(r.Warnings);
        Assert.Contains("111122223333", warning);
        Assert.Contains("organization o-abc1234567", warning);
        Assert.Equal(new[] { "OrganizationArn:" + OrgArn }, t.PermissionsOf(Agent));
    }

    [Fact]
    public async Task Revoke_NothingGranted_MakesNoWrite()
    {
        await using var t = await StartAsync();
        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333 -PassThru", Agent).ThrowIfErrors();

        Assert.Equal(0, t.Log.MutatingCount);
        Assert.Equal(false, r.Output.Single().Properties["Changed"].Value);
    }

    [Fact]
    public async Task Revoke_WhatIf_LeavesStateUnchanged()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333", Agent).ThrowIfErrors();
        int writes = t.Log.MutatingCount;

        t.Run("Get-AmiLaunchPermission $args[0] | Revoke-AmiLaunchPermission -WhatIf", Agent).ThrowIfErrors();

        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Agent));
        Assert.Equal(writes, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Revoke_RowsFromAnotherRegion_UseTheRowsRegion()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -Region eu-west-1", EuWeb).ThrowIfErrors();

        t.Run("Get-AmiLaunchPermission $args[0] -Region eu-west-1 | Revoke-AmiLaunchPermission", EuWeb).ThrowIfErrors();

        Assert.Empty(t.PermissionsOf(EuWeb, "eu-west-1"));
        Assert.All(t.Log.Entries.Where(e => e.Action == "ModifyImageAttribute"), e => Assert.Equal("eu-west-1", e.Region));
    }
}
