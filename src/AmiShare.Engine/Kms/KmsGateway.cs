using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Kms
{
    /// <summary>IKmsGateway over AWSSDK.KeyManagementService (same session, region and endpoint rules as Ec2Gateway).</summary>
    public sealed class KmsGateway : IKmsGateway
    {
        private readonly AwsSession _session;
        private readonly IShareReporter _reporter;

        public KmsGateway(AwsSession session, IShareReporter reporter)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _reporter = reporter ?? NullShareReporter.Instance;
        }

        public Task<KmsKeyInfo> DescribeKeyAsync(string keyId, CancellationToken cancellationToken) => throw new NotImplementedException();

        public Task<string> GetKeyPolicyAsync(string keyArn, CancellationToken cancellationToken) => throw new NotImplementedException();

        public Task PutKeyPolicyAsync(string keyArn, string policy, CancellationToken cancellationToken) => throw new NotImplementedException();

        public Task<IReadOnlyList<KmsGrantInfo>> ListGrantsAsync(string keyArn, CancellationToken cancellationToken) => throw new NotImplementedException();

        public void Dispose()
        {
        }
    }
}
