using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Organizations;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Plans;

namespace AmiShare.Engine.Access
{
    /// <summary>
    /// Decides through what an account can launch an AMI: owner, its own launch permission, an organization or OU
    /// permission that covers it (read from the account's parents up to the root), or the public group. Used by
    /// Test-AmiLaunchAccess and by the revoke warning (anchors.md §8 item 1: EC2 reports success when an account is
    /// removed that an organization/OU share still covers).
    /// </summary>
    internal sealed class LaunchAccessEvaluator
    {
        private readonly OrganizationDirectory _directory;

        public LaunchAccessEvaluator(OrganizationDirectory directory)
        {
            _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        }

        /// <summary>What the organization/OU permissions give one account: exact grants, and the ones that couldn't be checked.</summary>
        internal sealed class Evaluation
        {
            public List<AccessGrant> Grants { get; } = new List<AccessGrant>();

            /// <summary>Organization/OU permissions whose coverage of the account is unknown.</summary>
            public List<Principal> Unchecked { get; } = new List<Principal>();

            /// <summary>Why <see cref="Unchecked"/> is not empty.</summary>
            public string Reason { get; set; }
        }

        /// <summary>Test-AmiLaunchAccess for several accounts: validates everything first, reads the AMI once.</summary>
        public async Task<IReadOnlyList<LaunchAccessResult>> TestAsync(IEc2Gateway ec2, string imageId, IReadOnlyList<string> accountIds, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(imageId);
            var accounts = new List<string>();
            foreach (string account in accountIds ?? Array.Empty<string>())
            {
                string value = PrincipalParser.ParseAccount(account).Value;
                if (!accounts.Contains(value))
                {
                    accounts.Add(value);
                }
            }

            if (accounts.Count == 0)
            {
                throw new AmiShareException(
                    ErrorIds.MissingPrincipal,
                    AmiShareErrorKind.InvalidArgument,
                    $"No account id was given to test launch access to {id}.",
                    id,
                    "Give at least one 12-digit -AccountId.");
            }

            cancellationToken.ThrowIfCancellationRequested();

            // Owner-side reads: the permissions prove ownership (AmiNotOwned otherwise); DescribeImages gives the owner id.
            IReadOnlyList<Principal> permissions = await ec2.GetLaunchPermissionsAsync(id, cancellationToken).ConfigureAwait(false);
            ImageInfo image = await ec2.DescribeImageAsync(id, cancellationToken).ConfigureAwait(false);

            var results = new List<LaunchAccessResult>(accounts.Count);
            foreach (string account in accounts)
            {
                results.Add(await EvaluateAsync(id, ec2.Region, account, image.OwnerId, permissions, cancellationToken).ConfigureAwait(false));
            }

            return results;
        }

        /// <summary>One account against known launch permissions (and owner).</summary>
        public async Task<LaunchAccessResult> EvaluateAsync(string imageId, string region, string accountId, string ownerId, IReadOnlyList<Principal> permissions, CancellationToken cancellationToken)
        {
            var grants = new List<AccessGrant>();
            if (string.Equals(ownerId, accountId, StringComparison.Ordinal))
            {
                grants.Add(new AccessGrant { Via = AccessPath.Owner, Principal = accountId });
            }

            Evaluation evaluation = await EvaluateSharesAsync(accountId, permissions, cancellationToken).ConfigureAwait(false);
            grants.AddRange(evaluation.Grants);

            var result = new LaunchAccessResult
            {
                ImageId = imageId,
                Region = region,
                AccountId = accountId,
                Grants = Sort(grants),
            };

            if (evaluation.Unchecked.Count > 0)
            {
                result.Caveat =
                    $"Membership of account {accountId} in {Describe(evaluation.Unchecked, " / ")} (which {imageId} is shared with) could not be checked: {evaluation.Reason} " +
                    "The account may launch the AMI through them too. Run with the management account's or a delegated administrator's credentials to check.";
            }

            return result;
        }

