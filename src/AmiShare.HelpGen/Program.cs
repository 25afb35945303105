using System.Text;

namespace AmiShare.HelpGen;

/// <summary>
/// dotnet AmiShare.HelpGen.dll --docs &lt;docs folder&gt; --out &lt;en-US folder&gt; [--help-file AmiShare.dll-Help.xml]
/// </summary>
public static class Program
{
    private const string Usage = "usage: dotnet AmiShare.HelpGen.dll --docs <docs folder> --out <output folder> [--help-file AmiShare.dll-Help.xml]";

    /// <summary>Generates the help; exit code 0 on success, 1 when a docs page is wrong, 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        string? docs = null;
        string? output = null;
        string helpFile = HelpGenerator.DefaultHelpFileName;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--docs" when value != null:
                    docs = value;
                    i++;
                    break;
                case "--out" when value != null:
                    output = value;
                    i++;
                    break;
                case "--help-file" when value != null:
                    helpFile = value;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"AmiShare.HelpGen: error HELPGEN000: unknown or incomplete argument '{args[i]}'. {Usage}");
                    return 2;
            }
        }

        if (docs == null || output == null)
        {
            Console.Error.WriteLine($"AmiShare.HelpGen: error HELPGEN000: --docs and --out are required. {Usage}");
            return 2;
        }

        if (!Directory.Exists(docs))
        {
            Console.Error.WriteLine($"AmiShare.HelpGen: error HELPGEN000: the docs folder '{Path.GetFullPath(docs)}' does not exist; pass the folder that holds the <Verb-Noun>.md pages.");
            return 2;
        }

        // Full paths, so errors and messages name files without "./" segments.
        docs = Path.GetFullPath(docs);
        output = Path.GetFullPath(output);
        HelpOutput result = HelpGenerator.Generate(docs, helpFile);
        if (result.Diagnostics.Count > 0)
        {
            foreach (Diagnostic diagnostic in result.Diagnostics)
            {
                Console.Error.WriteLine(diagnostic);
            }

            return 1;
        }

        Directory.CreateDirectory(output);
        foreach ((string name, string text) in result.Files)
        {
            // Always written, even when unchanged: the build compares these files' times with the docs'.
            string path = Path.Combine(output, name);
            File.WriteAllText(path, text, new UTF8Encoding(false));
            Console.WriteLine($"AmiShare.HelpGen: {path}");
        }

        return 0;
    }
}
