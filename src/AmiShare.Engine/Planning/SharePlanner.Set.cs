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
                // Removed accounts that keep access through an organization or OU of the set ('all' stays only when asked for).
                warnings.AddRange(await KeptAccessWarningsAsync(id, plan, cancellationToken).ConfigureAwait(false));
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

        /// <summary>
        /// For each account the plan removes that an organization or OU of the desired set still covers, a warning naming that
        /// path and the fix. It is said before the write (and under -WhatIf), so it never claims EC2 answered. 'all' that stays is
        /// never warned about: in a set it stays only when asked for (-Public / Public = $true), so everyone's access is the intent.
        /// </summary>
        private async Task<IReadOnlyList<string>> KeptAccessWarningsAsync(string id, SharePlan plan, CancellationToken cancellationToken)
        {
            var warnings = new List<string>();
            List<Principal> shares = plan.Expected.Where(p => p.Type == PrincipalType.Organization || p.Type == PrincipalType.OrganizationalUnit).ToList();
            if (shares.Count == 0)
            {
                return warnings;
            }

            var evaluator = new LaunchAccessEvaluator(_organizations);
            foreach (Principal account in plan.ToRemove.Where(p => p.Type == PrincipalType.Account))
            {
                cancellationToken.ThrowIfCancellationRequested();
                LaunchAccessEvaluator.Evaluation evaluation = await evaluator.EvaluateSharesAsync(account.Value, shares, cancellationToken).ConfigureAwait(false);
                List<AccessGrant> kept = evaluation.Grants.Where(g => g.Via == AccessPath.Organization || g.Via == AccessPath.OrganizationalUnit).ToList();
                if (kept.Count > 0)
                {
                    bool viaOu = kept.Any(g => g.Via == AccessPath.OrganizationalUnit);
                    bool viaOrg = kept.Any(g => g.Via == AccessPath.Organization);
                    string what = viaOu && viaOrg ? "the organization and the OU" : viaOu ? "the OU" : "the organization";
                    warnings.Add($"Account {account.Value} loses its own launch permission on {id} but keeps launch access through " +
                                 $"{LaunchAccessEvaluator.DescribeGrants(kept)}, which stays in the set. To take its access away, leave {what} out of the set, " +
                                 $"or move the account out of {what}.");
                }
                else if (evaluation.Unchecked.Count > 0)
                {
                    string through = string.Join(" / ", evaluation.Unchecked.Select(p => PrincipalParser.ShortForm(p.Value)));
                    warnings.Add($"Account {account.Value} loses its own launch permission on {id} but may keep launch access through {through}, which stays in the set " +
                                 $"(membership could not be checked: {(evaluation.Reason ?? "Organizations could not be read").TrimEnd().TrimEnd('.')}). " +
                                 $"Check with Test-AmiLaunchAccess {id} -AccountId {account.Value}.");
                }
            }

            return warnings;
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
