using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using AmiShare.Engine.Aws;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// IKmsGateway over AWSSDK.KeyManagementService (same session, region and endpoint rules as Ec2Gateway:
    /// with an endpoint URL, ServiceURL + AuthenticationRegion, so one emulator endpoint serves every service).
    /// One method, one API call (ListGrants: one paginated series); one verbose line per call; KMS errors
    /// mapped by <see cref="AwsErrorMapper.MapKms"/>.
    /// </summary>
    public sealed class KmsGateway : IKmsGateway
    {
        private readonly IAmazonKeyManagementService _client;
        private readonly SdkCall _calls;

        /// <summary>Creates a gateway calling KMS with the session's credentials, region and endpoint.</summary>
        /// <param name="session">The resolved AWS session.</param>
        /// <param name="reporter">Where the verbose and debug lines of each call go; null writes nowhere.</param>
        public KmsGateway(AwsSession session, IShareReporter reporter)
            : this(CreateClient(session), session.Region, session.EndpointUrl, reporter, AmiShare.Engine.Pacing.RateLimitKey.AccountKeyOf(session.Credentials))
        {
        }

        internal KmsGateway(IAmazonKeyManagementService client, string region, string endpoint, IShareReporter reporter, string accountKey = null)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _calls = new SdkCall("KMS", region, endpoint, reporter, (e, operation, target) => AwsErrorMapper.MapKms(e, operation, target, region, endpoint), null, accountKey);
        }

        internal static IAmazonKeyManagementService CreateClient(AwsSession session)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            var config = new AmazonKeyManagementServiceConfig();
            ClientSettings.Apply(config, session);
            SdkCall.UseOwnRetries(config);
            return new AmazonKeyManagementServiceClient(session.Credentials, config);
        }

        /// <inheritdoc/>
        public async Task<KmsKeyInfo> DescribeKeyAsync(string keyId, CancellationToken cancellationToken)
        {
            var request = new DescribeKeyRequest { KeyId = keyId };
            DescribeKeyResponse response = await Call("DescribeKey", keyId, ct => _client.DescribeKeyAsync(request, ct), cancellationToken).ConfigureAwait(false);
            KeyMetadata meta = response.KeyMetadata ?? new KeyMetadata();
            return new KmsKeyInfo
            {
                KeyId = meta.KeyId,
                KeyArn = string.IsNullOrEmpty(meta.Arn) ? keyId : meta.Arn,
                AccountId = meta.AWSAccountId,
                KeyManager = meta.KeyManager?.Value,
                Enabled = meta.Enabled ?? false,
                KeyState = meta.KeyState?.Value,
            };
        }

        /// <inheritdoc/>
        public async Task<string> GetKeyPolicyAsync(string keyArn, CancellationToken cancellationToken)
        {
            var request = new GetKeyPolicyRequest { KeyId = keyArn, PolicyName = "default" };
            GetKeyPolicyResponse response = await Call("GetKeyPolicy", keyArn, ct => _client.GetKeyPolicyAsync(request, ct), cancellationToken).ConfigureAwait(false);
            return response.Policy;
        }

        /// <inheritdoc/>
        public async Task PutKeyPolicyAsync(string keyArn, string policy, CancellationToken cancellationToken)
        {
            var request = new PutKeyPolicyRequest { KeyId = keyArn, PolicyName = "default", Policy = policy };
            // After a lost answer the policy is re-read: the document as written means it was applied (never a second edit).
            await _calls.InvokeWriteAsync("PutKeyPolicy", keyArn, ct => _client.PutKeyPolicyAsync(request, ct), async ct => string.Equals(await GetKeyPolicyAsync(keyArn, ct).ConfigureAwait(false), policy, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
        }

        /// <inheritdoc/>
        public async Task<IReadOnlyList<KmsGrantInfo>> ListGrantsAsync(string keyArn, CancellationToken cancellationToken)
        {
            var result = new List<KmsGrantInfo>();
            string marker = null;
            do
            {
                var request = new ListGrantsRequest { KeyId = keyArn, Limit = 1000, Marker = marker };
                ListGrantsResponse response = await Call("ListGrants", keyArn, ct => _client.ListGrantsAsync(request, ct), cancellationToken).ConfigureAwait(false);
                if (response.Grants != null)
                {
                    foreach (GrantListEntry grant in response.Grants)
                    {
                        var operations = new List<string>();
                        if (grant.Operations != null)
                        {
                            foreach (var op in grant.Operations)
                            {
                                operations.Add(op);
                            }
                        }

                        result.Add(new KmsGrantInfo
                        {
                            GrantId = grant.GrantId,
                            Name = grant.Name,
                            GranteePrincipal = grant.GranteePrincipal,
                            Operations = operations,
                        });
                    }
                }

                marker = (response.Truncated ?? false) && !string.IsNullOrEmpty(response.NextMarker) ? response.NextMarker : null;
            }
            while (marker != null);

            return result;
        }

        /// <summary>Disposes the SDK client.</summary>
        public void Dispose() => _client.Dispose();

        private Task<T> Call<T>(string operation, string target, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
            where T : AmazonWebServiceResponse
            => _calls.InvokeAsync(operation, target, call, cancellationToken);
    }
}
