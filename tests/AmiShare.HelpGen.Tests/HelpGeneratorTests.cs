namespace AmiShare.HelpGen.Tests;

/// <summary>Which pages become help, the about_ text layout, the problems reported, and the command line.</summary>
public sealed class HelpGeneratorTests
{
    private const string About = "# about_Thing\n\n## SHORT DESCRIPTION\nExplains things.\n\n## LONG DESCRIPTION\nThe `\"*\"` principal and kms:ReEncrypt*.\n\n### Pipeline input\nThese work:\n\n```powershell\n'ami-1' | Get-Thing   # `*` stays\n```\n\n- one\n  - nested\n\n| Sid | Principal |\n|---|---|\n| A | `\"*\"` |\n";

    [Fact]
    public void Generate_AboutPage_WritesTopicSectionsSubsectionsCodeListsAndTables()
    {
        HelpOutput output = TestDocs.Generate(("Get-Thing.md", TestDocs.CommandPage()), ("about_Thing.md", About));
        Assert.Empty(output.Diagnostics);
        Assert.Equal(
            "TOPIC\n    about_Thing\n\nSHORT DESCRIPTION\n\n    Explains things.\n\nLONG DESCRIPTION\n\n    The \"*\" principal and kms:ReEncrypt*.\n\n  Pipeline input\n  --------------\n\n    These work:\n\n        'ami-1' | Get-Thing   # `*` stays\n\n    - one\n      - nested\n\n    Sid  Principal\n    ---  ---------\n    A    \"*\"\n",
            output.Files["about_Thing.help.txt"]);
    }

    [Fact]
    public void Generate_AboutProse_IsWrappedTo79Columns()
    {
        string prose = string.Join(" ", Enumerable.Repeat("AmiShare shares `\"Principal\": \"*\"` AMIs", 30));
        HelpOutput output = TestDocs.Generate(("Get-Thing.md", TestDocs.CommandPage()), ("about_Thing.md", "# about_Thing\n\n## LONG DESCRIPTION\n" + prose + "\n"));
        string[] lines = output.Files["about_Thing.help.txt"].Split('\n');
        Assert.True(lines.Length > 10);
        Assert.All(lines, l => Assert.True(l.Length <= MamlWriter.ConsoleWidth, $"'{l}' is longer than {MamlWriter.ConsoleWidth}"));
        Assert.Equal(30, output.Files["about_Thing.help.txt"].Split("\"Principal\": \"*\"").Length - 1);
    }

    [Fact]
    public void Generate_PagesWithoutExternalHelpFile_AreNotCmdletHelp()
    {
        HelpOutput output = TestDocs.Generate(("Get-Thing.md", TestDocs.CommandPage()), ("recipe.md", "# A recipe\n\n## Steps\nDo it.\n"));
        Assert.Empty(output.Diagnostics);
        Assert.Equal(new[] { HelpGenerator.DefaultHelpFileName }, output.Files.Keys);
        Assert.DoesNotContain("A recipe", output.Files[HelpGenerator.DefaultHelpFileName]);
    }

    [Fact]
    public void Generate_WrongExternalHelpFile_IsReportedWithTheFix()
    {
        HelpOutput output = TestDocs.Generate(("Get-Thing.md", TestDocs.CommandPage()), ("Set-Thing.md", TestDocs.CommandPage(name: "Set-Thing", helpFile: "Thing.dll-Help.xml")));
        Diagnostic d = Assert.Single(output.Diagnostics);
        Assert.Equal("HELPGEN001", d.Code);
        Assert.EndsWith("Set-Thing.md", d.File);
        Assert.Contains("'external help file: Thing.dll-Help.xml'", d.Message);
        Assert.Contains("write 'external help file: AmiShare.dll-Help.xml'", d.Message);
    }

    [Fact]
    public void Generate_ParameterWithoutYaml_IsReportedAtItsHeadingLine()
    {
        string page = TestDocs.CommandPage(parameters: "### -Id\nThe id, with no yaml block.\n");
        HelpOutput output = TestDocs.Generate(("Get-Thing.md", page));
        Diagnostic d = Assert.Single(output.Diagnostics);
        Assert.Equal("HELPGEN002", d.Code);
        Assert.Equal(page.Split('\n').ToList().IndexOf("### -Id") + 1, d.Line);
        Assert.Contains("-Id has no ```yaml block", d.Message);
        Assert.Matches(@"Get-Thing\.md\(\d+\): error HELPGEN002: ", d.ToString());
    }

