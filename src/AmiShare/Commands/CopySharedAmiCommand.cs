using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Consumer;
using AmiShare.Engine.Distribution;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// Copies an AMI another account shares with the caller into the caller's own account, re-encrypted with the caller's
    /// key, to one or more regions, and waits for the copies. Refuses before any CopyImage when the copy would fail, naming
    /// the grant the owner must make. Rerunnable: earlier copies are found by their amishare:source tag. All behaviour is
    /// the engine's (AmiShare.Engine.Consumer.SharedCopier).
    /// </summary>
    [Cmdlet(VerbsCommon.Copy, "SharedAmi", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AmiSharedCopy))]
    public sealed class CopySharedAmiCommand : AmiShareCmdlet
    {
        private readonly Dictionary<AmiShareService, SharedCopier> _copiers = new Dictionary<AmiShareService, SharedCopier>();
        private readonly List<IDisposable> _factories = new List<IDisposable>();
        private SharedCopyRequest _template;
        private PublishSettings _settings;
        private bool _regionsOnCommandLine;

        /// <summary>
        /// The regions to copy into (default: the shared AMI's region). From the pipeline (a Get-AmiSharedWithMe row's Region)
        /// it is the shared AMI's region, and the copy goes there.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("TargetRegion")]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public new string[] Region { get; set; }

        /// <summary>The shared AMI's region; defaults to a piped row's Region, else the session's region ($StoredAWSRegion, profile, AWS_REGION).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string SourceRegion { get; set; }

        /// <summary>
        /// This account's KMS key to encrypt the copies with: one key (an alias name such as alias/mine resolves in every
        /// region), or a hashtable of region = key. Regions without a key use the region's EBS default key, which must then
        /// be a customer managed key when the shared AMI is encrypted.
        /// </summary>
        [Parameter]
        public object KmsKeyId { get; set; }

        /// <summary>The copies' name: {SourceName}, {SourceImageId} and {Region} are filled in. Default: the shared AMI's name.</summary>
        [Parameter]
        public string Name { get; set; }

        /// <summary>Returns as soon as the copies are started (State pending); run the same command again to wait for them.</summary>
        [Parameter]
        public SwitchParameter NoWait { get; set; }

        /// <summary>The longest time, in seconds, to wait for the copies; then the command stops with CopyTimedOut and the copies go on.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; }

        /// <inheritdoc />
        protected override string Activity => "Copying shared AMIs";

        /// <summary>The session's region is the shared AMI's: -SourceRegion, else a piped row's Region, else the default.</summary>
        internal override object SessionRegion
        {
            get
            {
                if (MyInvocation.BoundParameters.ContainsKey(nameof(SourceRegion)))
                {
                    return SourceRegion ?? string.Empty;
                }

                return !_regionsOnCommandLine && Region != null && Region.Length > 0 ? Region[0] : null;
            }
        }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            _regionsOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Region));
            try
            {
                _settings = PublishSettings.FromEnvironment(ProcessEnvironment.Instance);
                _template = new SharedCopyRequest
                {
                    Regions = _regionsOnCommandLine ? (IReadOnlyList<string>)(Region ?? Array.Empty<string>()) : Array.Empty<string>(),
                    Name = Name,
                    NoWait = NoWait.IsPresent,
                    Timeout = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null,
                };
                ReadKeys(_template);
                if (_regionsOnCommandLine)
                {
                    // Regions and keys given on the command line are checked once, before any AWS call.
                    SharedCopyRequest check = _template.ForSource(null, null);
                    check.Validate();
                    _template = check;
                    foreach (string unknown in AwsRegions.UnknownRegionWarnings(_template.Regions, "-Region"))
                    {
                        // Said before the key check, which would otherwise blame the key for a mistyped region.
                        WriteWarning(unknown);
                    }
                }
            }
            catch (AmiShareException e)
            {
                ThrowTerminating(e);
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (KeyValuePair<string, AmiShareService> image in ValidImages())
            {
                AmiShareService service = image.Value;
                SharedCopier copier = CopierFor(service);
                SharedCopyRequest request = _template.ForSource(image.Key, service.Region);
                Submit(image.Key, service, (s, item, ct) => copier.CopyAsync(request, new JobCopyCallbacks<SharedCopyResult>(item, AmiSharedCopy.From), ct));
            }
        }

        /// <inheritdoc />
        protected override void DisposeCommandResources()
        {
            foreach (IDisposable f in _factories)
            {
                f.Dispose();
            }

            _factories.Clear();
        }

        private SharedCopier CopierFor(AmiShareService service)
        {
            if (!_copiers.TryGetValue(service, out SharedCopier copier))
            {
                var regions = new RegionGatewaysFactory(ServiceFactory, service, "-Region (a Copy-SharedAmi region)");
                _factories.Add(regions);
                copier = new SharedCopier(regions.For, regions.Consumer, regions.CallerAccountAsync, _settings);
                _copiers.Add(service, copier);
            }

            return copier;
        }

        /// <summary>-KmsKeyId: one key as text, or a region = key table.</summary>
        private void ReadKeys(SharedCopyRequest request)
        {
            KmsKeyArgument.Read(KmsKeyId, "Give one key (-KmsKeyId alias/mine) or a hashtable: -KmsKeyId @{ 'us-east-1' = 'alias/mine'; 'eu-west-1' = 'arn:aws:kms:eu-west-1:111122223333:key/…' }.", out string key, out IReadOnlyDictionary<string, string> keys);
            request.KmsKeyId = key ?? request.KmsKeyId;
            request.KmsKeyIds = keys ?? request.KmsKeyIds;
        }
    }
}
