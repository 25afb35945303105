using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.EC2.Model;

namespace AmiShare.Engine.Gateways
{
    /// <summary>The image usage report calls: CreateImageUsageReport, DescribeImageUsageReports, DescribeImageUsageReportEntries.</summary>
    public sealed partial class Ec2Gateway : IEc2UsageGateway
    {
        /// <inheritdoc />
        public async Task<string> CreateImageUsageReportAsync(string imageId, IReadOnlyList<string> resourceTypes, IReadOnlyList<string> accountIds, CancellationToken cancellationToken)
        {
            if (resourceTypes == null || resourceTypes.Count == 0)
            {
                throw new ArgumentException("CreateImageUsageReportAsync needs at least one resource type (ec2:Instance, ec2:LaunchTemplate).", nameof(resourceTypes));
            }

            if (accountIds != null && accountIds.Count > Ec2Limits.MaxUsageReportAccountIds)
            {
                throw new ArgumentException($"CreateImageUsageReportAsync takes at most {Ec2Limits.MaxUsageReportAccountIds} account ids (EC2's limit); got {accountIds.Count}.", nameof(accountIds));
            }

            var request = new CreateImageUsageReportRequest
            {
                ImageId = imageId,
                ResourceTypes = resourceTypes.Select(t => new ImageUsageResourceTypeRequest { ResourceType = t }).ToList(),

                // The client token makes a resend after a lost answer return the same report rather than a second one.
                ClientToken = Guid.NewGuid().ToString("N"),
            };
            if (accountIds != null && accountIds.Count > 0)
            {
                request.AccountIds = new List<string>(accountIds);
            }

            CreateImageUsageReportResponse response = await _calls.InvokeAsync("CreateImageUsageReport", imageId, ct => _client.CreateImageUsageReportAsync(request, ct), cancellationToken).ConfigureAwait(false);
            return response.ReportId;
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<ImageUsageReportStatus>> DescribeImageUsageReportsAsync(IReadOnlyList<string> reportIds, CancellationToken cancellationToken)
        {
            var result = new List<ImageUsageReportStatus>();
            if (reportIds == null || reportIds.Count == 0)
            {
                return result;
            }

            CheckReportIdCount(reportIds, nameof(DescribeImageUsageReportsAsync));
            var ids = new List<string>(reportIds);
            string target = ReportTarget(ids);
            string next = null;
            do
            {
                var request = new DescribeImageUsageReportsRequest { ReportIds = ids, NextToken = next };
                DescribeImageUsageReportsResponse response = await _calls.InvokeAsync("DescribeImageUsageReports", target, ct => _client.DescribeImageUsageReportsAsync(request, ct), cancellationToken).ConfigureAwait(false);
                result.AddRange((response.ImageUsageReports ?? new List<ImageUsageReport>()).Select(StatusOf));

                next = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
            }
            while (next != null);

            return result;
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<ImageUsageReportLine>> DescribeImageUsageReportEntriesAsync(IReadOnlyList<string> reportIds, CancellationToken cancellationToken)
        {
            var result = new List<ImageUsageReportLine>();
            if (reportIds == null || reportIds.Count == 0)
            {
                return result;
            }

            CheckReportIdCount(reportIds, nameof(DescribeImageUsageReportEntriesAsync));
            var ids = new List<string>(reportIds);
            string target = ReportTarget(ids);
            string next = null;
            do
            {
                var request = new DescribeImageUsageReportEntriesRequest { ReportIds = ids, MaxResults = 1000, NextToken = next };
                DescribeImageUsageReportEntriesResponse response = await _calls.InvokeAsync("DescribeImageUsageReportEntries", target, ct => _client.DescribeImageUsageReportEntriesAsync(request, ct), cancellationToken).ConfigureAwait(false);
                foreach (ImageUsageReportEntry entry in response.ImageUsageReportEntries ?? new List<ImageUsageReportEntry>())
                {
                    result.Add(new ImageUsageReportLine
                    {
                        ReportId = entry.ReportId,
                        ImageId = entry.ImageId,
                        AccountId = entry.AccountId,
                        ResourceType = entry.ResourceType,
                        UsageCount = entry.UsageCount ?? 0,
                    });
                }

                next = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
            }
            while (next != null);

            return result;
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<ImageUsageReportStatus>> DescribeImageUsageReportsOfImagesAsync(IReadOnlyList<string> imageIds, CancellationToken cancellationToken)
        {
            var result = new List<ImageUsageReportStatus>();
            if (imageIds == null || imageIds.Count == 0)
            {
                return result;
            }

            if (imageIds.Count > Ec2Limits.MaxUsageReportIdsPerCall)
            {
                throw new ArgumentException($"DescribeImageUsageReportsOfImagesAsync takes at most {Ec2Limits.MaxUsageReportIdsPerCall} AMI ids per call; split the list.", nameof(imageIds));
            }

            var ids = new List<string>(imageIds);
            string target = ids.Count <= 3 ? string.Join(", ", ids) : string.Join(", ", ids.Take(3)) + $" and {ids.Count - 3} more AMIs";
            string next = null;
            do
            {
                var request = new DescribeImageUsageReportsRequest { ImageIds = ids, MaxResults = 1000, NextToken = next };
                DescribeImageUsageReportsResponse response = await _calls.InvokeAsync("DescribeImageUsageReports", target, ct => _client.DescribeImageUsageReportsAsync(request, ct), cancellationToken).ConfigureAwait(false);
                result.AddRange((response.ImageUsageReports ?? new List<ImageUsageReport>()).Select(StatusOf));
                next = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
            }
            while (next != null);

            return result;
        }

        private static ImageUsageReportStatus StatusOf(ImageUsageReport report) => new ImageUsageReportStatus
        {
            ReportId = report.ReportId,
            ImageId = report.ImageId,
            State = report.State,
            StateReason = report.StateReason,
            CreationTime = report.CreationTime?.ToUniversalTime(),
            ResourceTypes = (report.ResourceTypes ?? new List<ImageUsageResourceType>()).Select(t => t.ResourceType).Where(t => !string.IsNullOrEmpty(t)).ToList(),
            AccountIds = (report.AccountIds ?? new List<string>()).ToList(),
        };

        private static void CheckReportIdCount(IReadOnlyList<string> reportIds, string method)
        {
            if (reportIds.Count > Ec2Limits.MaxUsageReportIdsPerCall)
            {
                throw new ArgumentException($"{method} takes at most {Ec2Limits.MaxUsageReportIdsPerCall} report ids per call (EC2's limit); split the list.", nameof(reportIds));
            }
        }

        private static string ReportTarget(List<string> ids) =>
            ids.Count <= 3 ? string.Join(", ", ids) : string.Join(", ", ids.Take(3)) + $" and {ids.Count - 3} more reports";
    }
}
