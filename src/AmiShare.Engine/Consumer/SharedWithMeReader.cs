using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Consumer
{
    /// <summary>
    /// Lists the AMIs other accounts share with the caller in one region: DescribeImages ExecutableBy=self (and
    /// ExecutableBy=all when public ones are asked for), minus the caller's own; then per AMI whether the caller can
    /// use its KMS keys (DescribeKey as the caller, once per key) and may copy it (DescribeSnapshots RestorableBy=self,
    /// one call per 200 snapshots). Calls per region: 1 or 2 image series + keys + snapshots/200.
    /// </summary>
    public sealed class SharedWithMeReader
    {
        private readonly IEc2ConsumerGateway _ec2;
        private readonly IKmsGateway _kms;

        /// <summary>A reader over one region's gateways (both calling as the consumer).</summary>
        public SharedWithMeReader(IEc2ConsumerGateway ec2, IKmsGateway kms)
        {
            _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));
            _kms = kms ?? throw new ArgumentNullException(nameof(kms));
        }

        /// <summary>The shared AMIs of the region, ordered by owner then name then id.</summary>
        /// <param name="callerAccount">The caller's account id (STS GetCallerIdentity): its own AMIs are left out.</param>
        /// <param name="includePublic">Also list public AMIs (ExecutableBy=all): many thousands in a real region.</param>
        /// <param name="cancellationToken">Stops the reads.</param>
        public async Task<IReadOnlyList<SharedImage>> ReadAsync(string callerAccount, bool includePublic, CancellationToken cancellationToken)
        {
            var images = new Dictionary<string, (ImageInfo Image, string Via)>(StringComparer.Ordinal);
            foreach (ImageInfo image in await _ec2.DescribeExecutableImagesAsync("self", cancellationToken).ConfigureAwait(false))
            {
                if (!IsOwn(image, callerAccount))
                {
                    images[image.ImageId] = (image, SharedVia.DirectOrOrganization);
                }
            }

            if (includePublic)
            {
                foreach (ImageInfo image in await _ec2.DescribeExecutableImagesAsync("all", cancellationToken).ConfigureAwait(false))
                {
                    if (!IsOwn(image, callerAccount) && !images.ContainsKey(image.ImageId))
                    {
                        images[image.ImageId] = (image, SharedVia.Public);
                    }
                }
            }

            IReadOnlyDictionary<string, string> keyProblems = await ReadKeysAsync(images.Values.Select(v => v.Image), cancellationToken).ConfigureAwait(false);
            ISet<string> restorable = await ReadRestorableAsync(images.Values.Select(v => v.Image), cancellationToken).ConfigureAwait(false);
            return images.Values
                .Select(v => ToRow(v.Image, v.Via, keyProblems, restorable))
                .OrderBy(r => r.OwnerId, StringComparer.Ordinal)
                .ThenBy(r => r.Name, StringComparer.Ordinal)
                .ThenBy(r => r.ImageId, StringComparer.Ordinal)
                .ToList();
        }

        private static bool IsOwn(ImageInfo image, string callerAccount) => string.Equals(image.OwnerId, callerAccount, StringComparison.Ordinal);

        private static IEnumerable<string> KeysOf(ImageInfo image) =>
            image.Snapshots.Where(s => s.Encrypted && !string.IsNullOrEmpty(s.KmsKeyId)).Select(s => s.KmsKeyId).Distinct(StringComparer.Ordinal);

        /// <summary>Each key's problem (null when DescribeKey as the caller succeeds and the key is enabled).</summary>
        private async Task<IReadOnlyDictionary<string, string>> ReadKeysAsync(IEnumerable<ImageInfo> images, CancellationToken cancellationToken)
        {
            var problems = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string key in images.SelectMany(KeysOf).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal))
            {
                try
                {
                    Gateways.KmsKeyInfo info = await _kms.DescribeKeyAsync(key, cancellationToken).ConfigureAwait(false);
                    problems[key] = info.Enabled ? null : $"the KMS key {key} is {info.KeyState ?? "not enabled"}: ask the owner to enable it";
                }
                catch (AmiShareException e) when (e.Kind == AmiShareErrorKind.PermissionDenied || e.Kind == AmiShareErrorKind.ObjectNotFound)
                {
                    problems[key] = $"the KMS key {key} is not usable by this account ({e.AwsErrorCode ?? e.ErrorId}): ask the owner to allow kms:DescribeKey, kms:CreateGrant, kms:Decrypt and kms:ReEncrypt* for this account in the key policy";
                }
            }

            return problems;
        }

        private async Task<ISet<string>> ReadRestorableAsync(IEnumerable<ImageInfo> images, CancellationToken cancellationToken)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            List<string> ids = images.SelectMany(i => i.Snapshots).Select(s => s.SnapshotId).Where(id => !string.IsNullOrEmpty(id)).Distinct(StringComparer.Ordinal).ToList();
            for (int start = 0; start < ids.Count; start += Ec2Limits.MaxFilterValuesPerCall)
            {
                List<string> chunk = ids.Skip(start).Take(Ec2Limits.MaxFilterValuesPerCall).ToList();
                result.UnionWith(await _ec2.DescribeRestorableSnapshotIdsAsync(chunk, cancellationToken).ConfigureAwait(false));
            }

            return result;
        }

        private SharedImage ToRow(ImageInfo image, string via, IReadOnlyDictionary<string, string> keyProblems, ISet<string> restorable)
        {
            List<string> keys = KeysOf(image).ToList();
            var problems = keys.Select(k => keyProblems[k]).Where(p => p != null).ToList();
            List<string> blocked = image.Snapshots.Select(s => s.SnapshotId).Where(id => !string.IsNullOrEmpty(id) && !restorable.Contains(id)).ToList();
            if (blocked.Count > 0)
            {
                problems.Add($"snapshot {string.Join(", ", blocked)} is not restorable by this account: ask the owner to run ModifySnapshotAttribute createVolumePermission add for this account in {_ec2.Region}");
            }

            return new SharedImage
            {
                ImageId = image.ImageId,
                Name = image.Name,
                Region = _ec2.Region,
                OwnerId = image.OwnerId,
                Via = via,
                Public = image.IsPublic,
                Encrypted = image.Snapshots.Any(s => s.Encrypted),
                KmsKeyIds = keys,
                CanUseKey = keys.Count == 0 ? (bool?)null : keys.All(k => keyProblems[k] == null),
                CanCopy = blocked.Count == 0,
                Problem = problems.Count == 0 ? null : string.Join("; ", problems),
                CreationDate = image.CreationDate,
                DeprecationTime = image.DeprecationTime,
            };
        }
    }
}
