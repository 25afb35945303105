using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Facts
{
    /// <summary>
    /// DescribeImages, batched and read once per run. A read of an id not read yet takes it together with every
    /// prefetched id not read yet, up to <see cref="Ec2Limits.MaxFilterValuesPerCall"/>, in ONE call
    /// (<see cref="IEc2Gateway.DescribeImagesAsync"/>); concurrent reads of ids in that batch wait for it. An id alone
    /// (nothing prefetched) is read exactly as before batching (<see cref="IEc2Gateway.DescribeImageAsync"/>). An id the
    /// batch did not return is read alone when it is asked for, so it fails with exactly the error it always did, and an
    /// id that is never asked for costs nothing more. When a whole batch fails, each id asked for is read alone too.
    /// </summary>
    internal sealed class ImageBatcher
    {
        private readonly IEc2Gateway _inner;
        private readonly int _pageSize;
        private readonly object _gate = new object();
        private readonly Dictionary<string, Task<ImageInfo>> _results = new Dictionary<string, Task<ImageInfo>>(StringComparer.Ordinal);
        private readonly Queue<string> _queue = new Queue<string>();
        private readonly HashSet<string> _queued = new HashSet<string>(StringComparer.Ordinal);

        public ImageBatcher(IEc2Gateway inner, int pageSize = Ec2Limits.MaxFilterValuesPerCall)
        {
            _inner = inner;
            _pageSize = Math.Max(1, Math.Min(pageSize, Ec2Limits.MaxFilterValuesPerCall));
        }

        /// <summary>Queues ids for the next batch (ids already read or queued are left as they are).</summary>
        public void Prefetch(IEnumerable<string> imageIds)
        {
            lock (_gate)
            {
                foreach (string id in imageIds)
                {
                    if (!string.IsNullOrEmpty(id) && !_results.ContainsKey(id) && _queued.Add(id))
                    {
                        _queue.Enqueue(id);
                    }
                }
            }
        }

        /// <summary>The image <paramref name="imageId"/> (a copy of the run's cached one).</summary>
        public async Task<ImageInfo> GetAsync(string imageId, CancellationToken cancellationToken)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Task<ImageInfo> task = Claim(imageId, cancellationToken);
                try
                {
                    ImageInfo info = await FactTasks.WaitAsync(task, cancellationToken).ConfigureAwait(false);
                    lock (_gate)
                    {
                        return Copy(info);
                    }
                }
                catch (ReadAlone)
                {
                    lock (_gate)
                    {
                        if (_results.TryGetValue(imageId, out Task<ImageInfo> now) && now == task)
                        {
                            _results[imageId] = StartSingle(imageId, cancellationToken);
                        }
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The read this id waited for was started by a caller that was cancelled: read again.
                }
            }
        }

        /// <summary>Applies <paramref name="change"/> to the cached image, if it was read (our own write changed it).</summary>
        public void Update(string imageId, Action<ImageInfo> change)
        {
            lock (_gate)
            {
                if (_results.TryGetValue(imageId, out Task<ImageInfo> task) && task.Status == TaskStatus.RanToCompletion)
                {
                    change(task.Result);
                }
            }
        }

        /// <summary>The read <paramref name="imageId"/> waits for: cached, in flight, or a new batch started now.</summary>
        private Task<ImageInfo> Claim(string imageId, CancellationToken cancellationToken)
        {
            List<string> batch;
            Dictionary<string, TaskCompletionSource<ImageInfo>> sources;
            lock (_gate)
            {
                if (_results.TryGetValue(imageId, out Task<ImageInfo> existing))
                {
                    return existing;
                }

                _queued.Remove(imageId);
                batch = new List<string> { imageId };
                while (batch.Count < _pageSize && _queue.Count > 0)
                {
                    string next = _queue.Dequeue();
                    if (_queued.Remove(next) && !_results.ContainsKey(next))
                    {
                        batch.Add(next);
                    }
                }

                if (batch.Count == 1)
                {
                    Task<ImageInfo> single = StartSingle(imageId, cancellationToken);
                    _results[imageId] = single;
                    return single;
                }

                sources = batch.ToDictionary(id => id, _ => new TaskCompletionSource<ImageInfo>(TaskCreationOptions.RunContinuationsAsynchronously), StringComparer.Ordinal);
                foreach (KeyValuePair<string, TaskCompletionSource<ImageInfo>> source in sources)
                {
                    _results[source.Key] = Observed(source.Value.Task);
                }
            }

            _ = RunBatchAsync(batch, sources, cancellationToken);
            return sources[imageId].Task;
        }

        private async Task RunBatchAsync(List<string> batch, Dictionary<string, TaskCompletionSource<ImageInfo>> sources, CancellationToken cancellationToken)
        {
            IReadOnlyList<ImageInfo> found;
            try
            {
                found = await _inner.DescribeImagesAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                lock (_gate)
                {
                    foreach (KeyValuePair<string, TaskCompletionSource<ImageInfo>> source in sources)
                    {
                        Remove(source.Key, source.Value.Task);
                    }
                }

                foreach (TaskCompletionSource<ImageInfo> source in sources.Values)
                {
                    source.TrySetCanceled(cancellationToken);
                }

                return;
            }
            catch (Exception e)
            {
                // The whole call failed. With an image-id filter a missing id never fails a call, so the failure is the
                // call's own (credentials rejected, denied, throttled past the budget, no answer): every id of the batch
                // gets it, as its own call would have, without one more call each. Nothing is kept: a later read tries again.
                lock (_gate)
                {
                    foreach (KeyValuePair<string, TaskCompletionSource<ImageInfo>> source in sources)
                    {
                        Remove(source.Key, source.Value.Task);
                    }
                }

                foreach (TaskCompletionSource<ImageInfo> source in sources.Values)
                {
                    source.TrySetException(e);
                }

                return;
            }

            var byId = new Dictionary<string, ImageInfo>(StringComparer.Ordinal);
            foreach (ImageInfo info in found)
            {
                if (info?.ImageId != null)
                {
                    byId[info.ImageId] = info;
                }
            }

            foreach (KeyValuePair<string, TaskCompletionSource<ImageInfo>> source in sources)
            {
                if (byId.TryGetValue(source.Key, out ImageInfo info))
                {
                    source.Value.TrySetResult(info);
                }
                else
                {
                    source.Value.TrySetException(new ReadAlone());
                }
            }
        }

        /// <summary>The single-id read of before batching; its failure is kept for the run only when it is the AMI's own.</summary>
        private Task<ImageInfo> StartSingle(string imageId, CancellationToken cancellationToken)
        {
            var source = new TaskCompletionSource<ImageInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = RunSingleAsync(imageId, source, cancellationToken);
            return Observed(source.Task);
        }

        private async Task RunSingleAsync(string imageId, TaskCompletionSource<ImageInfo> source, CancellationToken cancellationToken)
        {
            try
            {
                source.TrySetResult(await _inner.DescribeImageAsync(imageId, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                if (!FactErrors.IsKept(e))
                {
                    lock (_gate)
                    {
                        Remove(imageId, source.Task);
                    }
                }

                if (e is OperationCanceledException)
                {
                    source.TrySetCanceled(cancellationToken);
                }
                else
                {
                    source.TrySetException(e);
                }
            }
        }

        /// <summary>Marks a failure as seen, so an id nobody asks for again raises no UnobservedTaskException.</summary>
        private static Task<ImageInfo> Observed(Task<ImageInfo> task)
        {
            task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return task;
        }

        private void Remove(string imageId, Task<ImageInfo> task)
        {
            if (_results.TryGetValue(imageId, out Task<ImageInfo> now) && now == task)
            {
                _results.Remove(imageId);
            }
        }

        /// <summary>A deep copy: callers fill in fields (e.g. a snapshot's KMS key) without touching the run's copy.</summary>
        internal static ImageInfo Copy(ImageInfo info) => new ImageInfo
        {
            ImageId = info.ImageId,
            Name = info.Name,
            OwnerId = info.OwnerId,
            State = info.State,
            IsPublic = info.IsPublic,
            CreationDate = info.CreationDate,
            DeprecationTime = info.DeprecationTime,
            ProductCodes = (info.ProductCodes ?? Array.Empty<string>()).ToList(),
            Snapshots = (info.Snapshots ?? Array.Empty<SnapshotRef>())
                .Select(s => new SnapshotRef { DeviceName = s.DeviceName, SnapshotId = s.SnapshotId, Encrypted = s.Encrypted, KmsKeyId = s.KmsKeyId })
                .ToList(),
            Watermarks = (info.Watermarks ?? Array.Empty<string>()).ToList(),
            Tags = (info.Tags ?? new Dictionary<string, string>()).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
            LastLaunchedTime = info.LastLaunchedTime,
        };

        /// <summary>Not an error anyone sees: "this id was not in the batch's answer; read it alone".</summary>
        private sealed class ReadAlone : Exception
        {
        }
    }
}
