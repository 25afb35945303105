using System.Text;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace AmiShare.HelpGen;

/// <summary>
/// A run of inline text. Verbatim runs (code spans, URLs, raw inline HTML such as &lt;key-arn&gt;)
/// are never broken across lines and never changed.
/// </summary>
public readonly record struct TextRun(string Text, bool Verbatim);

/// <summary>
/// Turns Markdig blocks into console text: inline Markdown becomes plain text (code spans verbatim,
/// emphasis markers dropped, links as their text plus the URL when it is a web address), prose is
/// wrapped to a width without breaking a code span, lists and tables are laid out, fenced code is
/// kept line for line.
/// </summary>
public static class PlainText
{
    private const string ForcedBreak = "\n";

    /// <summary>The plain text of inline Markdown, on one line (hard breaks become spaces).</summary>
    public static string Inline(ContainerInline? inline) =>
        string.Concat(Runs(inline).Select(r => r.Verbatim ? r.Text : r.Text.Replace('\n', ' ')));

    /// <summary>The children of an inline container as runs of plain text; code spans, URLs and raw HTML are verbatim.</summary>
    public static List<TextRun> Runs(ContainerInline? inline)
    {
        // The children of the container: for a link that is its text, without the URL.
        var runs = new List<TextRun>();
        foreach (Inline child in (IEnumerable<Inline>?)inline ?? Array.Empty<Inline>())
        {
            AddRuns(runs, child);
        }

        return runs;
    }

    private static void AddRuns(List<TextRun> runs, Inline inline)
    {
        switch (inline)
        {
            case LiteralInline literal:
                runs.Add(new TextRun(literal.Content.ToString(), false));
                break;
            case CodeInline code:
                runs.Add(new TextRun(code.Content, true));
                break;
            case AutolinkInline auto:
                runs.Add(new TextRun(auto.Url, true));
                break;
            case HtmlInline html:
                runs.Add(new TextRun(html.Tag, true));
                break;
            case HtmlEntityInline entity:
                runs.Add(new TextRun(entity.Transcoded.ToString(), false));
                break;
            case LineBreakInline lineBreak:
                runs.Add(new TextRun(lineBreak.IsHard ? ForcedBreak : " ", false));
                break;
            case LinkInline link:
                int start = runs.Count;
                foreach (Inline child in link)
                {
                    AddRuns(runs, child);
                }

                string text = string.Concat(runs.Skip(start).Select(r => r.Text));
                string url = link.Url ?? string.Empty;
                if (IsWebAddress(url) && !string.Equals(text.Trim(), url, StringComparison.Ordinal))
                {
                    runs.Add(new TextRun(" ", false));
                    runs.Add(new TextRun("(" + url + ")", true));
                }

                break;
            case ContainerInline container:
                // Emphasis, strong, and any other container: the children without the markers.
                foreach (Inline child in container)
                {
                    AddRuns(runs, child);
                }

                break;
            default:
                runs.Add(new TextRun(inline.ToString() ?? string.Empty, false));
                break;
        }
    }

    /// <summary>Whether a link target is an absolute http or https URL (worth printing in console help).</summary>
    public static bool IsWebAddress(string url) =>
        url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Wraps runs into lines of at most <paramref name="width"/> characters (prefix included), breaking
    /// only at spaces outside verbatim runs. A word longer than the width gets a line of its own.
    /// </summary>
    public static List<string> Wrap(IReadOnlyList<TextRun> runs, int width, string firstPrefix, string prefix)
    {
        var lines = new List<string>();
        var line = new StringBuilder(firstPrefix);
        bool empty = true;
        foreach (string word in Words(runs))
        {
            if (word == ForcedBreak)
            {
                lines.Add(line.ToString().TrimEnd());
                line.Clear().Append(prefix);
                empty = true;
                continue;
            }

            if (!empty && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear().Append(prefix);
                empty = true;
            }

            if (!empty)
            {
                line.Append(' ');
            }

            line.Append(word);
            empty = false;
        }

        lines.Add(line.ToString().TrimEnd());
        return lines;
    }

