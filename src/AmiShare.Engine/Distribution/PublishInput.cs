using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using AmiShare.Engine.Aws;

namespace AmiShare.Engine.Distribution
{
    /// <summary>Publish-Ami's input checks, made before any AWS call: each refusal names the bad value and the fix.</summary>
    public static class PublishInput
    {
        /// <summary>EC2's longest accepted deprecation time: 10 years from now.</summary>
        public static readonly TimeSpan MaxDeprecationDistance = TimeSpan.FromDays(3652);

        // SSM: letters, digits and _.-/ ; a path name starts with '/'; "aws" and "ssm" prefixes are reserved (PutParameter docs).
        private static readonly Regex s_ssmName = new Regex(@"^/?[a-zA-Z0-9_.\-]+(/[a-zA-Z0-9_.\-]+)*\z", RegexOptions.CultureInvariant);

        /// <summary>
        /// Normalizes <paramref name="request"/> in place (region names trimmed and lower-cased, key map keys as region names)
        /// and throws the first refusal: InvalidRegion, KmsKeyRegionNotInTargets, KmsKeyNotUsable (a key ARN of another region), InvalidTag, InvalidSsmParameterName,
        /// InvalidDeprecationTime.
        /// </summary>
        public static void Validate(PublishRequest request, DateTime utcNow)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            if (request.Regions == null || request.Regions.Count == 0)
            {
                throw new AmiShareException(
                    ErrorIds.InvalidRegion,
                    AmiShareErrorKind.InvalidArgument,
                    "Publish-Ami got no target region.",
                    null,
                    "Give the regions to publish to with -Region, e.g. -Region us-west-2,eu-west-1 (the source's own region may be one of them).");
            }

            var regions = new List<string>();
            foreach (string raw in request.Regions)
            {
                string region = SessionInput.ParseRegion(raw, "-Region");
                if (!regions.Contains(region))
                {
                    regions.Add(region);
                }
            }

            request.Regions = regions;
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, string> entry in request.KmsKeyIds ?? new Dictionary<string, string>())
            {
                string region = SessionInput.ParseRegion(entry.Key, "the -KmsKeyId table");
                if (!regions.Contains(region))
                {
                    throw new AmiShareException(
                        ErrorIds.KmsKeyRegionNotInTargets,
                        AmiShareErrorKind.InvalidArgument,
                        $"-KmsKeyId names region '{entry.Key}', which is not one of the target regions ({string.Join(", ", regions)}).",
                        entry.Key,
                        $"Add '{region}' to -Region, or remove it from the -KmsKeyId table (a key is regional: it can only encrypt copies in its own region).");
                }

                RefuseBlankKey(entry.Value, region);
                keys[region] = entry.Value.Trim();
            }

            request.KmsKeyIds = keys;
            if (request.KmsKeyId != null)
            {
                RefuseBlankKey(request.KmsKeyId, null);
                request.KmsKeyId = request.KmsKeyId.Trim();
            }

            foreach (string region in regions)
            {
                CheckKeyRegion(KeyFor(request, region), region);
            }

            CheckTags(request.Tags, "-Tag");
            CheckTags(request.SharedTags, "-SharedTag");
            CheckSsmName(request.SsmParameterName);
            if (request.DeprecateAt.HasValue)
            {
                DeprecationTime.Check(DeprecationTime.Round(request.DeprecateAt.Value), utcNow, "-DeprecateAt", null);
            }
        }

        /// <summary>The key -KmsKeyId names for <paramref name="region"/> (its table entry, else the key for every region), or null.</summary>
        public static string KeyFor(PublishRequest request, string region) =>
            request.KmsKeyIds != null && request.KmsKeyIds.TryGetValue(region, out string key) ? key : request.KmsKeyId;

        private static void CheckKeyRegion(string key, string region)
        {
            string[] parts = key != null && key.StartsWith("arn:", StringComparison.Ordinal) ? key.Split(':') : null;
            if (parts != null && parts.Length > 3 && parts[3].Length > 0 && !string.Equals(parts[3], region, StringComparison.Ordinal))
            {
                throw new AmiShareException(
                    ErrorIds.KmsKeyNotUsable,
                    AmiShareErrorKind.InvalidArgument,
                    $"The KMS key '{key}' for region '{region}' can't be used: the key is in region '{parts[3]}', and a copy in '{region}' can only be encrypted with a key of '{region}'.",
                    key,
                    $"Give a key of {region} for that region: -KmsKeyId @{{ '{region}' = 'alias/<name>' }} (an alias name resolves in each region). Nothing was copied.");
            }
        }

        private static void RefuseBlankKey(string key, string region)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new AmiShareException(
                    ErrorIds.KmsKeyNotUsable,
                    AmiShareErrorKind.InvalidArgument,
                    region == null ? "-KmsKeyId is blank." : $"-KmsKeyId gives a blank key for region '{region}'.",
                    region,
                    "Give a customer managed key of that region as a key id, key ARN, alias name (alias/golden) or alias ARN.");
            }
        }

        private static void CheckTags(IReadOnlyDictionary<string, string> tags, string parameter)
        {
            foreach (KeyValuePair<string, string> tag in tags ?? new Dictionary<string, string>())
            {
                string key = tag.Key ?? string.Empty;
                if (key.Trim().Length == 0 || key.Length > 128 || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) || (tag.Value ?? string.Empty).Length > 256)
                {
                    throw new AmiShareException(
                        ErrorIds.InvalidTag,
                        AmiShareErrorKind.InvalidArgument,
                        $"The tag '{key}' of {parameter} is not a tag EC2 accepts.",
                        key,
                        $"Give {parameter} as @{{ key = 'value' }} with keys of 1 to 128 characters that do not start with 'aws:' (reserved) and values of at most 256 characters.");
                }
            }
        }

        private static void CheckSsmName(string name)
        {
            if (name == null)
            {
                return;
            }

            string bare = name.TrimStart('/');
            string reason = null;
            if (name.Length > 1011 || !s_ssmName.IsMatch(name))
            {
                reason = "names are 1 to 1011 letters, digits and _ . -, with '/' between the levels of a path";
            }
            else if (bare.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || bare.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
            {
                reason = "names starting with 'aws' or 'ssm' are reserved by AWS";
            }
            else if (bare.Contains("/") && !name.StartsWith("/", StringComparison.Ordinal))
            {
                reason = "a name with a path must be fully qualified, starting with '/'";
            }
            else if (bare.Split('/').Length > 15)
            {
                reason = "SSM allows at most 15 levels in a path";
            }

            if (reason != null)
            {
                throw new AmiShareException(
                    ErrorIds.InvalidSsmParameterName,
                    AmiShareErrorKind.InvalidArgument,
                    $"'{name}' is not an SSM parameter name Publish-Ami can write: {reason}.",
                    name,
                    "Give a name of letters, digits and _ . - such as /golden/linux/latest (a path starts with '/' and has at most 15 levels; names starting with 'aws' or 'ssm' are reserved by AWS).");
            }
        }
    }
}
