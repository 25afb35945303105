using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// The EC2 reads of the consumer side (Get-AmiSharedWithMe) in one region. Same rules as <see cref="IEc2Gateway"/>:
    /// one API call (or one paginated series) per method, one verbose line per call, EC2 errors mapped to <see cref="AmiShareException"/>.
    /// </summary>
    public interface IEc2ConsumerGateway : IDisposable
    {
        /// <summary>The region this gateway calls.</summary>
        string Region { get; }

        /// <summary>
        /// DescribeImages ExecutableBy=<paramref name="executableBy"/> ("self": shared with the caller directly or through its
        /// organization or OU; "all": public), deprecated images included; one paginated series.
        /// </summary>
        Task<IReadOnlyList<ImageInfo>> DescribeExecutableImagesAsync(string executableBy, CancellationToken cancellationToken);

        /// <summary>
        /// DescribeSnapshots RestorableBy=self with a snapshot-id filter (at most <see cref="Ec2Limits.MaxFilterValuesPerCall"/>
        /// ids): the ids of those the caller may create volumes from (and so copy). Others are absent, never an error.
        /// </summary>
        Task<IReadOnlyList<string>> DescribeRestorableSnapshotIdsAsync(IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken);
    }
}
