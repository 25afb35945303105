using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace AmiShare.HelpGen;

/// <summary>
/// The help of one cmdlet read from its platyPS page:
/// <code>
/// # Verb-Noun
/// ## SYNOPSIS / ## SYNTAX / ## DESCRIPTION
/// ## EXAMPLES      ### &lt;title&gt;, a code block, then remarks
/// ## PARAMETERS    ### -Name, a description, then a ```yaml block (Type, Parameter Sets, Aliases,
///                  Required, Position, Default value, Accept pipeline input, Accept wildcard characters);
///                  ### CommonParameters is PowerShell's own and is skipped
/// ## INPUTS / ## OUTPUTS   ### &lt;type name&gt;, a description
/// ## NOTES
/// ## RELATED LINKS  [text](target) links
/// </code>
/// The SYNTAX section is not read: PowerShell shows the syntax built from the parameters.
/// </summary>
public sealed class CommandHelp
{
    private CommandHelp(MarkdownPage page, string name)
    {
        Page = page;
        Name = name;
    }

    /// <summary>Gets the page the help was read from.</summary>
    public MarkdownPage Page { get; }

    /// <summary>Gets the cmdlet name (Verb-Noun) from the "# " heading.</summary>
    public string Name { get; }

    /// <summary>Gets the blocks of the SYNOPSIS section.</summary>
    public List<Block> Synopsis { get; private set; } = new();

    /// <summary>Gets the blocks of the DESCRIPTION section.</summary>
    public List<Block> Description { get; private set; } = new();

    /// <summary>Gets the documented parameters, in page order.</summary>
    public List<ParameterHelp> Parameters { get; } = new();

    /// <summary>Gets the examples, in page order.</summary>
    public List<ExampleHelp> Examples { get; } = new();

    /// <summary>Gets the INPUTS subsections (title = type name).</summary>
    public List<PageSection> Inputs { get; private set; } = new();

    /// <summary>Gets the OUTPUTS subsections (title = type name).</summary>
    public List<PageSection> Outputs { get; private set; } = new();

    /// <summary>Gets the blocks of the NOTES section.</summary>
    public List<Block> Notes { get; private set; } = new();

    /// <summary>Gets the RELATED LINKS as (text, target) pairs; the target may be a relative .md page.</summary>
    public List<(string Text, string Target)> Links { get; } = new();

