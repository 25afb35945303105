using System.Text.Json.Nodes;
using AmiShare.Emulator;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// -CheckUsage on Revoke-, Set- and Reset-AmiLaunchPermission against the emulator: an account that would lose launch access while
/// it still has instances or launch templates on the AMI (world <c>instances</c> / <c>launchTemplates</c>) stops that AMI's change
/// with AmiInUse before any write; -Force removes it with the usage as a warning; without -CheckUsage no report is read.
/// </summary>
public sealed class CheckUsageTests
{
    private const string Third = "999988887777";
    private const string Member = "444455556666";
    private const string Finance = "555566667777";

    /// <summary>The demo world with the given instances (account, image, state) and launch templates (account, image) in us-east-1.</summary>
    private static World WorldWith((string Account, string ImageId, string State)[] instances, (string Account, string ImageId)[]? templates = null)
    {
        var doc = JsonNode.Parse(World.DemoJson())!.AsObject();
        doc["instances"] = new JsonArray(instances.Select(i => (JsonNode)new JsonObject
        {
            ["account"] = i.Account, ["region"] = "us-east-1", ["imageId"] = i.ImageId, ["state"] = i.State, ["launchTime"] = "2026-11-20T08:30:00Z",
        }).ToArray());
        doc["launchTemplates"] = new JsonArray((templates ?? Array.Empty<(string, string)>()).Select((l, n) => (JsonNode)new JsonObject
        {
            ["account"] = l.Item1, ["region"] = "us-east-1", ["imageId"] = l.Item2, ["name"] = "lt-" + n,
        }).ToArray());
        return World.FromJson(doc.ToJsonString());
    }

    private static World ThirdRunsWeb() => WorldWith(new[] { (Third, Web, "running") });

    private static async Task<ModuleTestContext> SharedAsync(World world, string imageId, params string[] principals)
    {
        var t = await StartAsync(world);
        t.Run("Grant-AmiLaunchPermission $args[0] -Principal $args[1]", imageId, principals).ThrowIfErrors();
        t.Log.Clear();
        return t;
    }