    /// <summary>
    /// The words of the runs: split at spaces (and tabs) of non-verbatim text; a verbatim run is glued
    /// to the text around it, so "(`Changed`" stays "(Changed". A hard line break is its own word "\n".
    /// </summary>
    public static List<string> Words(IReadOnlyList<TextRun> runs)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        void Flush()
        {
            if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        foreach (TextRun run in runs)
        {
            if (run.Verbatim)
            {
                word.Append(run.Text);
                continue;
            }

            foreach (char c in run.Text)
            {
                if (c == '\n')
                {
                    Flush();
                    words.Add(ForcedBreak);
                }
                else if (c == ' ' || c == '\t')
                {
                    Flush();
                }
                else
                {
                    word.Append(c);
                }
            }
        }

        Flush();
        return words;
    }

    /// <summary>
    /// Renders blocks as chunks of text: one chunk per paragraph, list, code block or table. Prose is
    /// wrapped to <paramref name="width"/>; code keeps its lines. Chunks are meant to be shown with a
    /// blank line between them.
    /// </summary>
    public static List<TextChunk> Chunks(IEnumerable<Block> blocks, int width)
    {
        var chunks = new List<TextChunk>();
        foreach (Block block in blocks)
        {
            switch (block)
            {
                case ParagraphBlock paragraph:
                    chunks.Add(new TextChunk(Wrap(Runs(paragraph.Inline), width, string.Empty, string.Empty), false));
                    break;
                case CodeBlock code:
                    // FencedCodeBlock is a CodeBlock; the lines come without the fence and its indent.
                    chunks.Add(new TextChunk(CodeLines(code), true));
                    break;
                case ListBlock list:
                    var lines = new List<string>();
                    AddList(lines, list, width, string.Empty);
                    chunks.Add(new TextChunk(lines, false));
                    break;
                case Table table:
                    chunks.Add(new TextChunk(TableLines(table, width), false));
                    break;
                case HeadingBlock heading:
                    chunks.Add(new TextChunk(Wrap(Runs(heading.Inline), width, string.Empty, string.Empty), false));
                    break;
                case QuoteBlock quote:
                    foreach (TextChunk inner in Chunks(quote, width - 2))
                    {
                        chunks.Add(new TextChunk(inner.Lines.Select(l => "  " + l).ToList(), inner.Verbatim));
                    }

                    break;
                case HtmlBlock html:
                    chunks.Add(new TextChunk(html.Lines.ToString().Split('\n').ToList(), true));
                    break;
                case ThematicBreakBlock:
                case LinkReferenceDefinitionGroup:
                case BlankLineBlock:
                    break;
                default:
                    throw new NotSupportedException($"line {block.Line + 1}: help cannot show a Markdown {block.GetType().Name}.");
            }
        }

        return chunks;
    }