    [Fact]
    public void Generate_ExampleWithoutCode_AndMissingSynopsis_AreReported()
    {
        string page = TestDocs.CommandPage(examples: "### Example 1: Words only\nNo code here.\n").Replace("## SYNOPSIS\nDoes a thing.\n", "## SYNOPSIS\n");
        HelpOutput output = TestDocs.Generate(("Get-Thing.md", page));
        Assert.Equal(2, output.Diagnostics.Count);
        Assert.Contains(output.Diagnostics, d => d.Message.Contains("the SYNOPSIS section is missing or empty"));
        Assert.Contains(output.Diagnostics, d => d.Message.Contains("example 'Example 1: Words only' has no fenced code block"));
    }

    [Fact]
    public void Generate_HeadingsInsideFencedCode_AreCodeNotSections()
    {
        string examples = "### Example 1: A here-string\n```powershell\nPS> @'\n## PARAMETERS\n### -Bogus\n'@\n```\n\nMarkdown headings inside code.\n";
        HelpOutput output = TestDocs.Generate(("Get-Thing.md", TestDocs.CommandPage(examples: examples)));
        var command = TestDocs.Command1(output);
        Assert.Equal("PS> @'\n## PARAMETERS\n### -Bogus\n'@", command.Element(TestDocs.Command + "examples")!.Element(TestDocs.Command + "example")!.Element(TestDocs.Dev + "code")!.Value);
        Assert.Equal(new[] { "Id" }, command.Element(TestDocs.Command + "parameters")!.Elements().Select(p => p.Element(TestDocs.Maml + "name")!.Value));
    }

    [Fact]
    public void Generate_AboutTitleThatIsNotTheFileName_IsReported()
    {
        HelpOutput output = TestDocs.Generate(("Get-Thing.md", TestDocs.CommandPage()), ("about_Thing.md", "# about_Other\n\n## SHORT DESCRIPTION\nX.\n"));
        Diagnostic d = Assert.Single(output.Diagnostics);
        Assert.Equal("HELPGEN005", d.Code);
        Assert.Contains("write '# about_Thing'", d.Message);
    }

    [Fact]
    public void Generate_NoCmdletPage_IsReported()
    {
        HelpOutput output = TestDocs.Generate(("about_Thing.md", About));
        Assert.Equal("HELPGEN003", Assert.Single(output.Diagnostics).Code);
    }

    [Fact]
    public void Main_WritesTheHelpFiles_AndReturnsZero()
    {
        string root = Path.Combine(Path.GetTempPath(), "amishare-helpgen-" + Guid.NewGuid().ToString("N"));
        string docs = Path.Combine(root, "docs");
        string output = Path.Combine(root, "out", "en-US");
        Directory.CreateDirectory(docs);
        try
        {
            File.WriteAllText(Path.Combine(docs, "Get-Thing.md"), TestDocs.CommandPage());
            File.WriteAllText(Path.Combine(docs, "about_Thing.md"), About);
            Assert.Equal(0, Program.Main(new[] { "--docs", docs, "--out", output }));
            Assert.Contains("<command:name>Get-Thing</command:name>", File.ReadAllText(Path.Combine(output, "AmiShare.dll-Help.xml")));
            Assert.StartsWith("TOPIC\n    about_Thing\n", File.ReadAllText(Path.Combine(output, "about_Thing.help.txt")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Main_BadDocsOrArguments_ReturnNonZeroAndWriteNothing()
    {
        string root = Path.Combine(Path.GetTempPath(), "amishare-helpgen-" + Guid.NewGuid().ToString("N"));
        string docs = Path.Combine(root, "docs");
        string output = Path.Combine(root, "out");
        Directory.CreateDirectory(docs);
        try
        {
            File.WriteAllText(Path.Combine(docs, "Get-Thing.md"), TestDocs.CommandPage(parameters: "### -Id\nNo yaml.\n"));
            Assert.Equal(1, Program.Main(new[] { "--docs", docs, "--out", output }));
            Assert.False(Directory.Exists(output));
            Assert.Equal(2, Program.Main(new[] { "--docs", docs }));
            Assert.Equal(2, Program.Main(new[] { "--docs", Path.Combine(root, "missing"), "--out", output }));
            Assert.Equal(2, Program.Main(new[] { "--bogus", "x" }));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
