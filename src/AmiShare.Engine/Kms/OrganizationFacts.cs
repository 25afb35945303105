using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Kms
{
    /// <summary>
    /// Builds <see cref="KeyAccessSubject"/>s: organization and OU ids come from the ARNs; OU paths (root id and
    /// parent OUs) and an account's organization come from AWS Organizations when it can be read (management or
    /// delegated administrator account). When it cannot, those facts stay unknown and the result says so.
    /// </summary>
    internal sealed class OrganizationFacts
    {
        private const int MaxDepth = 10;

        private readonly IOrganizationsGateway _organizations;
        private readonly IShareReporter _reporter;
        private bool _unavailable;
        private string _organizationId;

        public OrganizationFacts(IOrganizationsGateway organizations, IShareReporter reporter)
        {
            _organizations = organizations;
            _reporter = reporter ?? NullShareReporter.Instance;
            _unavailable = organizations == null;
        }

        /// <summary>The organization id of an organization ARN (or bare o- id), else null.</summary>
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

        /// <summary>The aws:PrincipalOrgPaths pattern AmiShare writes for an OU: its full path + "*", or "o-…/*/ou-…/*" when the path is unknown.</summary>
        public static string OuPattern(KeyAccessSubject subject) =>
            subject.OrgPath != null ? subject.OrgPath + "*" : subject.OrganizationId + "/*/" + subject.OrganizationalUnitId + "/*";

        public async Task<KeyAccessSubject> SubjectAsync(Principal p, bool resolveAccounts, CancellationToken ct)
        {
            var subject = new KeyAccessSubject { Type = p.Type, Principal = p.Value };
            switch (p.Type)
            {
                case PrincipalType.Account:
                    subject.AccountId = p.Value;
                    if (resolveAccounts)
                    {
                        string path = await PathAsync(p.Value, ct).ConfigureAwait(false);
                        if (path != null)
                        {
                            string org = await OrganizationIdAsync(ct).ConfigureAwait(false);
                            if (org != null)
                            {
                                subject.OrganizationId = org;
                                subject.OrgPath = org + "/" + path;
                            }
                        }
                    }

                    break;

                case PrincipalType.Organization:
                    subject.OrganizationId = OrganizationIdOf(p);
                    break;

                case PrincipalType.OrganizationalUnit:
                    subject.OrganizationId = OrganizationIdOf(p);
                    subject.OrganizationalUnitId = OrganizationalUnitIdOf(p);
                    if (subject.OrganizationId != null && subject.OrganizationalUnitId != null)
                    {
                        string parents = await PathAsync(subject.OrganizationalUnitId, ct).ConfigureAwait(false);
                        if (parents != null)
                        {
                            subject.OrgPath = subject.OrganizationId + "/" + parents + subject.OrganizationalUnitId + "/";
                        }
                    }

                    break;
            }

            return subject;
        }

        /// <summary>"r-…/ou-…/…/" of the parents of <paramref name="childId"/> (root first), or null when Organizations can't tell.</summary>
        private async Task<string> PathAsync(string childId, CancellationToken ct)
        {
            if (_unavailable)
            {
                return null;
            }

            var chain = new List<string>();
            string current = childId;
            try
            {
                for (int depth = 0; depth < MaxDepth; depth++)
                {
                    IReadOnlyList<OrganizationParent> parents = await _organizations.ListParentsAsync(current, ct).ConfigureAwait(false);
                    OrganizationParent parent = parents?.FirstOrDefault();
                    if (parent == null || string.IsNullOrEmpty(parent.Id))
                    {
                        return null;
                    }

                    chain.Insert(0, parent.Id);
                    if (string.Equals(parent.Type, "ROOT", StringComparison.OrdinalIgnoreCase) || parent.Id.StartsWith("r-", StringComparison.Ordinal))
                    {
                        return string.Concat(chain.Select(x => x + "/"));
                    }

                    current = parent.Id;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                Unavailable(e);
            }

            return null;
        }

        private async Task<string> OrganizationIdAsync(CancellationToken ct)
        {
            if (_organizationId != null || _unavailable)
            {
                return _organizationId;
            }

            try
            {
                OrganizationInfo info = await _organizations.DescribeOrganizationAsync(ct).ConfigureAwait(false);
                _organizationId = info?.Id;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                Unavailable(e);
            }

            return _organizationId;
        }

        private void Unavailable(Exception e)
        {
            // Organizations is optional here: without it, org paths stay unknown and findings say so.
            _unavailable = true;
            _reporter.Debug("AWS Organizations could not be read (" + ((e as AmiShareException)?.ErrorId ?? e.GetType().Name) + "); organization paths stay unknown");
        }
    }
}