        /// <summary>
        /// Every way <paramref name="permissions"/> (without the owner) let <paramref name="accountId"/> launch: Direct and Public
        /// always; Organization/OU when Organizations can be read, otherwise listed in <see cref="Evaluation.Unchecked"/>.
        /// </summary>
        public async Task<Evaluation> EvaluateSharesAsync(string accountId, IReadOnlyList<Principal> permissions, CancellationToken cancellationToken)
        {
            var evaluation = new Evaluation();
            var list = permissions ?? Array.Empty<Principal>();
            if (list.Any(p => p.Type == PrincipalType.Account && p.Value == accountId))
            {
                evaluation.Grants.Add(new AccessGrant { Via = AccessPath.Direct, Principal = accountId });
            }

            if (list.Contains(Principal.Everyone))
            {
                evaluation.Grants.Add(new AccessGrant { Via = AccessPath.Public, Principal = Principal.Everyone.Value });
            }

            List<Principal> orgShares = list.Where(p => p.Type == PrincipalType.Organization || p.Type == PrincipalType.OrganizationalUnit).ToList();
            if (orgShares.Count == 0)
            {
                return evaluation;
            }

            OrganizationPlacement placement;
            try
            {
                placement = await _directory.GetPlacementAsync(accountId, cancellationToken).ConfigureAwait(false);
            }
            catch (AmiShareException e)
            {
                evaluation.Unchecked.AddRange(orgShares);
                evaluation.Reason = e.Reason;
                return evaluation;
            }

            string ownOrg = placement.Organization?.Id;
            var otherOrgs = new List<Principal>();
            foreach (Principal share in orgShares)
            {
                ParseOrgArn(share.Value, out string orgId, out string ouId);
                if (!string.Equals(orgId, ownOrg, StringComparison.Ordinal))
                {
                    // An account belongs to at most one organization: a member of ours is in no other one.
                    if (!placement.IsMember)
                    {
                        otherOrgs.Add(share);
                    }

                    continue;
                }

                if (!placement.IsMember)
                {
                    continue;
                }

                if (share.Type == PrincipalType.Organization)
                {
                    evaluation.Grants.Add(new AccessGrant { Via = AccessPath.Organization, Principal = share.Value });
                }
                else if (ouId != null && placement.OrganizationalUnitIds.Contains(ouId))
                {
                    evaluation.Grants.Add(new AccessGrant { Via = AccessPath.OrganizationalUnit, Principal = share.Value, OuPath = placement.Path });
                }
            }

            if (otherOrgs.Count > 0)
            {
                evaluation.Unchecked.AddRange(otherOrgs);
                evaluation.Reason = $"account {accountId} is not in your organization {ownOrg}, and membership of another organization can't be read from here.";
            }

            evaluation.Grants.Sort((a, b) => Rank(a.Via).CompareTo(Rank(b.Via)));
            return evaluation;
        }

        /// <summary>
        /// The revoke warnings for <paramref name="plan"/>: for each removed account still covered by what stays
        /// (<see cref="SharePlan.Expected"/>), an exact "keeps launch access" warning when Organizations can be read,
        /// otherwise a "may keep" warning with the reason. Accounts not covered get none. Never throws for an
        /// Organizations failure (only for cancellation).
        /// </summary>
        public async Task<IReadOnlyList<string>> RevokeWarningsAsync(string imageId, SharePlan plan, CancellationToken cancellationToken)
        {
            var warnings = new List<string>();
            // Accounts asked to be revoked: those with a direct permission (removed now) and those without one
            // (nothing to remove) — either may still launch through an organization, OU or 'all' that stays.
            List<Principal> removedAccounts = plan.ToRemove.Concat(plan.Unchanged).Where(p => p.Type == PrincipalType.Account).Distinct().ToList();
            var notGranted = new HashSet<Principal>(plan.Unchanged);
            IReadOnlyList<Principal> remaining = plan.Expected;
            bool anyIndirect = remaining.Any(p => p.Type == PrincipalType.Organization || p.Type == PrincipalType.OrganizationalUnit || p.Type == PrincipalType.Public);
            if (removedAccounts.Count == 0 || !anyIndirect)
            {
                return warnings;
            }

            if (plan.ToRemove.Count == 0)
            {
                // Nothing is removed, so nothing changes: no Organizations reads to say exactly who is a member.
                List<Principal> shares = remaining.Where(p => p.Type != PrincipalType.Account).ToList();
                foreach (Principal account in removedAccounts)
                {
                    warnings.Add($"Account {account.Value} has no launch permission of its own on {imageId} to revoke. The AMI is shared with {string.Join(" and ", shares.Select(ShortDescription))}: " +
                                 (shares.Any(p => p.Type == PrincipalType.Public) ? "everyone can launch it. " : "if the account is a member, it keeps launch access. ") +
                                 $"Check with Test-AmiLaunchAccess {imageId} -AccountId {account.Value}.");
                }

                return warnings;
            }

            foreach (Principal account in removedAccounts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Evaluation evaluation = await EvaluateSharesAsync(account.Value, remaining, cancellationToken).ConfigureAwait(false);
                List<AccessGrant> kept = evaluation.Grants.Where(g => g.Via != AccessPath.Direct && g.Via != AccessPath.Owner).ToList();
                var text = new List<string>();
                if (kept.Count > 0)
                {
                    text.Add(notGranted.Contains(account)
                        ? $"Account {account.Value} has no launch permission of its own on {imageId} to revoke, and keeps launch access through " +
                          $"{DescribeGrants(kept)} that the AMI is shared with. " + Fixes(kept)
                        : $"Account {account.Value} keeps launch access to {imageId} through {DescribeGrants(kept)} that the AMI is still shared with; " +
                          "EC2 accepts the revoke all the same. " + Fixes(kept));
                }

                if (evaluation.Unchecked.Count > 0)
                {
                    string through = Describe(evaluation.Unchecked, " / ");
                    text.Add(kept.Count > 0
                        ? $"It may also keep access through {through} (membership could not be checked: {TrimPeriod(evaluation.Reason)})."
                        : $"Account {account.Value} may keep launch access to {imageId} through {through} that the AMI is still shared with " +
                          $"(membership could not be checked: {TrimPeriod(evaluation.Reason)}); EC2 reports success, yet access persists for members. " +
                          "Revoke the organization/OU too, or check with Test-AmiLaunchAccess.");
                }

                if (text.Count > 0)
                {
                    warnings.Add(string.Join(" ", text));
                }
            }

            return warnings;
        }

