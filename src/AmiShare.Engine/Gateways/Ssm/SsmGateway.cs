using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using AmiShare.Engine.Aws;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// <see cref="ISsmGateway"/> over AWSSDK.SimpleSystemsManagement, with the session's region, endpoint, credentials and
    /// proxy (<see cref="ClientSettings"/>), AmiShare's retries and one verbose line per call.
    /// </summary>
    public sealed class SsmGateway : ISsmGateway
    {
        /// <summary>The data type EC2 validates: the value must be an AMI id that exists in the region.</summary>
        public const string ImageDataType = "aws:ec2:image";

        private readonly IAmazonSimpleSystemsManagement _client;
        private readonly SdkCall _calls;

        /// <summary>An SSM client for <paramref name="session"/> that reports each call to <paramref name="reporter"/>.</summary>
        public SsmGateway(AwsSession session, IShareReporter reporter)
            : this(CreateClient(session), session.Region, session.EndpointUrl, reporter, AmiShare.Engine.Pacing.RateLimitKey.AccountKeyOf(session.Credentials))
        {
        }

        internal SsmGateway(IAmazonSimpleSystemsManagement client, string region, string endpoint, IShareReporter reporter, string accountKey = null)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            Region = region;
            _calls = new SdkCall("SSM", region, endpoint, reporter, (e, operation, target) => AwsErrorMapper.Map(e, "SSM", operation, target, region, endpoint), null, accountKey);
        }

        /// <inheritdoc />
        public string Region { get; }

        internal static IAmazonSimpleSystemsManagement CreateClient(AwsSession session)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            var config = new AmazonSimpleSystemsManagementConfig();
            ClientSettings.Apply(config, session);
            SdkCall.UseOwnRetries(config);
            return new AmazonSimpleSystemsManagementClient(session.Credentials, config);
        }

        /// <inheritdoc />
        public async Task<string> GetParameterValueAsync(string name, CancellationToken cancellationToken)
        {
            var request = new GetParameterRequest { Name = name };
            try
            {
                GetParameterResponse response = await _calls.InvokeAsync("GetParameter", name, ct => _client.GetParameterAsync(request, ct), cancellationToken).ConfigureAwait(false);
                return response.Parameter?.Value;
            }
            catch (AmiShareException e) when (e.AwsErrorCode == "ParameterNotFound" || e.InnerException is ParameterNotFoundException)
            {
                return null;
            }
        }

        /// <inheritdoc />
        public async Task PutImageParameterAsync(string name, string imageId, CancellationToken cancellationToken)
        {
            var request = new PutParameterRequest
            {
                Name = name,
                Value = imageId,
                Type = ParameterType.String,
                DataType = ImageDataType,
                Overwrite = true,
            };

            // After a lost answer the parameter is re-read: holding the id means it was written (never a second version).
            await _calls.InvokeWriteAsync(
                "PutParameter",
                name,
                ct => _client.PutParameterAsync(request, ct),
                async ct => string.Equals(await GetParameterValueAsync(name, ct).ConfigureAwait(false), imageId, StringComparison.Ordinal),
                cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Disposes the SDK client.</summary>
        public void Dispose() => _client.Dispose();
    }
}
