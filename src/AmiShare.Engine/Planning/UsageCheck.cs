using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Access;
using AmiShare.Engine.Organizations;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Usage;

namespace AmiShare.Engine.Planning
{
    /// <summary>
    /// -CheckUsage on a Revoke / Set / Reset plan, before anything is written: when the plan removes someone, reads the AMI's image
    /// usage report (one report, for the removed accounts that lose access, or for every account when an organization, OU or 'all'
    /// goes), works out
    /// for each account that uses the AMI whether the change takes its launch access away (the organization / OU evaluation the
    /// revoke warnings use, over the launch permissions before and after), and lets <see cref="UsageRules"/> decide: AmiInUse, or
    /// with -Force a warning. One instance per service; no state of its own.
    /// </summary>
    internal sealed class UsageCheck
    {
        private readonly Func<IReadOnlyList<string>, IReadOnlyList<string>, Action<int, int>, CancellationToken, Task<IReadOnlyDictionary<string, ImageUsage>>> _read;
        private readonly OrganizationDirectory _organizations;
        private readonly IShareReporter _reporter;

        /// <summary>A check reading usage with <paramref name="read"/> (image ids, account ids or null, progress, cancellation: <see cref="ImageUsageReader.ReadAsync"/>).</summary>
        public UsageCheck(Func<IReadOnlyList<string>, IReadOnlyList<string>, Action<int, int>, CancellationToken, Task<IReadOnlyDictionary<string, ImageUsage>>> read, OrganizationDirectory organizations, IShareReporter reporter)
        {
            _read = read ?? throw new ArgumentNullException(nameof(read));
            _organizations = organizations ?? throw new ArgumentNullException(nameof(organizations));
            _reporter = reporter ?? NullShareReporter.Instance;
        }

