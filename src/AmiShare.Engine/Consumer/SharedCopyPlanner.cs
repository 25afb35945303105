using System;
using System.Collections.Generic;
using System.Linq;
using AmiShare.Engine.Distribution;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Consumer
{
    /// <summary>
    /// Copy-SharedAmi's decisions, pure over the facts: the refusals that would make CopyImage fail (not shared with the
    /// caller, snapshots not restorable, a source key the caller can't use — each naming the grant the owner must make),
    /// the caller's key per region (never aws/ebs for an encrypted source), and per region a new copy or the one an earlier
    /// run made. Makes no call; throws the first refusal, so nothing is copied anywhere.
    /// </summary>
    public static class SharedCopyPlanner
    {
        /// <summary>One plan per target region (Create or Reuse), in the request's region order.</summary>
        public static IReadOnlyList<RegionPlan> Plan(SharedCopyRequest request, SharedSourceFacts source, IReadOnlyDictionary<string, RegionFacts> regions)
        {
            if (request == null || source == null || regions == null)
            {
                throw new ArgumentNullException(request == null ? nameof(request) : source == null ? nameof(source) : nameof(regions));
            }

            CheckSource(source);
            var plans = new List<RegionPlan>();
            foreach (string region in request.Regions)
            {
                RegionFacts facts = regions[region];
                string keyArn = KeyFor(source, facts, region);
                var plan = new RegionPlan { Region = region, KmsKeyArn = keyArn };
                plans.Add(DistributionPlanner.ReuseOrCreate(plan, facts.ExistingCopies, () => CopyFor(request, source, region, keyArn)));
            }

            return plans;
        }

        /// <summary>
        /// Throws when CopyImage of the source would fail for the caller: SharedAmiNotFound (not shared with it, or no such
        /// AMI), SharedAmiIsOwn, SharedSnapshotNotRestorable and SharedKeyNotUsable (every missing grant named in one error).
        /// </summary>
        public static void CheckSource(SharedSourceFacts source)
        {
            if (source == null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            string id = source.ImageId;
            string me = source.CallerAccount;
            string region = source.Region;
            if (source.Image == null)
            {
                throw new AmiShareException(
                    ErrorIds.SharedAmiNotFound,
                    AmiShareErrorKind.ObjectNotFound,
                    $"AMI {id} is not shared with account {me} in region '{region}': DescribeImages as {me} does not return it (no such AMI there, or its owner has not given {me} launch permission).",
                    id,
                    $"Check the id and the source's region (-SourceRegion, or the Region of a piped row). If it is right, ask the AMI's owner to run: Grant-AmiLaunchPermission -ImageId {id} -AccountId {me} -IncludeSnapshot -Region {region} (or: aws ec2 modify-image-attribute --image-id {id} --launch-permission \"Add=[{{UserId={me}}}]\" --region {region}). Nothing was copied.");
            }

            if (string.Equals(source.Image.OwnerId, me, StringComparison.Ordinal))
            {
                throw new AmiShareException(
                    ErrorIds.SharedAmiIsOwn,
                    AmiShareErrorKind.InvalidArgument,
                    $"AMI {id} in '{region}' belongs to the caller's own account {me}: it is not shared with it.",
                    id,
                    $"Copy your own AMIs with Publish-Ami -ImageId {id} -Region <regions> -KmsKeyId <key>. Nothing was copied.");
            }

            string owner = source.Image.OwnerId;
            IReadOnlyList<string> blocked = ConsumerAccess.Blocked(source.Image, source.Restorable);
            List<string> badKeys = ConsumerAccess.KeysOf(source.Image).Where(k => source.KeyProblems.TryGetValue(k, out string p) && p != null).ToList();
            if (blocked.Count == 0 && badKeys.Count == 0)
            {
                return;
            }

            var why = new List<string>();
            var asks = new List<string>();
            if (blocked.Count > 0)
            {
                why.Add($"its snapshot {string.Join(", ", blocked)} is not restorable by account {me} (no createVolumePermission), so CopyImage would fail with 'You do not have permission to access the storage of this ami'");
                asks.Add($"grant createVolumePermission on snapshot {string.Join(", ", blocked)} to account {me}: {ConsumerAccess.SnapshotGrant(id, blocked, me, region)}");
            }

            foreach (string key in badKeys)
            {
                why.Add($"it is encrypted with the KMS key {key}, which account {me} can't use ({source.KeyProblems[key]})");
                asks.Add($"allow account {me} {ConsumerAccess.KeyActions} on the KMS key {key} in its key policy: Grant-AmiLaunchPermission -ImageId {id} -AccountId {me} -IncludeKmsKey -Region {region}");
            }

            throw new AmiShareException(
                blocked.Count > 0 ? ErrorIds.SharedSnapshotNotRestorable : ErrorIds.SharedKeyNotUsable,
                AmiShareErrorKind.PermissionDenied,
                $"AMI {id} in '{region}' (owner {owner}) can't be copied by account {me}: {string.Join("; ", why)}.",
                id,
                $"Ask the owner (account {owner}) to {string.Join("; and to ", asks)}. Nothing was copied.");
        }

        /// <summary>The caller's key for a region's copy (an ARN), or null for an unencrypted copy; throws when it is not usable.</summary>
        private static string KeyFor(SharedSourceFacts source, RegionFacts facts, string region)
        {
            if (facts.RequestedKeyId != null)
            {
                string given = facts.RequestedKeyId;
                if (facts.RequestedKeyError != null || facts.RequestedKey == null)
                {
                    string why = facts.RequestedKeyError?.Reason ?? "KMS did not describe it";
                    throw DistributionPlanner.KeyNotUsable(given, region, $"KMS DescribeKey failed: {why}", $"Check the key id, that the key exists in {region} and that this account may call kms:DescribeKey on it.", facts.RequestedKeyError);
                }

                KmsKeyInfo key = facts.RequestedKey;
                if (!key.Enabled)
                {
                    throw DistributionPlanner.KeyNotUsable(given, region, $"the key is {key.KeyState ?? "disabled"}", "Enable the key (Enable-KMSKey) or cancel its deletion, or give another key.", null);
                }

                if (key.IsAwsManaged)
                {
                    throw AwsManaged(source, region, $"-KmsKeyId '{given}' is the AWS managed key aws/ebs");
                }

                if (key.AccountId != null && source.CallerAccount != null && !string.Equals(key.AccountId, source.CallerAccount, StringComparison.Ordinal))
                {
                    throw DistributionPlanner.KeyNotUsable(given, region, $"the key belongs to account {key.AccountId}, not to this account {source.CallerAccount}, so the copy would still depend on another account's key", $"Give a customer managed key of account {source.CallerAccount} in {region} (alias/<name>, or its ARN).", null);
                }

                return key.KeyArn;
            }

            bool encrypted = source.Encrypted || facts.EncryptionByDefault;
            if (!encrypted)
            {
                return null;
            }

            if (facts.DefaultKeyIsAwsManaged)
            {
                if (source.Encrypted)
                {
                    throw AwsManaged(source, region, $"no -KmsKeyId names a key for '{region}' and the region's EBS default key is {facts.DefaultKeyId ?? "alias/aws/ebs"}");
                }

                return facts.DefaultKeyId ?? "alias/aws/ebs";
            }

            return facts.DefaultKeyArn ?? facts.DefaultKeyId;
        }

        private static CopyImageSpec CopyFor(SharedCopyRequest request, SharedSourceFacts source, string region, string keyArn)
        {
            string pattern = request.Name ?? DistributionPlanner.DefaultName;
            string name = DistributionPlanner.CopyName(pattern, source.Image, region);
            if (!DistributionPlanner.IsAmiName(name))
            {
                throw new AmiShareException(
                    ErrorIds.InvalidCopyName,
                    AmiShareErrorKind.InvalidArgument,
                    $"The copy's name '{name}' (from -Name '{pattern}') is not an AMI name EC2 accepts.",
                    name,
                    "Give -Name a pattern that makes 3 to 128 letters, digits, spaces and ( ) [ ] . / - ' @ _, e.g. -Name '{SourceName}-copy' ({SourceName}, {SourceImageId} and {Region} are filled in). Nothing was copied.");
            }

            bool encrypted = keyArn != null;
            return new CopyImageSpec
            {
                SourceRegion = source.Region,
                SourceImageId = source.Image.ImageId,
                Name = name,
                Description = $"Copy of {source.Region}/{source.Image.ImageId} (owner {source.Image.OwnerId}) made by Copy-SharedAmi",
                Encrypted = encrypted,
                KmsKeyId = encrypted && !keyArn.StartsWith("alias/", StringComparison.Ordinal) ? keyArn : null,
                ClientToken = CopyIdentity.ClientToken(source.Region, source.Image.ImageId, region, keyArn),
                CopyImageTags = false,
                Tags = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [CopyIdentity.SourceTagKey] = CopyIdentity.SourceTagValue(source.Region, source.Image.ImageId),
                },
            };
        }

        private static AmiShareException AwsManaged(SharedSourceFacts source, string region, string why) => new AmiShareException(
            ErrorIds.CopyWouldUseAwsManagedKey,
            AmiShareErrorKind.InvalidOperation,
            $"The copy of {source.ImageId} in region '{region}' would be encrypted with the AWS managed key aws/ebs ({why}); Copy-SharedAmi re-encrypts a shared AMI with a customer managed key of this account, which it can share and control.",
            region,
            $"Give a customer managed key of this account for that region: -KmsKeyId alias/<name> (one key; an alias resolves in every region) or -KmsKeyId @{{ '{region}' = 'alias/<name>' }}; New-KMSKey creates one. Nothing was copied.");
    }
}
