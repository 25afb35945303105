using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Usage
{
    /// <summary>
    /// Reads who still uses AMIs in one region from EC2 image usage reports: first one DescribeImageUsageReports ImageId.N per
    /// 200 AMIs, to reuse a report that already covers an AMI (both resource types; every account, or the accounts asked about;
    /// pending, or available and created within <see cref="ReuseWindow"/>; the newest such), so a rerun picks up where a timed-out run
    /// left off and reports do not pile up; then one CreateImageUsageReport per AMI left (instances and launch templates), then one DescribeImageUsageReports per poll for every report still pending (up to 200 ids a call),
    /// then DescribeImageUsageReportEntries for the reports (200 a call, every page). Reports are not deleted: EC2 deletes
    /// them 30 days after creation. What a report counts lags: AWS says instance activity from the past 24 hours and launch
    /// template activity from the past few days might not appear ("View your AMI usage", EC2 User Guide).
    /// </summary>
    public sealed class ImageUsageReader
    {
        /// <summary>
        /// How old an available report may be and still be reused (1 hour). What a report counts lags up to 24 hours anyway, so a
        /// report from the last hour says as much as a new one.
        /// </summary>
        public static readonly TimeSpan ReuseWindow = TimeSpan.FromHours(1);

        private readonly IEc2UsageGateway _ec2;
        private readonly ImageUsageSettings _settings;

        /// <summary>A reader over <paramref name="ec2"/> (one region), waiting as <paramref name="settings"/> says (null: defaults).</summary>
        public ImageUsageReader(IEc2UsageGateway ec2, ImageUsageSettings settings = null)
        {
            _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));
            _settings = settings ?? new ImageUsageSettings();
        }

        /// <summary>
        /// The usage of each of <paramref name="imageIds"/> (AMIs the caller owns in the gateway's region), keyed by image id; every
        /// AMI asked for has an entry (no account when nothing uses it). <paramref name="accountIds"/> limits the report to those
        /// accounts (null or empty: every account; more than 200: every account, then only those kept). <paramref name="progress"/>
        /// gets (reports ready, total) after each poll. Throws <see cref="ErrorIds.UsageReportTimedOut"/> when reports are still
        /// pending after <see cref="ImageUsageSettings.Timeout"/>, <see cref="ErrorIds.UsageReportFailed"/> when EC2 could not
        /// create one.
        /// </summary>
        public async Task<IReadOnlyDictionary<string, ImageUsage>> ReadAsync(IReadOnlyList<string> imageIds, IReadOnlyList<string> accountIds, Action<int, int> progress, CancellationToken cancellationToken)
        {
            List<string> images = (imageIds ?? Array.Empty<string>()).Where(i => !string.IsNullOrEmpty(i)).Distinct(StringComparer.Ordinal).ToList();
            var result = new Dictionary<string, ImageUsage>(StringComparer.Ordinal);
            if (images.Count == 0)
            {
                return result;
            }

            List<string> accounts = (accountIds ?? Array.Empty<string>()).Where(a => !string.IsNullOrEmpty(a)).Distinct(StringComparer.Ordinal).ToList();
            IReadOnlyList<string> asked = accounts.Count > 0 && accounts.Count <= Ec2Limits.MaxUsageReportAccountIds ? accounts : null;
            var keep = accounts.Count > 0 ? new HashSet<string>(accounts, StringComparer.Ordinal) : null;

            DateTime started = _settings.UtcNow();
            var reports = new Dictionary<string, string>(StringComparer.Ordinal);
            IReadOnlyDictionary<string, string> reusable = await ReusableAsync(images, asked, started, cancellationToken).ConfigureAwait(false);
            foreach (string image in images)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string reportId = reusable.TryGetValue(image, out string existing)
                    ? existing
                    : await _ec2.CreateImageUsageReportAsync(image, ImageUsageResourceTypes.All, asked, cancellationToken).ConfigureAwait(false);
                reports[reportId] = image;
            }

            progress?.Invoke(0, images.Count);
            await WaitAsync(reports, started, progress, cancellationToken).ConfigureAwait(false);

            var counts = images.ToDictionary(i => i, i => new SortedDictionary<string, long[]>(StringComparer.Ordinal), StringComparer.Ordinal);
            foreach (List<string> batch in Batches(reports.Keys.ToList()))
            {
                IReadOnlyList<ImageUsageReportLine> lines = await _ec2.DescribeImageUsageReportEntriesAsync(batch, cancellationToken).ConfigureAwait(false);
                foreach (ImageUsageReportLine line in lines)
                {
                    if (line.ReportId == null || !reports.TryGetValue(line.ReportId, out string image) || (keep != null && !keep.Contains(line.AccountId)))
                    {
                        continue;
                    }

                    if (!counts[image].TryGetValue(line.AccountId, out long[] pair))
                    {
                        pair = new long[2];
                        counts[image][line.AccountId] = pair;
                    }

                    if (string.Equals(line.ResourceType, ImageUsageResourceTypes.Instance, StringComparison.Ordinal))
                    {
                        pair[0] += line.UsageCount;
                    }
                    else if (string.Equals(line.ResourceType, ImageUsageResourceTypes.LaunchTemplate, StringComparison.Ordinal))
                    {
                        pair[1] += line.UsageCount;
                    }
                }
            }

            foreach (string image in images)
            {
                List<AccountUsage> used = counts[image]
                    .Where(c => c.Value[0] > 0 || c.Value[1] > 0)
                    .Select(c => new AccountUsage(c.Key, c.Value[0], c.Value[1]))
                    .ToList();
                result[image] = new ImageUsage(image, _ec2.Region, used);
            }

            return result;
        }

        /// <summary>Polls the pending reports (one DescribeImageUsageReports per 200 a poll) until none is pending.</summary>
        private async Task WaitAsync(Dictionary<string, string> reports, DateTime started, Action<int, int> progress, CancellationToken cancellationToken)
        {
            var pending = new List<string>(reports.Keys);
            while (true)
            {
                foreach (List<string> batch in Batches(pending.ToList()))
                {
                    IReadOnlyList<ImageUsageReportStatus> states = await _ec2.DescribeImageUsageReportsAsync(batch, cancellationToken).ConfigureAwait(false);
                    foreach (ImageUsageReportStatus state in states)
                    {
                        if (string.Equals(state.State, ImageUsageReportStatus.Available, StringComparison.Ordinal))
                        {
                            pending.Remove(state.ReportId);
                        }
                        else if (string.Equals(state.State, ImageUsageReportStatus.Error, StringComparison.Ordinal))
                        {
                            string image = reports.TryGetValue(state.ReportId ?? string.Empty, out string i) ? i : state.ImageId;
                            throw new AmiShareException(
                                ErrorIds.UsageReportFailed,
                                AmiShareErrorKind.InvalidOperation,
                                $"EC2 could not create the usage report {state.ReportId} of AMI {image} in region '{_ec2.Region}': {state.StateReason ?? "no reason given"}.",
                                image,
                                "Run the command again (it creates a new report); if it fails again, check the AMI in the EC2 console's AMI usage view.");
                        }
                    }
                }

                progress?.Invoke(reports.Count - pending.Count, reports.Count);
                if (pending.Count == 0)
                {
                    return;
                }

                TimeSpan waited = _settings.UtcNow() - started;
                if (waited >= _settings.Timeout)
                {
                    List<string> images = pending.Select(r => reports[r]).OrderBy(i => i, StringComparer.Ordinal).ToList();
                    string names = images.Count <= 5 ? string.Join(", ", images) : string.Join(", ", images.Take(5)) + $" and {images.Count - 5} more";
                    throw new AmiShareException(
                        ErrorIds.UsageReportTimedOut,
                        AmiShareErrorKind.OperationStopped,
                        $"The image usage {(images.Count == 1 ? "report" : "reports")} of {Words.Amis(images.Count)} in region '{_ec2.Region}' {(images.Count == 1 ? "was" : "were")} still pending after {Seconds(waited)} seconds: {names}.",
                        string.Join(",", images),
                        $"Run the command again later (it reuses the pending reports instead of creating new ones), or wait longer: set $env:{ImageUsageSettings.TimeoutVariable} to more seconds (now {Seconds(_settings.Timeout)}).");
                }

                await _settings.Delay(_settings.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Per AMI, the id of the newest existing report that covers it: both resource types, every account (no account ids) or a
        /// superset of <paramref name="asked"/> (null: every account is needed), and pending, or available and created within
        /// <see cref="ReuseWindow"/> of <paramref name="now"/>. Reports in state error are never reused.
        /// </summary>
        private async Task<IReadOnlyDictionary<string, string>> ReusableAsync(List<string> images, IReadOnlyList<string> asked, DateTime now, CancellationToken cancellationToken)
        {
            var wanted = new HashSet<string>(images, StringComparer.Ordinal);
            var found = new List<ImageUsageReportStatus>();
            foreach (List<string> batch in Batches(images))
            {
                found.AddRange(await _ec2.DescribeImageUsageReportsOfImagesAsync(batch, cancellationToken).ConfigureAwait(false));
            }

            return found
                .Where(r => r.ReportId != null && r.ImageId != null && wanted.Contains(r.ImageId) && Covers(r, asked, now))
                .GroupBy(r => r.ImageId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.CreationTime ?? DateTime.MinValue).First().ReportId, StringComparer.Ordinal);
        }

        private static bool Covers(ImageUsageReportStatus report, IReadOnlyList<string> asked, DateTime now)
        {
            bool fresh = string.Equals(report.State, ImageUsageReportStatus.Pending, StringComparison.Ordinal)
                || (string.Equals(report.State, ImageUsageReportStatus.Available, StringComparison.Ordinal)
                    && report.CreationTime.HasValue && now - report.CreationTime.Value <= ReuseWindow);
            IReadOnlyList<string> types = report.ResourceTypes ?? Array.Empty<string>();
            IReadOnlyList<string> accounts = report.AccountIds ?? Array.Empty<string>();
            return fresh
                && ImageUsageResourceTypes.All.All(t => types.Contains(t, StringComparer.Ordinal))
                && (accounts.Count == 0 || (asked != null && asked.All(a => accounts.Contains(a, StringComparer.Ordinal))));
        }

        private static IEnumerable<List<string>> Batches(List<string> ids)
        {
            for (int i = 0; i < ids.Count; i += Ec2Limits.MaxUsageReportIdsPerCall)
            {
                yield return ids.Skip(i).Take(Ec2Limits.MaxUsageReportIdsPerCall).ToList();
            }
        }

        private static string Seconds(TimeSpan span) => Math.Round(span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
    }
}
