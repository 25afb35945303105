using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AmiShare.Engine.Aws;

namespace AmiShare.Engine.Gateways
{
    /// <summary><see cref="IStsGateway"/> over the SDK's AmazonSecurityTokenServiceClient.</summary>
    public sealed class StsGateway : IStsGateway
    {
        private readonly IAmazonSecurityTokenService _client;
        private readonly IShareReporter _reporter;
        private readonly string _region;
        private readonly string _endpoint;

        public StsGateway(AwsSession session, IShareReporter reporter)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            var config = new AmazonSecurityTokenServiceConfig();
            Ec2Gateway.ApplyEndpoint(config, session);
            _client = new AmazonSecurityTokenServiceClient(session.Credentials, config);
            _region = session.Region;
            _endpoint = session.EndpointUrl;
            _reporter = reporter ?? NullShareReporter.Instance;
        }

        public async Task<string> GetCallerAccountAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string line = "Invoking STS GetCallerIdentity in region '" + _region + "'";
            _reporter.Verbose(_endpoint != null ? line + " on endpoint '" + _endpoint + "'" : line);
            try
            {
                GetCallerIdentityResponse response = await _client.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
                return response.Account;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (!(e is AmiShareException))
            {
                throw AwsErrorMapper.Map(e, "GetCallerIdentity", null, _region, _endpoint);
            }
        }

        public void Dispose() => _client.Dispose();
    }
}
