using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

public sealed class GrantTests
{
    [Fact]
    public async Task Grant_TwoAmisTwoAccounts_OneCallPerAmiThenNoneWhenRepeated()
    {
        await using var t = await StartAsync();
        const string script = "$args[0], $args[1] | Grant-AmiLaunchPermission -AccountId 111122223333,444455556666";

        t.Run(script, Web, Agent).ThrowIfErrors();
        Assert.Equal(2, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(new[] { "UserId:111122223333", "UserId:444455556666" }, t.PermissionsOf(Web));
        Assert.Equal(new[] { "UserId:111122223333", "UserId:444455556666" }, t.PermissionsOf(Agent));

        t.Run(script, Web, Agent).ThrowIfErrors();
        Assert.Equal(2, t.Log.Count("ModifyImageAttribute"));
    }

    [Fact]
    public async Task Grant_PassThru_ReportsAddedAndUnchanged()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333", Web).ThrowIfErrors();
        var r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333,444455556666 -PassThru", Web).ThrowIfErrors();

        var result = Assert.Single(r.Output);
        Assert.Equal("AmiShare.AmiShareResult", result.BaseObject.GetType().FullName);
        Assert.Equal(true, result.Properties["Changed"].Value);
        Assert.Equal(new[] { "444455556666" }, ((IEnumerable<string>)result.Properties["Added"].Value).ToArray());
        Assert.Equal(new[] { "111122223333" }, ((IEnumerable<string>)result.Properties["Unchanged"].Value).ToArray());
        Assert.Equal("us-east-1", result.Properties["Region"].Value);
    }

    [Fact]
    public async Task Grant_PassThruLists_WorkAsArrays_AndTurnIntoReadableTextForCsv()
    {
        await using var t = await StartAsync();
        var r = t.Run(@"$r = Grant-AmiLaunchPermission $args[0] -AccountId 111122223333,444455556666 -PassThru
$r.Added -contains '444455556666'
$r.Added.Count
$r.Added[0]
$r.LaunchPermissions.ToString()", Web).ThrowIfErrors();

        Assert.Equal(new object[] { true, 2, "111122223333", "111122223333, 444455556666" }, r.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public async Task Grant_OrganizationAndOuArns_SharesWithBothInOneCall()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -OrganizationArn $args[1] -OrganizationalUnitArn $args[2]", Agent, OrgArn, EngineeringOu).ThrowIfErrors();

        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(new[] { "OrganizationArn:" + OrgArn, "OrganizationalUnitArn:" + EngineeringOu }, t.PermissionsOf(Agent));
    }

    [Fact]
    public async Task Grant_MixedPrincipalParameter_SortsEachKind()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -Principal ' 111122223333 ', $args[1]", Agent, EngineeringOu).ThrowIfErrors();

        Assert.Equal(new[] { "OrganizationalUnitArn:" + EngineeringOu, "UserId:111122223333" }, t.PermissionsOf(Agent));
    }

    [Theory]
    [InlineData("-AccountId 12345", "12345")]
    [InlineData("-Principal arn:aws:organizations::123456789012:account/o-abc1234567", "arn:aws:organizations::123456789012:account/o-abc1234567")]
    [InlineData("-AccountId 1111222233334", "1111222233334")]
    public async Task Grant_InvalidPrincipal_ErrorNamesValue_AndMakesNoAwsCall(string parameters, string value)
    {
        await using var t = await StartAsync();
        var r = t.Run($"Grant-AmiLaunchPermission $args[0] {parameters}", Web);

        Assert.Contains("InvalidPrincipal,AmiShare.Commands.GrantAmiLaunchPermissionCommand", r.ErrorIds);
        Assert.Contains(value, r.FirstErrorText);
        Assert.Contains("arn:aws:organizations::", r.FirstErrorText);
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task Grant_InvalidPrincipal_WithErrorActionStop_ThrowsWithStableId()
    {
        await using var t = await StartAsync();
        var r = t.Run("try { Grant-AmiLaunchPermission $args[0] -AccountId 12345 -ErrorAction Stop } catch { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category.ToString() }", Web);

        Assert.Equal(new object[] { "InvalidPrincipal,AmiShare.Commands.GrantAmiLaunchPermissionCommand", "InvalidArgument" }, r.Output.Select(o => o.BaseObject).ToArray());
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task Grant_All_IsRefusedWithPointerToSetAmiPublic()
    {
        await using var t = await StartAsync();
        var r = t.Run("Grant-AmiLaunchPermission $args[0] -Principal all", Web);

        Assert.Contains("PublicNotAllowedHere,AmiShare.Commands.GrantAmiLaunchPermissionCommand", r.ErrorIds);
        Assert.Contains("Set-AmiPublic", r.FirstErrorText);
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task Grant_NoPrincipal_FailsBeforeAnyCall()
    {
        await using var t = await StartAsync();
        var r = t.Run("Grant-AmiLaunchPermission $args[0]", Web);

        Assert.Contains("MissingPrincipal,AmiShare.Commands.GrantAmiLaunchPermissionCommand", r.ErrorIds);
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task Grant_MalformedImageId_IsRefusedBeforeAnyCall_OthersGoOn()
    {
        await using var t = await StartAsync();
        var r = t.Run("'ami-xyz', $args[0] | Grant-AmiLaunchPermission -AccountId 111122223333", Web);

        Assert.Equal(new[] { "InvalidImageId,AmiShare.Commands.GrantAmiLaunchPermissionCommand" }, r.ErrorIds);
        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Web));
        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
    }

    [Fact]
    public async Task BlankLinesOfAFile_GetInvalidImageId_AndTheOtherAmisGoOn()
    {
        await using var t = await StartAsync();
        string file = Path.Combine(Path.GetTempPath(), "amishare-ids-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllLines(file, new[] { Web, "", "   ", Agent });
        try
        {
            var r = t.Run("[IO.File]::ReadAllLines($args[0]) | Grant-AmiLaunchPermission -AccountId 111122223333", file);

            Assert.Equal(2, r.ErrorIds.Count(id => id == "InvalidImageId,AmiShare.Commands.GrantAmiLaunchPermissionCommand"));
            Assert.Equal(2, r.ErrorIds.Count);
            Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Web));
            Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Agent));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Grant_NotFoundAndNotOwned_AreNonTerminating_AndTheRunGoesOn()
    {
        await using var t = await StartAsync();
        var r = t.Run("$args[0], $args[1], $args[2] | Grant-AmiLaunchPermission -AccountId 111122223333 -ErrorVariable ev -ErrorAction SilentlyContinue; $ev | ForEach-Object { $_.FullyQualifiedErrorId; $_.TargetObject }", ThirdParty, Missing, Agent);

        Assert.Empty(r.Errors);
        Assert.Equal(
            new object[] { "AmiNotOwned,AmiShare.Commands.GrantAmiLaunchPermissionCommand", ThirdParty, "AmiNotFound,AmiShare.Commands.GrantAmiLaunchPermissionCommand", Missing },
            r.Output.Select(o => o.BaseObject).ToArray());
        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Agent));
    }

