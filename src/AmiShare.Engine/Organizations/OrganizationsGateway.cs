using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Organizations
{
    /// <summary>
    /// IOrganizationsGateway over a small AWS JSON 1.1 client signed with AWSSDK.Core's SigV4 signer:
    /// AWSSDK.Organizations is not served by this project's package source (design.md §2), so this client
    /// stands in for it behind the same interface and can be swapped for the SDK client with no other change.
    /// </summary>
    public sealed class OrganizationsGateway : IOrganizationsGateway
    {
        private readonly AwsSession _session;
        private readonly IShareReporter _reporter;

        public OrganizationsGateway(AwsSession session, IShareReporter reporter)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _reporter = reporter ?? NullShareReporter.Instance;
        }

        public Task<OrganizationInfo> DescribeOrganizationAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

        public Task<OrganizationalUnitInfo> DescribeOrganizationalUnitAsync(string ouId, CancellationToken cancellationToken) => throw new NotImplementedException();

        public Task<IReadOnlyList<OrganizationParent>> ListParentsAsync(string childId, CancellationToken cancellationToken) => throw new NotImplementedException();

        public void Dispose()
        {
        }
    }
}
