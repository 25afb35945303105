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

        /// <summary>Creates a gateway calling STS with the session's credentials, region and endpoint.</summary>
        /// <param name="session">The resolved AWS session.</param>
        /// <param name="reporter">Where the verbose line of each call goes; null writes nowhere.</param>
        public StsGateway(AwsSession session, IShareReporter reporter)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            var config = new AmazonSecurityTokenServiceConfig();
            ClientSettings.Apply(config, session);
            _client = new AmazonSecurityTokenServiceClient(session.Credentials, config);
            _region = session.Region;
            _endpoint = session.EndpointUrl;
            _reporter = reporter ?? NullShareReporter.Instance;
        }

        /// <inheritdoc/>
        public async Task<string> GetCallerAccountAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _reporter.Verbose(CallLog.Describe("STS", "GetCallerIdentity", null, _region, _endpoint));
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

        /// <summary>Disposes the SDK client.</summary>
        public void Dispose() => _client.Dispose();
    }
}
