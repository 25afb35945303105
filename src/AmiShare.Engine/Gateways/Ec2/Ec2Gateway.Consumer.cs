using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.EC2.Model;

namespace AmiShare.Engine.Gateways
{
    /// <summary>The consumer-side reads (Get-AmiSharedWithMe): images executable by the caller, snapshots it may restore.</summary>
    public sealed partial class Ec2Gateway : IEc2ConsumerGateway
    {
        /// <inheritdoc />
        public async Task<IReadOnlyList<ImageInfo>> DescribeExecutableImagesAsync(string executableBy, CancellationToken cancellationToken)
        {
            IReadOnlyList<Image> images = await DescribeImagePagesAsync(
                _calls,
                _client,
                next => new DescribeImagesRequest
                {
                    ExecutableUsers = new List<string> { executableBy },
                    IncludeDeprecated = true,
                    MaxResults = 1000,
                    NextToken = next,
                },
                "ExecutableBy=" + executableBy,
                cancellationToken).ConfigureAwait(false);
            return images.Select(Ec2Wire.ToInfo).ToList();
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<string>> DescribeRestorableSnapshotIdsAsync(IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken)
        {
            if (snapshotIds == null || snapshotIds.Count == 0)
            {
                return new List<string>();
            }

            IReadOnlyList<SnapshotInfo> snapshots = await DescribeSnapshotPagesAsync(
                next => new DescribeSnapshotsRequest
                {
                    RestorableByUserIds = new List<string> { "self" },
                    Filters = new List<Filter> { new Filter("snapshot-id", new List<string>(snapshotIds)) },
                    MaxResults = 1000,
                    NextToken = next,
                },
                "RestorableBy=self " + string.Join(", ", snapshotIds),
                cancellationToken).ConfigureAwait(false);
            return snapshots.Select(s => s.SnapshotId).ToList();
        }
    }
}
