using Amazon;
using Amazon.Runtime;
using AmiShare.Engine.Aws;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// What every SDK client (EC2, KMS, STS) takes from the session: the endpoint (or the region's) and $AWSProxy.
    /// </summary>
    internal static class ClientSettings
    {
        /// <summary>Sets <paramref name="config"/>'s endpoint or region and proxy from <paramref name="session"/>.</summary>
        internal static void Apply(ClientConfig config, AwsSession session)
        {
            if (!string.IsNullOrEmpty(session.EndpointUrl))
            {
                config.ServiceURL = session.EndpointUrl;
                config.AuthenticationRegion = session.Region;
            }
            else
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(session.Region);
            }

            // Retries: EC2 and KMS clients make one SDK attempt per call (SdkCall.UseOwnRetries); AmiShare's own policy
            // (SdkCall, RetrySettings) retries throttling within a time budget and re-reads a write whose answer was lost.
            // STS keeps the SDK's standard retries.

            // $AWSProxy, as AWS.Tools applies it (Utils.Common.PopulateConfig).
            System.Net.IWebProxy proxy = session.Proxy?.ToWebProxy();
            if (proxy != null)
            {
                config.SetWebProxy(proxy);
            }
        }
    }
}
