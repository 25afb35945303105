using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Access;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Organizations;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Planning
{
    /// <summary>
    /// Builds the <see cref="SharePlan"/> of one operation on one AMI: one method per operation. Reads go through the
    /// facts loader (<see cref="PreflightRunner"/>) and the gateways; the rules are pure; nothing here writes. Thread-safe
    /// for different AMIs planned concurrently: every call keeps its state in locals, and the shared collaborators
    /// (<see cref="OwnedImageLedger"/>, <see cref="OrganizationDirectory"/>) lock their own caches.
    /// </summary>
    internal sealed partial class SharePlanner
    {
        private readonly IEc2Gateway _ec2;
        private readonly IKmsGateway _kms;
        private readonly ShareFactsLoader _facts;
        private readonly OrganizationDirectory _organizations;
        private readonly KeyAccessKeeper _keeper;
        private readonly IShareReporter _reporter;

        public SharePlanner(IEc2Gateway ec2, IKmsGateway kms, OrganizationDirectory organizations, OwnedImageLedger ledger, IShareReporter reporter)
        {
            _ec2 = ec2;
            _kms = kms;
            _facts = new ShareFactsLoader(ec2, kms, organizations, reporter);
            _organizations = organizations;
            _reporter = reporter;
            _keeper = new KeyAccessKeeper(ledger, reporter);
        }

        private string Region => _ec2.Region;

        /// <summary>The preflight: the facts loader's reads, then the pure rules.</summary>
        internal PreflightRunner Runner() => new PreflightRunner(_facts);

        /// <summary>Grant: every preflight check first (a Fail throws before any write), then launch permissions, key policies, snapshots.</summary>
        public async Task<SharePlan> GrantAsync(string id, IReadOnlyList<Principal> requested, ShareOptions options, CancellationToken cancellationToken)
        {
            PreflightContext ctx = await Runner().RunAsync(id, requested, false, options, cancellationToken).ConfigureAwait(false);
            PreflightReport report = ctx.Report;
            if (report.HasFailures)
            {
                throw report.ToException();
            }

            var currentSet = new HashSet<Principal>(ctx.Current);
            SharePlan plan = NewPlan(id, ShareOperation.Grant, ctx.Current, options);
            plan.ToAdd = requested.Where(p => !currentSet.Contains(p)).ToList();
            plan.Unchanged = requested.Where(currentSet.Contains).ToList();
            plan.ImageName = ctx.Image.Name;
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
            return plan;
        }

        /// <summary>Revoke: launch permissions and the warnings about access kept through organizations; with options, key policies and snapshots.</summary>
        public async Task<SharePlan> RevokeAsync(string id, IReadOnlyList<Principal> requested, ShareOptions options, CancellationToken cancellationToken)
        {
            IReadOnlyList<Principal> current = await _ec2.GetLaunchPermissionsAsync(id, cancellationToken).ConfigureAwait(false);
            var currentSet = new HashSet<Principal>(current);
            SharePlan plan = NewPlan(id, ShareOperation.Revoke, current, options);
            plan.ToRemove = requested.Where(currentSet.Contains).ToList();
            plan.Unchanged = requested.Where(p => !currentSet.Contains(p)).ToList();

            // Removed accounts that keep access through an organization / OU / public permission that stays (no Organizations
            // read when nothing is removed).
            plan.Warnings = await new LaunchAccessEvaluator(_organizations).RevokeWarningsAsync(id, plan, cancellationToken).ConfigureAwait(false);
            if (!options.IncludeKmsKey && !options.IncludeSnapshot)
            {
                return plan;
            }

            IReadOnlyList<Principal> all = plan.ToRemove.Concat(plan.Unchanged).Distinct().ToList();
            var ctx = new ShareFacts { ImageId = plan.ImageId, Region = Region };
            await _facts.LoadKeysAsync(ctx, cancellationToken).ConfigureAwait(false);

            var kept = new List<AccessKept>();
            var keyChanges = new List<KeyPolicyChange>();
            var snapshotChanges = new List<SnapshotPermissionChange>();
            await PlanAccessLossAsync(plan, ctx, all, keyChanges, snapshotChanges, kept, cancellationToken).ConfigureAwait(false);
            if (options.IncludeKmsKey)
            {
                plan.KeyPolicyChanges = keyChanges;
            }

            if (options.IncludeSnapshot)
            {
                plan.SnapshotChanges = snapshotChanges;
            }

            plan.AccessKept = kept;
            return plan;
        }

        /// <summary>
        /// The key-policy and snapshot changes (per <see cref="SharePlan.Options"/>) that take access away from <paramref name="losing"/>
        /// on <paramref name="ctx"/>'s keys and snapshots, keeping what another AMI behind them still needs (<paramref name="kept"/>).
        /// </summary>
        private async Task PlanAccessLossAsync(SharePlan plan, ShareFacts ctx, IReadOnlyList<Principal> losing, List<KeyPolicyChange> keyChanges, List<SnapshotPermissionChange> snapshotChanges, List<AccessKept> kept, CancellationToken cancellationToken)
        {
            if (plan.Options.IncludeKmsKey)
            {
                foreach (KeyFacts key in ctx.Keys)
                {
                    RequireKms(key);
                    if (key.Info.IsAwsManaged)
                    {
                        continue; // AWS managed keys have no AmiShare statements (and their policy cannot be changed)
                    }

                    await _facts.LoadPolicyAsync(key, withGrants: false, ct: cancellationToken).ConfigureAwait(false);
                    if (key.PolicyError != null)
                    {
                        throw key.PolicyError;
                    }

                    // Key access belongs to the key: a principal keeps it while another AMI behind the key stays shared with it.
                    IReadOnlyList<Principal> remove = await _keeper.KeyAccessToRemoveAsync(plan.ImageId, plan.Expected, key.KeyArn, key.Policy, KeyAccessKeeper.KeyPolicyHolders(key.KeyArn, key.Policy, losing), kept, cancellationToken).ConfigureAwait(false);
                    KeyPolicyChange change = KeyPolicyPlanner.PlanRevoke(key.KeyArn, key.Policy, remove);
                    if (change != null)
                    {
                        keyChanges.Add(change);
                    }
                }
            }

            if (plan.Options.IncludeSnapshot)
            {
                snapshotChanges.AddRange(await PlanSnapshotChangesAsync(ctx.Image, losing, grant: false, cancellationToken, plan.Expected, kept).ConfigureAwait(false));
            }
        }

        /// <summary>Reset-AmiLaunchPermission: every launch permission goes; see <see cref="ResetPlanning"/>.</summary>
        public async Task<SharePlan> ResetAsync(string id, ShareOptions options, CancellationToken cancellationToken)
        {
            IReadOnlyList<Principal> current = await _ec2.GetLaunchPermissionsAsync(id, cancellationToken).ConfigureAwait(false);
            SharePlan plan = NewPlan(id, ShareOperation.Reset, current, options);

            var ctx = new ShareFacts { ImageId = id, Region = Region };
            await _facts.LoadKeysAsync(ctx, cancellationToken).ConfigureAwait(false);
            plan.ImageName = ctx.Image.Name;

            var reset = new ResetPlanning(_ec2, _kms, _keeper, _reporter, Region, RequireKms);
            var warnings = new List<string>();
            var kept = new List<AccessKept>();
            var keyChanges = new List<KeyPolicyChange>();
            foreach (KeyFacts key in ctx.Keys)
            {
                KeyPolicyChange change = await reset.PlanKeyAsync(_facts, plan, key, warnings, kept, cancellationToken).ConfigureAwait(false);
                if (change != null)
                {
                    keyChanges.Add(change);
                }
            }

            plan.KeyPolicyChanges = keyChanges;
            plan.SnapshotChanges = await reset.PlanSnapshotsAsync(plan, ctx, warnings, kept, cancellationToken).ConfigureAwait(false);
            plan.AccessKept = kept;
            plan.Warnings = warnings;
            return plan;
        }

        private SharePlan NewPlan(string id, ShareOperation operation, IReadOnlyList<Principal> current, ShareOptions options) =>
            new SharePlan { ImageId = id, Region = Region, Operation = operation, Current = current ?? Array.Empty<Principal>(), Options = options };

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
                    delta = await _keeper.SnapshotAccessToRemoveAsync(image.ImageId, after, snapshotId, delta, kept, cancellationToken).ConfigureAwait(false);
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
    }
}