    /// <summary>The lines of a fenced or indented code block, exactly as written.</summary>
    public static List<string> CodeLines(LeafBlock code)
    {
        var lines = new List<string>();
        foreach (var line in code.Lines.Lines.Take(code.Lines.Count))
        {
            lines.Add(line.Slice.ToString());
        }

        // Trailing blank lines of a block are not part of the code.
        while (lines.Count > 0 && lines[^1].Trim().Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static void AddList(List<string> lines, ListBlock list, int width, string indent)
    {
        int number = 1;
        if (list.IsOrdered && int.TryParse(list.OrderedStart, out int start))
        {
            number = start;
        }

        foreach (ListItemBlock item in list.OfType<ListItemBlock>())
        {
            string marker = list.IsOrdered ? number++ + (list.OrderedDelimiter == ')' ? ") " : ". ") : "- ";
            string hanging = indent + new string(' ', marker.Length);
            bool first = true;
            foreach (Block child in item)
            {
                if (!first && list.IsLoose)
                {
                    lines.Add(string.Empty);
                }

                string firstPrefix = first ? indent + marker : hanging;
                switch (child)
                {
                    case ParagraphBlock paragraph:
                        lines.AddRange(Wrap(Runs(paragraph.Inline), width, firstPrefix, hanging));
                        break;
                    case ListBlock nested:
                        if (first)
                        {
                            lines.Add((indent + marker).TrimEnd());
                        }

                        AddList(lines, nested, width, hanging);
                        break;
                    default:
                        List<TextChunk> inner = Chunks(new[] { child }, width - hanging.Length);
                        foreach (TextChunk chunk in inner)
                        {
                            for (int i = 0; i < chunk.Lines.Count; i++)
                            {
                                string l = chunk.Lines[i];
                                lines.Add(l.Length == 0 ? string.Empty : (first && i == 0 ? firstPrefix : hanging) + l);
                            }
                        }

                        break;
                }

                first = false;
            }

            if (first)
            {
                // An empty item still shows its marker.
                lines.Add((indent + marker).TrimEnd());
            }
        }
    }

    /// <summary>
    /// A table as text: aligned columns under a dashed rule when it fits the width; otherwise, for two
    /// columns with a short first one, the first cell as a hanging label; otherwise one block per row.
    /// </summary>
    public static List<string> TableLines(Table table, int width)
    {
        var rows = new List<List<List<TextRun>>>();
        foreach (TableRow row in table.OfType<TableRow>())
        {
            var cells = new List<List<TextRun>>();
            foreach (TableCell cell in row.OfType<TableCell>())
            {
                var runs = new List<TextRun>();
                foreach (ParagraphBlock p in cell.OfType<ParagraphBlock>())
                {
                    if (runs.Count > 0)
                    {
                        runs.Add(new TextRun(" ", false));
                    }

                    runs.AddRange(Runs(p.Inline));
                }

                cells.Add(runs);
            }

            rows.Add(cells);
        }

        var lines = new List<string>();
        if (rows.Count == 0)
        {
            return lines;
        }

        List<string[]> flat = rows.Select(r => r.Select(c => string.Join(" ", Words(c).Where(w => w != ForcedBreak))).ToArray()).ToList();
        int columns = flat.Max(r => r.Length);
        var widths = new int[columns];
        foreach (string[] r in flat)
        {
            for (int c = 0; c < r.Length; c++)
            {
                widths[c] = Math.Max(widths[c], r[c].Length);
            }
        }

        bool hasHeader = table.OfType<TableRow>().First().IsHeader;
        if (widths.Sum() + (2 * (columns - 1)) <= width)
        {
            for (int i = 0; i < flat.Count; i++)
            {
                var line = new StringBuilder();
                for (int c = 0; c < columns; c++)
                {
                    string cell = c < flat[i].Length ? flat[i][c] : string.Empty;
                    line.Append(c == columns - 1 ? cell : cell.PadRight(widths[c] + 2));
                }

                lines.Add(line.ToString().TrimEnd());
                if (i == 0 && hasHeader)
                {
                    lines.Add(string.Join("  ", widths.Select(w => new string('-', w))));
                }
            }

            return lines;
        }

        string[] header = hasHeader ? flat[0] : new string[columns];
        int firstRow = hasHeader ? 1 : 0;
        if (columns == 2 && widths[0] <= 30)
        {
            string pad = new(' ', widths[0] + 2);
            if (hasHeader)
            {
                lines.Add((header[0].PadRight(widths[0] + 2) + header[1]).TrimEnd());
                lines.Add(new string('-', widths[0]) + "  " + new string('-', Math.Max(header[1].Length, 1)));
            }

            for (int i = firstRow; i < rows.Count; i++)
            {
                List<TextRun> value = rows[i].Count > 1 ? rows[i][1] : new List<TextRun>();
                lines.AddRange(Wrap(value, width, flat[i][0].PadRight(widths[0] + 2), pad));
            }

            return lines;
        }

        for (int i = firstRow; i < rows.Count; i++)
        {
            if (i > firstRow)
            {
                lines.Add(string.Empty);
            }

            lines.AddRange(Wrap(rows[i][0], width, string.Empty, string.Empty));
            for (int c = 1; c < rows[i].Count; c++)
            {
                string label = (string.IsNullOrEmpty(header[c]) ? "Column " + (c + 1) : header[c]) + ": ";
                lines.AddRange(Wrap(rows[i][c], width, "    " + label, "    " + new string(' ', label.Length)));
            }
        }

        return lines;
    }
}

/// <summary>Lines of help text from one Markdown block; verbatim chunks are code and must not be re-wrapped.</summary>
public sealed record TextChunk(List<string> Lines, bool Verbatim)
{
    /// <summary>The lines joined with "\n".</summary>
    public override string ToString() => string.Join("\n", Lines);
}
