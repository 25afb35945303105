using System;
using System.Collections.Generic;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Facts;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Sharing
{
    /// <summary>
    /// Builds <see cref="AmiShareService"/>s (and their SDK clients) for resolved sessions, one per
    /// distinct <see cref="AwsSession.CacheKey"/>; a cmdlet keeps one factory for its lifetime (one run).
    /// Each service's gateways are wrapped in the run-scoped facts loader (Facts/): <see cref="RunEc2Facts"/> (batched
    /// DescribeImages, account facts once) and <see cref="RunKmsFacts"/> (key reads once per key) per service, and one
    /// <see cref="SharedOrganizationsFacts"/> per identity, shared by that identity's services in every region.
    /// </summary>
    public sealed class AmiShareServiceFactory : IDisposable
    {
        private readonly IShareReporter _reporter;
        private readonly Dictionary<string, AmiShareService> _services = new Dictionary<string, AmiShareService>(StringComparer.Ordinal);
        private readonly Dictionary<string, SharedOrganizationsFacts> _organizations = new Dictionary<string, SharedOrganizationsFacts>(StringComparer.Ordinal);
        private readonly Dictionary<AmiShareService, AwsSession> _sessionsByService = new Dictionary<AmiShareService, AwsSession>();

        private readonly Func<AwsSession, IShareReporter, IEc2Gateway> _gatewayFactory;
        private readonly object _gate = new object();
        private Func<AwsSession, IShareReporter, AmiShareService> _serviceFactory;

        /// <summary>A factory that builds whole services with <paramref name="serviceFactory"/> (tests plug in fake EC2/KMS/Organizations gateways).</summary>
        public static AmiShareServiceFactory WithServices(IShareReporter reporter, Func<AwsSession, IShareReporter, AmiShareService> serviceFactory)
            => new AmiShareServiceFactory(reporter, (Func<AwsSession, IShareReporter, IEc2Gateway>)null) { _serviceFactory = serviceFactory };

        /// <summary>A factory over the real AWS gateways, reporting to <paramref name="reporter"/>.</summary>
        public AmiShareServiceFactory(IShareReporter reporter)
            : this(reporter, null)
        {
        }

        /// <summary>Builds services over gateways from <paramref name="gatewayFactory"/> (tests, or a custom transport); null = <see cref="Ec2Gateway"/>.</summary>
        public AmiShareServiceFactory(IShareReporter reporter, Func<AwsSession, IShareReporter, IEc2Gateway> gatewayFactory)
        {
            _reporter = reporter ?? NullShareReporter.Instance;
            _gatewayFactory = gatewayFactory ?? ((session, r) => new Ec2Gateway(session, r));
        }

        /// <summary>The service for <paramref name="session"/>, created on first use and cached per <see cref="AwsSession.CacheKey"/>.</summary>
        public AmiShareService For(AwsSession session)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            lock (_gate)
            {
                if (!_services.TryGetValue(session.CacheKey, out AmiShareService service))
                {
                    service = _serviceFactory != null
                        ? _serviceFactory(session, _reporter)
                        : new AmiShareService(
                            new RunEc2Facts(_gatewayFactory(session, _reporter)),
                            new RunKmsFacts(new KmsGateway(session, _reporter)),
                            OrganizationsFor(session).Share(),
                            _reporter);
                    _services.Add(session.CacheKey, service);
                    _sessionsByService[service] = session;
                }

                return service;
            }
        }

        /// <summary>The Organizations reads of <paramref name="session"/>'s identity (Organizations is global: one per identity, endpoint and proxy).</summary>
        private SharedOrganizationsFacts OrganizationsFor(AwsSession session)
        {
            string key = AmiShare.Engine.Pacing.RateLimitKey.AccountKeyOf(session.Credentials) + "|"
                + (session.EndpointUrl ?? OrganizationsJsonClient.SigningRegionFor(session.Region)) + "|" + session.Proxy?.Key;
            if (!_organizations.TryGetValue(key, out SharedOrganizationsFacts shared))
            {
                shared = new SharedOrganizationsFacts(new OrganizationsGateway(session, _reporter));
                _organizations.Add(key, shared);
            }

            return shared;
        }

        /// <summary>A new STS gateway for <paramref name="session"/> (the caller disposes it).</summary>
        public IStsGateway CreateSts(AwsSession session)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            return new StsGateway(session, _reporter);
        }

        /// <summary>The reporter every service and gateway of this factory reports to.</summary>
        public IShareReporter Reporter => _reporter;

        /// <summary>
        /// The session <paramref name="service"/> was built for, or null for a service this factory did not build
        /// (Publish-Ami derives its target regions' sessions from the source's).
        /// </summary>
        public AwsSession SessionOf(AmiShareService service)
        {
            lock (_gate)
            {
                return service != null && _sessionsByService.TryGetValue(service, out AwsSession session) ? session : null;
            }
        }

        /// <summary>Disposes every service it built.</summary>
        public void Dispose()
        {
            foreach (var s in _services.Values)
            {
                s.Dispose();
            }

            _services.Clear();
            foreach (SharedOrganizationsFacts o in _organizations.Values)
            {
                o.Dispose();
            }

            _organizations.Clear();
        }
    }
}