    /// <summary>Reads the cmdlet help from a page, adding a diagnostic for each missing or malformed part.</summary>
    public static CommandHelp? Read(MarkdownPage page, List<Diagnostic> diagnostics)
    {
        void Error(int line, string message) => diagnostics.Add(new Diagnostic(page.Path, line, "HELPGEN002", message));

        if (string.IsNullOrWhiteSpace(page.Title) || page.Title.IndexOf('-') <= 0 || page.Title.Contains(' '))
        {
            Error(page.TitleLine, $"the first '# ' heading must be the cmdlet name (Verb-Noun), not '{page.Title}'.");
            return null;
        }

        var help = new CommandHelp(page, page.Title);
        help.Synopsis = page.Section("SYNOPSIS")?.Blocks ?? new List<Block>();
        help.Description = page.Section("DESCRIPTION")?.Blocks ?? new List<Block>();
        if (help.Synopsis.Count == 0)
        {
            Error(page.TitleLine, $"{help.Name}: the SYNOPSIS section is missing or empty; add '## SYNOPSIS' with one sentence.");
        }

        if (help.Description.Count == 0)
        {
            Error(page.TitleLine, $"{help.Name}: the DESCRIPTION section is missing or empty; add '## DESCRIPTION'.");
        }

        PageSection? examples = page.Section("EXAMPLES");
        if (examples == null || examples.Subsections.Count == 0)
        {
            Error(examples?.Line ?? page.TitleLine, $"{help.Name}: EXAMPLES needs at least one '### Example' with a code block.");
        }

        foreach (PageSection example in examples?.Subsections ?? new List<PageSection>())
        {
            var code = example.Blocks.OfType<FencedCodeBlock>().Select(b => string.Join("\n", PlainText.CodeLines(b))).ToList();
            if (code.Count == 0)
            {
                Error(example.Line, $"{help.Name}: example '{example.Title}' has no fenced code block.");
            }

            help.Examples.Add(new ExampleHelp(example.Title, code, example.Blocks.Where(b => b is not FencedCodeBlock).ToList(), example.Line));
        }

        foreach (PageSection sub in page.Section("PARAMETERS")?.Subsections ?? new List<PageSection>())
        {
            if (!sub.Title.StartsWith('-'))
            {
                if (!string.Equals(sub.Title, "CommonParameters", StringComparison.OrdinalIgnoreCase))
                {
                    Error(sub.Line, $"{help.Name}: parameter heading '### {sub.Title}' must be '### -<Name>' (or '### CommonParameters').");
                }

                continue;
            }

            var parameter = new ParameterHelp(sub.Title[1..].Trim(), sub.Line);
            FencedCodeBlock? yaml = sub.Blocks.OfType<FencedCodeBlock>().FirstOrDefault(b => string.Equals(b.Info, "yaml", StringComparison.OrdinalIgnoreCase));
            if (yaml == null)
            {
                Error(sub.Line, $"{help.Name}: parameter -{parameter.Name} has no ```yaml block (Type, Required, Position, ...).");
            }
            else
            {
                foreach (string line in PlainText.CodeLines(yaml))
                {
                    int colon = line.IndexOf(':');
                    if (colon > 0)
                    {
                        parameter.Metadata[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                    }
                }
            }

            parameter.Description.AddRange(sub.Blocks.Where(b => b != yaml));
            if (parameter.Description.Count == 0)
            {
                Error(sub.Line, $"{help.Name}: parameter -{parameter.Name} has no description; write one above its yaml block.");
            }

            help.Parameters.Add(parameter);
        }

        help.Inputs = page.Section("INPUTS")?.Subsections ?? new List<PageSection>();
        help.Outputs = page.Section("OUTPUTS")?.Subsections ?? new List<PageSection>();
        help.Notes = page.Section("NOTES")?.Blocks ?? new List<Block>();
        foreach (Block block in page.Section("RELATED LINKS")?.Blocks ?? new List<Block>())
        {
            foreach (LinkInline link in LinksIn(block))
            {
                help.Links.Add((PlainText.Inline(link).Trim(), link.Url ?? string.Empty));
            }
        }

        return help;
    }

    /// <summary>The links (not images) in a block's inline text, also inside lists, in order.</summary>
    private static IEnumerable<LinkInline> LinksIn(Block block)
    {
        static IEnumerable<LinkInline> InInline(Inline inline)
        {
            if (inline is LinkInline { IsImage: false } link)
            {
                yield return link;
            }
            else if (inline is ContainerInline container)
            {
                foreach (Inline child in container)
                {
                    foreach (LinkInline found in InInline(child))
                    {
                        yield return found;
                    }
                }
            }
        }

        if (block is LeafBlock { Inline: not null } leaf)
        {
            return InInline(leaf.Inline);
        }

        return block is ContainerBlock children ? children.SelectMany(LinksIn) : Enumerable.Empty<LinkInline>();
    }
}

/// <summary>One "### -Name" parameter: its description blocks and the keys of its yaml block.</summary>
public sealed class ParameterHelp
{
    /// <summary>Creates a parameter.</summary>
    public ParameterHelp(string name, int line)
    {
        Name = name;
        Line = line;
    }

    /// <summary>Gets the parameter name without the dash.</summary>
    public string Name { get; }

    /// <summary>Gets the 1-based line of the heading.</summary>
    public int Line { get; }

    /// <summary>Gets the description blocks (everything under the heading but the yaml block).</summary>
    public List<Block> Description { get; } = new();

    /// <summary>Gets the yaml keys (Type, Parameter Sets, Aliases, Required, Position, ...).</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A yaml value, or <paramref name="fallback"/> when it is missing or empty.</summary>
    public string Get(string key, string fallback) =>
        Metadata.TryGetValue(key, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : fallback;

    /// <summary>Gets the parameter type as written (Object when missing).</summary>
    public string Type => Get("Type", "Object");

    /// <summary>Gets whether the parameter is a switch.</summary>
    public bool IsSwitch =>
        Type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase)
        || Type.Equals("System.Management.Automation.SwitchParameter", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets the parameter sets the parameter belongs to; "(All)" means every set.</summary>
    public List<string> Sets =>
        Get("Parameter Sets", "(All)").Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
}

/// <summary>One "### " example: its title, its code blocks (verbatim), and the other blocks as remarks.</summary>
public sealed record ExampleHelp(string Title, List<string> Code, List<Block> Remarks, int Line);
