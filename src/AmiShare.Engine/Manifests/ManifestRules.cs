using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Manifests
{
    /// <summary>
    /// The strict rules of a launch-permission manifest, pure (no AWS call): <see cref="Validate"/> checks the shape and every value
    /// and gives the entries; <see cref="Resolve"/> matches them against the caller's owned AMIs. Every problem found is listed in
    /// one InvalidManifest error naming the file, the entry and the value, before any AWS write.
    /// </summary>
    public static class ManifestRules
    {
        /// <summary>The remedy that shows the format.</summary>
        public const string FormatRemedy =
            "A manifest is @{ Images = @( @{ ImageId = 'ami-…'; Principals = @('111122223333') }, @{ Name = 'golden-*'; Principals = @(); Public = $false } ) } " +
            "(.psd1) or the same shape in JSON; see Get-Help Set-AmiLaunchPermission -Full.";

        private const int MaxListed = 10;
        private static readonly string[] s_entryKeys = { "ImageId", "Name", "Principals", "Public" };

        /// <summary>The entries of <paramref name="document"/>, each checked; throws InvalidManifest listing every problem.</summary>
        public static IReadOnlyList<ManifestEntry> Validate(ManifestDocument document)
        {
            if (document == null)
            {
                throw new ArgumentNullException(nameof(document));
            }

            string file = document.Path;
            var problems = new List<string>();
            foreach (string key in document.Root.Keys.Where(k => !string.Equals(k, "Images", StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"unknown top-level key '{key}' (the only key is Images)");
            }

            var entries = new List<ManifestEntry>();
            if (!document.Root.TryGetValue("Images", out object images) || !(images is IList list) || images is string)
            {
                problems.Add("Images is missing or is not a list of entries");
                throw Invalid(file, problems);
            }

            int number = 0;
            foreach (object item in list)
            {
                number++;
                if (!(item is IDictionary<string, object> entry))
                {
                    problems.Add($"entry {number} is not a table (@{{ … }} / {{ … }})");
                    continue;
                }

                ManifestEntry parsed = ValidateEntry(number, entry, problems);
                if (parsed != null)
                {
                    entries.Add(parsed);
                }
            }

            if (number == 0)
            {
                problems.Add("Images has no entry");
            }

            foreach (var twice in entries.Where(e => e.ImageId != null).GroupBy(e => e.ImageId, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                problems.Add($"{twice.Key} is named by {string.Join(" and ", twice.Select(e => "entry " + e.Number))}");
            }

            if (problems.Count > 0)
            {
                throw Invalid(file, problems);
            }

            return entries;
        }

        /// <summary>
        /// Which AMI each entry means: ids as given; name patterns matched (ignoring case, * and ?) against <paramref name="owned"/>.
        /// Throws InvalidManifest when a pattern matches nothing or an AMI is meant by two entries.
        /// </summary>
        public static IReadOnlyList<ManifestTarget> Resolve(string file, IReadOnlyList<ManifestEntry> entries, IReadOnlyList<ImageInfo> owned, string region)
        {
            var problems = new List<string>();
            var byImage = new Dictionary<string, ManifestEntry>(StringComparer.Ordinal);
            var targets = new List<ManifestTarget>();
            foreach (ManifestEntry entry in entries)
            {
                IEnumerable<string> ids;
                if (entry.ImageId != null)
                {
                    ids = new[] { entry.ImageId };
                }
                else
                {
                    Regex pattern = Wildcard(entry.Name);
                    List<string> matched = (owned ?? Array.Empty<ImageInfo>()).Where(i => i.Name != null && pattern.IsMatch(i.Name)).Select(i => i.ImageId).OrderBy(i => i, StringComparer.Ordinal).ToList();
                    if (matched.Count == 0)
                    {
                        problems.Add($"{entry.Label} matches none of the {owned?.Count ?? 0} AMIs the caller owns in {region}");
                    }

                    ids = matched;
                }

                foreach (string id in ids)
                {
                    if (byImage.TryGetValue(id, out ManifestEntry first))
                    {
                        problems.Add($"{id} is matched by {first.Label} and {entry.Label}");
                        continue;
                    }

                    byImage[id] = entry;
                    targets.Add(new ManifestTarget
                    {
                        ImageId = id,
                        Entry = entry,
                        Desired = new DesiredLaunchPermissions(
                            entry.Principals,
                            entry.Public,
                            $"{entry.Label} of {file}",
                            $"Add Public = $false to {entry.Label} of {file} to make it private, or Public = $true to keep it public."),
                    });
                }
            }

            if (problems.Count > 0)
            {
                throw Invalid(file, problems);
            }

            return targets;
        }

        /// <summary>InvalidManifest with one problem.</summary>
        internal static AmiShareException Invalid(string file, string message, string remedy) =>
            new AmiShareException(ErrorIds.InvalidManifest, AmiShareErrorKind.InvalidArgument, message, file, remedy);

        /// <summary>InvalidManifest listing <paramref name="problems"/> (at most ten named), each naming its entry and value.</summary>
        internal static AmiShareException Invalid(string file, IReadOnlyList<string> problems)
        {
            string listed = string.Join("; ", problems.Take(MaxListed));
            string more = problems.Count > MaxListed ? $"; and {problems.Count - MaxListed} more" : string.Empty;
            string count = problems.Count == 1 ? "a problem" : problems.Count.ToString(CultureInfo.InvariantCulture) + " problems";
            return Invalid(file, $"The manifest {file} has {count}: {listed}{more}. Nothing was changed.", "Correct the manifest and run the command again. " + FormatRemedy);
        }

        private static ManifestEntry ValidateEntry(int number, IDictionary<string, object> entry, List<string> problems)
        {
            string at = $"entry {number}";
            int before = problems.Count;
            foreach (string key in entry.Keys.Where(k => !s_entryKeys.Contains(k, StringComparer.OrdinalIgnoreCase)))
            {
                problems.Add($"{at}: unknown key '{key}' (keys: {string.Join(", ", s_entryKeys)})");
            }

            var result = new ManifestEntry { Number = number };
            bool hasId = entry.TryGetValue("ImageId", out object id);
            bool hasName = entry.TryGetValue("Name", out object name);
            if (hasId == hasName)
            {
                problems.Add($"{at}: give exactly one of ImageId and Name");
            }
            else if (hasId)
            {
                try
                {
                    result.ImageId = ImageIds.Normalize(id as string);
                }
                catch (AmiShareException)
                {
                    problems.Add($"{at}: ImageId '{id}' is not an AMI id (ami- and 8 or 17 hex digits)");
                }
            }
            else if (!(name is string pattern) || pattern.Trim().Length == 0)
            {
                problems.Add($"{at}: Name '{name}' is not a name or pattern (text, with * and ? as wildcards)");
            }
            else
            {
                result.Name = pattern.Trim();
            }

            string label = result.ImageId != null || result.Name != null ? result.Label : at;
            result.Principals = ValidatePrincipals(label, entry, problems);
            if (entry.TryGetValue("Public", out object isPublic))
            {
                if (isPublic is bool b)
                {
                    result.Public = b;
                }
                else
                {
                    problems.Add($"{label}: Public '{isPublic}' is not $true or $false (true/false in JSON)");
                }
            }

            return problems.Count == before ? result : null;
        }

        private static IReadOnlyList<Principal> ValidatePrincipals(string label, IDictionary<string, object> entry, List<string> problems)
        {
            if (!entry.TryGetValue("Principals", out object value))
            {
                problems.Add($"{label}: Principals is missing (give @() for no one but the owner)");
                return Array.Empty<Principal>();
            }

            IEnumerable<object> values = value is string || value == null ? new[] { value } : value is IList list ? list.Cast<object>() : new[] { value };
            var principals = new List<Principal>();
            foreach (object v in values)
            {
                if (!(v is string text))
                {
                    problems.Add($"{label}: Principals value '{v}' is not text (write account ids in quotes, e.g. '012345678901')");
                    continue;
                }

                if (string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase) || string.Equals(text.Trim(), "public", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{label}: Principals value '{text}' is not taken in a manifest: say Public = $true to keep or make the AMI public");
                    continue;
                }

                try
                {
                    principals.Add(PrincipalParser.Parse(text, false, true));
                }
                catch (AmiShareException)
                {
                    problems.Add($"{label}: Principals value '{text}' is not a 12-digit account id, an organization ARN (arn:aws:organizations::<account>:organization/o-…) " +
                                 "or an OU ARN (arn:aws:organizations::<account>:ou/o-…/ou-…)");
                }
            }

            return PrincipalSet.Distinct(principals);
        }

        private static Regex Wildcard(string pattern) =>
            new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
