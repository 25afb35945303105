using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Organizations
{
    /// <summary>Where an account sits in the caller's organization (from ListParents up to the root).</summary>
    public sealed class OrganizationPlacement
    {
        /// <summary>The account asked about.</summary>
        public string AccountId { get; set; }

        /// <summary>The caller's organization (DescribeOrganization).</summary>
        public OrganizationInfo Organization { get; set; }

        /// <summary>False when the account is not in the caller's organization (ListParents: ChildNotFound/AccountNotFound).</summary>
        public bool IsMember { get; set; }

        /// <summary>The organization's root id (r-…), when the walk reached it.</summary>
        public string RootId { get; set; }

        /// <summary>The OUs above the account, the one right under the root first.</summary>
        public IReadOnlyList<string> OrganizationalUnitIds { get; set; } = Array.Empty<string>();

        /// <summary>The account's OU path as AWS writes it, e.g. o-abc1234567/r-ab12/ou-ab12-11111111/ (null when not a member).</summary>
        public string Path { get; set; }
    }

    /// <summary>
    /// Reads the caller's organization through <see cref="IOrganizationsGateway"/> and remembers what it read for
    /// the life of one AmiShareService (many accounts × AMIs share one tree walk): the organization, each OU, and
    /// each child's parents. Definite answers (found, not found, not in use, access denied) are cached; throttling,
    /// transport failures and cancellation are not.
    /// </summary>
    internal sealed class OrganizationDirectory
    {
        /// <summary>Organizations allows five OU levels; the walk stops well after that, whatever a server answers.</summary>
        private const int MaxDepth = 12;

        private readonly IOrganizationsGateway _gateway;
        private readonly object _gate = new object();
        private readonly Dictionary<string, object> _cache = new Dictionary<string, object>(StringComparer.Ordinal);

        public OrganizationDirectory(IOrganizationsGateway gateway)
        {
            _gateway = gateway;
        }

        /// <summary>False when the service has no Organizations gateway at all.</summary>
        public bool IsAvailable => _gateway != null;

        public Task<OrganizationInfo> GetOrganizationAsync(CancellationToken cancellationToken) =>
            CachedAsync("org", () => Gateway().DescribeOrganizationAsync(cancellationToken));

        public Task<OrganizationalUnitInfo> GetOrganizationalUnitAsync(string ouId, CancellationToken cancellationToken) =>
            CachedAsync("ou:" + ouId, () => Gateway().DescribeOrganizationalUnitAsync(ouId, cancellationToken));

        public Task<OrganizationPlacement> GetPlacementAsync(string accountId, CancellationToken cancellationToken) =>
            CachedAsync("placement:" + accountId, () => LoadPlacementAsync(accountId, cancellationToken));

        /// <summary>
        /// Resolved principals pass through; bare o-…/ou-… ids become their full ARNs. Throws InvalidPrincipal naming the
        /// value, with the reason and the ARN format, when the id is not the caller's or Organizations can't be read.
        /// </summary>
        public async Task<IReadOnlyList<Principal>> ResolveAsync(IReadOnlyList<Principal> principals, CancellationToken cancellationToken)
        {
            var result = new List<Principal>();
            var seen = new HashSet<Principal>();
            if (principals == null)
            {
                return result;
            }

            foreach (Principal p in principals)
            {
                if (p == null)
                {
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                Principal resolved = p.IsUnresolved ? await ResolveOneAsync(p, cancellationToken).ConfigureAwait(false) : p;
                if (seen.Add(resolved))
                {
                    result.Add(resolved);
                }
            }

            return result;
        }

        private async Task<Principal> ResolveOneAsync(Principal bare, CancellationToken cancellationToken)
        {
            string id = bare.Value;
            if (bare.Type == PrincipalType.Organization)
            {
                OrganizationInfo org;
                try
                {
                    org = await GetOrganizationAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (AmiShareException e) when (e.ErrorId == ErrorIds.OrganizationUnresolved)
                {
                    throw Unresolvable(bare, e, null);
                }

                if (!string.Equals(org.Id, id, StringComparison.Ordinal))
                {
                    throw new AmiShareException(
                        ErrorIds.InvalidPrincipal,
                        AmiShareErrorKind.InvalidArgument,
                        $"{id} is not your organization (yours is {org.Id}), so its ARN can't be looked up.",
                        id,
                        $"To share with another organization, give its full ARN: arn:aws:organizations::<management-account-id>:organization/{id} (its administrators can tell you the management account id). " +
                        $"Your own organization is {org.Arn}.");
                }

                return ParseArn(bare, org.Arn);
            }

            OrganizationalUnitInfo ou;
            try
            {
                ou = await GetOrganizationalUnitAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (AmiShareException e) when (e.ErrorId == ErrorIds.OrganizationUnresolved)
            {
                // A member account can still read its organization: then the likely ARN can be shown (not used unverified).
                string likely = null;
                try
                {
                    OrganizationInfo org = await GetOrganizationAsync(cancellationToken).ConfigureAwait(false);
                    if (!string.IsNullOrEmpty(org.ManagementAccountId) && !string.IsNullOrEmpty(org.Id))
                    {
                        likely = $"arn:aws:organizations::{org.ManagementAccountId}:ou/{org.Id}/{id}";
                    }
                }
                catch (AmiShareException)
                {
                }

                throw Unresolvable(bare, e, likely);
            }

            return ParseArn(bare, ou.Arn);
        }

        private static Principal ParseArn(Principal bare, string arn)
        {
            try
            {
                return bare.Type == PrincipalType.Organization
                    ? PrincipalParser.ParseOrganizationArn(arn)
                    : PrincipalParser.ParseOrganizationalUnitArn(arn);
            }
            catch (AmiShareException e)
            {
                throw new AmiShareException(
                    ErrorIds.InvalidPrincipal,
                    AmiShareErrorKind.InvalidArgument,
                    $"AWS Organizations answered '{arn ?? "<none>"}' as the ARN of {bare.Value}, which is not a valid {(bare.Type == PrincipalType.Organization ? "organization" : "OU")} ARN.",
                    bare.Value,
                    "Give the full ARN instead of the bare id. " + PrincipalParser.AcceptedForms,
                    e);
            }
        }

        private static AmiShareException Unresolvable(Principal bare, AmiShareException why, string likelyArn)
        {
            string id = bare.Value;
            bool isOrg = bare.Type == PrincipalType.Organization;
            string format = isOrg
                ? $"arn:aws:organizations::<management-account-id>:organization/{id}"
                : $"arn:aws:organizations::<management-account-id>:ou/o-<organization-id>/{id}";
            string remedy = $"Give the full ARN instead ({format}), or run the command with credentials of the organization's management account or of a delegated administrator.";
            if (likelyArn != null)
            {
                remedy += $" If {id} is in your organization, its ARN is {likelyArn}.";
            }

            return new AmiShareException(
                ErrorIds.InvalidPrincipal,
                AmiShareErrorKind.InvalidArgument,
                $"The bare {(isOrg ? "organization" : "organizational unit")} id '{id}' could not be resolved to its ARN. {why.Reason}",
                id,
                remedy,
                why)
            {
                AwsErrorCode = why.AwsErrorCode,
                AwsRequestId = why.AwsRequestId,
            };
        }

        /// <summary>
        /// "r-…/ou-…/…/" of the parents of <paramref name="childId"/> (an account or an OU), root first, or null when the walk
        /// does not reach a root or the child is not in the caller's organization. No DescribeOrganization: the parents only.
        /// Throws what Organizations throws (definite answers cached).
        /// </summary>
        public async Task<string> GetParentPathAsync(string childId, CancellationToken cancellationToken)
        {
            ParentWalk walk = await WalkAsync(childId, cancellationToken).ConfigureAwait(false);
            if (!walk.IsMember || walk.RootId == null)
            {
                return null;
            }

            return walk.RootId + "/" + string.Concat(walk.OrganizationalUnitIds.ConvertAll(o => o + "/"));
        }

        /// <summary>The organization id of an organization ARN (or bare o- id) or of an OU ARN, else null.</summary>
        public static string OrganizationIdOf(Principal p)
        {
            string v = p.Value;
            if (p.Type == PrincipalType.Organization)
            {
                int i = v.LastIndexOf("organization/", StringComparison.Ordinal);
                return i >= 0 ? v.Substring(i + "organization/".Length) : v.StartsWith("o-", StringComparison.Ordinal) ? v : null;
            }

            if (p.Type == PrincipalType.OrganizationalUnit)
            {
                int i = v.IndexOf(":ou/", StringComparison.Ordinal);
                if (i < 0)
                {
                    return null;
                }

                string[] parts = v.Substring(i + 4).Split('/');
                return parts.Length == 2 ? parts[0] : null;
            }

            return null;
        }

        /// <summary>The OU id of an OU ARN (or bare ou- id), else null.</summary>
        public static string OrganizationalUnitIdOf(Principal p)
        {
            if (p.Type != PrincipalType.OrganizationalUnit)
            {
                return null;
            }

            string v = p.Value;
            int slash = v.LastIndexOf('/');
            return slash >= 0 ? v.Substring(slash + 1) : v;
        }

        private async Task<OrganizationPlacement> LoadPlacementAsync(string accountId, CancellationToken cancellationToken)
        {
            OrganizationInfo org = await GetOrganizationAsync(cancellationToken).ConfigureAwait(false);
            var placement = new OrganizationPlacement { AccountId = accountId, Organization = org };
            ParentWalk walk = await WalkAsync(accountId, cancellationToken).ConfigureAwait(false);
            if (!walk.IsMember)
            {
                placement.IsMember = false;
                return placement;
            }

            placement.IsMember = true;
            placement.RootId = walk.RootId;
            placement.OrganizationalUnitIds = walk.OrganizationalUnitIds;
            placement.Path = org.Id + "/" + (placement.RootId ?? "r-?") + "/" + string.Concat(walk.OrganizationalUnitIds.ConvertAll(o => o + "/"));
            return placement;
        }

        /// <summary>The one walk of the tree: ListParents from <paramref name="childId"/> up to the root (each answer cached).</summary>
        private async Task<ParentWalk> WalkAsync(string childId, CancellationToken cancellationToken)
        {
            var walk = new ParentWalk();
            string child = childId;
            for (int depth = 0; depth < MaxDepth; depth++)
            {
                IReadOnlyList<OrganizationParent> parents;
                try
                {
                    string key = child;
                    parents = await CachedAsync("parents:" + key, () => Gateway().ListParentsAsync(key, cancellationToken)).ConfigureAwait(false);
                }
                catch (AmiShareException e) when (depth == 0 && e.ErrorId == ErrorIds.InvalidPrincipal)
                {
                    // ChildNotFound / AccountNotFound: the child is not in the caller's organization.
                    walk.IsMember = false;
                    return walk;
                }

                if (parents.Count == 0 || string.IsNullOrEmpty(parents[0].Id))
                {
                    break;
                }

                OrganizationParent parent = parents[0];
                if (string.Equals(parent.Type, "ROOT", StringComparison.OrdinalIgnoreCase) || parent.Id.StartsWith("r-", StringComparison.Ordinal))
                {
                    walk.RootId = parent.Id;
                    break;
                }

                if (walk.OrganizationalUnitIds.Contains(parent.Id))
                {
                    break;
                }

                walk.OrganizationalUnitIds.Insert(0, parent.Id);
                child = parent.Id;
            }

            return walk;
        }

        private IOrganizationsGateway Gateway()
        {
            if (_gateway == null)
            {
                throw new AmiShareException(
                    ErrorIds.OrganizationUnresolved,
                    AmiShareErrorKind.InvalidOperation,
                    "AWS Organizations is not available to this command (the service was created without an Organizations client).",
                    null,
                    OrganizationsErrorCatalog.OrganizationRemedy);
            }

            return _gateway;
        }

        private async Task<T> CachedAsync<T>(string key, Func<Task<T>> load)
            where T : class
        {
            lock (_gate)
            {
                if (_cache.TryGetValue(key, out object hit))
                {
                    if (hit is AmiShareException failure)
                    {
                        throw failure;
                    }

                    return (T)hit;
                }
            }

            try
            {
                T value = await load().ConfigureAwait(false);
                lock (_gate)
                {
                    _cache[key] = value;
                }

                return value;
            }
            catch (AmiShareException e) when (IsDefinite(e) && _gateway != null)
            {
                lock (_gate)
                {
                    _cache[key] = e;
                }

                throw;
            }
        }

        private static bool IsDefinite(AmiShareException e) =>
            e.ErrorId == ErrorIds.OrganizationUnresolved || e.ErrorId == ErrorIds.InvalidPrincipal;

        private sealed class ParentWalk
        {
            public bool IsMember { get; set; } = true;

            public string RootId { get; set; }

            public List<string> OrganizationalUnitIds { get; } = new List<string>();
        }
    }
}
