using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Plans;

namespace AmiShare.Engine.Execution
{
    /// <summary>
    /// Applies a <see cref="SharePlan"/>: the writes, in the documented order. Thread-safe for different AMIs applied
    /// concurrently: a KMS key policy's read-modify-write (GetKeyPolicy, re-apply the planned edit, PutKeyPolicy) holds a
    /// process-wide lock per key ARN, and a snapshot's createVolumePermission writes a lock per snapshot id.
    /// </summary>
    internal sealed class ShareExecutor
    {
        // Process-wide: a key ARN and a snapshot id name one resource whatever service (session) writes to it.
        private static readonly KeyedAsyncLock s_keyLocks = new KeyedAsyncLock();
        private static readonly KeyedAsyncLock s_snapshotLocks = new KeyedAsyncLock();

        private readonly IEc2Gateway _ec2;
        private readonly IKmsGateway _kms;
        private readonly IShareReporter _reporter;

        public ShareExecutor(IEc2Gateway ec2, IKmsGateway kms, IShareReporter reporter)
        {
            _ec2 = ec2;
            _kms = kms;
            _reporter = reporter;
        }

        /// <summary>
        /// Applies <paramref name="plan"/> and says what happened. A plan without changes makes no call (the planner already said
        /// "nothing to change").
        /// </summary>
        public async Task<ShareResult> ApplyAsync(SharePlan plan, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = new ShareResult
            {
                ImageId = plan.ImageId,
                ImageName = plan.ImageName,
                Region = plan.Region ?? _ec2.Region,
                Operation = plan.Operation,
                Unchanged = plan.Unchanged,
                AccessKept = plan.AccessKept,
            };

            if (!plan.HasChanges)
            {
                result.Changed = false;
                result.LaunchPermissions = plan.Current;
                return result;
            }

            await ApplyPlanAsync(plan, result, cancellationToken).ConfigureAwait(false);
            result.Changed = true;
            result.LaunchPermissions = plan.Expected;
            return result;
        }

