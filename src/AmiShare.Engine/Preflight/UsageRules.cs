using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Preflight
{
    /// <summary>
    /// -CheckUsage (Revoke-, Set-, Reset-AmiLaunchPermission): pure rules over the plan's removals and the image usage report. An
    /// account that would lose launch access while it still has instances or launch templates on the AMI stops the AMI's change
    /// (<see cref="ErrorIds.AmiInUse"/>) unless -Force, which turns the refusal into a warning.
    /// </summary>
    internal static class UsageRules
    {
        /// <summary>
        /// Which accounts the usage report of an AMI whose change removes <paramref name="removed"/> asks about: the removed accounts
        /// themselves when only accounts go (the reader asks EC2 for every account when there are more than 200, and keeps these), otherwise every account the AMI
        /// is shared with (an organization, an OU or 'all' that goes may take access from any of its accounts). Null when nothing goes,
        /// so no report is made. (EC2's report never counts the owner: its own use needs no permission.)
        /// </summary>
        public static UsageQuery QueryFor(IReadOnlyList<Principal> removed)
        {
            List<Principal> losing = (removed ?? Array.Empty<Principal>())
                .Where(p => p != null)
                .Distinct()
                .ToList();
            if (losing.Count == 0)
            {
                return null;
            }

            string removes = string.Join(", ", losing.Select(Describe));
            List<string> accounts = losing.Where(p => p.Type == PrincipalType.Account).Select(p => p.Value).ToList();
            bool everyone = accounts.Count < losing.Count;
            return new UsageQuery { AccountIds = everyone ? null : accounts, Removes = removes };
        }

        /// <summary>
        /// The decision for one AMI: null when no account that loses (or may lose) access uses it; otherwise, without
        /// <paramref name="force"/>, the <see cref="ErrorIds.AmiInUse"/> refusal naming each such account and its counts, and with
        /// it, the same facts as one warning in <paramref name="warnings"/> (the change then goes ahead; under <paramref name="whatIf"/> it
        /// says "would remove"). Accounts that use the AMI
        /// but keep access are said in <paramref name="verbose"/>.
        /// </summary>
        public static AmiShareException Check(UsageFacts facts, bool force, ICollection<string> warnings, ICollection<string> verbose, bool whatIf = false)
        {
            if (facts == null)
            {
                throw new ArgumentNullException(nameof(facts));
            }

            foreach (AccountUsageFact kept in facts.Accounts.Where(a => a.InUse && a.Access == AccessChange.Keeps))
            {
                verbose?.Add($"{facts.ImageId}: {Counts(kept, facts.ImageId)}, and keeps launch access through {kept.Detail}; the change does not stop it");
            }

            foreach (AccountUsageFact before in facts.Accounts.Where(a => a.InUse && a.Access == AccessChange.HadNone))
            {
                verbose?.Add($"{facts.ImageId}: {Counts(before, facts.ImageId)}, but had no launch access to lose");
            }

            List<AccountUsageFact> inUse = facts.Accounts
                .Where(a => a.InUse && (a.Access == AccessChange.Loses || a.Access == AccessChange.MayLose))
                .OrderBy(a => a.AccountId, StringComparer.Ordinal)
                .ToList();
            if (inUse.Count == 0)
            {
                return null;
            }

            string who = string.Join("; ", inUse.Select(a => Counts(a, facts.ImageId) + (a.Access == AccessChange.MayLose ? $" (it may keep access: {a.Detail})" : string.Empty)));
            string them = inUse.Count == 1 ? "that account" : "those accounts";
            if (force)
            {
                warnings?.Add($"-Force: {(whatIf ? "would remove" : "removing")} launch access to {facts.ImageId} in {facts.Region} from {(inUse.Count == 1 ? "an account that still uses" : "accounts that still use")} it: {who}. " +
                              (whatIf
                                  ? "Their instances would keep running, but they could no longer launch the AMI, and launches from those launch templates would fail."
                                  : "Their instances keep running, but they can no longer launch the AMI, and launches from those launch templates will fail."));
                return null;
            }

            return new AmiShareException(
                ErrorIds.AmiInUse,
                AmiShareErrorKind.InvalidOperation,
                $"{facts.ImageId} in {facts.Region} is still in use by {(inUse.Count == 1 ? "an account" : "accounts")} the change would take launch access from: {who}. " +
                "Nothing was changed on this AMI.",
                facts.ImageId,
                $"Ask {them} to move off the AMI first (instances relaunched from another AMI, launch templates pointed at another AMI), then run the command again; " +
                "or add -Force to remove the permission anyway (their running instances keep running, but new launches fail).");
        }

        /// <summary>"111122223333 has 1 instance and 0 launch templates using ami-…".</summary>
        internal static string Counts(AccountUsageFact account, string imageId) =>
            $"{account.AccountId} has {Count(account.Instances, "instance")} and {Count(account.LaunchTemplates, "launch template")} using {imageId}";

        private static string Count(long n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? string.Empty : "s");

        private static string Describe(Principal p)
        {
            switch (p.Type)
            {
                case PrincipalType.Organization:
                    return "organization " + PrincipalParser.ShortForm(p.Value);
                case PrincipalType.OrganizationalUnit:
                    return "OU " + PrincipalParser.ShortForm(p.Value);
                case PrincipalType.Public:
                    return "group 'all'";
                default:
                    return p.Value;
            }
        }
    }
}