        internal static int Rank(AccessPath via)
        {
            switch (via)
            {
                case AccessPath.Owner: return 0;
                case AccessPath.Direct: return 1;
                case AccessPath.OrganizationalUnit: return 2;
                case AccessPath.Organization: return 3;
                case AccessPath.Public: return 4;
                default: return 5;
            }
        }

        /// <summary>The organization id and (for an OU ARN) OU id named by an organization or OU ARN.</summary>
        internal static void ParseOrgArn(string arn, out string orgId, out string ouId)
        {
            orgId = null;
            ouId = null;
            if (string.IsNullOrEmpty(arn))
            {
                return;
            }

            int colon = arn.LastIndexOf(':');
            string resource = colon >= 0 ? arn.Substring(colon + 1) : arn;
            string[] parts = resource.Split('/');
            if (parts.Length >= 2 && (parts[0] == "organization" || parts[0] == "ou"))
            {
                orgId = parts[1];
            }

            if (parts.Length >= 3 && parts[0] == "ou")
            {
                ouId = parts[2];
            }
        }

        private static IReadOnlyList<AccessGrant> Sort(List<AccessGrant> grants) =>
            grants.OrderBy(g => Rank(g.Via)).ToList();

        /// <summary>
        /// The grants an account keeps access through, each path said once: an account under two shared OUs (one nested in
        /// the other) has one path, e.g. "OUs ou-b and ou-a (path o-…/r-…/ou-a/ou-b/)".
        /// </summary>
        internal static string DescribeGrants(IReadOnlyList<AccessGrant> grants)
        {
            var parts = new List<string>();
            var ouPaths = new HashSet<string>(StringComparer.Ordinal);
            foreach (AccessGrant grant in grants)
            {
                if (grant.Via == AccessPath.OrganizationalUnit && grant.OuPath != null)
                {
                    if (!ouPaths.Add(grant.OuPath))
                    {
                        continue;
                    }

                    List<string> ous = grants
                        .Where(g => g.Via == AccessPath.OrganizationalUnit && g.OuPath == grant.OuPath)
                        .Select(g => { ParseOrgArn(g.Principal, out _, out string id); return id ?? g.Principal; })
                        .Distinct(StringComparer.Ordinal)
                        .ToList();
                    parts.Add(ous.Count == 1
                        ? $"OU {ous[0]} (path {grant.OuPath})"
                        : $"OUs {string.Join(" and ", ous)} (path {grant.OuPath})");
                    continue;
                }

                string text = DescribeGrant(grant);
                if (!parts.Contains(text))
                {
                    parts.Add(text);
                }
            }

            return string.Join(" and ", parts);
        }

        private static string DescribeGrant(AccessGrant grant)
        {
            switch (grant.Via)
            {
                case AccessPath.OrganizationalUnit:
                    ParseOrgArn(grant.Principal, out _, out string ouId);
                    return $"OU {ouId ?? grant.Principal} (path {grant.OuPath})";
                case AccessPath.Organization:
                    ParseOrgArn(grant.Principal, out string orgId, out _);
                    return $"organization {orgId ?? grant.Principal}";
                case AccessPath.Public:
                    return "the public launch permission (group 'all')";
                default:
                    return grant.Principal;
            }
        }

        private static string Fixes(List<AccessGrant> kept)
        {
            var fixes = new List<string>();
            int ous = kept.Where(g => g.Via == AccessPath.OrganizationalUnit).Select(g => g.Principal).Distinct().Count();
            if (ous > 0)
            {
                fixes.Add(ous == 1 ? "Revoke the OU too, or move the account." : "Revoke the OUs too, or move the account.");
            }

            if (kept.Any(g => g.Via == AccessPath.Organization))
            {
                fixes.Add("Revoke the organization too, or remove the account from the organization.");
            }

            if (kept.Any(g => g.Via == AccessPath.Public))
            {
                fixes.Add("Make the AMI private too (Set-AmiPublic -Public:$false).");
            }

            return string.Join(" ", fixes);
        }

        private static string Describe(IEnumerable<Principal> principals, string separator) =>
            string.Join(separator, principals.Select(p =>
                p.Type == PrincipalType.Organization ? "organization " + p.Value
                : p.Type == PrincipalType.OrganizationalUnit ? "OU " + p.Value
                : p.Type == PrincipalType.Public ? "public launch permission (group 'all')"
                : p.Value));

        private static string ShortDescription(Principal p) =>
            p.Type == PrincipalType.Organization ? "organization " + PrincipalParser.ShortForm(p.Value)
            : p.Type == PrincipalType.OrganizationalUnit ? "OU " + PrincipalParser.ShortForm(p.Value)
            : "the public launch permission (group 'all')";

        private static string TrimPeriod(string text) => (text ?? "Organizations could not be read").TrimEnd().TrimEnd('.');
    }
}
