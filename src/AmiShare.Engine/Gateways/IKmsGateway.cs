using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AmiShare.Engine.Gateways
{
    /// <summary>What the engine needs to know about a KMS key.</summary>
    public sealed class KmsKeyInfo
    {
        public string KeyId { get; set; }

        public string KeyArn { get; set; }

        public string AccountId { get; set; }

        /// <summary>"AWS" (AWS managed, e.g. aws/ebs: never shareable) or "CUSTOMER".</summary>
        public string KeyManager { get; set; }

        public bool Enabled { get; set; }

        public string KeyState { get; set; }

        public bool IsAwsManaged => string.Equals(KeyManager, "AWS", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A KMS grant (ListGrants).</summary>
    public sealed class KmsGrantInfo
    {
        public string GrantId { get; set; }

        public string Name { get; set; }

        /// <summary>e.g. arn:aws:iam::111122223333:root.</summary>
        public string GranteePrincipal { get; set; }

        public IReadOnlyList<string> Operations { get; set; } = new string[0];
    }

    /// <summary>The only code that calls KMS (AWSSDK.KeyManagementService). One method, one API call (or one paginated series).</summary>
    public interface IKmsGateway : IDisposable
    {
        Task<KmsKeyInfo> DescribeKeyAsync(string keyId, CancellationToken cancellationToken);

        /// <summary>The "default" key policy document (JSON text).</summary>
        Task<string> GetKeyPolicyAsync(string keyArn, CancellationToken cancellationToken);

        Task PutKeyPolicyAsync(string keyArn, string policy, CancellationToken cancellationToken);

        Task<IReadOnlyList<KmsGrantInfo>> ListGrantsAsync(string keyArn, CancellationToken cancellationToken);
    }
}
