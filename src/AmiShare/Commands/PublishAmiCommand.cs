using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Distribution;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// Distributes a golden AMI: a copy in every target region (-Region), each encrypted with that region's key, shared
    /// (launch permissions, key policy, snapshots) with the principals, tagged, deprecated and named in an SSM parameter.
    /// The source's region is -SourceRegion (default: the session's region). Rerunnable: earlier copies are found, and only
    /// what differs is written. All behaviour is the engine's (AmiShare.Engine.Distribution.Publisher).
    /// </summary>
    [Cmdlet(VerbsData.Publish, "Ami", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NoDeprecationSet)]
    [OutputType(typeof(AmiPublishResult))]
    public sealed class PublishAmiCommand : AmiPrincipalInputCmdlet
    {
        private const string NoDeprecationSet = "NoDeprecation";
        private const string DeprecateAtSet = "DeprecateAt";
        private const string DeprecateAfterSet = "DeprecateAfter";

        private readonly Dictionary<AmiShareService, Publisher> _publishers = new Dictionary<AmiShareService, Publisher>();
        private readonly List<RegionGatewaysFactory> _regionFactories = new List<RegionGatewaysFactory>();
        private PublishRequest _template;
        private PublishSettings _settings;
        private bool _regionsChecked;

        /// <summary>
        /// The target regions: each gets a copy of the AMI (or, for the source's own region, the source itself unless it must
        /// be re-encrypted). The session's region (or -SourceRegion) is where the source AMI is.
        /// </summary>
        [Parameter(Mandatory = true)]
        [Alias("TargetRegion")]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public new string[] Region { get; set; }

        /// <summary>The region of the source AMI; defaults to the session's region ($StoredAWSRegion, profile, AWS_REGION).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string SourceRegion { get; set; }

        /// <summary>
        /// The KMS key to encrypt the copies with: one key (an alias name such as alias/golden resolves in every region), or a
        /// hashtable of region = key, e.g. @{ 'us-west-2' = 'alias/golden'; 'eu-west-1' = 'arn:aws:kms:eu-west-1:…' }.
        /// Regions without a key use the region's EBS default key.
        /// </summary>
        [Parameter]
        public object KmsKeyId { get; set; }

        /// <summary>Tags for every published AMI, e.g. @{ release = '2026.11' }; copies also get the source's own tags.</summary>
        [Parameter]
        public Hashtable Tag { get; set; }

        /// <summary>
        /// Tags the accounts the AMI is shared with can read, e.g. @{ release = '2026.11' }: set as ec2:SharedTag/&lt;key&gt;.
        /// Every account that can launch the AMI sees them (for a public AMI, every AWS account).
        /// </summary>
        [Parameter]
        public Hashtable SharedTag { get; set; }

        /// <summary>When every published AMI is deprecated (rounded to the minute, as EC2 does); at most 10 years ahead.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DeprecateAtSet)]
        public DateTime DeprecateAt { get; set; }

        /// <summary>
        /// Deprecates every published AMI this long after the source AMI was created: 365d, 52w, 12h, 90m or a TimeSpan.
        /// Counted from the source's creation, so every region gets the same time and a rerun changes nothing.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = DeprecateAfterSet)]
        [DurationTransformation]
        public TimeSpan DeprecateAfter { get; set; }

        /// <summary>An SSM parameter (data type aws:ec2:image) written in each target region with that region's AMI id, e.g. /golden/linux/latest.</summary>
        [Parameter]
        public string SsmParameterName { get; set; }

        /// <summary>
        /// The copies' name: {SourceName}, {SourceImageId} and {Region} are filled in. Default: the source's name (in the
        /// source's own region "{SourceName} (re-encrypted)", since names are unique per region).
        /// </summary>
        [Parameter]
        public string Name { get; set; }

        /// <summary>Returns as soon as the copies are started (State pending); run the same command again to share, tag and deprecate them.</summary>
        [Parameter]
        public SwitchParameter NoWait { get; set; }

        /// <summary>The longest time, in seconds, to wait for the copies; then the command stops with CopyTimedOut and the copies go on.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; }

        /// <inheritdoc />
        protected override string Activity => "Publishing AMIs";

        /// <summary>Key policies of one region may be shared by several AMIs: one AMI at a time per source session.</summary>
        protected override bool ItemsAreIndependent => false;

        /// <inheritdoc />
        internal override object SessionRegion =>
            SourceRegion == null && MyInvocation.BoundParameters.ContainsKey(nameof(SourceRegion)) ? string.Empty : SourceRegion;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            IReadOnlyList<Principal> principals = ParseCommandLinePrincipals(false) ?? Array.Empty<Principal>();
            try
            {
                _settings = PublishSettings.FromEnvironment(ProcessEnvironment.Instance);
                _template = new PublishRequest
                {
                    Regions = Region,
                    Principals = principals,
                    Options = Options,
                    Tags = ToStrings(Tag),
                    SharedTags = ToStrings(SharedTag),
                    SsmParameterName = SsmParameterName,
                    Name = Name,
                    NoWait = NoWait.IsPresent,
                    Timeout = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null,
                    DeprecateAt = ParameterSetName == DeprecateAtSet ? DeprecateAt : (DateTime?)null,
                    DeprecateAfter = ParameterSetName == DeprecateAfterSet ? DeprecateAfter : (TimeSpan?)null,
                };
                ReadKeys(_template);
                PublishInput.Validate(_template, _settings.UtcNow());
                if (principals.Count == 0 && (IncludeKmsKey.IsPresent || IncludeSnapshot.IsPresent || SharedTag != null))
                {
                    WriteWarning("No principals given (-AccountId, -OrganizationArn, -OrganizationalUnitArn, -Principal): the AMIs are copied, tagged and deprecated but not shared, so -IncludeKmsKey, -IncludeSnapshot and -SharedTag have no one to serve.");
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
            IReadOnlyList<Principal> principals;
            try
            {
                // Principals may come by property name with each record (Import-Csv); the command line's otherwise.
                principals = ParsePrincipals(false);
            }
            catch (AmiShareException e)
            {
                SubmitError(e, e.Target);
                return;
            }

            IReadOnlyList<KeyValuePair<string, AmiShareService>> images = ValidImages();
            WarnUnknownRegions();
            foreach (KeyValuePair<string, AmiShareService> image in images)
            {
                AmiShareService service = image.Value;
                Publisher publisher = PublisherFor(service);
                PublishRequest request = _template.ForSource(image.Key, service.Region, principals);
                Submit(image.Key, service, (s, item, ct) => publisher.PublishAsync(request, new JobCopyCallbacks<PublishResult>(item, AmiPublishResult.From), ct));
            }
        }

        /// <inheritdoc />
        protected override void DisposeCommandResources()
        {
            foreach (RegionGatewaysFactory f in _regionFactories)
            {
                f.Dispose();
            }

            _regionFactories.Clear();
        }

        /// <summary>
        /// Once, after the session was checked (on Windows PowerShell 5.1 the AWSSDK check must come before the SDK's
        /// region list is read): a warning per target region this SDK build does not know.
        /// </summary>
        private void WarnUnknownRegions()
        {
            if (_regionsChecked)
            {
                return;
            }

            _regionsChecked = true;
            foreach (string unknown in AwsRegions.UnknownRegionWarnings(_template.Regions, "-Region"))
            {
                WriteWarning(unknown);
            }
        }

        private Publisher PublisherFor(AmiShareService service)
        {
            if (!_publishers.TryGetValue(service, out Publisher publisher))
            {
                var regions = new RegionGatewaysFactory(ServiceFactory, service);
                _regionFactories.Add(regions);
                publisher = new Publisher(regions.For, _settings);
                _publishers.Add(service, publisher);
            }

            return publisher;
        }

        /// <summary>-KmsKeyId: one key as text, or a region = key table.</summary>
        private void ReadKeys(PublishRequest request)
        {
            KmsKeyArgument.Read(KmsKeyId, "Give one key (-KmsKeyId alias/golden) or a hashtable: -KmsKeyId @{ 'us-west-2' = 'alias/golden'; 'eu-west-1' = 'arn:aws:kms:eu-west-1:111122223333:key/…' }.", out string key, out IReadOnlyDictionary<string, string> keys);
            request.KmsKeyId = key ?? request.KmsKeyId;
            request.KmsKeyIds = keys ?? request.KmsKeyIds;
        }

        private static Dictionary<string, string> ToStrings(Hashtable table)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table ?? new Hashtable())
            {
                result[KmsKeyArgument.Text(entry.Key)] = KmsKeyArgument.Text(entry.Value);
            }

            return result;
        }
    }
}
