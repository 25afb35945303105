using AmiShare.Sandbox;
using Xunit;

namespace AmiShare.Module.Tests;

/// <summary>
/// The help users get from the built module: every exported cmdlet has a description, examples and a
/// description for each of its own parameters (from docs/*.md through build/HelpGen.targets), and
/// about_AmiShare is found.
/// </summary>
public sealed class HelpTests
{
    public static TheoryData<string> ExportedCmdlets()
    {
        var data = new TheoryData<string>();
        foreach (string name in CmdletNames())
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>CmdletsToExport of the assembled manifest.</summary>
    private static List<string> CmdletNames()
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke("(& ([scriptblock]::Create([System.IO.File]::ReadAllText($args[0])))).CmdletsToExport", RepoPaths.ModuleManifest).ThrowIfErrors();
        return r.Output.Select(o => o.ToString()).ToList();
    }

    [Fact]
    public void ModuleFolder_HasMamlHelpFile()
    {
        string folder = Path.GetDirectoryName(RepoPaths.ModuleManifest)!;
        string maml = Path.Combine(folder, "en-US", "AmiShare.dll-Help.xml");
        Assert.True(File.Exists(maml), $"{maml} is missing");
        Assert.Contains("<command:command", File.ReadAllText(maml));
    }

    [Fact]
    public void ExportedCmdlets_IncludeTheTestCmdlets()
    {
        var names = CmdletNames();
        Assert.Contains("Test-AmiShareable", names);
        Assert.Contains("Test-AmiLaunchAccess", names);
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void GetHelpFull_HasDescription(string name)
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke("((Get-Help $args[0] -Full).Description | ForEach-Object { $_.Text }) -join \"`n\"", name).ThrowIfErrors();
        string description = string.Concat(r.Output.Select(o => o?.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(description), $"{name}: Get-Help -Full shows no description");
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void GetHelpFull_HasSynopsisOfItsOwn(string name)
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke("(Get-Help $args[0] -Full).Synopsis", name).ThrowIfErrors();
        string synopsis = string.Concat(r.Output.Select(o => o?.ToString())).Trim();
        Assert.False(string.IsNullOrWhiteSpace(synopsis));

        // PowerShell puts the syntax line in Synopsis when it finds no help file for the command.
        Assert.False(synopsis.StartsWith(name + " ", StringComparison.Ordinal) || synopsis.Contains("[-ImageId]"), $"{name}: the synopsis is generated, so no help was found: {synopsis}");
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void GetHelpFull_HasAtLeastOneExampleWithCode(string name)
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke("$n = $args[0]; @((Get-Help $n -Full).Examples.Example | Where-Object { $_.Code -match [regex]::Escape($n) }).Count", name).ThrowIfErrors();
        Assert.True((int)r.Output.Single().BaseObject >= 1, $"{name}: no example that uses the cmdlet");
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void GetHelpFull_DescribesEveryParameter_ExceptTheCommonOnes(string name)
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke(@"$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$help = Get-Help $args[0] -Full
$described = @{}
foreach ($p in @($help.Parameters.Parameter)) {
    $text = (@($p.Description) | ForEach-Object { $_.Text }) -join ''
    if ($text.Trim()) { $described[$p.Name] = $true }
}
foreach ($n in (Get-Command $args[0]).Parameters.Keys) {
    if ($common -notcontains $n -and -not $described.ContainsKey($n)) { $n }
}", name).ThrowIfErrors();
        var missing = r.Output.Select(o => o.ToString()).ToList();
        Assert.True(missing.Count == 0, $"{name}: parameters without a description in Get-Help -Full: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void GetHelpFull_DocumentsNoParameterTheCmdletLacks(string name)
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke(@"$known = @((Get-Command $args[0]).Parameters.Keys)
foreach ($p in @((Get-Help $args[0] -Full).Parameters.Parameter)) {
    if ($known -notcontains $p.Name) { $p.Name }
}", name).ThrowIfErrors();
        var extra = r.Output.Select(o => o.ToString()).ToList();
        Assert.True(extra.Count == 0, $"{name}: help documents parameters the cmdlet does not have: {string.Join(", ", extra)}");
    }

    [Fact]
    public void AboutAmiShare_IsFound_AndNamesTheErrorIds()
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke("Get-Help about_AmiShare").ThrowIfErrors();
        string text = string.Concat(r.Output.Select(o => o?.ToString()));
        Assert.Contains("about_AmiShare", text);
        foreach (string id in new[] { "EncryptedWithAwsManagedKey", "PreflightFailed", "KmsKeyNotUsable", "KmsPolicyTooLarge", "OrganizationUnresolved" })
        {
            Assert.Contains(id, text);
        }
    }
}
