using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Sharing
{
    /// <summary>
    /// Preflight (Test-AmiShareable), the checked Grant / Set-AmiPublic plans, -IncludeKmsKey / -IncludeSnapshot
    /// planning, and applying a plan's KMS and snapshot changes.
    /// </summary>
    public sealed partial class AmiShareService
    {
        private PreflightRunner Runner() => new PreflightRunner(_ec2, _kms, _organizations, _reporter);

        private async Task<PreflightReport> TestShareableCoreAsync(string imageId, IReadOnlyList<Principal> principals, bool forPublic, ShareOptions options, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(imageId);
            cancellationToken.ThrowIfCancellationRequested();
            bool makesPublic = forPublic || (principals != null && principals.Contains(Principal.Everyone));
            PreflightContext ctx = await Runner().RunAsync(id, principals, makesPublic, options, cancellationToken).ConfigureAwait(false);
            PreflightReport report = ctx.Report;
            _reporter.Verbose($"{id}: preflight {report.Findings.Count(f => f.Status == FindingStatus.Pass)} pass, {report.Warnings.Count()} warn, {report.Failures.Count()} fail");
            return report;
        }

        private async Task<SharePlan> PlanGrantCoreAsync(string imageId, IReadOnlyList<Principal> principals, ShareOptions options, CancellationToken cancellationToken)
        {
            options = options ?? ShareOptions.None;
            string id = ImageIds.Normalize(imageId);
            IReadOnlyList<Principal> requested = RequirePrincipals(principals, id, "grant");
            RejectPublic(id, requested);

            cancellationToken.ThrowIfCancellationRequested();

            // Every check first; a Fail stops this AMI before any write (ErrorId of the check, remedy in the message).
            PreflightRunner runner = Runner();
            PreflightContext ctx = await runner.RunAsync(id, requested, false, options, cancellationToken).ConfigureAwait(false);
            PreflightReport report = ctx.Report;
            if (report.HasFailures)
            {
                throw report.ToException();
            }

            SharePlan plan = GrantPlan(id, ctx.Current, requested);
            plan.ImageName = ctx.Image.Name;
            plan.Options = options;
            plan.Preflight = report;
            var warnings = new List<string>(ctx.WarningTexts);

            if (options.IncludeKmsKey)
            {
                plan.KeyPolicyChanges = PlanKeyGrants(ctx, requested, warnings);
            }

            if (options.IncludeSnapshot)
            {
                plan.SnapshotChanges = await PlanSnapshotChangesAsync(ctx.Image, requested, grant: true, cancellationToken).ConfigureAwait(false);
            }

            plan.Warnings = warnings;
            ReportPlan(plan);
            return plan;
        }

        private async Task<SharePlan> PlanRevokeCoreAsync(string imageId, IReadOnlyList<Principal> principals, ShareOptions options, CancellationToken cancellationToken)
        {
            options = options ?? ShareOptions.None;

            // The launch-permission part (and its warnings about access kept through organizations) as without options.
            SharePlan plan = await PlanRevokeLaunchAsync(imageId, principals, cancellationToken).ConfigureAwait(false);
            plan.Options = options;
            if (!options.IncludeKmsKey && !options.IncludeSnapshot)
            {
                ReportPlan(plan);
                return plan;
            }

            IReadOnlyList<Principal> requested = plan.ToRemove.Concat(plan.Unchanged).Distinct().ToList();
            var ctx = new PreflightContext { ImageId = plan.ImageId, Region = Region, Image = plan.Image };
            PreflightRunner runner = Runner();
            await runner.LoadKeysAsync(ctx, cancellationToken).ConfigureAwait(false);

            var kept = new List<AccessKept>();
            if (options.IncludeKmsKey)
            {
                var changes = new List<KeyPolicyChange>();
                foreach (KeyFacts key in ctx.Keys)
                {
                    RequireKms(key);
                    if (key.Info.IsAwsManaged)
                    {
                        continue; // AWS managed keys have no AmiShare statements (and their policy cannot be changed)
                    }

                    await runner.LoadPolicyAsync(key, withGrants: false, ct: cancellationToken).ConfigureAwait(false);
                    if (key.PolicyError != null)
                    {
                        throw key.PolicyError;
                    }

                    // Key access belongs to the key: a principal keeps it while another AMI behind the key stays shared with it.
                    IReadOnlyList<Principal> losing = await KeyAccessToRemoveAsync(plan.ImageId, plan.Expected, key.KeyArn, key.Policy, KeyPolicyHolders(key, requested), kept, cancellationToken).ConfigureAwait(false);
                    KeyPolicyChange change = KeyPolicyPlanner.PlanRevoke(key.KeyArn, key.Policy, losing);
                    if (change != null)
                    {
                        changes.Add(change);
                    }
                }

                plan.KeyPolicyChanges = changes;
            }

            if (options.IncludeSnapshot)
            {
                plan.SnapshotChanges = await PlanSnapshotChangesAsync(ctx.Image, requested, grant: false, cancellationToken, plan.Expected, kept).ConfigureAwait(false);
            }

            plan.AccessKept = kept;
            ReportPlan(plan);
            return plan;
        }

        private async Task<SharePlan> PlanSetPublicCoreAsync(string id, CancellationToken cancellationToken)
        {
            PreflightContext ctx = await Runner().RunAsync(id, null, true, ShareOptions.None, cancellationToken).ConfigureAwait(false);
            PreflightReport report = ctx.Report;
            SharePlan plan = NewPlan(id, ShareOperation.SetPublic, ctx.Current);
            plan.ImageName = ctx.Image.Name;
            plan.Preflight = report;
            if (ctx.Owned && ctx.Current.Contains(Principal.Everyone))
            {
                plan.Unchanged = new[] { Principal.Everyone };
                ReportPlan(plan);
                return plan;
            }

            if (report.HasFailures)
            {
                throw report.ToException();
            }

            plan.Warnings = ctx.WarningTexts;
            plan.ToAdd = new[] { Principal.Everyone };
            ReportPlan(plan);
            return plan;
        }

        private List<KeyPolicyChange> PlanKeyGrants(PreflightContext ctx, IReadOnlyList<Principal> requested, List<string> warnings)
        {
            var changes = new List<KeyPolicyChange>();
            foreach (KeyFacts key in ctx.Keys)
            {
                RequireKms(key);
                if (!key.IsCustomerManagedAndUsable)
                {
                    continue; // aws/ebs and disabled keys already failed the preflight
                }

                if (key.PolicyError != null)
                {
                    throw key.PolicyError;
                }

                if (key.Policy == null)
                {
                    continue; // nobody to add (no principal needs the key)
                }

                var subjects = new List<KeyAccessSubject>();
                foreach (Principal p in requested)
                {
                    if (!ctx.Access.TryGetValue(Tuple.Create(key.KeyId, p), out KeyAccessResult access) || access.HasAccess)
                    {
                        continue; // owner, or already has what launching needs
                    }

                    KeyAccessSubject subject = ctx.Subjects[p];
                    if ((p.Type == PrincipalType.Organization && subject.OrganizationId == null)
                        || (p.Type == PrincipalType.OrganizationalUnit && (subject.OrganizationId == null || subject.OrganizationalUnitId == null)))
                    {
                        warnings.Add($"-IncludeKmsKey cannot give {p.Value} access to {key.KeyArn}: its organization id is unknown. Give the full organization or OU ARN.");
                        continue;
                    }

                    subjects.Add(subject);
                }

                KeyPolicyChange change = KeyPolicyPlanner.PlanGrant(key.KeyArn, key.Policy, key.Partition, subjects);
                if (change != null)
                {
                    changes.Add(change);
                }
            }

            return changes;
        }

        private void RequireKms(KeyFacts key)
        {
            if (key.DescribeError != null)
            {
                throw key.DescribeError;
            }

            if (_kms == null || key.Info == null)
            {
                throw new AmiShareException(
                    ErrorIds.KmsKeyNotUsable,
                    AmiShareErrorKind.InvalidOperation,
                    $"-IncludeKmsKey needs KMS to read key {key.KeyId}, and KMS is not available to this command.",
                    key.KeyId,
                    "Run the command with credentials and an endpoint that can call KMS in this region.");
            }
        }

        /// <summary>
        /// The snapshot changes of a grant or revoke. On revoke (<paramref name="after"/> = the AMI's launch permissions after it), an
        /// account keeps createVolumePermission on a snapshot while another AMI it backs stays shared with it (<paramref name="kept"/>).
        /// </summary>
        private async Task<IReadOnlyList<SnapshotPermissionChange>> PlanSnapshotChangesAsync(ImageInfo image, IReadOnlyList<Principal> requested, bool grant, CancellationToken cancellationToken, IReadOnlyList<Principal> after = null, List<AccessKept> kept = null)
        {
            // Snapshots take accounts only (organizations / OUs: see the SnapshotSharing finding); the owner needs none.
            List<string> accounts = requested
                .Where(p => p.Type == PrincipalType.Account && p.Value != image.OwnerId)
                .Select(p => p.Value)
                .Distinct()
                .ToList();
            var changes = new List<SnapshotPermissionChange>();
            if (accounts.Count == 0)
            {
                return changes;
            }

            foreach (string snapshotId in image.Snapshots.Select(s => s.SnapshotId).Distinct())
            {
                IReadOnlyList<string> current = await _ec2.GetCreateVolumePermissionsAsync(snapshotId, cancellationToken).ConfigureAwait(false);
                var present = new HashSet<string>(current, StringComparer.Ordinal);
                List<string> delta = accounts.Where(a => grant != present.Contains(a)).ToList();
                if (!grant && kept != null)
                {
                    delta = await SnapshotAccessToRemoveAsync(image.ImageId, after, snapshotId, delta, kept, cancellationToken).ConfigureAwait(false);
                }

                if (delta.Count > 0)
                {
                    changes.Add(new SnapshotPermissionChange
                    {
                        SnapshotId = snapshotId,
                        AddAccounts = grant ? delta : new List<string>(),
                        RemoveAccounts = grant ? new List<string>() : delta,
                    });
                }
            }

            return changes;
        }

        /// <summary>
        /// Writes a plan. Grant (and Set-AmiPublic): KMS key policies and snapshot permissions first, then the one image
        /// write, so by the time consumers can see the AMI they can also launch (and copy) it. Revoke, Set-AmiPublic
        /// -Public:$false and Reset: the image write first, so access ends before the key and snapshots stop working
        /// for consumers mid-launch; then KMS, then snapshots.
        /// </summary>
        private async Task ApplyPlanAsync(SharePlan plan, ShareResult result, CancellationToken cancellationToken)
        {
            bool grantOrder = plan.Operation == ShareOperation.Grant || plan.Operation == ShareOperation.SetPublic;
            if (grantOrder)
            {
                result.KeyPoliciesChanged = await ApplyKeyPoliciesAsync(plan, cancellationToken).ConfigureAwait(false);
                result.SnapshotsChanged = await ApplySnapshotsAsync(plan, cancellationToken).ConfigureAwait(false);
                await ApplyImageAsync(plan, result, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ApplyImageAsync(plan, result, cancellationToken).ConfigureAwait(false);
                result.KeyPoliciesChanged = await ApplyKeyPoliciesAsync(plan, cancellationToken).ConfigureAwait(false);
                result.SnapshotsChanged = await ApplySnapshotsAsync(plan, cancellationToken).ConfigureAwait(false);
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
                    throw AwsErrorMapper.WithPublicImageCount(e, plan.ImageId, plan.Region ?? Region, await CountPublicImagesOrNullAsync(plan.ImageId, cancellationToken).ConfigureAwait(false));
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

        private async Task<IReadOnlyList<string>> ApplyKeyPoliciesAsync(SharePlan plan, CancellationToken cancellationToken)
        {
            var changed = new List<string>();
            if (plan.KeyPolicyChanges.Count == 0)
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

            foreach (KeyPolicyChange change in plan.KeyPolicyChanges)
            {
                // Re-read: if someone edited the policy since the plan, apply the same edit to their version.
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

            return changed;
        }

        private async Task<IReadOnlyList<string>> ApplySnapshotsAsync(SharePlan plan, CancellationToken cancellationToken)
        {
            var changed = new List<string>();
            int max = Ec2Limits.MaxSnapshotPermissionChangesPerCall;
            foreach (SnapshotPermissionChange change in plan.SnapshotChanges)
            {
                // EC2 takes adds or removes per call, never both, and at most 500 of them.
                for (int i = 0; i < change.AddAccounts.Count; i += max)
                {
                    await _ec2.ModifyCreateVolumePermissionsAsync(change.SnapshotId, change.AddAccounts.Skip(i).Take(max).ToList(), new string[0], cancellationToken).ConfigureAwait(false);
                }

                for (int i = 0; i < change.RemoveAccounts.Count; i += max)
                {
                    await _ec2.ModifyCreateVolumePermissionsAsync(change.SnapshotId, new string[0], change.RemoveAccounts.Skip(i).Take(max).ToList(), cancellationToken).ConfigureAwait(false);
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
