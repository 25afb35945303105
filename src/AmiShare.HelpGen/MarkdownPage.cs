using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace AmiShare.HelpGen;

/// <summary>
/// One docs page parsed by Markdig and cut at its headings: the front matter, the "# " title, and the
/// "## " sections with their "### " subsections. Headings inside fenced code are code, not headings.
/// </summary>
public sealed class MarkdownPage
{
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UsePipeTables()
        .Build();

    private MarkdownPage(string path)
    {
        Path = path;
    }

    /// <summary>Gets the file the page was read from (used in diagnostics).</summary>
    public string Path { get; }

    /// <summary>Gets the "key: value" lines of the YAML front matter (case-insensitive keys).</summary>
    public Dictionary<string, string> FrontMatter { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the plain text of the first level-1 heading, or null when the page has none.</summary>
    public string? Title { get; private set; }

    /// <summary>Gets the 1-based line of the title heading (0 when there is none).</summary>
    public int TitleLine { get; private set; }

    /// <summary>Gets the blocks before the first "## " heading (other than the front matter and title).</summary>
    public List<Block> Preamble { get; } = new();

    /// <summary>Gets the "## " sections in page order.</summary>
    public List<PageSection> Sections { get; } = new();

    /// <summary>Gets the Markdig pipeline the generator parses every page with (front matter, pipe tables).</summary>
    public static MarkdownPipeline Pipeline => s_pipeline;

    /// <summary>Reads and parses a file.</summary>
    public static MarkdownPage Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses Markdown text; <paramref name="path"/> only names the page in diagnostics.</summary>
    public static MarkdownPage Parse(string markdown, string path)
    {
        var page = new MarkdownPage(path);
        MarkdownDocument document = Markdown.Parse(markdown, s_pipeline);
        PageSection? section = null;
        PageSection? subsection = null;
        foreach (Block block in document)
        {
            switch (block)
            {
                case YamlFrontMatterBlock yaml:
                    foreach (string line in yaml.Lines.ToString().Split('\n'))
                    {
                        int colon = line.IndexOf(':');
                        if (colon > 0)
                        {
                            page.FrontMatter[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                        }
                    }

                    continue;
                case HeadingBlock { Level: 1 } h1 when page.Title == null:
                    page.Title = PlainText.Inline(h1.Inline).Trim();
                    page.TitleLine = h1.Line + 1;
                    continue;
                case HeadingBlock { Level: 2 } h2:
                    section = new PageSection(PlainText.Inline(h2.Inline).Trim(), h2.Line + 1);
                    subsection = null;
                    page.Sections.Add(section);
                    continue;
                case HeadingBlock { Level: 3 } h3 when section != null:
                    subsection = new PageSection(PlainText.Inline(h3.Inline).Trim(), h3.Line + 1);
                    section.Subsections.Add(subsection);
                    continue;
            }

            (subsection ?? section)?.Blocks.Add(block);
            if (section == null)
            {
                page.Preamble.Add(block);
            }
        }

        return page;
    }

    /// <summary>The first "## " section with this title (case-insensitive), or null.</summary>
    public PageSection? Section(string title) =>
        Sections.FirstOrDefault(s => string.Equals(s.Title, title, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A "## " or "### " heading and the blocks under it, up to the next heading of that level or higher.</summary>
public sealed class PageSection
{
    /// <summary>Creates a section.</summary>
    public PageSection(string title, int line)
    {
        Title = title;
        Line = line;
    }

    /// <summary>Gets the heading text, as plain text.</summary>
    public string Title { get; }

    /// <summary>Gets the 1-based line of the heading.</summary>
    public int Line { get; }

    /// <summary>Gets the blocks directly under the heading (before the first subsection).</summary>
    public List<Block> Blocks { get; } = new();

    /// <summary>Gets the "### " subsections (empty for a "### " section itself).</summary>
    public List<PageSection> Subsections { get; } = new();
}
