using System.Text;
using Markdig.Syntax;

namespace AmiShare.HelpGen;

/// <summary>
/// Writes an about_ topic page as the plain text Get-Help about_* prints as is:
/// <code>
/// TOPIC
///     about_Name
///
/// SECTION TITLE          (each "## ", upper case)
///
///     Prose wrapped to 79 columns at indent 4; lists, tables; code at indent 8.
///
///   Subsection           (each "### ", underlined)
///   ----------
/// </code>
/// </summary>
public static class AboutTopicWriter
{
    private const int Indent = 4;
    private const int CodeIndent = 8;

    /// <summary>The help text of an about_ page; the topic is its "# " title (or the given fallback).</summary>
    public static string Write(MarkdownPage page, string fallbackTopic)
    {
        string topic = string.IsNullOrWhiteSpace(page.Title) ? fallbackTopic : page.Title;
        var o = new StringBuilder();
        o.Append("TOPIC\n    ").Append(topic).Append('\n');
        foreach (PageSection section in page.Sections)
        {
            o.Append('\n').Append(section.Title.ToUpperInvariant()).Append('\n');
            AppendBlocks(o, section.Blocks);
            foreach (PageSection sub in section.Subsections)
            {
                o.Append("\n  ").Append(sub.Title).Append("\n  ").Append(new string('-', sub.Title.Length)).Append('\n');
                AppendBlocks(o, sub.Blocks);
            }
        }

        return o.ToString();
    }

    private static void AppendBlocks(StringBuilder o, IEnumerable<Block> blocks)
    {
        foreach (TextChunk chunk in PlainText.Chunks(blocks, MamlWriter.ConsoleWidth - Indent))
        {
            string indent = new(' ', chunk.Verbatim ? CodeIndent : Indent);
            o.Append('\n');
            foreach (string line in chunk.Lines)
            {
                o.Append(line.Length == 0 ? string.Empty : indent + line).Append('\n');
            }
        }
    }
}
