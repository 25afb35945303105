using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using AmiShare.Engine;
using AmiShare.Engine.Manifests;

namespace AmiShare.Commands
{
    /// <summary>
    /// Reads a launch-permission manifest file into the engine's neutral <see cref="ManifestDocument"/>: a .psd1 with PowerShell's
    /// own parser as data only (Parser.ParseFile, then HashtableAst.SafeGetValue: nothing in the file is run), a .json through the
    /// engine. Any other extension, a missing file, a syntax error or a file that is not plain data is an InvalidManifest error.
    /// </summary>
    internal static class ManifestFile
    {
        /// <summary>Reads <paramref name="fullPath"/>; <paramref name="shownPath"/> (the path as the user gave it) is named in errors.</summary>
        public static ManifestDocument Read(string shownPath, string fullPath)
        {
            if (!File.Exists(fullPath))
            {
                throw Invalid(shownPath, $"The manifest file '{shownPath}' does not exist ({fullPath}).", "Give the path of an existing .psd1 or .json manifest.");
            }

            string extension = Path.GetExtension(fullPath);
            if (string.Equals(extension, ".json", StringComparison.OrdinalIgnoreCase))
            {
                string text;
                try
                {
                    text = File.ReadAllText(fullPath);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw Invalid(shownPath, $"The manifest file '{shownPath}' could not be read: {e.Message}", "Give the path of a readable .psd1 or .json file.");
                }

                return ManifestJson.Parse(shownPath, text);
            }

            if (!string.Equals(extension, ".psd1", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid(shownPath, $"The manifest file '{shownPath}' is neither .psd1 nor .json.", "Save the manifest as a .psd1 (PowerShell data) or .json file.");
            }

            return ReadPsd1(shownPath, fullPath);
        }

        private static ManifestDocument ReadPsd1(string shownPath, string fullPath)
        {
            ScriptBlockAst ast = Parser.ParseFile(fullPath, out Token[] _, out ParseError[] errors);
            if (errors.Length > 0)
            {
                ParseError first = errors[0];
                throw Invalid(shownPath, $"{shownPath} is not valid PowerShell data (line {first.Extent.StartLineNumber}, column {first.Extent.StartColumnNumber}): {first.Message}", ManifestRules.FormatRemedy);
            }

            var statements = ast.EndBlock?.Statements ?? (IReadOnlyList<StatementAst>)Array.Empty<StatementAst>();
            HashtableAst table = statements.Count == 1 && ast.BeginBlock == null && ast.ProcessBlock == null && ast.ParamBlock == null
                ? statements[0].Find(a => a is HashtableAst, false) as HashtableAst
                : null;
            if (table == null || !(statements[0] is PipelineAst pipeline) || pipeline.PipelineElements.Count != 1
                || !(pipeline.PipelineElements[0] is CommandExpressionAst expression) || expression.Expression != table)
            {
                throw Invalid(shownPath, $"{shownPath} must hold one hashtable, @{{ Images = @( … ) }}, and nothing else.", ManifestRules.FormatRemedy);
            }

            // SafeGetValue hands a script block literal back unrun; a manifest has no use for one, so it is refused as code.
            if (table.Find(a => a is ScriptBlockExpressionAst, true) is Ast block)
            {
                string text = block.Extent.Text.Length > 60 ? block.Extent.Text.Substring(0, 57) + "..." : block.Extent.Text;
                throw Invalid(shownPath, $"{shownPath} holds something other than data (only text, numbers, $true, $false, @() and @{{}} are read; nothing is run): " +
                    $"a script block at line {block.Extent.StartLineNumber}, {text}", ManifestRules.FormatRemedy);
            }

            object value;
            try
            {
                value = table.SafeGetValue();
            }
            catch (InvalidOperationException e)
            {
                throw Invalid(shownPath, $"{shownPath} holds something other than data (only text, numbers, $true, $false, @() and @{{}} are read; nothing is run): {e.Message}", ManifestRules.FormatRemedy);
            }

            return new ManifestDocument(shownPath, (IDictionary<string, object>)Neutral(value));
        }

        /// <summary>Hashtables become the engine's tables, arrays lists; scalars stay.</summary>
        private static object Neutral(object value)
        {
            switch (value)
            {
                case IDictionary table:
                    IDictionary<string, object> result = ManifestDocument.NewTable();
                    foreach (DictionaryEntry e in table)
                    {
                        result[Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture)] = Neutral(e.Value);
                    }

                    return result;
                case string text:
                    return text;
                case IEnumerable list:
                    return list.Cast<object>().Select(Neutral).ToList();
                default:
                    return value;
            }
        }

        private static AmiShareException Invalid(string path, string message, string remedy) =>
            new AmiShareException(ErrorIds.InvalidManifest, AmiShareErrorKind.InvalidArgument, message, path, remedy);
    }
}
