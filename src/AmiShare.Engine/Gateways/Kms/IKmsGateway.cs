using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AmiShare.Engine.Gateways
{
    /// <summary>The only code that calls KMS (AWSSDK.KeyManagementService). One method, one API call (or one paginated series).</summary>
    public interface IKmsGateway : IDisposable
    {
        /// <summary>DescribeKey: the key's ARN, owner account, manager and state.</summary>
        /// <param name="keyId">A key id, key ARN, alias name or alias ARN.</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        Task<KmsKeyInfo> DescribeKeyAsync(string keyId, CancellationToken cancellationToken);

        /// <summary>The "default" key policy document (JSON text).</summary>
        /// <param name="keyArn">The key's ARN.</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        Task<string> GetKeyPolicyAsync(string keyArn, CancellationToken cancellationToken);

        /// <summary>PutKeyPolicy: replaces the "default" key policy document with <paramref name="policy"/>.</summary>
        /// <param name="keyArn">The key's ARN.</param>
        /// <param name="policy">The whole new policy document (JSON text).</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        Task PutKeyPolicyAsync(string keyArn, string policy, CancellationToken cancellationToken);

        /// <summary>ListGrants: every grant on the key (one paginated series).</summary>
        /// <param name="keyArn">The key's ARN.</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        Task<IReadOnlyList<KmsGrantInfo>> ListGrantsAsync(string keyArn, CancellationToken cancellationToken);
    }
}
