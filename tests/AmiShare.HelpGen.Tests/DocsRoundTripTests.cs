using System.Xml.Linq;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using static AmiShare.HelpGen.Tests.TestDocs;

namespace AmiShare.HelpGen.Tests;

/// <summary>
/// Every page in docs/ against the help generated from it: both are parsed (the Markdown with Markdig,
/// the MAML as XML), and every example's code and every code span of each part must come out verbatim
/// in the matching MAML element (or the about_ text).
/// </summary>
public sealed class DocsRoundTripTests
{
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePipeTables().Build();
    private static readonly Lazy<HelpOutput> s_output = new(() => HelpGenerator.Generate(RepoDocs));

    private static readonly string[] s_knownSections = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

    public static TheoryData<string> CommandPages()
    {
        var data = new TheoryData<string>();
        foreach (string file in CommandPageFiles())
        {
            data.Add(file);
        }

        return data;
    }

    /// <summary>The docs pages whose front matter names an external help file: the cmdlet pages.</summary>
    private static List<string> CommandPageFiles() =>
        Directory.GetFiles(RepoDocs, "*.md").OrderBy(p => p, StringComparer.Ordinal)
            .Where(path => Markdown.Parse(File.ReadAllText(path), s_pipeline).OfType<YamlFrontMatterBlock>().Any(y => y.Lines.ToString().Contains("external help file:")))
            .Select(Path.GetFileName).ToList()!;

