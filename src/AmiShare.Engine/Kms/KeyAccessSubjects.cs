using System;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Organizations;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Kms
{
    /// <summary>
    /// Builds <see cref="KeyAccessSubject"/>s for one preflight: organization and OU ids come from the ARNs; OU paths (root id
    /// and parent OUs) and an account's organization come from the one Organizations reader (<see cref="OrganizationDirectory"/>)
    /// when it can be read (management or delegated administrator account). When it cannot, those facts stay unknown for the
    /// rest of this preflight, the findings say so, and one debug line says why.
    /// </summary>
    internal sealed class KeyAccessSubjects
    {
        private readonly OrganizationDirectory _organizations;
        private readonly IShareReporter _reporter;
        private bool _unavailable;

        public KeyAccessSubjects(OrganizationDirectory organizations, IShareReporter reporter)
        {
            _organizations = organizations;
            _reporter = reporter ?? NullShareReporter.Instance;
            _unavailable = organizations == null || !organizations.IsAvailable;
        }

        /// <summary>
        /// The subject for <paramref name="p"/>; an account's organization path is read only when <paramref name="resolveAccounts"/>
        /// (a key policy has aws:PrincipalOrg… conditions).
        /// </summary>
        public async Task<KeyAccessSubject> SubjectAsync(Principal p, bool resolveAccounts, CancellationToken ct)
        {
            var subject = new KeyAccessSubject { Type = p.Type, Principal = p.Value };
            switch (p.Type)
            {
                case PrincipalType.Account:
                    subject.AccountId = p.Value;
                    if (resolveAccounts)
                    {
                        OrganizationPlacement placement = await ReadAsync(() => _organizations.GetPlacementAsync(p.Value, ct), ct).ConfigureAwait(false);
                        if (placement != null && placement.IsMember && placement.RootId != null && placement.Organization?.Id != null)
                        {
                            subject.OrganizationId = placement.Organization.Id;
                            subject.OrgPath = placement.Path;
                        }
                    }

                    break;

                case PrincipalType.Organization:
                    subject.OrganizationId = OrganizationDirectory.OrganizationIdOf(p);
                    break;

                case PrincipalType.OrganizationalUnit:
                    subject.OrganizationId = OrganizationDirectory.OrganizationIdOf(p);
                    subject.OrganizationalUnitId = OrganizationDirectory.OrganizationalUnitIdOf(p);
                    if (subject.OrganizationId != null && subject.OrganizationalUnitId != null)
                    {
                        string parents = await ReadAsync(() => _organizations.GetParentPathAsync(subject.OrganizationalUnitId, ct), ct).ConfigureAwait(false);
                        if (parents != null)
                        {
                            subject.OrgPath = subject.OrganizationId + "/" + parents + subject.OrganizationalUnitId + "/";
                        }
                    }

                    break;
            }

            return subject;
        }

        /// <summary>The aws:PrincipalOrgPaths pattern AmiShare writes for an OU: its full path + "*", or "o-…/*/ou-…/*" when the path is unknown.</summary>
        public static string OuPattern(KeyAccessSubject subject) =>
            subject.OrgPath != null ? subject.OrgPath + "*" : subject.OrganizationId + "/*/" + subject.OrganizationalUnitId + "/*";

        private async Task<T> ReadAsync<T>(Func<Task<T>> read, CancellationToken ct)
            where T : class
        {
            if (_unavailable)
            {
                return null;
            }

            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                // Organizations is optional here: without it, org paths stay unknown and findings say so.
                _unavailable = true;
                _reporter.Debug("AWS Organizations could not be read (" + ((e as AmiShareException)?.ErrorId ?? e.GetType().Name) + "); organization paths stay unknown");
                return null;
            }
        }
    }
}
