using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// The only code that calls EC2. Every method makes exactly one API call (or one paginated series),
    /// reports it through <see cref="IShareReporter.Verbose"/> (operation, region, endpoint; never a
    /// secret) and maps EC2 errors to <see cref="AmiShareException"/> with a stable ErrorId.
    /// </summary>
    public interface IEc2Gateway : IDisposable
    {
        /// <summary>The region this gateway calls.</summary>
        string Region { get; }

        /// <summary>DescribeImages for one id. Throws AmiNotFound when EC2 does not know it (or the caller cannot see it).</summary>
        Task<ImageInfo> DescribeImageAsync(string imageId, CancellationToken cancellationToken);

        /// <summary>
        /// DescribeImages for up to <see cref="Ec2Limits.MaxFilterValuesPerCall"/> ids in one call (an image-id filter,
        /// paginated): the images EC2 returns, in any order. An id EC2 does not know (or the caller cannot see) is simply
        /// absent, never an error, so one bad id does not fail the others.
        /// </summary>
        Task<IReadOnlyList<ImageInfo>> DescribeImagesAsync(IReadOnlyList<string> imageIds, CancellationToken cancellationToken);

        /// <summary>DescribeImageAttribute launchPermission. Throws AmiNotOwned / AmiNotFound.</summary>
        Task<IReadOnlyList<Principal>> GetLaunchPermissionsAsync(string imageId, CancellationToken cancellationToken);

        /// <summary>One ModifyImageAttribute carrying every add and remove (LaunchPermission.Add/Remove form).</summary>
        Task ModifyLaunchPermissionsAsync(string imageId, IReadOnlyList<Principal> add, IReadOnlyList<Principal> remove, CancellationToken cancellationToken);

        /// <summary>ResetImageAttribute launchPermission.</summary>
        Task ResetLaunchPermissionsAsync(string imageId, CancellationToken cancellationToken);

        /// <summary>GetImageBlockPublicAccessState: "unblocked" or "block-new-sharing".</summary>
        Task<string> GetImageBlockPublicAccessStateAsync(CancellationToken cancellationToken);

        /// <summary>How many public AMIs the caller owns in this region (DescribeImages Owner=self, is-public=true).</summary>
        Task<int> CountOwnedPublicImagesAsync(CancellationToken cancellationToken);

        /// <summary>GetImageBlockPublicAccessState: the state and who manages it (account or declarative-policy).</summary>
        Task<ImageBlockPublicAccessInfo> GetImageBlockPublicAccessAsync(CancellationToken cancellationToken);

        /// <summary>DescribeSnapshots for these ids (one call; paginated). Snapshots the caller cannot see are left out.</summary>
        Task<IReadOnlyList<SnapshotInfo>> DescribeSnapshotsAsync(IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken);

        /// <summary>DescribeSnapshotAttribute createVolumePermission: account ids, and "all" when the snapshot is public.</summary>
        Task<IReadOnlyList<string>> GetCreateVolumePermissionsAsync(string snapshotId, CancellationToken cancellationToken);

        /// <summary>
        /// One ModifySnapshotAttribute createVolumePermission call. EC2 takes adds or removes, never both in one call,
        /// and at most <see cref="Ec2Limits.MaxSnapshotPermissionChangesPerCall"/> of them: callers split (AmiShareService does).
        /// </summary>
        Task ModifyCreateVolumePermissionsAsync(string snapshotId, IReadOnlyList<string> addAccounts, IReadOnlyList<string> removeAccounts, CancellationToken cancellationToken);

        /// <summary>Every AMI the caller owns in this region (DescribeImages Owner=self; one paginated series), with its snapshots.</summary>
        Task<IReadOnlyList<ImageInfo>> DescribeOwnedImagesAsync(CancellationToken cancellationToken);

        /// <summary>Every encrypted snapshot the caller owns in this region, with its KMS key (DescribeSnapshots Owner=self, encrypted=true; one paginated series).</summary>
        Task<IReadOnlyList<SnapshotInfo>> DescribeOwnedEncryptedSnapshotsAsync(CancellationToken cancellationToken);

        /// <summary>GetSnapshotBlockPublicAccessState: block public access for EBS snapshots in this region, and who manages it.</summary>
        Task<SnapshotBlockPublicAccessInfo> GetSnapshotBlockPublicAccessAsync(CancellationToken cancellationToken);
    }
}
