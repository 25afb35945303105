using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Access;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Planning
{
    /// <summary>The desired-state operation (Set-AmiLaunchPermission, Copy-AmiLaunchPermission): the grant and revoke parts in one plan.</summary>
    internal sealed partial class SharePlanner
    {
        /// <summary>
        /// Set: the AMI's launch permissions become exactly <paramref name="desired"/>, in one ModifyImageAttribute carrying the adds and
        /// the removes (none when they already are). The adds pass Grant's preflight (with 'all': Set-AmiPublic's public checks);
        /// the removes get Revoke's warnings; with options, key and snapshot access follow (given for the added before the image
        /// write, taken from the removed after it). A public AMI whose desired set leaves 'all' out without saying so is refused.
        /// </summary>
        public async Task<SharePlan> SetAsync(string id, DesiredLaunchPermissions desired, ShareOptions options, CancellationToken cancellationToken)
        {
            List<Principal> wanted = desired.Principals.Where(p => p.Type != PrincipalType.Public).ToList();
            ShareFacts facts = await _facts.LoadAsync(id, wanted, false, DateTime.UtcNow, cancellationToken).ConfigureAwait(false);
            if (!facts.Owned)
            {
                var notOwned = new PreflightContext(facts);
                PreflightRunner.Evaluate(notOwned, wanted, false, options);
                throw notOwned.Report.ToException() ?? facts.NotOwned;
            }

            IReadOnlyList<Principal> current = facts.Current;
            bool isPublic = current.Contains(Principal.Everyone);
            if (isPublic && desired.Public == null)
            {
                throw PublicRemovalNotConfirmed(id, desired);
            }

            if (desired.Public == true)
            {
                wanted.Add(Principal.Everyone);
            }

            var currentSet = new HashSet<Principal>(current);
            var wantedSet = new HashSet<Principal>(wanted);
            SharePlan plan = NewPlan(id, ShareOperation.Set, current, options);
            plan.ImageName = facts.Image.Name;
            plan.ToAdd = wanted.Where(p => !currentSet.Contains(p)).ToList();
            plan.ToRemove = current.Where(p => !wantedSet.Contains(p)).ToList();
            plan.Unchanged = wanted.Where(currentSet.Contains).ToList();
            var warnings = new List<string>();
            var keyChanges = new List<KeyPolicyChange>();
            var snapshotChanges = new List<SnapshotPermissionChange>();

            List<Principal> adding = plan.ToAdd.Where(p => p.Type != PrincipalType.Public).ToList();
            if (plan.ToAdd.Count > 0)
            {
                // The checks of what is added: Grant's, or with 'all' the same public checks as Set-AmiPublic.
                bool addsPublic = plan.ToAdd.Contains(Principal.Everyone);
                if (addsPublic)
                {
                    await _facts.LoadPublicAsync(facts, cancellationToken).ConfigureAwait(false);
                }

                var ctx = new PreflightContext(facts);
                PreflightRunner.Evaluate(ctx, adding, addsPublic, options);
                if (ctx.Report.HasFailures)
                {
                    throw ctx.Report.ToException();
                }

                plan.Preflight = ctx.Report;
                warnings.AddRange(ctx.WarningTexts);
                if (options.IncludeKmsKey && !addsPublic)
                {
                    keyChanges.AddRange(PlanKeyGrants(ctx, adding, warnings));
                }

                if (options.IncludeSnapshot && !addsPublic)
                {
                    snapshotChanges.AddRange(await PlanSnapshotChangesAsync(facts.Image, adding, grant: true, cancellationToken).ConfigureAwait(false));
                }
            }

            plan.KeyChangesBeforeImage = keyChanges.Count;
            plan.SnapshotChangesBeforeImage = snapshotChanges.Count;
            var kept = new List<AccessKept>();
            if (plan.ToRemove.Count > 0)
            {
                // Revoke's warnings about removed accounts that keep access through an organization, OU or 'all' that stays.
                var removal = NewPlan(id, ShareOperation.Revoke, current, options);
                removal.ToAdd = plan.ToAdd;
                removal.ToRemove = plan.ToRemove;
                warnings.AddRange(await new LaunchAccessEvaluator(_organizations).RevokeWarningsAsync(id, removal, cancellationToken).ConfigureAwait(false));
                List<Principal> losing = plan.ToRemove.Where(p => p.Type != PrincipalType.Public).ToList();
                if (losing.Count > 0)
                {
                    await PlanAccessLossAsync(plan, facts, losing, keyChanges, snapshotChanges, kept, cancellationToken).ConfigureAwait(false);
                }
            }

            plan.KeyPolicyChanges = keyChanges;
            plan.SnapshotChanges = snapshotChanges;
            plan.AccessKept = kept;
            plan.Warnings = warnings;
            return plan;
        }

        private static AmiShareException PublicRemovalNotConfirmed(string id, DesiredLaunchPermissions desired)
        {
            string from = desired.Origin == null ? string.Empty : $" ({desired.Origin})";
            return new AmiShareException(
                ErrorIds.PublicRemovalNotConfirmed,
                AmiShareErrorKind.InvalidOperation,
                $"{id} is public (launch permission group 'all'), and the launch permissions asked for{from} leave 'all' out without saying so; " +
                "making an AMI private is never done by omission. Nothing was changed on this AMI.",
                id,
                desired.PublicRemovalRemedy ?? "Add -Public:$false to make it private along with the change, or -Public:$true to keep it public.");
        }
    }
}