        /// <summary>
        /// Checks <paramref name="plan"/> (nothing is read when it removes nobody): throws <see cref="ErrorIds.AmiInUse"/> when an
        /// account that loses access still uses the AMI, unless the plan's options say -Force, which adds the same facts to the
        /// plan's warnings instead. Errors of the report itself (UsageReportTimedOut, UsageReportFailed, AccessDenied …) stop the AMI.
        /// </summary>
        public async Task CheckAsync(SharePlan plan, CancellationToken cancellationToken)
        {
            IReadOnlyList<Principal> removed = plan.IsReset ? plan.Current : plan.ToRemove;
            UsageQuery query = UsageRules.QueryFor(removed);
            if (query == null)
            {
                _reporter.Verbose($"{plan.ImageId}: -CheckUsage: the change removes no launch permission, so no usage report is read");
                return;
            }

            var evaluator = new LaunchAccessEvaluator(_organizations);
            if (query.AccountIds != null && !await KeepLosingAsync(plan, query, evaluator, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            ImageUsage usage = await ReadAsync(plan, query, cancellationToken).ConfigureAwait(false);
            var accounts = new List<AccountUsageFact>();
            foreach (AccountUsage account in usage.Accounts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var fact = new AccountUsageFact { AccountId = account.AccountId, Instances = account.Instances, LaunchTemplates = account.LaunchTemplates };
                LaunchAccessEvaluator.Evaluation after = await evaluator.EvaluateSharesAsync(account.AccountId, plan.Expected, cancellationToken).ConfigureAwait(false);
                LaunchAccessEvaluator.Evaluation before = after.Grants.Count > 0 || after.Unchecked.Count > 0
                    ? null // decided by what stays; no read of what was
                    : await evaluator.EvaluateSharesAsync(account.AccountId, plan.Current, cancellationToken).ConfigureAwait(false);
                Classify(fact, before, after);
                accounts.Add(fact);
            }

            var facts = new UsageFacts { ImageId = plan.ImageId, Region = plan.Region, Accounts = accounts };
            var warnings = new List<string>();
            var verbose = new List<string>();
            AmiShareException refusal = UsageRules.Check(facts, plan.Options.RemoveInUse, warnings, verbose, plan.Options.WhatIf);
            verbose.ForEach(_reporter.Verbose);
            if (refusal != null)
            {
                throw refusal;
            }

            if (warnings.Count > 0)
            {
                plan.Warnings = plan.Warnings.Concat(warnings).ToList();
            }
            else
            {
                _reporter.Verbose($"{plan.ImageId}: -CheckUsage: no account that loses launch access has instances or launch templates on it");
            }
        }

        /// <summary>
        /// Narrows a report on named accounts to those that lose access (an account an organization or OU of what stays still
        /// holds is not asked about; the evaluation is the revoke warnings', so Organizations is read once for both). False when
        /// none is left, so no report is made.
        /// </summary>
        private async Task<bool> KeepLosingAsync(SharePlan plan, UsageQuery query, LaunchAccessEvaluator evaluator, CancellationToken cancellationToken)
        {
            var losing = new List<string>();
            foreach (string account in query.AccountIds)
            {
                LaunchAccessEvaluator.Evaluation after = await evaluator.EvaluateSharesAsync(account, plan.Expected, cancellationToken).ConfigureAwait(false);
                if (after.Grants.Count > 0)
                {
                    var kept = new AccountUsageFact { AccountId = account };
                    Classify(kept, null, after);
                    _reporter.Verbose($"{plan.ImageId}: -CheckUsage: {account} keeps launch access through {kept.Detail}, so its usage is not asked about");
                    continue;
                }

                losing.Add(account);
            }

            if (losing.Count == 0)
            {
                _reporter.Verbose($"{plan.ImageId}: -CheckUsage: no account loses launch access, so no usage report is read");
                return false;
            }

            query.AccountIds = losing;
            return true;
        }

        /// <summary>
        /// What the change does to one account's access: <paramref name="after"/> is the evaluation over the launch permissions after
        /// the change, <paramref name="before"/> over those before it (null when <paramref name="after"/> decides). Kept access wins;
        /// then access that may be kept (membership unknown); then access that was there and goes.
        /// </summary>
        internal static void Classify(AccountUsageFact fact, LaunchAccessEvaluator.Evaluation before, LaunchAccessEvaluator.Evaluation after)
        {
            if (after.Grants.Count > 0)
            {
                fact.Access = AccessChange.Keeps;
                fact.Detail = string.Join(" and ", after.Grants.Select(g => g.Via == AccessPath.Direct ? "its own launch permission" : LaunchAccessEvaluator.DescribeGrants(new[] { g })).Distinct());
            }
            else if (after.Unchecked.Count > 0)
            {
                fact.Access = AccessChange.MayLose;
                string through = string.Join(" / ", after.Unchecked.Select(p => PrincipalParser.ShortForm(p.Value)));
                fact.Detail = $"whether it is in {through}, which stays, could not be checked: {(after.Reason ?? "Organizations could not be read").TrimEnd().TrimEnd('.')}";
            }
            else if (before != null && (before.Grants.Count > 0 || before.Unchecked.Count > 0))
            {
                fact.Access = AccessChange.Loses;
            }
            else
            {
                fact.Access = AccessChange.HadNone;
            }
        }

        private async Task<ImageUsage> ReadAsync(SharePlan plan, UsageQuery query, CancellationToken cancellationToken)
        {
            string who = query.AccountIds == null ? "every account it is shared with" : string.Join(", ", query.AccountIds);
            _reporter.Verbose($"{plan.ImageId}: -CheckUsage: reading its image usage report ({who}) before removing {query.Removes}");
            var progress = _reporter as IShareProgress;
            string key = "usage:" + plan.ImageId;
            string activity = $"Checking who still uses {plan.ImageId} ({plan.Region})";
            progress?.Progress(key, activity, "creating the image usage report", false);
            try
            {
                IReadOnlyDictionary<string, ImageUsage> read = await _read(
                    new[] { plan.ImageId },
                    query.AccountIds,
                    (done, total) => progress?.Progress(key, activity, done >= total ? "image usage report ready" : "waiting for the image usage report (pending)", false),
                    cancellationToken).ConfigureAwait(false);
                return read.TryGetValue(plan.ImageId, out ImageUsage usage) ? usage : new ImageUsage(plan.ImageId, plan.Region, Array.Empty<AccountUsage>());
            }
            catch (AmiShareException e) when (e.ErrorId != ErrorIds.UsageReportTimedOut && e.ErrorId != ErrorIds.UsageReportFailed)
            {
                // AccessDenied, a server error …: said about the AMI (not only a report id), with the IAM permissions the reports need.
                throw UsageFailure.ForImages(e, new[] { plan.ImageId }, plan.Region, "nothing was changed on it");
            }
            finally
            {
                progress?.Progress(key, activity, "done", true);
            }
        }
    }
}
