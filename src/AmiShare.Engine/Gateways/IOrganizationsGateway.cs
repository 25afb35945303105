using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AmiShare.Engine.Gateways
{
    /// <summary>An AWS Organizations organization.</summary>
    public sealed class OrganizationInfo
    {
        public string Id { get; set; }

        public string Arn { get; set; }

        public string ManagementAccountId { get; set; }
    }

    /// <summary>An organizational unit.</summary>
    public sealed class OrganizationalUnitInfo
    {
        public string Id { get; set; }

        public string Arn { get; set; }

        public string Name { get; set; }
    }

    /// <summary>A parent of an account or OU (ListParents).</summary>
    public sealed class OrganizationParent
    {
        public string Id { get; set; }

        /// <summary>ROOT or ORGANIZATIONAL_UNIT.</summary>
        public string Type { get; set; }
    }

    /// <summary>
    /// The only code that calls AWS Organizations. Errors map to AmiShareException: a caller outside an
    /// organization, or without the management/delegated-admin rights, gets ErrorIds.OrganizationUnresolved.
    /// </summary>
    public interface IOrganizationsGateway : IDisposable
    {
        Task<OrganizationInfo> DescribeOrganizationAsync(CancellationToken cancellationToken);

        Task<OrganizationalUnitInfo> DescribeOrganizationalUnitAsync(string ouId, CancellationToken cancellationToken);

        /// <summary>The parents of an account id or OU id (one each in practice).</summary>
        Task<IReadOnlyList<OrganizationParent>> ListParentsAsync(string childId, CancellationToken cancellationToken);
    }
}
