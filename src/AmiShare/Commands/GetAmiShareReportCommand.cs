using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Reports;
using AmiShare.Engine.Sharing;
using AmiShare.Engine.Usage;

namespace AmiShare.Commands
{
    /// <summary>
    /// Audits sharing: one row per AMI the caller owns in the regions (-Region, or every enabled region with -AllRegions),
    /// read concurrently per region, with who can launch it and which of the shared accounts are outside the caller's
    /// organization. Reads only. -IncludeUsage adds who still uses each AMI (one EC2 image usage report per AMI).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AmiShareReport", DefaultParameterSetName = RegionsSet)]
    [OutputType(typeof(AmiShareReportRow))]
    public sealed class GetAmiShareReportCommand : AwsSessionCmdlet, IDisposable
    {
        private const string RegionsSet = "Regions";
        private const string AllRegionsSet = "AllRegions";
        private const string Activity = "Get-AmiShareReport";

        /// <summary>The type name that selects the usage table view for -IncludeUsage rows.</summary>
        private const string UsageTypeName = "AmiShare.AmiShareReportRow#Usage";

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly QueuedReporter _messages = new QueuedReporter();
        private AmiShareServiceFactory _factory;

        /// <summary>Every region enabled for the account (DescribeRegions, called in the session's region).</summary>
        [Parameter(Mandatory = true, ParameterSetName = AllRegionsSet)]
        public SwitchParameter AllRegions { get; set; }

        /// <summary>Only these AMIs (those the caller owns in the regions); default every owned AMI. Piped rows add their ImageId and Region.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] ImageId { get; set; }

        /// <summary>Adds who still uses each AMI: the accounts with instances or launch templates on it (one image usage report per AMI, waited for).</summary>
        [Parameter]
        public SwitchParameter IncludeUsage { get; set; }

        private readonly List<string> _images = new List<string>();
        private readonly List<string> _regions = new List<string>();
        private readonly HashSet<string> _warned = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>The first -Region is the session's (DescribeRegions for -AllRegions is called there).</summary>
        internal override object SessionRegion => RegionNames().FirstOrDefault() ?? base.SessionRegion;

        /// <summary>Windows PowerShell 5.1: the AWSSDK check first, in a method that touches no engine type (see ThrowIfAwsSdkConflict).</summary>
        protected override void BeginProcessing() => ThrowIfAwsSdkConflict();

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // Every record's ids and regions are gathered; the report is read once, for all of them, at the end.
            _images.AddRange(ImageId ?? Array.Empty<string>());
            _regions.AddRange(RegionNames().Where(r => !_regions.Contains(r)));
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var images = new List<string>();
            try
            {
                foreach (string id in _images)
                {
                    images.Add(ImageIds.Normalize(id));
                }

                Region = _regions.Count > 0 ? _regions.ToArray() : Region;
                if (AllRegions && RegionNames().Count > 1)
                {
                    throw new AmiShareException(ErrorIds.ShareReportRegions, AmiShareErrorKind.InvalidArgument, $"-AllRegions takes at most one -Region (the region to call DescribeRegions in), not {RegionNames().Count}.", string.Join(",", RegionNames()), "Give either -Region with the regions to report on, or -AllRegions (optionally with one -Region to call DescribeRegions in).");
                }

                ImageUsageSettings usageSettings = IncludeUsage ? ImageUsageSettings.FromEnvironment(ProcessEnvironment.Instance) : null;
                SessionParameters first = ReadSessionParameters();
                SessionInput.Validate(first);
                AwsSession session = Resolve(first);
                IReadOnlyList<string> regions = AllRegions
                    ? Wait(EnabledRegionLister.ListAsync(session, _factory.Reporter, _stop.Token))
                    : (RegionNames().Count > 0 ? SessionInput.ParseRegions(RegionNames(), "-Region") : new List<string> { session.Region });
                var services = new List<AmiShareService>();
                foreach (string region in regions.Distinct(StringComparer.Ordinal))
                {
                    SessionParameters parameters = ReadSessionParameters();
                    parameters.Region = region;
                    SessionInput.Validate(parameters);
                    services.Add(_factory.For(Resolve(parameters)));
                }

                WriteVerbose($"Share report of {services.Count} region(s): {string.Join(", ", services.Select(s => s.Region))}.");
                int done = 0, total = 0, ready = 0, created = 0;
                Task<IReadOnlyList<RegionShareReport>> work = AmiShareService.GetShareReportsAsync(
                    services,
                    images,
                    usageSettings,
                    (d, t) => { Volatile.Write(ref done, d); Volatile.Write(ref total, t); },
                    (r, c) => { Volatile.Write(ref ready, r); Volatile.Write(ref created, c); },
                    _stop.Token);
                IReadOnlyList<RegionShareReport> reports = Wait(work, () =>
                {
                    int t = Volatile.Read(ref total), d = Volatile.Read(ref done), r = Volatile.Read(ref ready), c = Volatile.Read(ref created);
                    string status = $"{d} of {t} AMIs in {services.Count} region(s)";
                    int percent = t == 0 ? 0 : Math.Min(100, d * 100 / t);
                    if (IncludeUsage)
                    {
                        // The second phase: each region's usage reports, created once its AMIs are read, then waited for.
                        status += $"; usage reports ready: {r} of {c}";
                        percent = t == 0 ? 0 : Math.Min(100, (d + r) * 50 / t);
                    }

                    WriteProgress(new ProgressRecord(1, Activity, status) { PercentComplete = percent });
                });
                WriteProgress(new ProgressRecord(1, Activity, "Done") { RecordType = ProgressRecordType.Completed });
                foreach (RegionShareReport report in reports)
                {
                    if (report.Error != null)
                    {
                        WriteError(ErrorRecords.From(report.Error, report.Region));
                        continue;
                    }

                    foreach (ShareReportRow row in report.Rows)
                    {
                        var output = new PSObject(AmiShareReportRow.From(row));
                        if (IncludeUsage)
                        {
                            output.TypeNames.Insert(0, UsageTypeName);
                        }

                        WriteObject(output);
                    }

                    if (report.UsageError != null)
                    {
                        WriteError(ErrorRecords.From(report.UsageError, report.UsageError.Target));
                    }
                }

                WarnAboutGaps(reports, images);
            }
            catch (AmiShareException e)
            {
                _messages.Flush(this);
                ThrowTerminatingError(ErrorRecords.From(e, e.Target));
            }
        }

