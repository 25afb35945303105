using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Sharing;

namespace AmiShare.Engine.Distribution
{
    /// <summary>
    /// Builds <see cref="RegionGateways"/> for the target regions of a source session: same credentials, endpoint and
    /// proxy, another region; the sharing service comes from the command's <see cref="AmiShareServiceFactory"/>, so its
    /// run-scoped facts are the ones every other AmiShare operation of the command uses. One set per region, cached.
    /// Also the consumer's reads of a region (the same EC2 gateway) and the caller's account (one STS GetCallerIdentity).
    /// </summary>
    public sealed class RegionGatewaysFactory : IDisposable
    {
        private readonly AmiShareServiceFactory _services;
        private readonly AwsSession _source;
        private readonly string _regionSource;
        private readonly Dictionary<string, RegionGateways> _regions = new Dictionary<string, RegionGateways>(StringComparer.Ordinal);
        private readonly Dictionary<string, Ec2Gateway> _ec2 = new Dictionary<string, Ec2Gateway>(StringComparer.Ordinal);
        private readonly object _gate = new object();
        private Task<string> _caller;

        /// <summary>Gateways for the regions of <paramref name="source"/>'s session (a service <paramref name="services"/> built).</summary>
        public RegionGatewaysFactory(AmiShareServiceFactory services, AmiShareService source)
            : this(services, source, "-Region (a Publish-Ami target)")
        {
        }

        /// <summary>
        /// Gateways for the regions of <paramref name="source"/>'s session; <paramref name="regionSource"/> names where a region
        /// came from in errors about it, e.g. "-Region (a Copy-SharedAmi region)".
        /// </summary>
        public RegionGatewaysFactory(AmiShareServiceFactory services, AmiShareService source, string regionSource)
        {
            _services = services ?? throw new ArgumentNullException(nameof(services));
            _source = services.SessionOf(source) ?? throw new ArgumentException("The source service was not built by this factory.", nameof(source));
            _regionSource = regionSource ?? throw new ArgumentNullException(nameof(regionSource));
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
                    var session = new AwsSession(_source.Credentials, _source.CredentialSource, region, _regionSource, _source.EndpointUrl) { Proxy = _source.Proxy };
                    IShareReporter reporter = _services.Reporter;
                    var ec2 = new Ec2Gateway(session, reporter);
                    gateways = new RegionGateways(region, ec2, new KmsGateway(session, reporter), new SsmGateway(session, reporter), _services.For(session));
                    _regions.Add(region, gateways);
                    _ec2.Add(region, ec2);
                }

                return gateways;
            }
        }

        /// <summary>The consumer's reads of <paramref name="region"/> (the EC2 gateway of <see cref="For"/>).</summary>
        public IEc2ConsumerGateway Consumer(string region)
        {
            lock (_gate)
            {
                For(region);
                return _ec2[region];
            }
        }

        /// <summary>The caller's account id (STS GetCallerIdentity, asked once; asked again after a failure).</summary>
        public Task<string> CallerAccountAsync(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (_caller == null || _caller.IsFaulted || _caller.IsCanceled)
                {
                    _caller = ReadCallerAsync(cancellationToken);
                }

                return _caller;
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
            _ec2.Clear();
        }

        private async Task<string> ReadCallerAsync(CancellationToken cancellationToken)
        {
            using (IStsGateway sts = _services.CreateSts(_source))
            {
                return await sts.GetCallerAccountAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