    public static TheoryData<string> AboutPages()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(RepoDocs, "about_*.md").OrderBy(p => p, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Fact]
    public void Generate_RepositoryDocs_HasNoProblems_AndCoversEveryCmdletPage()
    {
        Assert.True(s_output.Value.Diagnostics.Count == 0, string.Join("\n", s_output.Value.Diagnostics));
        XDocument maml = XDocument.Parse(s_output.Value.Files[HelpGenerator.DefaultHelpFileName]);
        var names = maml.Root!.Elements(Command + "command").Select(c => c.Element(Command + "details")!.Element(Command + "name")!.Value).ToList();
        Assert.Equal(CommandPageFiles().Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, StringComparer.OrdinalIgnoreCase), names);
        Assert.True(names.Count >= 7, "expected the seven AmiShare cmdlets, found " + string.Join(", ", names));
    }

    [Theory]
    [MemberData(nameof(CommandPages))]
    public void Maml_Examples_HaveTheDocsTitlesAndCodeVerbatim(string file)
    {
        List<Part> parts = Parts(file);
        XElement command = CommandOf(XDocument.Parse(s_output.Value.Files[HelpGenerator.DefaultHelpFileName]), Title(file));
        var docsExamples = parts.Where(p => p.Section == "EXAMPLES" && p.Sub != null).ToList();
        var mamlExamples = command.Element(Command + "examples")!.Elements(Command + "example").ToList();
        Assert.Equal(docsExamples.Count, mamlExamples.Count);
        Assert.NotEmpty(docsExamples);
        for (int i = 0; i < docsExamples.Count; i++)
        {
            string code = string.Join("\n\n", docsExamples[i].Blocks.OfType<FencedCodeBlock>().Select(Code));
            Assert.Equal(code, mamlExamples[i].Element(Dev + "code")!.Value);
            string title = string.Join(" ", mamlExamples[i].Element(Maml + "title")!.Value.Split(new[] { ' ', '\n' }, StringSplitOptions.RemoveEmptyEntries)).Trim('-', ' ');
            Assert.Equal(docsExamples[i].Sub, title);
        }
    }

    [Theory]
    [MemberData(nameof(CommandPages))]
    public void Maml_EveryCodeSpanAndCodeBlock_AppearsVerbatimInItsPart(string file)
    {
        XElement command = CommandOf(XDocument.Parse(s_output.Value.Files[HelpGenerator.DefaultHelpFileName]), Title(file));
        int checkedSpans = 0;
        foreach (Part part in Parts(file))
        {
            Assert.True(s_knownSections.Contains(part.Section), $"{file}: section '## {part.Section}' is not part of cmdlet help; Get-Help would not show it.");
            if (part.Section == "SYNTAX" || part.Section == "RELATED LINKS" || (part.Section == "PARAMETERS" && part.Sub == "CommonParameters"))
            {
                continue;
            }

            string text = MamlText(command, part, file);
            var expected = part.Blocks.SelectMany(CodeSpans).ToList();
            expected.AddRange(part.Blocks.OfType<FencedCodeBlock>()
                .Where(b => part.Section != "EXAMPLES" && !(part.Section == "PARAMETERS" && b.Info == "yaml"))
                .Select(Code));
            foreach (var group in expected.GroupBy(s => s))
            {
                int found = Occurrences(text, group.Key);
                Assert.True(found >= group.Count(), $"{file} {part}: '{group.Key}' appears {group.Count()} time(s) in the docs but {found} in the MAML:\n{text}");
                checkedSpans++;
            }
        }

        Assert.True(checkedSpans > 0, $"{file}: no code span was checked");
    }

    [Theory]
    [MemberData(nameof(CommandPages))]
    public void Maml_RelatedLinks_AreTheDocsLinks(string file)
    {
        XElement command = CommandOf(XDocument.Parse(s_output.Value.Files[HelpGenerator.DefaultHelpFileName]), Title(file));
        var docsLinks = Parts(file).Where(p => p.Section == "RELATED LINKS").SelectMany(p => p.Blocks).SelectMany(Inlines).OfType<LinkInline>()
            .Select(l => (string.Concat(l.Select(c => c.ToString())), l.Url!.StartsWith("http", StringComparison.Ordinal) ? l.Url : string.Empty)).ToList();
        var mamlLinks = command.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink")
            .Select(l => (l.Element(Maml + "linkText")!.Value, l.Element(Maml + "uri")!.Value)).Where(l => l.Item1 != "Online Version:").ToList();
        Assert.Equal(docsLinks, mamlLinks);
    }

    [Theory]
    [MemberData(nameof(AboutPages))]
    public void AboutText_EveryCodeSpanAndCodeBlock_AppearsVerbatim(string file)
    {
        string text = s_output.Value.Files[Path.GetFileNameWithoutExtension(file) + ".help.txt"];
        MarkdownDocument doc = Markdown.Parse(File.ReadAllText(Path.Combine(RepoDocs, file)), s_pipeline);
        var spans = doc.SelectMany(CodeSpans).ToList();
        Assert.NotEmpty(spans);
        foreach (var group in spans.GroupBy(s => s))
        {
            Assert.True(Occurrences(text, group.Key) >= group.Count(), $"{file}: code span '{group.Key}' is missing or changed");
        }

        var blocks = doc.OfType<FencedCodeBlock>().ToList();
        Assert.NotEmpty(blocks);
        foreach (FencedCodeBlock block in blocks)
        {
            // Code is shown at indent 8, line for line.
            string indented = string.Join("\n", Code(block).Split('\n').Select(l => l.Length == 0 ? l : "        " + l));
            Assert.Contains(indented, text);
        }
    }

    [Fact]
    public void Maml_GrantAmiLaunchPermission_KeepsTheKeyPolicyStars()
    {
        // The regression of issue 6: "Principal": "" and kms:ReEncrypt, in Get-Help.
        XElement command = CommandOf(XDocument.Parse(s_output.Value.Files[HelpGenerator.DefaultHelpFileName]), "Grant-AmiLaunchPermission");
        string includeKmsKey = string.Join("\n", Paras(Parameter(command, "IncludeKmsKey")));
        Assert.Equal(2, Occurrences(includeKmsKey, "(\"Principal\": \"*\" with"));
        Assert.DoesNotContain("\"Principal\": \"\"", command.ToString());
        string remarks = string.Join(" ", command.Descendants(Dev + "remarks").SelectMany(r => r.Elements(Maml + "para")).Select(p => p.Value.Replace('\n', ' ')));
        Assert.Contains("kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey*, kms:DescribeKey and kms:CreateGrant", remarks);
        Assert.Contains("ou-ab12-33333333/*.", remarks);
    }

    private sealed record Part(string Section, string? Sub, List<Block> Blocks)
    {
        public override string ToString() => Sub == null ? "## " + Section : $"## {Section} / ### {Sub}";
    }

    private static string Title(string file) => Path.GetFileNameWithoutExtension(file);

    /// <summary>The page cut at its "## " and "### " headings, parsed independently of the generator.</summary>
    private static List<Part> Parts(string file)
    {
        MarkdownDocument doc = Markdown.Parse(File.ReadAllText(Path.Combine(RepoDocs, file)), s_pipeline);
        var parts = new List<Part>();
        Part? current = null;
        string? section = null;
        foreach (Block block in doc)
        {
            if (block is HeadingBlock { Level: 2 } h2)
            {
                section = InlineText(h2.Inline);
                parts.Add(current = new Part(section, null, new List<Block>()));
            }
            else if (block is HeadingBlock { Level: 3 } h3 && section != null)
            {
                parts.Add(current = new Part(section, InlineText(h3.Inline), new List<Block>()));
            }
            else if (current != null)
            {
                current.Blocks.Add(block);
            }
        }

        return parts;
    }

    /// <summary>The text of the MAML element a docs part becomes.</summary>
    private static string MamlText(XElement command, Part part, string file)
    {
        IEnumerable<XElement> paras = (part.Section, part.Sub) switch
        {
            ("SYNOPSIS", null) => command.Element(Command + "details")!.Element(Maml + "description")!.Elements(Maml + "para"),
            ("DESCRIPTION", null) => command.Element(Maml + "description")!.Elements(Maml + "para"),
            ("NOTES", null) => command.Element(Maml + "alertSet")?.Descendants(Maml + "para") ?? Enumerable.Empty<XElement>(),
            ("EXAMPLES", string title) => command.Element(Command + "examples")!.Elements(Command + "example")
                .Single(e => string.Join(" ", e.Element(Maml + "title")!.Value.Split(new[] { ' ', '\n' }, StringSplitOptions.RemoveEmptyEntries)).Trim('-', ' ') == title)
                .Element(Dev + "remarks")!.Elements(Maml + "para"),
            ("PARAMETERS", string name) => Parameter(command, name.TrimStart('-')).Element(Maml + "description")!.Elements(Maml + "para"),
            ("INPUTS", string type) => TypeElement(command, "inputTypes", type).Element(Maml + "description")!.Elements(Maml + "para"),
            ("OUTPUTS", string type) => TypeElement(command, "returnValues", type).Element(Maml + "description")!.Elements(Maml + "para"),
            _ when part.Blocks.Count == 0 => Enumerable.Empty<XElement>(),
            _ => throw new Xunit.Sdk.XunitException($"{file}: {part} has content that cmdlet help has no place for."),
        };
        return string.Join("\n\n", paras.Select(p => p.Value));
    }

    private static XElement TypeElement(XElement command, string outer, string type) =>
        command.Element(Command + outer)!.Elements().Single(t => t.Element(Dev + "type")!.Element(Maml + "name")!.Value == type);

    private static string Code(FencedCodeBlock block) => block.Lines.ToString().TrimEnd('\n');

    private static IEnumerable<string> CodeSpans(Block block) => Inlines(block).OfType<CodeInline>().Select(c => c.Content);

    /// <summary>Every inline of a block, also inside lists, quotes and table cells.</summary>
    private static IEnumerable<Inline> Inlines(Block block)
    {
        static IEnumerable<Inline> Walk(Inline inline)
        {
            yield return inline;
            if (inline is ContainerInline container)
            {
                foreach (Inline child in container)
                {
                    foreach (Inline found in Walk(child))
                    {
                        yield return found;
                    }
                }
            }
        }

        return block switch
        {
            LeafBlock { Inline: not null } leaf => Walk(leaf.Inline),
            ContainerBlock container => container.SelectMany(Inlines),
            _ => Enumerable.Empty<Inline>(),
        };
    }

    private static string InlineText(ContainerInline? inline) => inline == null ? string.Empty : string.Concat(inline.Select(i => i.ToString())).Trim();

    private static int Occurrences(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
