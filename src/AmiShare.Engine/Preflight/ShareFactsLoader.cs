using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Organizations;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Preflight
{
    /// <summary>
    /// The facts loader: every AWS read the preflight rules (and the Revoke / Reset plans) need for one AMI, through the
    /// gateways only, in a fixed order (image, launch permissions, snapshot keys, key policies and grants, organization
    /// subjects, block public access, public-AMI count, snapshot block public access). Account-level reads are made once per run by the gateways
    /// underneath, not cached here. A read the caller may not be allowed to make is kept as a fact (its error), for the
    /// rules to turn into a Warn; anything else is thrown.
    /// </summary>
    internal sealed class ShareFactsLoader
    {
        private readonly IEc2Gateway _ec2;
        private readonly IKmsGateway _kms;
        private readonly OrganizationDirectory _organizations;
        private readonly IShareReporter _reporter;

        public ShareFactsLoader(IEc2Gateway ec2, IKmsGateway kms, OrganizationDirectory organizations, IShareReporter reporter)
        {
            _ec2 = ec2;
            _kms = kms;
            _organizations = organizations;
            _reporter = reporter ?? NullShareReporter.Instance;
        }

        /// <summary>The facts of a preflight for sharing <paramref name="id"/> with <paramref name="targets"/> (or for public).</summary>
        public async Task<ShareFacts> LoadAsync(string id, IReadOnlyList<Principal> targets, bool forPublic, DateTime now, CancellationToken ct)
        {
            var facts = new ShareFacts { ImageId = id, Region = _ec2.Region, Now = now, KmsAvailable = _kms != null };
            facts.Image = await _ec2.DescribeImageAsync(id, ct).ConfigureAwait(false);
            try
            {
                facts.Current = await _ec2.GetLaunchPermissionsAsync(id, ct).ConfigureAwait(false);
            }
            catch (AmiShareException e) when (e.ErrorId == ErrorIds.AmiNotOwned)
            {
                facts.NotOwned = e;
            }

            await LoadKeysAsync(facts, ct).ConfigureAwait(false);
            if (!forPublic && targets.Count > 0)
            {
                await LoadKeyAccessAsync(facts, targets, ct).ConfigureAwait(false);
            }

            if (forPublic && facts.Owned)
            {
                await LoadPublicAsync(facts, ct).ConfigureAwait(false);
            }

            return facts;
        }

        /// <summary>Reads the image's snapshots' keys: fills missing KmsKeyIds from DescribeSnapshots, then DescribeKey each distinct key.</summary>
        public async Task LoadKeysAsync(ShareFacts facts, CancellationToken ct)
        {
            if (facts.Image == null)
            {
                facts.Image = await _ec2.DescribeImageAsync(facts.ImageId, ct).ConfigureAwait(false);
            }

            List<SnapshotRef> encrypted = facts.Image.Snapshots.Where(s => s.Encrypted).ToList();
            List<string> missing = encrypted.Where(s => string.IsNullOrEmpty(s.KmsKeyId)).Select(s => s.SnapshotId).Distinct().ToList();
            if (missing.Count > 0)
            {
                try
                {
                    IReadOnlyList<SnapshotInfo> infos = await _ec2.DescribeSnapshotsAsync(missing, ct).ConfigureAwait(false);
                    foreach (SnapshotRef s in encrypted.Where(x => string.IsNullOrEmpty(x.KmsKeyId)))
                    {
                        SnapshotInfo info = infos.FirstOrDefault(i => i.SnapshotId == s.SnapshotId);
                        if (info != null && !string.IsNullOrEmpty(info.KmsKeyId))
                        {
                            s.KmsKeyId = info.KmsKeyId;
                        }
                    }
                }
                catch (AmiShareException e)
                {
                    _reporter.Debug($"{facts.ImageId}: DescribeSnapshots failed ({e.ErrorId}); encryption keys of {string.Join(", ", missing)} stay unknown");
                }
            }

            foreach (SnapshotRef s in encrypted.Where(x => !string.IsNullOrEmpty(x.KmsKeyId)))
            {
                KeyFacts key = facts.Keys.FirstOrDefault(k => k.KeyId == s.KmsKeyId);
                if (key == null)
                {
                    key = new KeyFacts { KeyId = s.KmsKeyId };
                    facts.Keys.Add(key);
                    if (_kms != null)
                    {
                        try
                        {
                            key.Info = await _kms.DescribeKeyAsync(s.KmsKeyId, ct).ConfigureAwait(false);
                        }
                        catch (AmiShareException e)
                        {
                            key.DescribeError = e;
                        }
                    }
                }

                if (!key.SnapshotIds.Contains(s.SnapshotId))
                {
                    key.SnapshotIds.Add(s.SnapshotId);
                }
            }
        }

        /// <summary>Reads policy (and grants when <paramref name="withGrants"/>) of a customer managed key, once.</summary>
        public async Task LoadPolicyAsync(KeyFacts key, bool withGrants, CancellationToken ct)
        {
            if (_kms == null || key.Info == null)
            {
                return;
            }

            try
            {
                if (key.Policy == null)
                {
                    key.Policy = await _kms.GetKeyPolicyAsync(key.KeyArn, ct).ConfigureAwait(false);
                    key.Document = KeyPolicyDocument.Parse(key.Policy, key.KeyArn);
                }

                if (withGrants && key.Grants == null)
                {
                    key.Grants = await _kms.ListGrantsAsync(key.KeyArn, ct).ConfigureAwait(false);
                }
            }
            catch (AmiShareException e)
            {
                key.PolicyError = e;
            }
        }

        /// <summary>Key policies and grants of the usable customer managed keys, and the targets as key policies see them (organization paths).</summary>
        private async Task LoadKeyAccessAsync(ShareFacts facts, IReadOnlyList<Principal> targets, CancellationToken ct)
        {
            List<KeyFacts> keys = facts.Keys.Where(k => k.IsCustomerManagedAndUsable).ToList();
            if (keys.Count == 0 || !facts.Owned)
            {
                return;
            }

            bool anyAccount = targets.Any(p => p.Type == PrincipalType.Account);
            foreach (KeyFacts key in keys)
            {
                await LoadPolicyAsync(key, anyAccount, ct).ConfigureAwait(false);
            }

            bool orgConditions = keys.Any(k => k.Policy != null && k.Policy.IndexOf("aws:PrincipalOrg", StringComparison.OrdinalIgnoreCase) >= 0);
            var orgs = new KeyAccessSubjects(_organizations, _reporter);
            foreach (Principal p in targets)
            {
                if (!facts.Subjects.ContainsKey(p))
                {
                    facts.Subjects[p] = await orgs.SubjectAsync(p, resolveAccounts: orgConditions, ct).ConfigureAwait(false);
                }
            }
        }

        /// <summary>
        /// Under block-new-sharing a snapshot already public stays public: which of the AMI's are (DescribeSnapshotAttribute each;
        /// one the caller may not read counts as not public).
        /// </summary>
        private async Task<IReadOnlyList<string>> PublicSnapshotsAsync(ShareFacts facts, CancellationToken ct)
        {
            var result = new List<string>();
            foreach (string snapshotId in facts.Image.Snapshots.Select(s => s.SnapshotId).Distinct())
            {
                try
                {
                    if ((await _ec2.GetCreateVolumePermissionsAsync(snapshotId, ct).ConfigureAwait(false)).Contains(Principal.Everyone.Value))
                    {
                        result.Add(snapshotId);
                    }
                }
                catch (AmiShareException e) when (e.ErrorId == ErrorIds.AccessDenied)
                {
                    _reporter.Debug($"{facts.ImageId}: DescribeSnapshotAttribute {snapshotId} denied; counted as not public");
                }
            }

            return result;
        }

        /// <summary>Block public access (for AMIs, and for snapshots when the AMI has EBS snapshots) and the public-AMI count: reads the caller may not be allowed to make (AccessDenied is a fact).</summary>
        public async Task LoadPublicAsync(ShareFacts facts, CancellationToken ct)
        {
            try
            {
                facts.BlockPublicAccess = await _ec2.GetImageBlockPublicAccessAsync(ct).ConfigureAwait(false);
            }
            catch (AmiShareException e) when (e.ErrorId == ErrorIds.AccessDenied)
            {
                facts.BlockPublicAccessError = e;
            }

            try
            {
                facts.PublicImageCount = await _ec2.CountOwnedPublicImagesAsync(ct).ConfigureAwait(false);
            }
            catch (AmiShareException e) when (e.ErrorId == ErrorIds.AccessDenied)
            {
                facts.PublicImageCountError = e;
            }

            if (facts.Image.Snapshots.Count == 0)
            {
                return; // block public access for snapshots is about EBS snapshots only
            }

            try
            {
                facts.SnapshotBlockPublicAccess = await _ec2.GetSnapshotBlockPublicAccessAsync(ct).ConfigureAwait(false);
            }
            catch (AmiShareException e) when (e.ErrorId == ErrorIds.AccessDenied || (e.ErrorId == ErrorIds.AwsServiceError && e.Kind != AmiShareErrorKind.NotSpecified))
            {
                // Only a Warn depends on it: denied, or an endpoint that does not know the action, is a fact, not a failure.
                facts.SnapshotBlockPublicAccessError = e;
            }

            if (facts.SnapshotBlockPublicAccess != null && facts.SnapshotBlockPublicAccess.BlocksNewSharing && !facts.SnapshotBlockPublicAccess.BlocksAllSharing)
            {
                facts.PublicSnapshotIds = await PublicSnapshotsAsync(facts, ct).ConfigureAwait(false);
            }
        }
    }
}
