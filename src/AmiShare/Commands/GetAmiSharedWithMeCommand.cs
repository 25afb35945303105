using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
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
            var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
            IReadOnlyList<SharedWithMeRegion> results;
            try
            {
                // Every -Region is checked before any call (the session checks only the first, which it signs with).
                IReadOnlyList<string> regions = Region == null ? null : SessionInput.ParseRegions(Region, "-Region");
                AwsSession session = new AwsSessionResolver(ProcessEnvironment.Instance).Resolve(ReadSessionParameters(), WriteDebug, WriteWarning);
                foreach (string region in regions ?? new string[0])
                {
                    string unknown = region == session.Region ? null : AwsRegions.UnknownRegionWarning(region, "-Region");
                    if (unknown != null)
                    {
                        WriteWarning(unknown);
                    }
                }

                results = SharedWithMeRun.ReadAsync(session, regions, IncludePublic.IsPresent, new QueueReporter(lines), _stop.Token).GetAwaiter().GetResult();
            }
            catch (AmiShareException e)
            {
                WriteLines(lines);
                ThrowTerminatingError(ErrorRecords.From(e, e.Target));
                return;
            }

            WriteLines(lines);
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

        private void WriteLines(System.Collections.Concurrent.ConcurrentQueue<string> lines)
        {
            while (lines.TryDequeue(out string line))
            {
                WriteVerbose(line);
            }
        }

        /// <summary>Keeps the engine's verbose lines (written on pool threads) for the pipeline thread.</summary>
        private sealed class QueueReporter : IShareReporter
        {
            private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines;

            internal QueueReporter(System.Collections.Concurrent.ConcurrentQueue<string> lines) => _lines = lines;

            public void Verbose(string message) => _lines.Enqueue(message);

            public void Debug(string message)
            {
            }

            public void Warning(string message) => _lines.Enqueue("WARNING: " + message);
        }
    }
}
