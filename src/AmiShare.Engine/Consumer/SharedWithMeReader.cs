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
                .Select(v => ToRow(v.Image, v.Via, keyProblems, restorable, callerAccount))
                .OrderBy(r => r.OwnerId, StringComparer.Ordinal)
                .ThenBy(r => r.Name, StringComparer.Ordinal)
                .ThenBy(r => r.ImageId, StringComparer.Ordinal)
                .ToList();
        }

        private static bool IsOwn(ImageInfo image, string callerAccount) => string.Equals(image.OwnerId, callerAccount, StringComparison.Ordinal);

        private static IEnumerable<string> KeysOf(ImageInfo image) => ConsumerAccess.KeysOf(image);

        private Task<IReadOnlyDictionary<string, string>> ReadKeysAsync(IEnumerable<ImageInfo> images, CancellationToken cancellationToken) =>
            ConsumerAccess.ReadKeyProblemsAsync(_kms, images.SelectMany(KeysOf), cancellationToken);

        private Task<ISet<string>> ReadRestorableAsync(IEnumerable<ImageInfo> images, CancellationToken cancellationToken) =>
            ConsumerAccess.ReadRestorableAsync(_ec2, images.SelectMany(i => i.Snapshots).Select(s => s.SnapshotId), cancellationToken);

        private SharedImage ToRow(ImageInfo image, string via, IReadOnlyDictionary<string, string> keyProblems, ISet<string> restorable, string callerAccount)
        {
            List<string> keys = KeysOf(image).ToList();
            var problems = keys.Where(k => keyProblems[k] != null).Select(k => ConsumerAccess.KeyProblemText(k, keyProblems[k], image.ImageId, callerAccount, _ec2.Region)).ToList();
            IReadOnlyList<string> blocked = ConsumerAccess.Blocked(image, restorable);
            if (blocked.Count > 0)
            {
                problems.Add($"snapshot {string.Join(", ", blocked)} is not restorable by this account (no createVolumePermission), so it can't be copied: ask the owner to run {ConsumerAccess.SnapshotGrant(image.ImageId, blocked, callerAccount, _ec2.Region)}");
                if (keys.Any(k => keyProblems[k] != null && !ConsumerAccess.IsKeyState(keyProblems[k])))
                {
                    problems.Add($"both at once: Grant-AmiLaunchPermission -ImageId {image.ImageId} -AccountId {callerAccount} -IncludeKmsKey -IncludeSnapshot -Region {_ec2.Region}");
                }
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
