using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace AmiShare.Engine.Execution
{
    /// <summary>
    /// One async mutex per key (a KMS key ARN, a snapshot id): a read-modify-write on the same resource from two AMIs applied
    /// concurrently runs one after the other, so neither loses the other's change. Different keys never wait for each other.
    /// </summary>
    internal sealed class KeyedAsyncLock
    {
        private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new ConcurrentDictionary<string, SemaphoreSlim>(StringComparer.Ordinal);

        /// <summary>Waits for <paramref name="key"/>'s turn; dispose the result to release it.</summary>
        public async Task<IDisposable> LockAsync(string key, CancellationToken cancellationToken)
        {
            SemaphoreSlim gate = _gates.GetOrAdd(key ?? string.Empty, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new Release(gate);
        }

        private sealed class Release : IDisposable
        {
            private SemaphoreSlim _gate;

            public Release(SemaphoreSlim gate) => _gate = gate;

            public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
        }
    }
}
