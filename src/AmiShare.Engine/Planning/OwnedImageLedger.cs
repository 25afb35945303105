using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Organizations;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Planning
{
    /// <summary>
    /// The caller's own AMIs in one region, as one run (one service) sees them: which AMIs sit behind a KMS key or a
    /// snapshot, and who each is shared with. Key access and snapshot permissions belong to the key / snapshot, not to
    /// one AMI, so -IncludeKmsKey / -IncludeSnapshot remove a principal's access only when no AMI behind it stays shared
    /// with that principal. Read once per run (DescribeImages Owner=self, DescribeSnapshots Owner=self encrypted=true,
    /// and one DescribeImageAttribute per AMI behind a key or snapshot that is asked about), then kept in step with the
    /// run's own writes (<see cref="Record"/>): an AMI still to be processed counts as shared until it is processed, so
    /// the last AMI of a run to lose a principal is the one that removes the key access.
    /// </summary>
    internal sealed class OwnedImageLedger : IDisposable
    {
        private readonly IEc2Gateway _ec2;
        private readonly OrganizationDirectory _organizations;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private readonly Dictionary<string, IReadOnlyList<Principal>> _permissions = new Dictionary<string, IReadOnlyList<Principal>>(StringComparer.Ordinal);
        private IReadOnlyList<ImageInfo> _images;
        private Dictionary<string, string> _snapshotKeys;

        public OwnedImageLedger(IEc2Gateway ec2, OrganizationDirectory organizations)
        {
            _ec2 = ec2;
            _organizations = organizations;
        }

        /// <summary>The launch permissions an AMI has after this run's write to it (or as planned, under -WhatIf).</summary>
        public void Record(string imageId, IReadOnlyList<Principal> after)
        {
            lock (_permissions)
            {
                _permissions[imageId] = after ?? Array.Empty<Principal>();
            }
        }

        /// <summary>The caller's other AMIs behind the KMS key (by ARN or key id), excluding <paramref name="imageId"/>.</summary>
        public async Task<IReadOnlyList<string>> OtherImagesBehindKeyAsync(string imageId, string keyArnOrId, CancellationToken ct)
        {
            await LoadAsync(withKeys: true, ct).ConfigureAwait(false);
            string key = KeyIdOf(keyArnOrId);
            return _images
                .Where(i => i.ImageId != imageId && i.Snapshots.Any(s => SnapshotKey(s) is string k && KeyIdOf(k) == key))
                .Select(i => i.ImageId)
                .Distinct()
                .ToList();
        }

        /// <summary>The caller's other AMIs backed by the snapshot, excluding <paramref name="imageId"/>.</summary>
        public async Task<IReadOnlyList<string>> OtherImagesBackedByAsync(string imageId, string snapshotId, CancellationToken ct)
        {
            await LoadAsync(withKeys: false, ct).ConfigureAwait(false);
            return _images
                .Where(i => i.ImageId != imageId && i.Snapshots.Any(s => s.SnapshotId == snapshotId))
                .Select(i => i.ImageId)
                .Distinct()
                .ToList();
        }

        /// <summary>Launch permissions of one of the caller's AMIs: this run's view (read once, then kept in step with its writes).</summary>
        public async Task<IReadOnlyList<Principal>> PermissionsAsync(string imageId, CancellationToken ct)
        {
            lock (_permissions)
            {
                if (_permissions.TryGetValue(imageId, out IReadOnlyList<Principal> known))
                {
                    return known;
                }
            }

            IReadOnlyList<Principal> read = await _ec2.GetLaunchPermissionsAsync(imageId, ct).ConfigureAwait(false);
            lock (_permissions)
            {
                if (!_permissions.TryGetValue(imageId, out IReadOnlyList<Principal> known))
                {
                    _permissions[imageId] = known = read;
                }

                return known;
            }
        }

        /// <summary>
        /// Why <paramref name="principal"/> still needs what it is about to lose: the first of <paramref name="shares"/> (image id
        /// → launch permissions after the run) that shares with it directly or through an organization / OU that holds it,
        /// or that it holds (an organization or OU given access covers its OUs and accounts), unless that share's principal keeps
        /// access of its own (<paramref name="keepsOwnAccess"/>). Null when none does.
        /// </summary>
        public async Task<string> StillNeededByAsync(Principal principal, IEnumerable<KeyValuePair<string, IReadOnlyList<Principal>>> shares, Func<Principal, bool> keepsOwnAccess, CancellationToken ct)
        {
            foreach (KeyValuePair<string, IReadOnlyList<Principal>> share in shares)
            {
                foreach (Principal q in share.Value)
                {
                    if (!q.Equals(principal) && keepsOwnAccess(q))
                    {
                        continue; // q has access of its own that stays: it does not need the principal's
                    }

                    string through = await RelatedAsync(principal, q, ct).ConfigureAwait(false);
                    if (through != null)
                    {
                        return $"{share.Key} is still shared with {through}";
                    }
                }
            }

            return null;
        }

        /// <summary>How <paramref name="q"/> (a launch permission) relates to <paramref name="p"/> (losing access), or null when it does not.</summary>
        private async Task<string> RelatedAsync(Principal p, Principal q, CancellationToken ct)
        {
            if (p.Equals(q))
            {
                return q.Value;
            }

            string pOrg = OrganizationDirectory.OrganizationIdOf(p);
            string qOrg = OrganizationDirectory.OrganizationIdOf(q);
            switch (p.Type)
            {
                case PrincipalType.Organization when q.Type == PrincipalType.OrganizationalUnit:
                case PrincipalType.OrganizationalUnit when q.Type == PrincipalType.Organization:
                    return pOrg != null && pOrg == qOrg ? q.Value : null;
                case PrincipalType.Account when q.Type == PrincipalType.Organization || q.Type == PrincipalType.OrganizationalUnit:
                    return await AccountInAsync(p.Value, q, ct).ConfigureAwait(false);
                case PrincipalType.Organization when q.Type == PrincipalType.Account:
                case PrincipalType.OrganizationalUnit when q.Type == PrincipalType.Account:
                    return await AccountInAsync(q.Value, p, ct).ConfigureAwait(false) != null ? q.Value : null;
                default:
                    return null;
            }
        }

        /// <summary>Whether the account is in the organization / OU (Organizations, cached); when that cannot be read, assumed so (access is kept, never lost by a guess).</summary>
        private async Task<string> AccountInAsync(string accountId, Principal orgOrOu, CancellationToken ct)
        {
            string described = $"{orgOrOu.Value}, which may hold {accountId}";
            if (_organizations == null || !_organizations.IsAvailable)
            {
                return described + " (Organizations cannot be read here)";
            }

            OrganizationPlacement placement;
            try
            {
                placement = await _organizations.GetPlacementAsync(accountId, ct).ConfigureAwait(false);
            }
            catch (AmiShareException e)
            {
                return described + $" (Organizations could not tell: {e.ErrorId})";
            }

            if (placement == null || !placement.IsMember || placement.Organization == null)
            {
                return null;
            }

            string org = OrganizationDirectory.OrganizationIdOf(orgOrOu);
            if (org != null && org != placement.Organization.Id)
            {
                return null;
            }

            if (orgOrOu.Type == PrincipalType.Organization)
            {
                return $"{orgOrOu.Value}, which holds {accountId}";
            }

            string ou = OrganizationDirectory.OrganizationalUnitIdOf(orgOrOu);
            return placement.OrganizationalUnitIds.Contains(ou) ? $"{orgOrOu.Value}, which holds {accountId}" : null;
        }

        private string SnapshotKey(SnapshotRef s)
        {
            if (!string.IsNullOrEmpty(s.KmsKeyId))
            {
                return s.KmsKeyId;
            }

            return _snapshotKeys != null && _snapshotKeys.TryGetValue(s.SnapshotId, out string key) ? key : null;
        }

        private async Task LoadAsync(bool withKeys, CancellationToken ct)
        {
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (_images == null)
                {
                    _images = await _ec2.DescribeOwnedImagesAsync(ct).ConfigureAwait(false);
                }

                if (withKeys && _snapshotKeys == null)
                {
                    var keys = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (SnapshotInfo s in await _ec2.DescribeOwnedEncryptedSnapshotsAsync(ct).ConfigureAwait(false))
                    {
                        if (!string.IsNullOrEmpty(s.KmsKeyId))
                        {
                            keys[s.SnapshotId] = s.KmsKeyId;
                        }
                    }

                    _snapshotKeys = keys;
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>The key id of a key ARN (arn:…:key/1234…), or the value itself.</summary>
        internal static string KeyIdOf(string keyArnOrId)
        {
            if (string.IsNullOrEmpty(keyArnOrId))
            {
                return keyArnOrId;
            }

            int i = keyArnOrId.LastIndexOf(":key/", StringComparison.Ordinal);
            return i >= 0 ? keyArnOrId.Substring(i + 5) : keyArnOrId;
        }

        /// <summary>Releases the ledger's lock.</summary>
        public void Dispose() => _gate.Dispose();
    }
}
