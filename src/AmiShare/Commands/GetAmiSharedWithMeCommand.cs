using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Consumer;

namespace AmiShare.Commands
{
    /// <summary>
    /// Lists the AMIs other accounts share with the caller in one or more regions (DescribeImages ExecutableBy=self,
    /// with -IncludePublic also ExecutableBy=all), without the caller's own: the owner, how it is shared (Via), whether
    /// it is encrypted, whether the caller can use its keys and whether it may copy it. Rows pipe by ImageId and Region.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AmiSharedWithMe")]
    [OutputType(typeof(AmiSharedImage))]
    public sealed class GetAmiSharedWithMeCommand : AwsSessionCmdlet
    {
        private const string Activity = "Get-AmiSharedWithMe";

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        /// <summary>The regions to list (default: the session's region).</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public new string[] Region { get; set; }

        /// <summary>Also lists public AMIs (ExecutableBy=all): many thousands in a real region, so off by default.</summary>
        [Parameter]
        public SwitchParameter IncludePublic { get; set; }

        /// <summary>Windows PowerShell 5.1: the AWSSDK check first, in a method that touches no engine type (see ThrowIfAwsSdkConflict).</summary>
        protected override void BeginProcessing() => ThrowIfAwsSdkConflict();

        /// <inheritdoc />
        internal override object SessionRegion => Region != null && Region.Length > 0 ? Region[0] : null;

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var lines = new QueuedReporter();
            IReadOnlyList<SharedWithMeRegion> results;
            try
            {
                // Every -Region is checked before any call (the session checks only the first, which it signs with).
                IReadOnlyList<string> regions = Region == null ? null : SessionInput.ParseRegions(Region, "-Region");
                AwsSession session = new AwsSessionResolver(ProcessEnvironment.Instance).Resolve(ReadSessionParameters(), WriteDebug, WriteWarning);
                // The session's region was warned about when the session was resolved.
                foreach (string unknown in AwsRegions.UnknownRegionWarnings(regions?.Where(r => r != session.Region), "-Region"))
                {
                    WriteWarning(unknown);
                }

                int done = 0, total = regions == null || regions.Count == 0 ? 1 : regions.Count;
                WriteProgress(new ProgressRecord(1, Activity, $"0 of {total} region(s) read") { PercentComplete = 0 });
                Task<IReadOnlyList<SharedWithMeRegion>> work = SharedWithMeRun.ReadAsync(
                    session, regions, IncludePublic.IsPresent, lines, _stop.Token, (d, t) => { Volatile.Write(ref total, t); Volatile.Write(ref done, d); });
                results = lines.Wait(this, work, () =>
                {
                    int t = Volatile.Read(ref total), d = Volatile.Read(ref done);
                    WriteProgress(new ProgressRecord(1, Activity, $"{d} of {t} region(s) read") { PercentComplete = t == 0 ? 0 : d * 100 / t });
                });
                WriteProgress(new ProgressRecord(1, Activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
            catch (AmiShareException e)
            {
                lines.Flush(this);
                ThrowTerminatingError(ErrorRecords.From(e, e.Target));
                return;
            }

            lines.Flush(this);
            foreach (SharedWithMeRegion region in results)
            {
                if (region.Error != null)
                {
                    WriteError(ErrorRecords.From(region.Error, region.Region));
                    continue;
                }

                foreach (SharedImage image in region.Images)
                {
                    WriteObject(AmiSharedImage.From(image));
                }
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing() => _stop.Cancel();
    }
}
