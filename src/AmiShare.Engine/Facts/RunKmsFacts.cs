using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Facts
{
    /// <summary>
    /// The KMS half of the facts loader: DescribeKey, GetKeyPolicy and ListGrants once per key per run, whatever the
    /// number of AMIs behind the key. A key policy is read once per run: a PutKeyPolicy made through this gateway
    /// replaces the cached policy (so a re-read before the next put sees this run's own latest write); an edit made
    /// elsewhere during the run is not seen until the next run. A failed put forgets the policy, so the next read asks KMS.
    /// </summary>
    public sealed class RunKmsFacts : IKmsGateway
    {
        private readonly IKmsGateway _inner;
        private readonly RunOnceCache<string, KmsKeyInfo> _keys = new RunOnceCache<string, KmsKeyInfo>(StringComparer.Ordinal);
        private readonly RunOnceCache<string, string> _policies = new RunOnceCache<string, string>(StringComparer.Ordinal);
        private readonly RunOnceCache<string, IReadOnlyList<KmsGrantInfo>> _grants = new RunOnceCache<string, IReadOnlyList<KmsGrantInfo>>(StringComparer.Ordinal);

        /// <summary>Run-scoped reads over <paramref name="inner"/> (disposed with this).</summary>
        public RunKmsFacts(IKmsGateway inner)
        {
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        }

        /// <summary>Once per key id (as given) per run; a copy.</summary>
        public async Task<KmsKeyInfo> DescribeKeyAsync(string keyId, CancellationToken cancellationToken)
        {
            KmsKeyInfo info = await _keys.GetAsync(keyId ?? string.Empty, ct => _inner.DescribeKeyAsync(keyId, ct), cancellationToken).ConfigureAwait(false);
            return new KmsKeyInfo { KeyId = info.KeyId, KeyArn = info.KeyArn, AccountId = info.AccountId, KeyManager = info.KeyManager, Enabled = info.Enabled, KeyState = info.KeyState };
        }

        /// <summary>Once per key per run, or this run's own last <see cref="PutKeyPolicyAsync"/>.</summary>
        public Task<string> GetKeyPolicyAsync(string keyArn, CancellationToken cancellationToken) =>
            _policies.GetAsync(keyArn ?? string.Empty, ct => _inner.GetKeyPolicyAsync(keyArn, ct), cancellationToken);

        /// <summary>Writes through; the policy written becomes the run's copy.</summary>
        public async Task PutKeyPolicyAsync(string keyArn, string policy, CancellationToken cancellationToken)
        {
            try
            {
                await _inner.PutKeyPolicyAsync(keyArn, policy, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _policies.Forget(keyArn ?? string.Empty);
                throw;
            }

            _policies.Set(keyArn ?? string.Empty, policy);
        }

        /// <summary>Once per key per run; copies.</summary>
        public async Task<IReadOnlyList<KmsGrantInfo>> ListGrantsAsync(string keyArn, CancellationToken cancellationToken)
        {
            IReadOnlyList<KmsGrantInfo> grants = await _grants.GetAsync(keyArn ?? string.Empty, ct => _inner.ListGrantsAsync(keyArn, ct), cancellationToken).ConfigureAwait(false);
            return grants.Select(g => new KmsGrantInfo { GrantId = g.GrantId, Name = g.Name, GranteePrincipal = g.GranteePrincipal, Operations = (g.Operations ?? Array.Empty<string>()).ToList() }).ToList();
        }

        /// <summary>Disposes the gateway underneath.</summary>
        public void Dispose() => _inner.Dispose();
    }
}
