using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Reports;
using AmiShare.Engine.Usage;

namespace AmiShare.Engine.Sharing
{
    /// <summary>AmiShareService: the share report (Get-AmiShareReport).</summary>
    public sealed partial class AmiShareService
    {
        /// <summary>
        /// One row per AMI the caller owns in this region (only <paramref name="imageIds"/> when given): one paginated
        /// DescribeImages Owner=self, one DescribeImageAttribute launchPermission per AMI, KMS DescribeKey once per key,
        /// Organizations placement once per shared account. <paramref name="progress"/> gets (done, total) as AMIs finish.
        /// </summary>
        public Task<IReadOnlyList<ShareReportRow>> GetShareReportAsync(IReadOnlyList<string> imageIds, Action<int, int> progress, CancellationToken cancellationToken)
            => new ShareReportReader(_ec2, _kms, _organizationsGateway == null ? null : _organizations).ReadAsync(imageIds, progress, cancellationToken);

        /// <summary>
        /// The share reports of several regions, read concurrently (one service per region), rows in the services' order.
        /// <paramref name="progress"/> gets (AMIs done, AMIs known so far) across all regions. A region that fails puts its
        /// exception in the result instead of rows; the other regions go on.
        /// </summary>
        public static Task<IReadOnlyList<RegionShareReport>> GetShareReportsAsync(IReadOnlyList<AmiShareService> services, IReadOnlyList<string> imageIds, Action<int, int> progress, CancellationToken cancellationToken)
            => GetShareReportsAsync(services, imageIds, null, progress, null, cancellationToken);

        /// <summary>
        /// The share reports of several regions, read concurrently (one service per region), rows in the services' order; with
        /// <paramref name="usage"/> (not null) each region then reads who still uses its AMIs (one image usage report per AMI,
        /// <see cref="GetImageUsageAsync"/>) into <see cref="ShareReportRow.Usage"/>. <paramref name="progress"/> gets (AMIs done,
        /// AMIs known so far) and <paramref name="usageProgress"/> (usage reports ready, reports created so far) across all regions.
        /// A region whose share report fails puts its exception in the result instead of rows; one whose usage reports fail keeps
        /// its rows (Usage null) and puts the usage error, naming the AMIs, in <see cref="RegionShareReport.UsageError"/>. The other
        /// regions go on.
        /// </summary>
        public static async Task<IReadOnlyList<RegionShareReport>> GetShareReportsAsync(IReadOnlyList<AmiShareService> services, IReadOnlyList<string> imageIds, ImageUsageSettings usage, Action<int, int> progress, Action<int, int> usageProgress, CancellationToken cancellationToken)
        {
            if (services == null)
            {
                throw new ArgumentNullException(nameof(services));
            }

            var amis = new ProgressSum(services.Count, progress);
            var reports = new ProgressSum(services.Count, usageProgress);
            Task<RegionShareReport>[] tasks = services.Select(async (service, index) =>
            {
                try
                {
                    IReadOnlyList<ShareReportRow> rows = await service.GetShareReportAsync(imageIds, (d, t) => amis.Report(index, d, t), cancellationToken).ConfigureAwait(false);
                    AmiShareException usageError = null;
                    if (usage != null && rows.Count > 0)
                    {
                        List<string> images = rows.Select(r => r.ImageId).ToList();
                        try
                        {
                            IReadOnlyDictionary<string, ImageUsage> used = await service.GetImageUsageAsync(images, null, usage, (d, t) => reports.Report(index, d, t), cancellationToken).ConfigureAwait(false);
                            foreach (ShareReportRow row in rows)
                            {
                                row.Usage = used.TryGetValue(row.ImageId, out ImageUsage u) ? u.Accounts : new List<AccountUsage>();
                            }
                        }
                        catch (AmiShareException e)
                        {
                            // The sharing rows stand on their own: they come out with Usage null (not reported), and the usage failure is one error.
                            usageError = UsageFailure.ForImages(e, images, service.Region, "their rows are written without Usage");
                        }
                    }

                    return new RegionShareReport(service.Region, rows, null, usageError);
                }
                catch (AmiShareException e)
                {
                    return new RegionShareReport(service.Region, Array.Empty<ShareReportRow>(), e);
                }
            }).ToArray();
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        /// <summary>Per-region (done, total) pairs summed across regions for one progress callback.</summary>
        private sealed class ProgressSum
        {
            private readonly int[] _done;
            private readonly int[] _totals;
            private readonly Action<int, int> _report;

            public ProgressSum(int regions, Action<int, int> report)
            {
                _done = new int[regions];
                _totals = new int[regions];
                _report = report;
            }

            public void Report(int index, int done, int total)
            {
                int sumDone, sumTotal;
                lock (_done)
                {
                    _done[index] = done;
                    _totals[index] = total;
                    sumDone = _done.Sum();
                    sumTotal = _totals.Sum();
                }

                _report?.Invoke(sumDone, sumTotal);
            }
        }
    }
}
