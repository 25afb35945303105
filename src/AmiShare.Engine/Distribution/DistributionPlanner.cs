using System;
using System.Collections.Generic;
using System.Linq;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Distribution
{
    /// <summary>
    /// Publish-Ami's decisions, pure over the facts: per target region, copy or reuse (or the source itself), with which key,
    /// and the refusals that would otherwise fail later (a copy that would land on aws/ebs while principals are given, a key
    /// that can't be used, a deprecation time in the past). Makes no call.
    /// </summary>
    public static class DistributionPlanner
    {
        /// <summary>The default name of a copy in another region: the source's name.</summary>
        public const string DefaultName = "{SourceName}";

        /// <summary>The default name of a re-encrypted copy in the source's own region (names are unique per region).</summary>
        public const string DefaultSameRegionName = "{SourceName} (re-encrypted)";

        private static readonly string[] s_deadStates = { "failed", "deregistered", "invalid", "error", "disabled" };

        /// <summary>One plan per target region, in -Region order; throws the first refusal (before any copy is made).</summary>
        public static IReadOnlyList<RegionPlan> Plan(PublishRequest request, SourceFacts source, IReadOnlyDictionary<string, RegionFacts> regions)
        {
            if (request == null || source == null || regions == null)
            {
                throw new ArgumentNullException(request == null ? nameof(request) : source == null ? nameof(source) : nameof(regions));
            }

            bool sharing = request.Principals != null && request.Principals.Count > 0;
            var plans = new List<RegionPlan>();
            foreach (string region in request.Regions)
            {
                RegionFacts facts = regions[region];
                KmsKeyInfo requested = CheckRequestedKey(facts, region, sharing);
                bool sameRegion = string.Equals(region, source.Region, StringComparison.Ordinal);
                if (sameRegion)
                {
                    bool reEncrypt = (source.Encrypted && source.KeyIsAwsManaged && sharing)
                        || (requested != null && !string.Equals(requested.KeyArn, source.KeyArn, StringComparison.Ordinal));
                    if (!reEncrypt)
                    {
                        plans.Add(new RegionPlan { Region = region, Kind = RegionPlanKind.Source, Image = source.Image, KmsKeyArn = source.KeyArn });
                        continue;
                    }
                }

                bool encrypted = source.Encrypted || requested != null || facts.EncryptionByDefault;
                string keyArn = requested?.KeyArn;
                bool awsManaged = requested != null ? requested.IsAwsManaged : facts.DefaultKeyIsAwsManaged;
                if (encrypted && requested == null && !facts.DefaultKeyIsAwsManaged)
                {
                    keyArn = facts.DefaultKeyArn ?? facts.DefaultKeyId;
                }

                if (sharing && encrypted && awsManaged)
                {
                    throw LandsOnAwsManagedKey(request, source, facts, region);
                }

                var plan = new RegionPlan { Region = region, KmsKeyArn = keyArn, ReEncrypts = sameRegion };
                plans.Add(ReuseOrCreate(plan, facts.ExistingCopies, () => CopyFor(request, source, region, encrypted, keyArn, sameRegion)));
            }

            return plans;
        }

        /// <summary>The deprecation time of every published AMI (rounded as EC2 rounds), or null; throws InvalidDeprecationTime.</summary>
        public static DateTime? DeprecationFor(PublishRequest request, SourceFacts source, DateTime utcNow)
        {
            if (request.DeprecateAt.HasValue)
            {
                DateTime at = DeprecationTime.Round(request.DeprecateAt.Value);
                DeprecationTime.Check(at, utcNow, "-DeprecateAt", null);
                return at;
            }

            if (!request.DeprecateAfter.HasValue)
            {
                return null;
            }

            // Counted from the source's creation, not from now: every region gets the same time, and a rerun computes the
            // same time again (so it writes nothing), whenever it runs.
            DateTime created = DeprecationTime.ParseEc2(source.Image?.CreationDate) ?? utcNow;
            DateTime result = DeprecationTime.Round(created + request.DeprecateAfter.Value);
            DeprecationTime.Check(result, utcNow, "-DeprecateAfter", $" (counted from the source's creation at {DeprecationTime.Text(created)})");
            return result;
        }

        /// <summary>The tags a region's AMI should carry: -Tag, the shared tags (ec2:SharedTag/ prefixed) and, on a copy, the source tag.</summary>
        public static IReadOnlyDictionary<string, string> WantedTags(PublishRequest request, RegionPlanKind kind)
        {
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (kind != RegionPlanKind.Source)
            {
                tags[CopyIdentity.SourceTagKey] = CopyIdentity.SourceTagValue(request.SourceRegion, request.SourceImageId);
            }

            foreach (KeyValuePair<string, string> t in request.Tags ?? new Dictionary<string, string>())
            {
                tags[t.Key] = t.Value ?? string.Empty;
            }

            foreach (KeyValuePair<string, string> t in request.SharedTags ?? new Dictionary<string, string>())
            {
                tags[CopyIdentity.SharedTagPrefix + t.Key] = t.Value ?? string.Empty;
            }

            return tags;
        }

        /// <summary>The tags of <paramref name="wanted"/> that <paramref name="image"/> lacks or holds with another value.</summary>
        public static IReadOnlyDictionary<string, string> TagsToSet(ImageInfo image, IReadOnlyDictionary<string, string> wanted)
        {
            var missing = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, string> t in wanted)
            {
                if (image?.Tags == null || !image.Tags.TryGetValue(t.Key, out string value) || !string.Equals(value, t.Value, StringComparison.Ordinal))
                {
                    missing[t.Key] = t.Value;
                }
            }

            return missing;
        }

        /// <summary>True when <paramref name="image"/>'s deprecation time is not <paramref name="at"/> (to the minute).</summary>
        public static bool NeedsDeprecation(ImageInfo image, DateTime? at)
        {
            if (!at.HasValue)
            {
                return false;
            }

            DateTime? current = DeprecationTime.ParseEc2(image?.DeprecationTime);
            return !current.HasValue || DeprecationTime.Round(current.Value) != at.Value;
        }

        /// <summary>The copy's name from the pattern: {SourceName}, {SourceImageId}, {Region}.</summary>
        public static string CopyName(string pattern, ImageInfo source, string region) =>
            pattern.Replace("{SourceName}", source?.Name ?? source?.ImageId ?? string.Empty)
                .Replace("{SourceImageId}", source?.ImageId ?? string.Empty)
                .Replace("{Region}", region);

        private static KmsKeyInfo CheckRequestedKey(RegionFacts facts, string region, bool sharing)
        {
            if (facts.RequestedKeyId == null)
            {
                return null;
            }

            string given = facts.RequestedKeyId;
            if (facts.RequestedKeyError != null || facts.RequestedKey == null)
            {
                string why = facts.RequestedKeyError?.Reason ?? "KMS did not describe it";
                throw KeyNotUsable(given, region, $"KMS DescribeKey failed: {why}", "Check the key id, that it exists in " + region + " and that the caller may call kms:DescribeKey on it.", facts.RequestedKeyError);
            }

            KmsKeyInfo key = facts.RequestedKey;
            string keyRegion = RegionOfArn(key.KeyArn);
            if (keyRegion != null && !string.Equals(keyRegion, region, StringComparison.Ordinal))
            {
                throw KeyNotUsable(given, region, $"the key is in region '{keyRegion}', and a copy in '{region}' can only be encrypted with a key of '{region}'", $"Give a key of {region} for that region: -KmsKeyId @{{ '{region}' = 'alias/<name>' }} (an alias name resolves in each region).", null);
            }

            if (!key.Enabled)
            {
                throw KeyNotUsable(given, region, $"the key is {key.KeyState ?? "disabled"}", "Enable the key (Enable-KMSKey) or cancel its deletion, or give another key.", null);
            }

            if (sharing && key.IsAwsManaged)
            {
                throw KeyNotUsable(given, region, "it is an AWS managed key (aws/ebs), which can't be shared with other accounts", "Give a customer managed key of that region (New-KMSKey), which -IncludeKmsKey can share.", null);
            }

            return key;
        }

        /// <summary>
        /// <paramref name="plan"/> as a Reuse of the earlier copy among <paramref name="copies"/> (not dead, encrypted with the
        /// plan's key, available before pending, then the newest), or else as a Create of <paramref name="copy"/>'s spec.
        /// </summary>
        internal static RegionPlan ReuseOrCreate(RegionPlan plan, IReadOnlyList<ImageInfo> copies, Func<CopyImageSpec> copy)
        {
            ImageInfo existing = FindCopy(copies, plan.KmsKeyArn);
            if (existing != null)
            {
                plan.Kind = RegionPlanKind.Reuse;
                plan.Image = existing;
            }
            else
            {
                plan.Kind = RegionPlanKind.Create;
                plan.Copy = copy();
            }

            return plan;
        }

        /// <summary>Whether EC2 accepts <paramref name="name"/> as an AMI name: 3 to 128 letters, digits, spaces and ( ) [ ] . / - ' @ _.</summary>
        internal static bool IsAmiName(string name) =>
            name.Length >= 3 && name.Length <= 128 && System.Text.RegularExpressions.Regex.IsMatch(name, @"^[A-Za-z0-9()\[\] ./\-'@_]+\z");

        /// <summary>A key (-KmsKeyId) that can't encrypt the copy in <paramref name="region"/>; the message says why, the remedy what to give.</summary>
        internal static AmiShareException KeyNotUsable(string given, string region, string why, string remedy, Exception inner) => new AmiShareException(
            ErrorIds.KmsKeyNotUsable,
            AmiShareErrorKind.InvalidArgument,
            $"The KMS key '{given}' for region '{region}' can't be used: {why.TrimEnd('.')}.",
            given,
            remedy + " Nothing was copied.",
            inner);

        /// <summary>
        /// An alias name as the key (the caller's aws/ebs default, whose ARN is not read) matches a copy under any key: the
        /// copy is found by its source tag, and its snapshots name the key by ARN.
        /// </summary>
        private static ImageInfo FindCopy(IReadOnlyList<ImageInfo> copies, string keyArn) =>
            (copies ?? Array.Empty<ImageInfo>())
                .Where(i => !s_deadStates.Contains(i.State ?? string.Empty, StringComparer.OrdinalIgnoreCase))
                .Where(i => keyArn == null || keyArn.StartsWith("alias/", StringComparison.Ordinal)
                    || i.Snapshots.Where(s => s.Encrypted).All(s => s.KmsKeyId == null || string.Equals(s.KmsKeyId, keyArn, StringComparison.Ordinal)))
                .OrderBy(i => string.Equals(i.State, "available", StringComparison.Ordinal) ? 0 : 1)
                .ThenByDescending(i => i.CreationDate, StringComparer.Ordinal)
                .FirstOrDefault();

        private static CopyImageSpec CopyFor(PublishRequest request, SourceFacts source, string region, bool encrypted, string keyArn, bool sameRegion)
        {
            string pattern = request.Name ?? (sameRegion ? DefaultSameRegionName : DefaultName);
            string name = CopyName(pattern, source.Image, region);
            if (!IsAmiName(name) || (sameRegion && string.Equals(name, source.Image?.Name, StringComparison.Ordinal)))
            {
                throw new AmiShareException(
                    ErrorIds.InvalidCopyName,
                    AmiShareErrorKind.InvalidArgument,
                    sameRegion && string.Equals(name, source.Image?.Name, StringComparison.Ordinal)
                        ? $"The copy in '{region}' would be named '{name}', the source's own name there; AMI names are unique per region."
                        : $"The copy's name '{name}' (from -Name '{pattern}') is not an AMI name EC2 accepts.",
                    name,
                    "Give -Name a pattern that makes 3 to 128 letters, digits, spaces and ( ) [ ] . / - ' @ _, e.g. -Name '{SourceName}-{Region}' ({SourceName}, {SourceImageId} and {Region} are filled in).");
            }

            return new CopyImageSpec
            {
                SourceRegion = source.Region,
                SourceImageId = source.Image.ImageId,
                Name = name,
                Description = $"Copy of {source.Region}/{source.Image.ImageId} made by Publish-Ami",
                Encrypted = encrypted,
                KmsKeyId = keyArn,
                ClientToken = CopyIdentity.ClientToken(source.Region, source.Image.ImageId, region, keyArn),
                CopyImageTags = true,
                Tags = WantedTags(request, RegionPlanKind.Create),
            };
        }

        private static AmiShareException LandsOnAwsManagedKey(PublishRequest request, SourceFacts source, RegionFacts facts, string region)
        {
            string why = source.Encrypted ? "the source is encrypted" : "EBS encryption by default is on there";
            return new AmiShareException(
                ErrorIds.CopyWouldUseAwsManagedKey,
                AmiShareErrorKind.InvalidOperation,
                $"The copy in region '{region}' would be encrypted with the AWS managed key aws/ebs ({why}, no -KmsKeyId names a key for '{region}' and the region's EBS default key is {facts.DefaultKeyId ?? "alias/aws/ebs"}), and an AMI encrypted with aws/ebs can't be shared with {string.Join(", ", request.Principals.Select(p => p.Value))}.",
                region,
                $"Give a customer managed key for that region: -KmsKeyId @{{ '{region}' = 'alias/<name>' }} (with -IncludeKmsKey to share it), or make one the region's EBS default key (Set-EC2EbsDefaultKmsKeyId). Nothing was copied.");
        }

        /// <summary>The region of a KMS ARN (arn:partition:kms:region:account:key/…), or null for an id or alias name.</summary>
        private static string RegionOfArn(string arn)
        {
            if (arn == null || !arn.StartsWith("arn:", StringComparison.Ordinal))
            {
                return null;
            }

            string[] parts = arn.Split(':');
            return parts.Length > 3 && parts[3].Length > 0 ? parts[3] : null;
        }
    }
}
