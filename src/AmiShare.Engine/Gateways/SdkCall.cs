using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// How every AWSSDK call of a gateway is made: one verbose line naming the service, operation, target,
    /// region and endpoint (as AWS.Tools words it, never a secret), the request id at debug level, and SDK
    /// exceptions mapped to <see cref="AmiShareException"/> by the service's own mapper.
    /// </summary>
    internal sealed class SdkCall
    {
        private readonly string _service;
        private readonly string _region;
        private readonly string _endpoint;
        private readonly IShareReporter _reporter;
        private readonly Func<Exception, string, string, AmiShareException> _map;

        /// <param name="service">"EC2" or "KMS".</param>
        /// <param name="region">The region the client calls.</param>
        /// <param name="endpoint">The endpoint override, or null.</param>
        /// <param name="reporter">Where verbose and debug lines go.</param>
        /// <param name="map">Maps an SDK exception for (operation, target) to the engine's error.</param>
        public SdkCall(string service, string region, string endpoint, IShareReporter reporter, Func<Exception, string, string, AmiShareException> map)
        {
            _service = service;
            _region = region;
            _endpoint = endpoint;
            _reporter = reporter ?? NullShareReporter.Instance;
            _map = map;
        }

        /// <summary>The verbose line for one call, e.g. "Invoking EC2 ModifyImageAttribute for ami-… in region 'us-east-1'".</summary>
        public string Describe(string operation, string target)
        {
            string text = "Invoking " + _service + " " + operation + (target != null ? " for " + target : string.Empty) + " in region '" + _region + "'";
            return _endpoint != null ? text + " on endpoint '" + _endpoint + "'" : text;
        }

        public async Task<T> InvokeAsync<T>(string operation, string target, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
            where T : AmazonWebServiceResponse
        {
            cancellationToken.ThrowIfCancellationRequested();
            _reporter.Verbose(Describe(operation, target));
            try
            {
                T response = await call(cancellationToken).ConfigureAwait(false);
                if (response?.ResponseMetadata?.RequestId != null)
                {
                    _reporter.Debug($"{_service} {operation} request id {response.ResponseMetadata.RequestId}");
                }

                return response;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (!(e is AmiShareException))
            {
                AmiShareException mapped = _map(e, operation, target);
                if (mapped.AwsRequestId != null)
                {
                    _reporter.Debug($"{_service} {operation} failed with {mapped.AwsErrorCode}, request id {mapped.AwsRequestId}");
                }

                throw mapped;
            }
        }
    }
}
