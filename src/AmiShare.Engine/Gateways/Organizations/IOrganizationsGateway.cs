using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// The only code that calls AWS Organizations. Errors map to AmiShareException: a caller outside an
    /// organization, or without the management/delegated-admin rights, gets ErrorIds.OrganizationUnresolved.
    /// </summary>
    public interface IOrganizationsGateway : IDisposable
    {
        /// <summary>DescribeOrganization: the caller's organization.</summary>
        /// <param name="cancellationToken">Cancels the call.</param>
        Task<OrganizationInfo> DescribeOrganizationAsync(CancellationToken cancellationToken);

        /// <summary>DescribeOrganizationalUnit: one OU of the caller's organization.</summary>
        /// <param name="ouId">The OU id (ou-…).</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        Task<OrganizationalUnitInfo> DescribeOrganizationalUnitAsync(string ouId, CancellationToken cancellationToken);

        /// <summary>The parents of an account id or OU id (one each in practice).</summary>
        /// <param name="childId">A 12-digit account id or an OU id.</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        Task<IReadOnlyList<OrganizationParent>> ListParentsAsync(string childId, CancellationToken cancellationToken);
    }
}
