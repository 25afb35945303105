using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Facts
{
    /// <summary>
    /// The EC2 half of the facts loader (design.md §2): an <see cref="IEc2Gateway"/> over the real one that reads what
    /// does not change during a run once. DescribeImages is batched (<see cref="IImagePrefetch"/>, many ids per call) and
    /// each image is read once; block public access, the count of public AMIs, the owned images and the owned encrypted
    /// snapshots are read once per run. The public count follows this run's own writes (a ModifyImageAttribute that adds
    /// or removes group all, a reset). Launch permissions and snapshot permissions are read every time: they are what
    /// a plan decides on. Failed reads are kept only when they are the resource's own answer (not found, denied).
    /// Thread-safe: a job plans many AMIs at once.
    /// </summary>
    public sealed partial class RunEc2Facts : IEc2Gateway, IImagePrefetch
    {
        private readonly IEc2Gateway _inner;
        private readonly ImageBatcher _images;
        private readonly RunOnceCache<string, ImageBlockPublicAccessInfo> _blockPublicAccess = new RunOnceCache<string, ImageBlockPublicAccessInfo>(StringComparer.Ordinal);
        private readonly RunOnceCache<string, IReadOnlyList<ImageInfo>> _ownedImages = new RunOnceCache<string, IReadOnlyList<ImageInfo>>(StringComparer.Ordinal);
        private readonly RunOnceCache<string, IReadOnlyList<SnapshotInfo>> _ownedSnapshots = new RunOnceCache<string, IReadOnlyList<SnapshotInfo>>(StringComparer.Ordinal);
        private readonly RunOnceCache<string, SnapshotBlockPublicAccessInfo> _snapshotBlockPublicAccess = new RunOnceCache<string, SnapshotBlockPublicAccessInfo>(StringComparer.Ordinal);
        private readonly object _countGate = new object();
        private readonly Dictionary<string, bool> _knownPublic = new Dictionary<string, bool>(StringComparer.Ordinal);
        private Task<int> _publicCount;
        private int _publicCountDelta;

        /// <summary>Run-scoped reads over <paramref name="inner"/> (disposed with this).</summary>
        /// <param name="inner">The gateway that calls EC2.</param>
        /// <param name="pageSize">Ids per batched DescribeImages (at most <see cref="Ec2Limits.MaxFilterValuesPerCall"/>).</param>
        public RunEc2Facts(IEc2Gateway inner, int pageSize = Ec2Limits.MaxFilterValuesPerCall)
        {
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
            _images = new ImageBatcher(inner, pageSize);
        }

        /// <inheritdoc />
        public string Region => _inner.Region;

        /// <inheritdoc />
        public void Prefetch(IEnumerable<string> imageIds)
        {
            if (imageIds != null)
            {
                _images.Prefetch(imageIds);
            }
        }

        /// <summary>The image, read once per run and batched with prefetched ids; a missing id fails exactly as the single read does.</summary>
        public Task<ImageInfo> DescribeImageAsync(string imageId, CancellationToken cancellationToken) => _images.GetAsync(imageId, cancellationToken);

        /// <inheritdoc />
        public Task<IReadOnlyList<ImageInfo>> DescribeImagesAsync(IReadOnlyList<string> imageIds, CancellationToken cancellationToken) =>
            _inner.DescribeImagesAsync(imageIds, cancellationToken);

        /// <inheritdoc />
        public async Task<IReadOnlyList<Principal>> GetLaunchPermissionsAsync(string imageId, CancellationToken cancellationToken)
        {
            IReadOnlyList<Principal> permissions = await _inner.GetLaunchPermissionsAsync(imageId, cancellationToken).ConfigureAwait(false);
            lock (_countGate)
            {
                _knownPublic[imageId] = permissions.Contains(Principal.Everyone);
            }

            return permissions;
        }

        /// <inheritdoc />
        public async Task ModifyLaunchPermissionsAsync(string imageId, IReadOnlyList<Principal> add, IReadOnlyList<Principal> remove, CancellationToken cancellationToken)
        {
            await _inner.ModifyLaunchPermissionsAsync(imageId, add, remove, cancellationToken).ConfigureAwait(false);
            if (add != null && add.Contains(Principal.Everyone))
            {
                Wrote(imageId, true);
            }
            else if (remove != null && remove.Contains(Principal.Everyone))
            {
                Wrote(imageId, false);
            }
        }

        /// <inheritdoc />
        public async Task ResetLaunchPermissionsAsync(string imageId, CancellationToken cancellationToken)
        {
            await _inner.ResetLaunchPermissionsAsync(imageId, cancellationToken).ConfigureAwait(false);
            Wrote(imageId, false);
        }

        /// <summary>The state of <see cref="GetImageBlockPublicAccessAsync"/> (the same read, once per run).</summary>
        public async Task<string> GetImageBlockPublicAccessStateAsync(CancellationToken cancellationToken) =>
            (await GetImageBlockPublicAccessAsync(cancellationToken).ConfigureAwait(false)).State;

        /// <summary>Read once per run, then kept in step with this run's own writes of group all.</summary>
        public async Task<int> CountOwnedPublicImagesAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Task<int> read;
                lock (_countGate)
                {
                    if (_publicCount == null)
                    {
                        _publicCountDelta = 0;
                        _publicCount = ReadPublicCountAsync(cancellationToken);
                    }

                    read = _publicCount;
                }

                int counted;
                try
                {
                    counted = await FactTasks.WaitAsync(read, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    continue;
                }

                lock (_countGate)
                {
                    if (_publicCount == read)
                    {
                        return Math.Max(0, counted + _publicCountDelta);
                    }
                }

                // A write of ours landed while the count was read: it may or may not be in it; read again.
            }
        }

        /// <summary>Read once per run.</summary>
        public async Task<ImageBlockPublicAccessInfo> GetImageBlockPublicAccessAsync(CancellationToken cancellationToken)
        {
            ImageBlockPublicAccessInfo info = await _blockPublicAccess.GetAsync(string.Empty, ct => _inner.GetImageBlockPublicAccessAsync(ct), cancellationToken).ConfigureAwait(false);
            return new ImageBlockPublicAccessInfo { State = info.State, ManagedBy = info.ManagedBy };
        }

        /// <inheritdoc />
        public Task<IReadOnlyList<SnapshotInfo>> DescribeSnapshotsAsync(IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken) =>
            _inner.DescribeSnapshotsAsync(snapshotIds, cancellationToken);

        /// <inheritdoc />
        public Task<IReadOnlyList<string>> GetCreateVolumePermissionsAsync(string snapshotId, CancellationToken cancellationToken) =>
            _inner.GetCreateVolumePermissionsAsync(snapshotId, cancellationToken);

        /// <inheritdoc />
        public Task ModifyCreateVolumePermissionsAsync(string snapshotId, IReadOnlyList<string> addAccounts, IReadOnlyList<string> removeAccounts, CancellationToken cancellationToken) =>
            _inner.ModifyCreateVolumePermissionsAsync(snapshotId, addAccounts, removeAccounts, cancellationToken);

        /// <summary>Read once per run (copies).</summary>
        public async Task<IReadOnlyList<ImageInfo>> DescribeOwnedImagesAsync(CancellationToken cancellationToken)
        {
            IReadOnlyList<ImageInfo> images = await _ownedImages.GetAsync(string.Empty, ct => _inner.DescribeOwnedImagesAsync(ct), cancellationToken).ConfigureAwait(false);
            return images.Select(ImageBatcher.Copy).ToList();
        }

        /// <summary>Read once per run (copies).</summary>
        public async Task<IReadOnlyList<SnapshotInfo>> DescribeOwnedEncryptedSnapshotsAsync(CancellationToken cancellationToken)
        {
            IReadOnlyList<SnapshotInfo> snapshots = await _ownedSnapshots.GetAsync(string.Empty, ct => _inner.DescribeOwnedEncryptedSnapshotsAsync(ct), cancellationToken).ConfigureAwait(false);
            return snapshots.Select(s => new SnapshotInfo { SnapshotId = s.SnapshotId, OwnerId = s.OwnerId, State = s.State, Encrypted = s.Encrypted, KmsKeyId = s.KmsKeyId }).ToList();
        }

        /// <summary>Read once per run (block public access for snapshots is an account setting of the region).</summary>
        public async Task<SnapshotBlockPublicAccessInfo> GetSnapshotBlockPublicAccessAsync(CancellationToken cancellationToken)
        {
            SnapshotBlockPublicAccessInfo info = await _snapshotBlockPublicAccess.GetAsync(string.Empty, ct => _inner.GetSnapshotBlockPublicAccessAsync(ct), cancellationToken).ConfigureAwait(false);
            return new SnapshotBlockPublicAccessInfo { State = info.State, ManagedBy = info.ManagedBy };
        }

        /// <summary>Disposes the gateway underneath.</summary>
        public void Dispose() => _inner.Dispose();

        private async Task<int> ReadPublicCountAsync(CancellationToken cancellationToken)
        {
            await Task.Yield();
            Task<int> self = null;
            lock (_countGate)
            {
                self = _publicCount;
            }

            try
            {
                return await _inner.CountOwnedPublicImagesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!FactErrors.IsKept(e))
            {
                lock (_countGate)
                {
                    if (_publicCount == self)
                    {
                        _publicCount = null;
                    }
                }

                throw;
            }
        }

        /// <summary>Our write made <paramref name="imageId"/> public or private: the count and the cached image follow.</summary>
        private void Wrote(string imageId, bool isPublic)
        {
            _images.Update(imageId, info => info.IsPublic = isPublic);
            lock (_countGate)
            {
                bool known = _knownPublic.TryGetValue(imageId, out bool before);
                _knownPublic[imageId] = isPublic;
                if (_publicCount == null || (known && before == isPublic))
                {
                    return;
                }

                if (!known || !_publicCount.IsCompleted)
                {
                    // The AMI's state before the write is unknown, or the count is being read: read it again when asked.
                    _publicCount = null;
                    return;
                }

                _publicCountDelta += isPublic ? 1 : -1;
            }
        }
    }
}
