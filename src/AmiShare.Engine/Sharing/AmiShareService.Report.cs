using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Reports;

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
        public static async Task<IReadOnlyList<RegionShareReport>> GetShareReportsAsync(IReadOnlyList<AmiShareService> services, IReadOnlyList<string> imageIds, Action<int, int> progress, CancellationToken cancellationToken)
        {
            if (services == null)
            {
                throw new ArgumentNullException(nameof(services));
            }

            var done = new int[services.Count];
            var totals = new int[services.Count];
            var gate = new object();
            Task<RegionShareReport>[] tasks = services.Select(async (service, index) =>
            {
                try
                {
                    IReadOnlyList<ShareReportRow> rows = await service.GetShareReportAsync(
                        imageIds,
                        (d, t) =>
                        {
                            int sumDone, sumTotal;
                            lock (gate)
                            {
                                done[index] = d;
                                totals[index] = t;
                                sumDone = done.Sum();
                                sumTotal = totals.Sum();
                            }

                            progress?.Invoke(sumDone, sumTotal);
                        },
                        cancellationToken).ConfigureAwait(false);
                    return new RegionShareReport(service.Region, rows, null);
                }
                catch (AmiShareException e)
                {
                    return new RegionShareReport(service.Region, Array.Empty<ShareReportRow>(), e);
                }
            }).ToArray();
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }
    }
}
