using System.Management.Automation;
using System.Threading;
using AmiShare.Engine;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// Makes the launch permissions of AMIs (e.g. the regional copies of a golden AMI) match a source AMI's, read once: one
    /// ModifyImageAttribute per target that differs, none for those that match. With -IncludeKmsKey / -IncludeSnapshot, key and
    /// snapshot access follow in each target's region.
    /// </summary>
    [Cmdlet(VerbsCommon.Copy, "AmiLaunchPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AmiShareResult))]
    public sealed class CopyAmiLaunchPermissionCommand : AmiShareOptionsCmdlet
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private string _sourceId;
        private AmiShareService _source;
        private bool _sourceIsPublic;

        /// <summary>The AMI whose launch permissions the targets get.</summary>
        [Parameter(Mandatory = true)]
        [ArgumentCompleter(typeof(ImageIdCompleter))]
        public string SourceImageId { get; set; }

        /// <summary>The source AMI's region, when it is not the command's region (-Region or the default).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string SourceRegion { get; set; }

        /// <summary>Skips the confirmation prompt. -WhatIf still only shows what would happen.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes an AmiShareResult for every target, changed or not (Added, Removed, LaunchPermissions).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override string Activity => "Copying AMI launch permissions";

        /// <inheritdoc />
        protected override bool ForceWithoutPrompt => Force;

        /// <summary>
        /// Removals with -IncludeKmsKey / -IncludeSnapshot depend on the run's other AMIs, and making targets public (a public source)
        /// counts them against the public-AMI quota: in order then (not with -WhatIf, which changes nothing).
        /// </summary>
        protected override bool ItemsAreIndependent =>
            !AmiShareService.PlansDependOnEachOther(ShareOperation.Set, Options) && (IsWhatIf || !_sourceIsPublic);

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            try
            {
                _sourceId = ImageIds.Normalize(SourceImageId);
            }
            catch (AmiShareException e)
            {
                ThrowTerminating(e, SourceImageId);
            }

            ValidateSessionInput();
            if (SourceRegion != null && string.IsNullOrWhiteSpace(SourceRegion))
            {
                ThrowTerminating(new AmiShareException(ErrorIds.InvalidRegion, AmiShareErrorKind.InvalidArgument, "-SourceRegion is blank.", SourceRegion, "Give the source AMI's region, e.g. us-east-1, or leave -SourceRegion out."));
            }

            // The source's session is the command's (before any pipeline record binds its own -Region), in -SourceRegion when given.
            _source = ResolveService(string.IsNullOrWhiteSpace(SourceRegion) ? null : SourceRegion.Trim());

            // The source is read once, before any target: if it cannot be read, every target would fail, so the command stops.
            try
            {
                _sourceIsPublic = _source.GetSourcePermissionsAsync(_sourceId, _stop.Token).GetAwaiter().GetResult().Public == true;
            }
            catch (AmiShareException e)
            {
                ThrowTerminating(e, e.Target);
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            _stop.Cancel();
            base.StopProcessing();
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ShareOptions options = Options;
            AmiShareService source = _source;
            string sourceId = _sourceId;
            foreach (var image in ValidImages())
            {
                string imageId = image.Key;
                SubmitChange(imageId, image.Value, (service, ct) => service.PlanCopyAsync(source, sourceId, imageId, options, ct), PassThru);
            }
        }
    }
}
