using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Organizations;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Reports
{
    /// <summary>
    /// Builds the share report of one region: one paginated DescribeImages Owner=self, one DescribeImageAttribute
    /// launchPermission per AMI, KMS DescribeKey once per key, and the organization placement of each shared account
    /// (cached by <see cref="OrganizationDirectory"/>).
    /// </summary>
    internal sealed class ShareReportReader
    {
        private const string SharedTagPrefix = "ec2:SharedTag/";

        private readonly IEc2Gateway _ec2;
        private readonly IKmsGateway _kms;
        private readonly OrganizationDirectory _organizations;
        private readonly Dictionary<string, Task<string>> _keyManagers = new Dictionary<string, Task<string>>(StringComparer.Ordinal);

        public ShareReportReader(IEc2Gateway ec2, IKmsGateway kms, OrganizationDirectory organizations)
        {
            _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));
            _kms = kms;
            _organizations = organizations;
        }

        /// <summary>
        /// The rows of every owned AMI in the region (only <paramref name="imageIds"/> when given), in image id order.
        /// <paramref name="progress"/> gets (done, total) after each AMI.
        /// </summary>
        public async Task<IReadOnlyList<ShareReportRow>> ReadAsync(IReadOnlyList<string> imageIds, Action<int, int> progress, CancellationToken cancellationToken)
        {
            IReadOnlyList<ImageInfo> owned = await _ec2.DescribeOwnedImagesAsync(cancellationToken).ConfigureAwait(false);
            var wanted = imageIds == null || imageIds.Count == 0 ? null : new HashSet<string>(imageIds, StringComparer.Ordinal);
            List<ImageInfo> images = owned
                .Where(i => wanted == null || wanted.Contains(i.ImageId))
                .OrderBy(i => i.ImageId, StringComparer.Ordinal)
                .ToList();
            var rows = new List<ShareReportRow>(images.Count);
            progress?.Invoke(0, images.Count);
            foreach (ImageInfo image in images)
            {
                cancellationToken.ThrowIfCancellationRequested();
                IReadOnlyList<Principal> permissions = await _ec2.GetLaunchPermissionsAsync(image.ImageId, cancellationToken).ConfigureAwait(false);
                rows.Add(await RowAsync(image, permissions, cancellationToken).ConfigureAwait(false));
                progress?.Invoke(rows.Count, images.Count);
            }

            return rows;
        }

        private async Task<ShareReportRow> RowAsync(ImageInfo image, IReadOnlyList<Principal> permissions, CancellationToken cancellationToken)
        {
            List<string> accounts = Values(permissions, PrincipalType.Account);
            IReadOnlyList<string> external = await ExternalAsync(image.OwnerId, accounts, cancellationToken).ConfigureAwait(false);
            List<SnapshotRef> encrypted = image.Snapshots.Where(s => s.Encrypted).ToList();
            string keyManager = null;
            if (encrypted.Count > 0)
            {
                var managers = new List<string>();
                foreach (SnapshotRef snapshot in encrypted)
                {
                    string manager = await KeyManagerAsync(snapshot.KmsKeyId, cancellationToken).ConfigureAwait(false);
                    if (!managers.Contains(manager))
                    {
                        managers.Add(manager);
                    }
                }

                keyManager = string.Join("; ", managers);
            }

            return new ShareReportRow
            {
                ImageId = image.ImageId,
                Name = image.Name,
                Region = _ec2.Region,
                Public = image.IsPublic || permissions.Any(p => p.Type == PrincipalType.Public),
                Accounts = accounts,
                Organizations = Values(permissions, PrincipalType.Organization),
                OrganizationalUnits = Values(permissions, PrincipalType.OrganizationalUnit),
                External = external,
                ExternalKnown = external != null,
                Encrypted = encrypted.Count > 0,
                KeyManager = keyManager,
                DeprecationTime = image.DeprecationTime,
                LastLaunchedTime = image.LastLaunchedTime,
                SharedTags = image.Tags
                    .Where(t => t.Key.StartsWith(SharedTagPrefix, StringComparison.Ordinal))
                    .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
            };
        }

        private static List<string> Values(IReadOnlyList<Principal> permissions, PrincipalType type) =>
            permissions.Where(p => p.Type == type).Select(p => p.Value).Distinct(StringComparer.Ordinal).ToList();

        /// <summary>The accounts outside the caller's organization, or null when Organizations can't be read.</summary>
        private async Task<IReadOnlyList<string>> ExternalAsync(string ownerId, List<string> accounts, CancellationToken cancellationToken)
        {
            var external = new List<string>();
            if (accounts.Count == 0)
            {
                return external;
            }

            if (_organizations == null || !_organizations.IsAvailable)
            {
                return null;
            }

            foreach (string account in accounts)
            {
                if (string.Equals(account, ownerId, StringComparison.Ordinal))
                {
                    continue;
                }

                try
                {
                    OrganizationPlacement placement = await _organizations.GetPlacementAsync(account, cancellationToken).ConfigureAwait(false);
                    if (!placement.IsMember)
                    {
                        external.Add(account);
                    }
                }
                catch (AmiShareException)
                {
                    return null;
                }
            }

            return external;
        }

        private Task<string> KeyManagerAsync(string keyId, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(keyId) || _kms == null)
            {
                return Task.FromResult(ShareReportRow.Unknown);
            }

            lock (_keyManagers)
            {
                if (!_keyManagers.TryGetValue(keyId, out Task<string> task))
                {
                    task = DescribeKeyManagerAsync(keyId, cancellationToken);
                    _keyManagers[keyId] = task;
                }

                return task;
            }
        }

        private async Task<string> DescribeKeyManagerAsync(string keyId, CancellationToken cancellationToken)
        {
            try
            {
                KmsKeyInfo key = await _kms.DescribeKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
                return key.IsAwsManaged ? "aws/ebs" : "CMK";
            }
            catch (AmiShareException)
            {
                return ShareReportRow.Unknown;
            }
        }
    }
}