        /// <summary>
        /// Writes a plan. Grant (and Set-AmiPublic): KMS key policies and snapshot permissions first, then the one image
        /// write, so by the time consumers can see the AMI they can also launch (and copy) it. Revoke, Set-AmiPublic
        /// -Public:$false and Reset: the image write first, so access ends before the key and snapshots stop working
        /// for consumers mid-launch; then KMS, then snapshots.
        /// </summary>
        private async Task ApplyPlanAsync(SharePlan plan, ShareResult result, CancellationToken cancellationToken)
        {
            if (plan.Operation == ShareOperation.Set)
            {
                // Access for the added first, then the one image write (adds and removes), then access of the removed goes.
                var keys = new List<string>(await ApplyKeyPoliciesAsync(plan, plan.KeyPolicyChanges.Take(plan.KeyChangesBeforeImage), cancellationToken).ConfigureAwait(false));
                var snapshots = new List<string>(await ApplySnapshotsAsync(plan.SnapshotChanges.Take(plan.SnapshotChangesBeforeImage), cancellationToken).ConfigureAwait(false));
                await ApplyImageAsync(plan, result, cancellationToken).ConfigureAwait(false);
                keys.AddRange(await ApplyKeyPoliciesAsync(plan, plan.KeyPolicyChanges.Skip(plan.KeyChangesBeforeImage), cancellationToken).ConfigureAwait(false));
                snapshots.AddRange(await ApplySnapshotsAsync(plan.SnapshotChanges.Skip(plan.SnapshotChangesBeforeImage), cancellationToken).ConfigureAwait(false));
                result.KeyPoliciesChanged = keys.Distinct(StringComparer.Ordinal).ToList();
                result.SnapshotsChanged = snapshots.Distinct(StringComparer.Ordinal).ToList();
                return;
            }

            bool grantOrder = plan.Operation == ShareOperation.Grant || plan.Operation == ShareOperation.SetPublic;
            if (grantOrder)
            {
                result.KeyPoliciesChanged = await ApplyKeyPoliciesAsync(plan, plan.KeyPolicyChanges, cancellationToken).ConfigureAwait(false);
                result.SnapshotsChanged = await ApplySnapshotsAsync(plan.SnapshotChanges, cancellationToken).ConfigureAwait(false);
                await ApplyImageAsync(plan, result, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ApplyImageAsync(plan, result, cancellationToken).ConfigureAwait(false);
                result.KeyPoliciesChanged = await ApplyKeyPoliciesAsync(plan, plan.KeyPolicyChanges, cancellationToken).ConfigureAwait(false);
                result.SnapshotsChanged = await ApplySnapshotsAsync(plan.SnapshotChanges, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task ApplyImageAsync(SharePlan plan, ShareResult result, CancellationToken cancellationToken)
        {
            if (!plan.HasImageChanges)
            {
                return;
            }

            if (plan.IsReset)
            {
                await _ec2.ResetLaunchPermissionsAsync(plan.ImageId, cancellationToken).ConfigureAwait(false);
                result.Removed = plan.Current;
            }
            else
            {
                try
                {
                    await _ec2.ModifyLaunchPermissionsAsync(plan.ImageId, plan.ToAdd, plan.ToRemove, cancellationToken).ConfigureAwait(false);
                }
                catch (AmiShareException e) when (e.ErrorId == ErrorIds.PublicImageQuotaExceeded)
                {
                    // EC2 decides the quota (it is adjustable); say how many public AMIs the account has, read now.
                    throw AwsErrorMapper.WithPublicImageCount(e, plan.ImageId, plan.Region ?? _ec2.Region, await CountPublicImagesOrNullAsync(plan.ImageId, cancellationToken).ConfigureAwait(false));
                }

                result.Added = plan.ToAdd;
                result.Removed = plan.ToRemove;
            }
        }

        private async Task<int?> CountPublicImagesOrNullAsync(string imageId, CancellationToken cancellationToken)
        {
            try
            {
                return await _ec2.CountOwnedPublicImagesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (AmiShareException e)
            {
                _reporter.Debug($"{imageId}: counting the account's public AMIs after EC2's ResourceLimitExceeded failed ({e.ErrorId}); the error names EC2's quota only");
                return null;
            }
        }

        private async Task<IReadOnlyList<string>> ApplyKeyPoliciesAsync(SharePlan plan, IEnumerable<KeyPolicyChange> changes, CancellationToken cancellationToken)
        {
            var changed = new List<string>();
            List<KeyPolicyChange> list = changes.ToList();
            if (list.Count == 0)
            {
                return changed;
            }

            if (_kms == null)
            {
                throw new AmiShareException(
                    ErrorIds.KmsKeyNotUsable,
                    AmiShareErrorKind.InvalidOperation,
                    $"The plan for {plan.ImageId} changes KMS key policies, and KMS is not available to this command.",
                    plan.ImageId,
                    "Run the command with credentials and an endpoint that can call KMS in this region.");
            }

            foreach (KeyPolicyChange change in list)
            {
                // Re-read under the key's lock: if someone (or another AMI of this run) edited the policy since the plan, apply
                // the same edit to their version, so two AMIs behind one key applied at once never lose each other's statements.
                using (await s_keyLocks.LockAsync(change.KeyArn, cancellationToken).ConfigureAwait(false))
                {
                    string current = await _kms.GetKeyPolicyAsync(change.KeyArn, cancellationToken).ConfigureAwait(false);
                    string policy = KeyPolicyPlanner.Reapply(change, current);
                    if (policy == null || string.Equals(policy, current, StringComparison.Ordinal))
                    {
                        _reporter.Verbose($"{plan.ImageId}: the key policy of {change.KeyArn} already has the AmiShare statements needed; not changed");
                        continue;
                    }

                    await _kms.PutKeyPolicyAsync(change.KeyArn, policy, cancellationToken).ConfigureAwait(false);
                    changed.Add(change.KeyArn);
                }
            }

            return changed;
        }

        private async Task<IReadOnlyList<string>> ApplySnapshotsAsync(IEnumerable<SnapshotPermissionChange> changes, CancellationToken cancellationToken)
        {
            var changed = new List<string>();
            int max = Ec2Limits.MaxSnapshotPermissionChangesPerCall;
            foreach (SnapshotPermissionChange change in changes)
            {
                // EC2 takes adds or removes per call, never both, and at most 500 of them; one AMI at a time per snapshot.
                using (await s_snapshotLocks.LockAsync(change.SnapshotId, cancellationToken).ConfigureAwait(false))
                {
                    for (int i = 0; i < change.AddAccounts.Count; i += max)
                    {
                        await _ec2.ModifyCreateVolumePermissionsAsync(change.SnapshotId, change.AddAccounts.Skip(i).Take(max).ToList(), Array.Empty<string>(), cancellationToken).ConfigureAwait(false);
                    }

                    for (int i = 0; i < change.RemoveAccounts.Count; i += max)
                    {
                        await _ec2.ModifyCreateVolumePermissionsAsync(change.SnapshotId, Array.Empty<string>(), change.RemoveAccounts.Skip(i).Take(max).ToList(), cancellationToken).ConfigureAwait(false);
                    }
                }

                if (change.AddAccounts.Count + change.RemoveAccounts.Count > 0)
                {
                    changed.Add(change.SnapshotId);
                }
            }

            return changed;
        }
    }
}
