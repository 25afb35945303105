using AmiShare.Sandbox;
using Xunit;

namespace AmiShare.Module.Tests;

public sealed class ManifestTests
{
    private static readonly string[] s_expected = new[]
    {
        "Copy-AmiLaunchPermission", "Get-AmiLaunchPermission", "Grant-AmiLaunchPermission", "Reset-AmiLaunchPermission", "Revoke-AmiLaunchPermission",
        "Set-AmiLaunchPermission", "Set-AmiPublic", "Test-AmiLaunchAccess", "Test-AmiShareable",
        "Publish-Ami",
        "Get-AmiShareReport",
        "Get-AmiSharedWithMe",
        "Copy-SharedAmi",
    }.OrderBy(n => n, StringComparer.Ordinal).ToArray();

    [Fact]
    public void ModuleFolder_AsAssembled_HoldsOnlyTheCmdletsInItsRoot_AndTheRestInDependencies()
    {
        string folder = RepoPaths.ModuleFolder;
        Assert.Equal(Path.Combine(RepoPaths.Root, "out", RepoPaths.Configuration, "AmiShare"), folder);
        Assert.Equal(new[] { "AmiShare.Format.ps1xml", "AmiShare.dll", "AmiShare.psd1" },
            Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => !n!.EndsWith(".pdb", StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal).ToArray());
        Assert.Equal(new[] { "dependencies", "en-US" }, Directory.GetDirectories(folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray());

        string dependencies = RepoPaths.DependencyFolder;
        foreach (string dll in new[] { "AmiShare.Engine.dll", "AmiShare.Loader.dll", "AWSSDK.Core.dll", "AWSSDK.EC2.dll", "AWSSDK.KeyManagementService.dll", "AWSSDK.SecurityToken.dll" })
        {
            Assert.True(File.Exists(Path.Combine(dependencies, dll)), dll + " is missing from " + dependencies);
        }

        Assert.Empty(Directory.GetFiles(folder, "System.Management.Automation*.dll", SearchOption.AllDirectories));
    }

    [Fact]
    public void Manifest_ListsNoRequiredAssembliesOrNestedModules_SoNothingLoadsOutsideAmiShareContext()
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke("$m = & ([scriptblock]::Create([System.IO.File]::ReadAllText($args[0]))); $m.ContainsKey('RequiredAssemblies'); $m.ContainsKey('NestedModules'); $m.RootModule", RepoPaths.ModuleManifest).ThrowIfErrors();
        Assert.Equal(new object[] { false, false, "AmiShare.dll" }, r.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void TestModuleManifest_OnAssembledPsd1_Accepts()
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke("Test-ModuleManifest -Path $args[0] -ErrorAction Stop", RepoPaths.ModuleManifest);
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        var manifest = Assert.Single(r.Output);
        Assert.Equal("AmiShare", manifest.Properties["Name"].Value);
    }

    [Fact]
    public void GetCommand_AfterImport_ListsExactlyCmdletsToExport()
    {
        using var ps = new ModuleSession();
        var exported = ps.Invoke("(& ([scriptblock]::Create([System.IO.File]::ReadAllText($args[0])))).CmdletsToExport", RepoPaths.ModuleManifest).ThrowIfErrors();
        var commands = ps.Invoke("Get-Command -Module AmiShare | ForEach-Object Name").ThrowIfErrors();
        var names = commands.Output.Select(o => o.ToString()).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(s_expected, names);
        Assert.Equal(s_expected, exported.Output.Select(o => o.ToString()).OrderBy(n => n, StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void ModuleInitializer_ForWindowsPowerShell_ResolvesOnlyAmiShareRequests_FromDependencies_WhateverVersionIsAsked()
    {
        using var ps = new ModuleSession();
        string folder = RepoPaths.ModuleFolder;
        string dependencies = RepoPaths.DependencyFolder;
        string engine = Path.Combine(dependencies, "AmiShare.Engine.dll");
        string elsewhere = Path.Combine(RepoPaths.Root, "other", "Module", "AWS.Tools.Common.dll");
        var r = ps.Invoke(@"$find = [AmiShare.ModuleInitializer].GetMethod('FindDependency', [System.Reflection.BindingFlags]'NonPublic,Static')
$find.Invoke($null, @($args[0], $args[1], 'System.Text.Json, Version=1.2.3.4, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51', $args[2]))
$find.Invoke($null, @($args[0], $args[1], 'AWSSDK.Core, Version=4.0.0.0, Culture=neutral, PublicKeyToken=885c28607f98e604', $null))
$null -eq $find.Invoke($null, @($args[0], $args[1], 'System.Text.Json, Version=6.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51', $args[3]))
$null -eq $find.Invoke($null, @($args[0], $args[1], 'Not.Shipped.Library, Version=1.0.0.0', $args[2]))", dependencies, folder, engine, elsewhere).ThrowIfErrors();

        Assert.Equal(Path.Combine(dependencies, "System.Text.Json.dll"), r.Output[0].BaseObject);
        Assert.Equal(Path.Combine(dependencies, "AWSSDK.Core.dll"), r.Output[1].BaseObject);
        Assert.Equal(true, r.Output[2].BaseObject); // another module's request is left to it
        Assert.Equal(true, r.Output[3].BaseObject);
    }

    [Fact]
    public void Region_TabCompletion_OffersKnownRegions()
    {
        using var ps = new ModuleSession();
        const string line = "Grant-AmiLaunchPermission ami-0a1b2c3d4e5f60001 -Region eu-we";
        var r = ps.Invoke("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches | ForEach-Object CompletionText", line).ThrowIfErrors();

        var offered = r.Output.Select(o => o.ToString()).ToList();
        Assert.Contains("eu-west-1", offered);
        Assert.Contains("eu-west-2", offered);
        Assert.All(offered, o => Assert.StartsWith("eu-we", o));
    }

    [Theory]
    [InlineData("Grant-AmiLaunchPermission", "Medium")]
    [InlineData("Revoke-AmiLaunchPermission", "Medium")]
    [InlineData("Set-AmiPublic", "High")]
    [InlineData("Reset-AmiLaunchPermission", "High")]
    public void MutatingCmdlets_SupportShouldProcess_WithDocumentedImpact(string name, string impact)
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke("$c = Get-Command $args[0]; $c.Parameters.ContainsKey('WhatIf'); $c.Parameters.ContainsKey('Confirm'); $c.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact.ToString()", name).ThrowIfErrors();
        Assert.Equal(new object[] { true, true, impact }, r.Output.Select(o => o.BaseObject).ToArray());
    }

    [Theory]
    [InlineData("Get-AmiLaunchPermission")]
    [InlineData("Grant-AmiLaunchPermission")]
    [InlineData("Revoke-AmiLaunchPermission")]
    [InlineData("Set-AmiPublic")]
    [InlineData("Reset-AmiLaunchPermission")]
    public void EveryCmdlet_HasAwsToolsCommonParameters_WithTheirAliases(string name)
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke(@"$p = (Get-Command $args[0]).Parameters
foreach ($n in 'Region','AccessKey','SecretKey','SessionToken','ProfileName','ProfileLocation','Credential','EndpointUrl') { $p.ContainsKey($n) }
$p['AccessKey'].Aliases -contains 'AK'
$p['SecretKey'].Aliases -contains 'SecretAccessKey'
$p['ProfileName'].Aliases -contains 'StoredCredentials'
$p['ProfileLocation'].Aliases -contains 'ProfilesLocation'
$p['Region'].Aliases -contains 'RegionToCall'
$p['ImageId'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] })[0].Position", name).ThrowIfErrors();
        var values = r.Output.Select(o => o.BaseObject).ToList();
        Assert.All(values.Take(values.Count - 1), v => Assert.Equal(true, v));
        Assert.Equal(0, values[^1]);
    }
}
