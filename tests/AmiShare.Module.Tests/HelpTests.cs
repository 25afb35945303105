using System.Text.RegularExpressions;
using AmiShare.Sandbox;
using Xunit;

namespace AmiShare.Module.Tests;

/// <summary>
/// The help users get from the built module: every exported cmdlet has a description, examples and a
/// description for each of its own parameters (from docs/*.md through src/AmiShare.HelpGen), the
/// examples and code spans come out as the docs write them, and about_AmiShare is found.
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
    public void ModuleFolder_ShipsNoHelpGenerator()
    {
        // src/AmiShare.HelpGen (and its Markdig) runs at build time only.
        string folder = Path.GetDirectoryName(RepoPaths.ModuleManifest)!;
        var shipped = Directory.GetFiles(folder, "*.dll", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains("AmiShare.dll", shipped);
        Assert.DoesNotContain("AmiShare.HelpGen.dll", shipped);
        Assert.DoesNotContain("Markdig.dll", shipped);
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
    public void GetHelpFull_GrantAmiLaunchPermission_ShowsKeyPolicyCodeSpansVerbatim()
    {
        // Issue 6: the regex converter showed "Principal": "" and kms:ReEncrypt, (the stars read as emphasis).
        // Rendered by Out-Default the way an 80-column console shows it.
        using var ps = new ModuleSession();
        ps.Invoke("$Host.UI.RawUI.BufferSize = [System.Management.Automation.Host.Size]::new(80, 9999)").ThrowIfErrors();
        ps.InvokeToHost("Get-Help Grant-AmiLaunchPermission -Full");
        string text = OneLine(ps.HostOutput.ToString()!);
        Assert.Contains("into AmiShareOrganizations (\"Principal\": \"*\" with an aws:PrincipalOrgID condition)", text);
        Assert.Contains("into AmiShareOrganizationalUnits (\"Principal\": \"*\" with a ForAnyValue:StringLike aws:PrincipalOrgPaths condition)", text);
        Assert.Contains("Each allows kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey*, kms:DescribeKey and kms:CreateGrant.", text);
        Assert.Contains("condition is o-abc1234567/r-ab12/ou-ab12-11111111/ou-ab12-33333333/*.", text);
        Assert.DoesNotContain("\"Principal\": \"\"", text);
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void GetHelpFull_Examples_EqualTheDocsExamples(string name)
    {
        List<(string Title, string Code, string Remarks)> expected = DocsExamples(Path.Combine(RepoPaths.Root, "docs", name + ".md"));
        Assert.NotEmpty(expected);

        using var ps = new ModuleSession();
        var r = ps.Invoke(@"foreach ($e in @((Get-Help $args[0] -Full).Examples.Example)) {
    [pscustomobject]@{ Title = [string]$e.title; Code = [string]$e.code; Remarks = (@($e.remarks) | ForEach-Object { $_.Text }) -join ' ' }
}", name).ThrowIfErrors();
        var actual = r.Output.Select(o => ((string)o.Properties["Title"].Value, (string)o.Properties["Code"].Value, (string)o.Properties["Remarks"].Value)).ToList();

        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Title, OneLine(actual[i].Item1).Trim('-', ' '));
            Assert.Equal(expected[i].Code, actual[i].Item2);
            Assert.Equal(expected[i].Remarks, OneLine(actual[i].Item3));
        }
    }

    /// <summary>
    /// The examples of a docs page, read line by line (not with the generator's parser): each "### "
    /// heading under "## EXAMPLES", its fenced code (several blocks joined by a blank line), and its
    /// prose on one line with the code-span backticks removed (the examples use no other markup).
    /// </summary>
    private static List<(string Title, string Code, string Remarks)> DocsExamples(string path)
    {
        var examples = new List<(string Title, List<string> Code, List<string> Prose)>();
        bool inExamples = false;
        List<string>? fence = null;
        foreach (string line in File.ReadAllLines(path))
        {
            if (fence != null)
            {
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    examples[^1].Code.Add(string.Join("\n", fence));
                    fence = null;
                }
                else
                {
                    fence.Add(line);
                }
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inExamples = line.Trim() == "## EXAMPLES";
            }
            else if (inExamples && line.StartsWith("### ", StringComparison.Ordinal))
            {
                examples.Add((line[4..].Trim(), new List<string>(), new List<string>()));
            }
            else if (inExamples && examples.Count > 0 && line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fence = new List<string>();
            }
            else if (inExamples && examples.Count > 0)
            {
                examples[^1].Prose.Add(line);
            }
        }

        return examples.Select(e => (e.Title, string.Join("\n\n", e.Code), OneLine(Regex.Replace(string.Join(" ", e.Prose), "`([^`]+)`", "$1")))).ToList();
    }

    /// <summary>Text with every run of white space (line breaks and indents included) made one space.</summary>
    private static string OneLine(string text) => Regex.Replace(text, @"\s+", " ").Trim();

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
