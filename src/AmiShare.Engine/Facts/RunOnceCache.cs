using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AmiShare.Engine.Facts
{
    /// <summary>
    /// One read per key per run: the first caller starts the read, concurrent callers wait for it, later callers get
    /// its result. A failure is kept only when it is the resource's own answer (<see cref="FactErrors.IsKept"/>); after a
    /// transient one the next caller reads again. A caller whose token is cancelled stops waiting at once; when the
    /// caller that started the read is cancelled, the others start it again with their own tokens.
    /// </summary>
    internal sealed class RunOnceCache<TKey, TValue>
    {
        private readonly ConcurrentDictionary<TKey, Task<TValue>> _entries;

        public RunOnceCache(IEqualityComparer<TKey> comparer = null)
        {
            _entries = new ConcurrentDictionary<TKey, Task<TValue>>(comparer ?? EqualityComparer<TKey>.Default);
        }

        /// <summary>The value of <paramref name="key"/>, read with <paramref name="load"/> the first time.</summary>
        public async Task<TValue> GetAsync(TKey key, Func<CancellationToken, Task<TValue>> load, CancellationToken cancellationToken)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!_entries.TryGetValue(key, out Task<TValue> task))
                {
                    var started = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
                    if (!_entries.TryAdd(key, started.Task))
                    {
                        continue;
                    }

                    task = started.Task;
                    _ = LoadAsync(key, started, load, cancellationToken);
                }

                try
                {
                    return await FactTasks.WaitAsync(task, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The caller that started the read was cancelled (its entry is gone): read again with this token.
                }
            }
        }

        /// <summary>Replaces the value of <paramref name="key"/> (our own write is the newest state).</summary>
        public void Set(TKey key, TValue value) => _entries[key] = Task.FromResult(value);

        /// <summary>Forgets <paramref name="key"/>: the next caller reads it again.</summary>
        public void Forget(TKey key) => _entries.TryRemove(key, out _);

        private async Task LoadAsync(TKey key, TaskCompletionSource<TValue> started, Func<CancellationToken, Task<TValue>> load, CancellationToken cancellationToken)
        {
            try
            {
                started.SetResult(await load(cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                if (!FactErrors.IsKept(e))
                {
                    // Only this read's own entry: a value Set meanwhile stays.
                    ((ICollection<KeyValuePair<TKey, Task<TValue>>>)_entries).Remove(new KeyValuePair<TKey, Task<TValue>>(key, started.Task));
                }

                if (e is OperationCanceledException)
                {
                    started.SetCanceled();
                }
                else
                {
                    started.SetException(e);
                }
            }
        }
    }

    /// <summary>Which failed reads are kept for the run.</summary>
    internal static class FactErrors
    {
        /// <summary>
        /// True for the resource's own answer, which another read in the same run would repeat: not found, access denied,
        /// not usable, malformed. False for throttling past the budget, 5xx, lost connections, cancellation and anything else.
        /// </summary>
        public static bool IsKept(Exception e)
        {
            if (!(e is AmiShareException error))
            {
                return false;
            }

            switch (error.Kind)
            {
                case AmiShareErrorKind.ObjectNotFound:
                case AmiShareErrorKind.PermissionDenied:
                case AmiShareErrorKind.SecurityError:
                case AmiShareErrorKind.InvalidArgument:
                case AmiShareErrorKind.InvalidOperation:
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>Task helpers netstandard2.0 lacks.</summary>
    internal static class FactTasks
    {
        /// <summary>Awaits <paramref name="task"/>, but stops waiting (OperationCanceledException) as soon as <paramref name="cancellationToken"/> is cancelled.</summary>
        public static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
        {
            if (task.IsCompleted || !cancellationToken.CanBeCanceled)
            {
                return await task.ConfigureAwait(false);
            }

            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }

            return await task.ConfigureAwait(false);
        }
    }
}
