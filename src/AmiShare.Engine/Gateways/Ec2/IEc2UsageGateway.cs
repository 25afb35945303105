using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// The EC2 image usage report calls in one region (who still has instances or launch templates on the caller's AMIs):
    /// CreateImageUsageReport, DescribeImageUsageReports, DescribeImageUsageReportEntries. Same rules as <see cref="IEc2Gateway"/>:
    /// one API call (or one paginated series) per method, one verbose line per call, EC2 errors mapped to <see cref="AmiShareException"/>.
    /// </summary>
    public interface IEc2UsageGateway : IDisposable
    {
        /// <summary>The region this gateway calls.</summary>
        string Region { get; }

        /// <summary>
        /// CreateImageUsageReport on <paramref name="imageId"/> (an AMI the caller owns) for <paramref name="resourceTypes"/>
        /// (<see cref="ImageUsageResourceTypes"/>) and <paramref name="accountIds"/> (null or empty: every account; at most
        /// <see cref="Ec2Limits.MaxUsageReportAccountIds"/>); returns the report id. A client token makes a resend return the same report.
        /// </summary>
        Task<string> CreateImageUsageReportAsync(string imageId, IReadOnlyList<string> resourceTypes, IReadOnlyList<string> accountIds, CancellationToken cancellationToken);

        /// <summary>
        /// DescribeImageUsageReports ReportId.N (at most <see cref="Ec2Limits.MaxUsageReportIdsPerCall"/> ids; one paginated series):
        /// each report's state (pending, available, error). A report EC2 no longer knows fails the call (InvalidImageUsageReportId.NotFound).
        /// </summary>
        Task<IReadOnlyList<ImageUsageReportStatus>> DescribeImageUsageReportsAsync(IReadOnlyList<string> reportIds, CancellationToken cancellationToken);

        /// <summary>
        /// DescribeImageUsageReportEntries ReportId.N (at most <see cref="Ec2Limits.MaxUsageReportIdsPerCall"/> ids; every page):
        /// per report, account and resource type, how many resources reference the AMI. A pending report has no entries yet.
        /// </summary>
        Task<IReadOnlyList<ImageUsageReportLine>> DescribeImageUsageReportEntriesAsync(IReadOnlyList<string> reportIds, CancellationToken cancellationToken);

        /// <summary>
        /// DescribeImageUsageReports ImageId.N (at most <see cref="Ec2Limits.MaxUsageReportIdsPerCall"/> AMIs; every page): the caller's
        /// reports on those AMIs that EC2 still keeps (30 days), with their state, creation time, resource types and accounts.
        /// </summary>
        Task<IReadOnlyList<ImageUsageReportStatus>> DescribeImageUsageReportsOfImagesAsync(IReadOnlyList<string> imageIds, CancellationToken cancellationToken);
    }
}
