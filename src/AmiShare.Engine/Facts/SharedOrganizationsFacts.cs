using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Facts
{
    /// <summary>
    /// The Organizations part of the facts loader: DescribeOrganization, DescribeOrganizationalUnit and ListParents
    /// once per run for one identity. Organizations is global, so the services of every region of that identity share
    /// one of these (each through <see cref="Share"/>, whose Dispose leaves it open); its owner disposes it.
    /// </summary>
    public sealed class SharedOrganizationsFacts : IOrganizationsGateway
    {
        private readonly IOrganizationsGateway _inner;
        private readonly RunOnceCache<string, OrganizationInfo> _organization = new RunOnceCache<string, OrganizationInfo>(StringComparer.Ordinal);
        private readonly RunOnceCache<string, OrganizationalUnitInfo> _units = new RunOnceCache<string, OrganizationalUnitInfo>(StringComparer.Ordinal);
        private readonly RunOnceCache<string, IReadOnlyList<OrganizationParent>> _parents = new RunOnceCache<string, IReadOnlyList<OrganizationParent>>(StringComparer.Ordinal);

        /// <summary>Run-scoped reads over <paramref name="inner"/> (disposed with this).</summary>
        public SharedOrganizationsFacts(IOrganizationsGateway inner)
        {
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        }

        /// <summary>Once per run.</summary>
        public async Task<OrganizationInfo> DescribeOrganizationAsync(CancellationToken cancellationToken)
        {
            OrganizationInfo o = await _organization.GetAsync(string.Empty, ct => _inner.DescribeOrganizationAsync(ct), cancellationToken).ConfigureAwait(false);
            return new OrganizationInfo { Id = o.Id, Arn = o.Arn, ManagementAccountId = o.ManagementAccountId };
        }

        /// <summary>Once per OU per run.</summary>
        public async Task<OrganizationalUnitInfo> DescribeOrganizationalUnitAsync(string ouId, CancellationToken cancellationToken)
        {
            OrganizationalUnitInfo u = await _units.GetAsync(ouId ?? string.Empty, ct => _inner.DescribeOrganizationalUnitAsync(ouId, ct), cancellationToken).ConfigureAwait(false);
            return new OrganizationalUnitInfo { Id = u.Id, Arn = u.Arn, Name = u.Name };
        }

        /// <summary>Once per child per run.</summary>
        public async Task<IReadOnlyList<OrganizationParent>> ListParentsAsync(string childId, CancellationToken cancellationToken)
        {
            IReadOnlyList<OrganizationParent> parents = await _parents.GetAsync(childId ?? string.Empty, ct => _inner.ListParentsAsync(childId, ct), cancellationToken).ConfigureAwait(false);
            return parents.Select(p => new OrganizationParent { Id = p.Id, Type = p.Type }).ToList();
        }

        /// <summary>A handle for one service: the same reads, and a Dispose that leaves this open.</summary>
        public IOrganizationsGateway Share() => new Handle(this);

        /// <summary>Disposes the gateway underneath.</summary>
        public void Dispose() => _inner.Dispose();

        private sealed class Handle : IOrganizationsGateway
        {
            private readonly SharedOrganizationsFacts _shared;

            public Handle(SharedOrganizationsFacts shared) => _shared = shared;

            public Task<OrganizationInfo> DescribeOrganizationAsync(CancellationToken cancellationToken) => _shared.DescribeOrganizationAsync(cancellationToken);

            public Task<OrganizationalUnitInfo> DescribeOrganizationalUnitAsync(string ouId, CancellationToken cancellationToken) => _shared.DescribeOrganizationalUnitAsync(ouId, cancellationToken);

            public Task<IReadOnlyList<OrganizationParent>> ListParentsAsync(string childId, CancellationToken cancellationToken) => _shared.ListParentsAsync(childId, cancellationToken);

            public void Dispose()
            {
            }
        }
    }
}