    [Fact]
    public async Task Revoke_CheckUsage_AccountWithRunningInstance_RefusedNamingAccountAndCount_NoWrite()
    {
        await using var t = await SharedAsync(ThirdRunsWeb(), Web, Third, Consumer);

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId $args[1] -CheckUsage", Web, Third);

        var error = Assert.Single(r.Errors);
        Assert.Equal("AmiInUse,AmiShare.Commands.RevokeAmiLaunchPermissionCommand", error.FullyQualifiedErrorId);
        Assert.Equal("InvalidOperation", error.CategoryInfo.Category.ToString());
        Assert.Equal(Web, error.TargetObject);
        Assert.Contains($"{Third} has 1 instance and 0 launch templates using {Web}", error.ToString());
        Assert.Contains("-Force", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(1, t.Log.Count("CreateImageUsageReport"));
        Assert.Equal(new[] { "UserId:" + Consumer, "UserId:" + Third }, t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Revoke_CheckUsage_AsksTheReportOnlyAboutTheRemovedAccounts()
    {
        await using var t = await SharedAsync(ThirdRunsWeb(), Web, Third, Consumer);

        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId $args[1] -CheckUsage", Web, Consumer).ThrowIfErrors();

        var create = Assert.Single(t.Log.Entries, e => e.Action == "CreateImageUsageReport");
        Assert.Equal(Web, create.Parameters["ImageId"]);
        Assert.Equal(Consumer, create.Parameters["AccountId.1"]);
        Assert.False(create.Parameters.ContainsKey("AccountId.2"));
        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(new[] { "UserId:" + Third }, t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Revoke_CheckUsageForce_RemovesIt_AndWarnsWithTheUsage()
    {
        await using var t = await SharedAsync(ThirdRunsWeb(), Web, Third);

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId $args[1] -CheckUsage -Force", Web, Third).ThrowIfErrors();

        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
        Assert.Empty(t.PermissionsOf(Web));
        Assert.Contains(r.Warnings, w => w.StartsWith("-Force:") && w.Contains($"{Third} has 1 instance and 0 launch templates using {Web}"));
    }

    [Fact]
    public async Task Revoke_WithoutCheckUsage_NoReport_RemovesIt()
    {
        await using var t = await SharedAsync(ThirdRunsWeb(), Web, Third);

        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId $args[1]", Web, Third).ThrowIfErrors();

        Assert.Equal(0, t.Log.Count("CreateImageUsageReport"));
        Assert.Equal(0, t.Log.Count("DescribeImageUsageReports"));
        Assert.Equal(0, t.Log.Count("DescribeImageUsageReportEntries"));
        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
    }

    [Fact]
    public async Task Revoke_CheckUsage_NothingToRemove_NoReport()
    {
        await using var t = await StartAsync(ThirdRunsWeb());

        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId $args[1] -CheckUsage", Web, Third).ThrowIfErrors();

        Assert.Equal(0, t.Log.Count("CreateImageUsageReport"));
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Revoke_CheckUsage_OneAmiRefused_TheOthersGoOn()
    {
        await using var t = await StartAsync(ThirdRunsWeb());
        t.Run("Grant-AmiLaunchPermission $args[0],$args[1] -AccountId $args[2]", Web, Agent, Third).ThrowIfErrors();
        t.Log.Clear();

        var r = t.Run("$args[0],$args[1] | Revoke-AmiLaunchPermission -AccountId $args[2] -CheckUsage", Web, Agent, Third);

        Assert.Equal(new[] { "AmiInUse,AmiShare.Commands.RevokeAmiLaunchPermissionCommand" }, r.ErrorIds);
        Assert.Equal(Web, r.Errors[0].TargetObject);
        Assert.Equal(new[] { "UserId:" + Third }, t.PermissionsOf(Web));
        Assert.Empty(t.PermissionsOf(Agent));
        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(2, t.Log.Count("CreateImageUsageReport"));
    }

    [Fact]
    public async Task Revoke_CheckUsage_LaunchTemplateOnly_Refused()
    {
        await using var t = await SharedAsync(WorldWith(Array.Empty<(string, string, string)>(), new[] { (Third, Web) }), Web, Third);

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId $args[1] -CheckUsage", Web, Third);

        Assert.Contains($"{Third} has 0 instances and 1 launch template using {Web}", Assert.Single(r.Errors).ToString());
        Assert.Equal(0, t.Log.Count("ModifyImageAttribute"));
    }

    [Fact]
    public async Task Revoke_CheckUsage_TerminatedInstanceDoesNotCount_Removed()
    {
        await using var t = await SharedAsync(WorldWith(new[] { (Third, Web, "terminated"), (Third, Cmk, "running") }), Web, Third);

        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId $args[1] -CheckUsage", Web, Third).ThrowIfErrors();

        Assert.Equal(1, t.Log.Count("CreateImageUsageReport"));
        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
        Assert.Empty(t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Revoke_CheckUsage_AccountKeepsAccessThroughOu_NotRefused_NoReport()
    {
        // 111122223333 is in the Engineering OU, which stays shared: it can still launch the AMI.
        await using var t = await SharedAsync(WorldWith(new[] { (Consumer, Web, "running") }), Web, Consumer, EngineeringOu);

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId $args[1] -CheckUsage -Verbose", Web, Consumer).ThrowIfErrors();

        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(new[] { "OrganizationalUnitArn:" + EngineeringOu }, t.PermissionsOf(Web));
        Assert.Equal(0, t.Log.Count("CreateImageUsageReport"));
        Assert.Contains(r.Verbose, v => v.Contains($"{Consumer} keeps launch access through OU ou-ab12-11111111") && v.Contains("not asked about"));
    }

    [Fact]
    public async Task Revoke_CheckUsage_ReportAsksOnlyAboutAccountsThatLoseAccess()
    {
        // 111122223333 stays covered by the Engineering OU; 999988887777 loses access and runs the AMI.
        await using var t = await SharedAsync(WorldWith(new[] { (Consumer, Web, "running"), (Third, Web, "running") }), Web, Consumer, Third, EngineeringOu);

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId $args[1],$args[2] -CheckUsage", Web, Consumer, Third);

        var create = Assert.Single(t.Log.Entries, e => e.Action == "CreateImageUsageReport");
        Assert.Equal(Third, create.Parameters["AccountId.1"]);
        Assert.False(create.Parameters.ContainsKey("AccountId.2"));
        string text = Assert.Single(r.Errors).ToString();
        Assert.Contains($"{Third} has 1 instance", text);
        Assert.DoesNotContain(Consumer, text);
    }

    [Fact]
    public async Task Revoke_CheckUsage_OuRemoved_RefusesForItsMembersThatLoseAccess_NotForOnesThatKeepIt()
    {
        // The OU holds 111122223333 (Engineering) and 444455556666 (Platform, under Engineering); 444455556666 keeps its own
        // permission. The report asks about every account, since the OU's members are not known up front.
        await using var t = await SharedAsync(
            WorldWith(new[] { (Consumer, Web, "running"), (Member, Web, "running"), (Finance, Web, "running") }),
            Web, EngineeringOu, Member);

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -OrganizationalUnitArn $args[1] -CheckUsage", Web, EngineeringOu);

        string text = Assert.Single(r.Errors).ToString();
        Assert.Contains($"{Consumer} has 1 instance and 0 launch templates using {Web}", text);
        Assert.DoesNotContain(Member, text);
        Assert.DoesNotContain(Finance, text);
        var create = Assert.Single(t.Log.Entries, e => e.Action == "CreateImageUsageReport");
        Assert.False(create.Parameters.ContainsKey("AccountId.1"));
        Assert.Equal(0, t.Log.Count("ModifyImageAttribute"));
    }

    [Fact]
    public async Task Revoke_CheckUsage_MakePrivate_RefusesForAnAccountThatLaunchedThePublicAmi()
    {
        await using var t = await StartAsync(ThirdRunsWeb());
        t.Run("Set-AmiPublic $args[0] -Force", Web).ThrowIfErrors();
        t.Log.Clear();

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -Principal all -CheckUsage", Web);

        Assert.Contains($"{Third} has 1 instance", Assert.Single(r.Errors).ToString());
        Assert.Equal(new[] { "Group:all" }, t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Revoke_CheckUsageWhatIf_ShowsTheRefusal_WithForceShowsTheWarningAndThePlan_NoWrite()
    {
        await using var t = await SharedAsync(ThirdRunsWeb(), Web, Third);

        var refused = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId $args[1] -CheckUsage -WhatIf", Web, Third);
        Assert.Equal(new[] { "AmiInUse,AmiShare.Commands.RevokeAmiLaunchPermissionCommand" }, refused.ErrorIds);

        var forced = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId $args[1] -CheckUsage -Force -WhatIf", Web, Third).ThrowIfErrors();
        Assert.Contains(forced.Warnings, w => w.Contains($"{Third} has 1 instance"));
        Assert.Contains(forced.Warnings, w => w.StartsWith($"-Force: would remove launch access to {Web}", StringComparison.Ordinal));
        Assert.DoesNotContain(forced.Warnings, w => w.Contains("-Force: removing", StringComparison.Ordinal));

        Assert.Equal(0, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(new[] { "UserId:" + Third }, t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Set_CheckUsage_RemovingAnAccountThatUsesIt_Refused_ForceRemovesIt()
    {
        await using var t = await SharedAsync(ThirdRunsWeb(), Web, Third);

        var r = t.Run("Set-AmiLaunchPermission $args[0] -AccountId $args[1] -CheckUsage -Confirm:$false", Web, Consumer);
        var error = Assert.Single(r.Errors);
        Assert.Equal("AmiInUse,AmiShare.Commands.SetAmiLaunchPermissionCommand", error.FullyQualifiedErrorId);
        Assert.Contains($"{Third} has 1 instance and 0 launch templates using {Web}", error.ToString());
        Assert.Equal(0, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(new[] { "UserId:" + Third }, t.PermissionsOf(Web));

        t.Run("Set-AmiLaunchPermission $args[0] -AccountId $args[1] -CheckUsage -Force", Web, Consumer).ThrowIfErrors();
        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(new[] { "UserId:" + Consumer }, t.PermissionsOf(Web));
    }

    [Fact]
    public async Task Set_CheckUsage_NothingRemoved_NoReport()
    {
        await using var t = await SharedAsync(ThirdRunsWeb(), Web, Third);

        t.Run("Set-AmiLaunchPermission $args[0] -AccountId $args[1],$args[2] -CheckUsage -Force", Web, Third, Consumer).ThrowIfErrors();

        Assert.Equal(0, t.Log.Count("CreateImageUsageReport"));
        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
    }

    [Fact]
    public async Task Reset_CheckUsage_Refused_ForceResets()
    {
        await using var t = await SharedAsync(WorldWith(Array.Empty<(string, string, string)>(), new[] { (Third, Web) }), Web, Third, OrgArn);

        var r = t.Run("Reset-AmiLaunchPermission $args[0] -CheckUsage -Confirm:$false", Web);
        var error = Assert.Single(r.Errors);
        Assert.Equal("AmiInUse,AmiShare.Commands.ResetAmiLaunchPermissionCommand", error.FullyQualifiedErrorId);
        Assert.Contains($"{Third} has 0 instances and 1 launch template using {Web}", error.ToString());
        Assert.Equal(0, t.Log.Count("ResetImageAttribute"));

        var forced = t.Run("Reset-AmiLaunchPermission $args[0] -CheckUsage -Force", Web).ThrowIfErrors();
        Assert.Contains(forced.Warnings, w => w.Contains($"{Third} has 0 instances and 1 launch template"));
        Assert.Equal(1, t.Log.Count("ResetImageAttribute"));
        Assert.Empty(t.PermissionsOf(Web));
    }

    [Theory]
    [InlineData("Revoke-AmiLaunchPermission $args[0] -AccountId 999988887777 -CheckUsage", "AMISHARE_USAGE_POLL_SECONDS")]
    [InlineData("Set-AmiLaunchPermission $args[0] -AccountId 111122223333 -CheckUsage -Confirm:$false", "AMISHARE_USAGE_TIMEOUT_SECONDS")]
    [InlineData("Reset-AmiLaunchPermission $args[0] -CheckUsage -Confirm:$false", "AMISHARE_USAGE_POLL_SECONDS")]
    public async Task CheckUsage_BadUsageSetting_OneStopBeforeAnyCall(string command, string variable)
    {
        await using var t = await SharedAsync(ThirdRunsWeb(), Web, Third);
        Environment.SetEnvironmentVariable(variable, "soon");
        try
        {
            var r = t.Run(command.Replace("$args[0]", "$args[0],$args[1]", StringComparison.Ordinal), Web, Agent);

            Assert.Equal(new[] { "InvalidRetrySetting," + CommandClass(command) }, r.ErrorIds);
            Assert.Contains($"{variable} is 'soon'", r.FirstErrorText);
            Assert.Empty(t.Log.Entries);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    private static string CommandClass(string command) => "AmiShare.Commands." + command.Split(' ')[0].Replace("-", string.Empty, StringComparison.Ordinal) + "Command";
}
