using System.Xml.Linq;

namespace AmiShare.HelpGen.Tests;

/// <summary>Helpers: the repository's docs folder, temporary docs folders, and reading generated MAML.</summary>
internal static class TestDocs
{
    public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    /// <summary>docs/ of the repository (found above the test binaries by AmiShareModule.sln).</summary>
    public static string RepoDocs
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AmiShareModule.sln")))
                {
                    return Path.Combine(dir.FullName, "docs");
                }
            }

            throw new DirectoryNotFoundException("No AmiShareModule.sln above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A platyPS cmdlet page with one parameter and one example, with the parts a test replaces.</summary>
    public static string CommandPage(
        string name = "Get-Thing",
        string description = "Gets things.",
        string examples = "### Example 1: Get a thing\n```powershell\nPS> Get-Thing\n```\n\nGets one thing.\n",
        string parameters = "### -Id\nThe id.\n\n```yaml\nType: String\nParameter Sets: (All)\nAliases: Ids\n\nRequired: True\nPosition: 0\nDefault value: None\nAccept pipeline input: True (ByValue)\nAccept wildcard characters: False\n```\n",
        string extra = "",
        string helpFile = "AmiShare.dll-Help.xml") =>
        $"---\nexternal help file: {helpFile}\nModule Name: AmiShare\nonline version:\nschema: 2.0.0\n---\n\n# {name}\n\n## SYNOPSIS\nDoes a thing.\n\n## SYNTAX\n\n```\n{name} [-Id] <String>\n```\n\n## DESCRIPTION\n{description}\n\n## EXAMPLES\n\n{examples}\n## PARAMETERS\n\n{parameters}\n### CommonParameters\nThis cmdlet supports the common parameters.\n\n{extra}";

    /// <summary>Runs the generator on a temporary docs folder holding these pages.</summary>
    public static HelpOutput Generate(params (string FileName, string Markdown)[] pages)
    {
        string dir = Path.Combine(Path.GetTempPath(), "amishare-helpgen-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            foreach ((string file, string markdown) in pages)
            {
                File.WriteAllText(Path.Combine(dir, file), markdown);
            }

            return HelpGenerator.Generate(dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The command:command element of one cmdlet from a generated MAML file, failing on diagnostics.</summary>
    public static XElement Command1(HelpOutput output, string name = "Get-Thing")
    {
        Assert.True(output.Diagnostics.Count == 0, string.Join("\n", output.Diagnostics));
        return CommandOf(XDocument.Parse(output.Files[HelpGenerator.DefaultHelpFileName]), name);
    }

    public static XElement CommandOf(XDocument maml, string name) =>
        maml.Root!.Elements(Command + "command").Single(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == name);

    /// <summary>The maml:para texts directly under an element's maml:description.</summary>
    public static List<string> Paras(XElement? parent) =>
        parent?.Element(Maml + "description")?.Elements(Maml + "para").Select(p => p.Value).ToList() ?? new List<string>();

    public static XElement Parameter(XElement command, string name) =>
        command.Element(Command + "parameters")!.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == name);
}
