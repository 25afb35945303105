namespace AmiShare.HelpGen;

/// <summary>
/// Turns a docs folder into module help: every page whose front matter says
/// "external help file: &lt;HelpFileName&gt;" becomes a command in that MAML file, and every about_*.md
/// becomes about_*.help.txt. Other pages (the module page, recipes) are not help and are skipped.
/// </summary>
public static class HelpGenerator
{
    /// <summary>The MAML file name PowerShell looks for next to AmiShare.dll: &lt;assembly file name&gt;-Help.xml.</summary>
    public const string DefaultHelpFileName = "AmiShare.dll-Help.xml";

    /// <summary>Reads the docs folder and returns the files to write (name → content) and any problems.</summary>
    public static HelpOutput Generate(string docsDirectory, string helpFileName = DefaultHelpFileName)
    {
        var diagnostics = new List<Diagnostic>();
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var commands = new List<CommandHelp>();
        string[] pages = Directory.GetFiles(docsDirectory, "*.md").OrderBy(p => p, StringComparer.Ordinal).ToArray();
        foreach (string path in pages.Where(p => !IsAboutTopic(p)))
        {
            MarkdownPage page = MarkdownPage.Load(path);
            if (!page.FrontMatter.TryGetValue("external help file", out string? helpFile))
            {
                continue;
            }

            if (!string.Equals(helpFile, helpFileName, StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Add(new Diagnostic(path, 2, "HELPGEN001",
                    $"'external help file: {helpFile}' does not match '{helpFileName}'; PowerShell looks for cmdlet help in <assembly file name>-Help.xml, so write 'external help file: {helpFileName}'."));
                continue;
            }

            CommandHelp? command = CommandHelp.Read(page, diagnostics);
            if (command != null)
            {
                commands.Add(command);
            }
        }

        if (commands.Count == 0)
        {
            diagnostics.Add(new Diagnostic(docsDirectory, 0, "HELPGEN003",
                $"no cmdlet page with 'external help file: {helpFileName}' front matter was found in {docsDirectory}."));
        }

        var duplicates = commands.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1);
        foreach (var group in duplicates)
        {
            diagnostics.Add(new Diagnostic(group.Last().Page.Path, group.Last().Page.TitleLine, "HELPGEN004",
                $"{group.Key} is documented by more than one page ({string.Join(", ", group.Select(c => Path.GetFileName(c.Page.Path)))}); keep one."));
        }

        files[helpFileName] = MamlWriter.Write(commands.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase));
        foreach (string path in pages.Where(IsAboutTopic))
        {
            // Get-Help finds the topic by its file name, so the "# " title must say the same.
            MarkdownPage page = MarkdownPage.Load(path);
            string topic = Path.GetFileNameWithoutExtension(path);
            if (page.Title != null && !string.Equals(page.Title, topic, StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Add(new Diagnostic(path, page.TitleLine, "HELPGEN005",
                    $"the title '# {page.Title}' does not match the file name; Get-Help knows the topic as '{topic}', so write '# {topic}'."));
            }

            files[topic + ".help.txt"] = AboutTopicWriter.Write(page, topic);
        }

        return new HelpOutput(files, diagnostics);
    }

    /// <summary>Whether a docs file is an about_ topic (about_*.md).</summary>
    public static bool IsAboutTopic(string path) =>
        Path.GetFileName(path).StartsWith("about_", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The generated help files (file name → text) and the problems found in the docs.</summary>
public sealed record HelpOutput(IReadOnlyDictionary<string, string> Files, IReadOnlyList<Diagnostic> Diagnostics);
