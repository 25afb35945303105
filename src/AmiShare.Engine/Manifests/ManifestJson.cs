using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AmiShare.Engine.Manifests
{
    /// <summary>Reads a JSON launch-permission manifest into the neutral <see cref="ManifestDocument"/> (no validation of its meaning here).</summary>
    public static class ManifestJson
    {
        /// <summary>Reads and parses <paramref name="path"/>; throws InvalidManifest naming the file (and the line) when it is not valid JSON.</summary>
        public static ManifestDocument Read(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw ManifestRules.Invalid(path, $"The manifest file '{path}' could not be read: {e.Message}", "Give the path of a readable .psd1 or .json file.");
            }

            return Parse(path, text);
        }

        /// <summary>Parses JSON text read from <paramref name="path"/>.</summary>
        public static ManifestDocument Parse(string path, string text)
        {
            try
            {
                using (JsonDocument document = JsonDocument.Parse(text ?? string.Empty, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
                {
                    if (document.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        throw ManifestRules.Invalid(path, $"{path}: the manifest must be a JSON object with an Images array, not a {document.RootElement.ValueKind}.", ManifestRules.FormatRemedy);
                    }

                    return new ManifestDocument(path, (IDictionary<string, object>)Convert(path, document.RootElement, "the top level"));
                }
            }
            catch (JsonException e)
            {
                // The reader's own message ends with its 0-based "LineNumber: 0 | BytePositionInLine: 83."; the 1-based place is said first.
                string reason = Regex.Replace(e.Message, @"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$", string.Empty);
                throw ManifestRules.Invalid(path, $"{path} is not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}): {reason}", ManifestRules.FormatRemedy);
            }
        }

        private static object Convert(string path, JsonElement element, string where)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    IDictionary<string, object> table = ManifestDocument.NewTable();
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        if (table.ContainsKey(property.Name))
                        {
                            throw ManifestRules.Invalid(path, $"{path}: key '{property.Name}' appears twice in {where}.", "Give each key once.");
                        }

                        table[property.Name] = Convert(path, property.Value, $"'{property.Name}'");
                    }

                    return table;
                case JsonValueKind.Array:
                    var list = new List<object>();
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        list.Add(Convert(path, item, where));
                    }

                    return list;
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.Number:
                    // A number stays a number (an account id must be text: a number loses leading zeros).
                    return element.TryGetInt64(out long whole) ? (object)whole : element.GetDouble();
                default:
                    return null;
            }
        }
    }
}
