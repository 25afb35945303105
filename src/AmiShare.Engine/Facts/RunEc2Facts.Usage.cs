using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Facts
{
    /// <summary>
    /// RunEc2Facts: the image usage report calls pass straight through (a report is what it is when asked for; nothing to
    /// read once). The gateway underneath must implement <see cref="IEc2UsageGateway"/> (<see cref="Ec2Gateway"/> does).
    /// </summary>
    public sealed partial class RunEc2Facts : IEc2UsageGateway
    {
        /// <summary>True when the gateway underneath can read image usage reports.</summary>
        public bool CanReadUsage => _inner is IEc2UsageGateway;

        /// <inheritdoc />
        public Task<string> CreateImageUsageReportAsync(string imageId, IReadOnlyList<string> resourceTypes, IReadOnlyList<string> accountIds, CancellationToken cancellationToken) =>
            Usage().CreateImageUsageReportAsync(imageId, resourceTypes, accountIds, cancellationToken);

        /// <inheritdoc />
        public Task<IReadOnlyList<ImageUsageReportStatus>> DescribeImageUsageReportsAsync(IReadOnlyList<string> reportIds, CancellationToken cancellationToken) =>
            Usage().DescribeImageUsageReportsAsync(reportIds, cancellationToken);

        /// <inheritdoc />
        public Task<IReadOnlyList<ImageUsageReportLine>> DescribeImageUsageReportEntriesAsync(IReadOnlyList<string> reportIds, CancellationToken cancellationToken) =>
            Usage().DescribeImageUsageReportEntriesAsync(reportIds, cancellationToken);

        /// <inheritdoc />
        public Task<IReadOnlyList<ImageUsageReportStatus>> DescribeImageUsageReportsOfImagesAsync(IReadOnlyList<string> imageIds, CancellationToken cancellationToken) =>
            Usage().DescribeImageUsageReportsOfImagesAsync(imageIds, cancellationToken);

        private IEc2UsageGateway Usage() =>
            _inner as IEc2UsageGateway
            ?? throw new System.NotSupportedException($"The EC2 gateway of region '{Region}' ({_inner.GetType().Name}) cannot read image usage reports: it does not implement IEc2UsageGateway.");
    }
}
