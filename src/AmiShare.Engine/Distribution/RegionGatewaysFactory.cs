using System;
using System.Collections.Generic;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Sharing;

namespace AmiShare.Engine.Distribution
{
    /// <summary>
    /// Builds <see cref="RegionGateways"/> for the target regions of a source session: same credentials, endpoint and
    /// proxy, another region; the sharing service comes from the command's <see cref="AmiShareServiceFactory"/>, so its
    /// run-scoped facts are the ones every other AmiShare operation of the command uses. One set per region, cached.
    /// </summary>
    public sealed class RegionGatewaysFactory : IDisposable
    {
        private readonly AmiShareServiceFactory _services;
        private readonly AwsSession _source;
        private readonly Dictionary<string, RegionGateways> _regions = new Dictionary<string, RegionGateways>(StringComparer.Ordinal);
        private readonly object _gate = new object();

        /// <summary>Gateways for the regions of <paramref name="source"/>'s session (a service <paramref name="services"/> built).</summary>
        public RegionGatewaysFactory(AmiShareServiceFactory services, AmiShareService source)
        {
            _services = services ?? throw new ArgumentNullException(nameof(services));
            _source = services.SessionOf(source) ?? throw new ArgumentException("The source service was not built by this factory.", nameof(source));
        }

        /// <summary>The source session's region.</summary>
        public string SourceRegion => _source.Region;

        /// <summary>The gateways of <paramref name="region"/>, created on first use.</summary>
        public RegionGateways For(string region)
        {
            lock (_gate)
            {
                if (!_regions.TryGetValue(region, out RegionGateways gateways))
                {
                    var session = new AwsSession(_source.Credentials, _source.CredentialSource, region, "-Region (a Publish-Ami target)", _source.EndpointUrl) { Proxy = _source.Proxy };
                    IShareReporter reporter = _services.Reporter;
                    gateways = new RegionGateways(region, new Ec2Gateway(session, reporter), new KmsGateway(session, reporter), new SsmGateway(session, reporter), _services.For(session));
                    _regions.Add(region, gateways);
                }

                return gateways;
            }
        }

        /// <summary>Disposes the gateways it built (the sharing services belong to the service factory).</summary>
        public void Dispose()
        {
            foreach (RegionGateways g in _regions.Values)
            {
                g.Dispose();
            }

            _regions.Clear();
        }
    }
}
