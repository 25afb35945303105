using System.Text;
using System.Xml;
using Markdig.Syntax;

namespace AmiShare.HelpGen;

/// <summary>
/// Writes cmdlet help as MAML (helpItems/command:command), the format Get-Help reads from
/// en-US/&lt;assembly&gt;.dll-Help.xml in PowerShell 5.1 and 7.
/// </summary>
/// <remarks>
/// Get-Help indents each text and breaks lines at the console width, in the middle of words. So
/// prose is wrapped here, at spaces and never inside a code span, to fit an 80-column console at the
/// indent Get-Help -Full uses for it: 4 for synopsis, description and example remarks, 8 for
/// parameter, input, output and note text. Example code is kept exactly as written.
/// </remarks>
public static class MamlWriter
{
    /// <summary>The longest line help text may make (one less than an 80-column console).</summary>
    public const int ConsoleWidth = 79;

    /// <summary>The width of text Get-Help shows at indent 4 (synopsis, description, example remarks).</summary>
    public const int SectionWidth = ConsoleWidth - 4;

    /// <summary>The width of text Get-Help shows at indent 8 (parameters, inputs, outputs, notes).</summary>
    public const int DetailWidth = ConsoleWidth - 8;

    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    /// <summary>The MAML document for these cmdlets, in the order given.</summary>
    public static string Write(IEnumerable<CommandHelp> commands)
    {
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n", Encoding = new UTF8Encoding(false) };
        var text = new StringBuilder();
        using (var stringWriter = new Utf8StringWriter(text))
        using (XmlWriter w = XmlWriter.Create(stringWriter, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("helpItems", "http://msh");
            w.WriteAttributeString("schema", "maml");
            foreach (CommandHelp command in commands)
            {
                WriteCommand(w, command);
            }

            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return text.Append('\n').ToString();
    }

    /// <summary>
    /// The title line of an example: the heading between dashes, as platyPS writes it, with as many
    /// dashes as fit the console; a title too long for dashes is wrapped at spaces instead.
    /// </summary>
    public static string ExampleTitle(string title)
    {
        int dashes = (SectionWidth - title.Length - 2) / 2;
        if (dashes < 2)
        {
            return string.Join("\n", PlainText.Wrap(new[] { new TextRun(title, false) }, SectionWidth, string.Empty, string.Empty));
        }

        string rule = new('-', Math.Min(dashes, 26));
        return rule + " " + title + " " + rule;
    }

    /// <summary>The paragraphs (maml:para texts) that the blocks become at the given width.</summary>
    public static List<string> Paragraphs(IEnumerable<Block> blocks, int width) =>
        PlainText.Chunks(blocks, width).Select(c => c.ToString()).Where(p => p.Trim().Length > 0).ToList();

    private static void WriteCommand(XmlWriter w, CommandHelp help)
    {
        string name = help.Name;
        int dash = name.IndexOf('-');
        w.WriteStartElement("command", "command", Command);
        w.WriteAttributeString("xmlns", "maml", null, Maml);
        w.WriteAttributeString("xmlns", "command", null, Command);
        w.WriteAttributeString("xmlns", "dev", null, Dev);
        w.WriteAttributeString("xmlns", "MSHelp", null, "http://msdn.microsoft.com/mshelp");

        w.WriteStartElement("details", Command);
        w.WriteElementString("name", Command, name);
        w.WriteElementString("verb", Command, name[..dash]);
        w.WriteElementString("noun", Command, name[(dash + 1)..]);
        WriteDescription(w, Paragraphs(help.Synopsis, SectionWidth));
        w.WriteEndElement();

        WriteDescription(w, Paragraphs(help.Description, SectionWidth));

        // One syntaxItem per parameter set; "(All)" belongs to every set.
        var sets = help.Parameters.SelectMany(p => p.Sets).Where(s => s != "(All)").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (sets.Count == 0)
        {
            sets.Add("(All)");
        }

        w.WriteStartElement("syntax", Command);
        foreach (string set in sets)
        {
            w.WriteStartElement("syntaxItem", Command);
            w.WriteElementString("name", Maml, name);
            foreach (ParameterHelp p in help.Parameters.Where(p => p.Sets.Contains("(All)") || p.Sets.Contains(set, StringComparer.OrdinalIgnoreCase)))
            {
                WriteParameter(w, p, inSyntax: true);
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();

        w.WriteStartElement("parameters", Command);
        foreach (ParameterHelp p in help.Parameters)
        {
            WriteParameter(w, p, inSyntax: false);
        }

        w.WriteEndElement();

        WriteTypes(w, help.Inputs, "inputTypes", "inputType");
        WriteTypes(w, help.Outputs, "returnValues", "returnValue");

        List<string> notes = Paragraphs(help.Notes, DetailWidth);
        if (notes.Count > 0)
        {
            w.WriteStartElement("alertSet", Maml);
            w.WriteStartElement("alert", Maml);
            foreach (string para in notes)
            {
                w.WriteElementString("para", Maml, para);
            }

            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteStartElement("examples", Command);
        foreach (ExampleHelp example in help.Examples)
        {
            w.WriteStartElement("example", Command);
            w.WriteElementString("title", Maml, ExampleTitle(example.Title));
            w.WriteElementString("code", Dev, string.Join("\n\n", example.Code));
            w.WriteStartElement("remarks", Dev);
            foreach (string para in Paragraphs(example.Remarks, SectionWidth))
            {
                w.WriteElementString("para", Maml, para);
            }

            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement();

        w.WriteStartElement("relatedLinks", Command);
        if (help.Page.FrontMatter.TryGetValue("online version", out string? online) && PlainText.IsWebAddress(online))
        {
            WriteLink(w, "Online Version:", online);
        }

        foreach ((string text, string target) in help.Links)
        {
            // A link to another docs page (Get-AmiLaunchPermission.md) has no address a console can use.
            WriteLink(w, text, PlainText.IsWebAddress(target) ? target : string.Empty);
        }

        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteLink(XmlWriter w, string text, string uri)
    {
        w.WriteStartElement("navigationLink", Maml);
        w.WriteElementString("linkText", Maml, text);
        w.WriteElementString("uri", Maml, uri);
        w.WriteEndElement();
    }

    private static void WriteDescription(XmlWriter w, IEnumerable<string> paragraphs)
    {
        w.WriteStartElement("description", Maml);
        foreach (string para in paragraphs)
        {
            w.WriteElementString("para", Maml, para);
        }

        w.WriteEndElement();
    }

    private static void WriteParameter(XmlWriter w, ParameterHelp p, bool inSyntax)
    {
        string position = p.Get("Position", "Named");
        string aliases = p.Get("Aliases", string.Empty);
        w.WriteStartElement("parameter", Command);
        w.WriteAttributeString("required", IsTrue(p.Get("Required", "False")) ? "true" : "false");
        w.WriteAttributeString("variableLength", p.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false");
        w.WriteAttributeString("globbing", IsTrue(p.Get("Accept wildcard characters", "False")) ? "true" : "false");
        w.WriteAttributeString("pipelineInput", p.Get("Accept pipeline input", "False"));
        w.WriteAttributeString("position", position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position);
        w.WriteAttributeString("aliases", aliases.Length == 0 ? "none" : aliases);
        w.WriteElementString("name", Maml, p.Name);
        WriteDescription(w, Paragraphs(p.Description, DetailWidth));
        if (!(inSyntax && p.IsSwitch))
        {
            w.WriteStartElement("parameterValue", Command);
            w.WriteAttributeString("required", p.IsSwitch ? "false" : "true");
            w.WriteAttributeString("variableLength", "false");
            w.WriteString(p.Type);
            w.WriteEndElement();
        }

        w.WriteStartElement("type", Dev);
        w.WriteElementString("name", Maml, p.Type);
        w.WriteElementString("uri", Maml, string.Empty);
        w.WriteEndElement();
        w.WriteElementString("defaultValue", Dev, p.Get("Default value", "None"));
        w.WriteEndElement();
    }

    private static bool IsTrue(string value) => value.StartsWith("True", StringComparison.OrdinalIgnoreCase);

    private static void WriteTypes(XmlWriter w, List<PageSection> types, string outer, string inner)
    {
        w.WriteStartElement(outer, Command);
        foreach (PageSection type in types)
        {
            w.WriteStartElement(inner, Command);
            w.WriteStartElement("type", Dev);
            w.WriteElementString("name", Maml, type.Title);
            w.WriteEndElement();
            WriteDescription(w, Paragraphs(type.Blocks, DetailWidth));
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter(StringBuilder text)
            : base(text)
        {
        }

        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