        /// <summary>
        /// Says what a quiet report would hide: -ImageId values no region had among the caller's AMIs, and External 'unknown'
        /// (AWS Organizations could not be read), each once.
        /// </summary>
        private void WarnAboutGaps(IReadOnlyList<RegionShareReport> reports, List<string> images)
        {
            var found = new HashSet<string>(reports.SelectMany(r => r.Rows).Select(r => r.ImageId), StringComparer.Ordinal);
            List<string> missing = images.Distinct(StringComparer.Ordinal).Where(i => !found.Contains(i)).ToList();
            if (missing.Count > 0 && reports.All(r => r.Error == null))
            {
                WriteWarning($"Not among this account's AMIs in {string.Join(", ", reports.Select(r => r.Region))}: {string.Join(", ", missing)}. The report lists only AMIs the caller owns; check the id and -Region (Get-AmiSharedWithMe lists AMIs others share with you).");
            }

            if (reports.SelectMany(r => r.Rows).Any(r => !r.ExternalKnown))
            {
                WriteWarning("External is 'unknown' on some rows: AWS Organizations could not be read with these credentials, so members can't be told from outside accounts. Run the report as the organization's management account or a delegated administrator (organizations:DescribeOrganization, organizations:ListParents).");
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing() => _stop.Cancel();

        /// <inheritdoc />
        public void Dispose()
        {
            _factory?.Dispose();
            _stop.Dispose();
        }

        private List<string> RegionNames()
        {
            object value = StoredAwsSettings.Unwrap(Region);
            var names = new List<string>();
            if (value is string one)
            {
                names.Add(one);
            }
            else if (value is IEnumerable many)
            {
                names.AddRange(many.Cast<object>().Select(StoredAwsSettings.Unwrap).Where(v => v != null).Select(v => v.ToString()));
            }
            else if (value != null)
            {
                names.Add(value.ToString());
            }

            return names;
        }

        private AwsSession Resolve(SessionParameters parameters)
        {
            var debugLines = new List<string>();
            var warnings = new List<string>();
            AwsSession session = new AwsSessionResolver(ProcessEnvironment.Instance).Resolve(parameters, debugLines.Add, warnings.Add);
            debugLines.ForEach(WriteDebug);
            // A session is resolved per region (and the first region once more for DescribeRegions): each warning once.
            warnings.Where(_warned.Add).ToList().ForEach(WriteWarning);
            _factory = _factory ?? new AmiShareServiceFactory(_messages);
            return session;
        }

        private T Wait<T>(Task<T> task, Action tick = null) => _messages.Wait(this, task, tick);
    }
}
