using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Sharing;

namespace AmiShare.Engine.Consumer
{
    /// <summary>
    /// The consumer's reads for the regions of a source session (same credentials, endpoint and proxy): the EC2 consumer
    /// gateway of a region (created on first use, cached) and the caller's account (one STS GetCallerIdentity per factory).
    /// </summary>
    public sealed class ConsumerGatewaysFactory : IDisposable
    {
        private readonly AmiShareServiceFactory _services;
        private readonly AwsSession _source;
        private readonly Dictionary<string, Ec2Gateway> _regions = new Dictionary<string, Ec2Gateway>(StringComparer.Ordinal);
        private readonly object _gate = new object();
        private Task<string> _caller;

        /// <summary>Reads for the regions of <paramref name="source"/>'s session (a service <paramref name="services"/> built).</summary>
        public ConsumerGatewaysFactory(AmiShareServiceFactory services, AmiShareService source)
        {
            _services = services ?? throw new ArgumentNullException(nameof(services));
            _source = services.SessionOf(source) ?? throw new ArgumentException("The source service was not built by this factory.", nameof(source));
        }

        /// <summary>The consumer gateway of <paramref name="region"/>.</summary>
        public IEc2ConsumerGateway For(string region)
        {
            lock (_gate)
            {
                if (!_regions.TryGetValue(region, out Ec2Gateway gateway))
                {
                    gateway = new Ec2Gateway(Session(region), _services.Reporter);
                    _regions.Add(region, gateway);
                }

                return gateway;
            }
        }

        /// <summary>The caller's account id (STS GetCallerIdentity, asked once).</summary>
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

        /// <summary>Disposes the gateways it built.</summary>
        public void Dispose()
        {
            foreach (Ec2Gateway g in _regions.Values)
            {
                g.Dispose();
            }

            _regions.Clear();
        }

        private async Task<string> ReadCallerAsync(CancellationToken cancellationToken)
        {
            using (IStsGateway sts = _services.CreateSts(_source))
            {
                return await sts.GetCallerAccountAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private AwsSession Session(string region) =>
            new AwsSession(_source.Credentials, _source.CredentialSource, region, "-Region (a Copy-SharedAmi region)", _source.EndpointUrl) { Proxy = _source.Proxy };
    }
}