    [Fact]
    public async Task Grant_AwsManagedKeyAmi_FailsWithEncryptedWithAwsManagedKey_AndRemedy()
    {
        await using var t = await StartAsync();
        var r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333", AwsEbs);

        var error = Assert.Single(r.Errors);
        Assert.Equal("EncryptedWithAwsManagedKey,AmiShare.Commands.GrantAmiLaunchPermissionCommand", error.FullyQualifiedErrorId);
        Assert.Contains("customer managed", error.Exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("customer managed", error.ErrorDetails.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(t.PermissionsOf(AwsEbs));
    }

    [Fact]
    public async Task Grant_WhatIf_LeavesStateUnchanged_AndMakesNoWrite()
    {
        await using var t = await StartAsync();
        var r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -WhatIf", Web).ThrowIfErrors();

        Assert.Empty(t.PermissionsOf(Web));
        Assert.Equal(0, t.Log.MutatingCount);
        Assert.Contains("What if", t.Ps.HostOutput.ToString());
        Assert.Contains("Grant launch permission to 111122223333", t.Ps.HostOutput.ToString());
    }

    [Fact]
    public async Task Grant_Verbose_OneLinePerAwsCall_NamingOperationAndRegion_NoSecret()
    {
        await using var t = await StartAsync();
        var r = t.Run("$DebugPreference = 'Continue'; Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -Verbose -ErrorAction Stop 5>&1 4>&1", Web);

        var lines = r.Output.Select(o => o.ToString()).ToList();
        Assert.Contains(lines, l => l.Contains("ModifyImageAttribute") && l.Contains("us-east-1"));
        Assert.Contains(lines, l => l.Contains("DescribeImageAttribute"));
        Assert.DoesNotContain(lines, l => l.Contains(OwnerSecret));
    }
}
