using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AmiShare.Engine;
using AmiShare.Engine.Manifests;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// Makes each AMI's launch permissions exactly the given set (from parameters, or a manifest file for many AMIs): one
    /// ModifyImageAttribute per AMI carrying both the adds and the removes, none when it already is so. Removing group 'all' needs
    /// -Public:$false; -Public:$true passes Set-AmiPublic's checks first.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AmiLaunchPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = PrincipalsSet)]
    [OutputType(typeof(AmiShareResult))]
    public sealed class SetAmiLaunchPermissionCommand : AmiPrincipalInputCmdlet
    {
        private const string PrincipalsSet = "Principals";
        private const string ManifestSet = "Manifest";

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private Pending _pending;
        private bool _anyPublic;

        /// <summary>The AMI ids (ami-…). Accepts strings, Get-EC2Image objects, Import-Csv rows and AmiShare output rows.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PrincipalsSet)]
        [Alias("ImageIds")]
        [AllowEmptyString]
        [AllowNull]
        [ArgumentCompleter(typeof(ImageIdCompleter))]
        public new string[] ImageId
        {
            get => base.ImageId;
            set => base.ImageId = value;
        }

        /// <summary>A .psd1 or .json file mapping AMI ids or name patterns to their principals (see the help for the format).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ManifestSet)]
        [Alias("Path")]
        public string ManifestPath { get; set; }

        /// <summary>$true keeps or makes the AMIs public (after Set-AmiPublic's checks); $false makes them private. Needed to remove 'all'.</summary>
        [Parameter(ParameterSetName = PrincipalsSet)]
        public SwitchParameter Public { get; set; }

        /// <summary>
        /// Reads each AMI's image usage report before removing anyone, and refuses (AmiInUse) to take launch access from an account
        /// that still has instances or launch templates on the AMI, naming the account and the counts. -Force removes it anyway.
        /// </summary>
        [Parameter]
        public SwitchParameter CheckUsage { get; set; }

        /// <summary>
        /// Skips the confirmation prompt. -WhatIf still only shows what would happen. With -CheckUsage, also removes accounts that
        /// still use the AMI (their usage is written as a warning).
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes an AmiShareResult for every AMI, changed or not (Added, Removed, LaunchPermissions).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override string Activity => "Setting AMI launch permissions";

        /// <inheritdoc />
        protected override bool ForceWithoutPrompt => Force;

        /// <inheritdoc />
        protected override bool CheckUsageRequested => CheckUsage;

        /// <inheritdoc />
        protected override bool RemoveInUseRequested => Force;

        /// <summary>
        /// Removals with -IncludeKmsKey / -IncludeSnapshot depend on the run's other AMIs, and making AMIs public counts them
        /// against the public-AMI quota: those run in order (not with -WhatIf, which changes nothing).
        /// </summary>
        protected override bool ItemsAreIndependent =>
            !AmiShareService.PlansDependOnEachOther(ShareOperation.Set, Options) && (IsWhatIf || !(_anyPublic || PublicIs(true)));

        private bool PublicBound => MyInvocation.BoundParameters.ContainsKey(nameof(Public));

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (ParameterSetName == ManifestSet)
            {
                return;
            }

            ParseCommandLinePrincipals(true);
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == ManifestSet)
            {
                ProcessManifest();
                return;
            }

            IReadOnlyList<Principal> principals;
            try
            {
                principals = ParsePrincipals(true);
            }
            catch (AmiShareException e)
            {
                SubmitError(e, e.Target);
                return;
            }

            if (principals.Count == 0 && !PublicBound)
            {
                // No principal and no -Public would mean "only the owner": never taken from a blank value (an empty CSV cell).
                AmiShareException missing = DesiredLaunchPermissions.Missing(ImageId);
                if (!AnyPrincipalBound)
                {
                    ThrowTerminating(missing, ImageId);
                }

                SubmitError(missing, ImageId);
                return;
            }

            bool? isPublic = PublicBound ? Public.IsPresent : (bool?)null;
            foreach (var image in ValidImages())
            {
                if (_pending != null && _pending.ImageId == image.Key && ReferenceEquals(_pending.Service, image.Value))
                {
                    _pending.Principals.AddRange(principals);
                    continue;
                }

                Flush();
                _pending = new Pending { ImageId = image.Key, Service = image.Value, Public = isPublic };
                _pending.Principals.AddRange(principals);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            Flush();
            base.EndProcessing();
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            _stop.Cancel();
            base.StopProcessing();
        }

        private bool PublicIs(bool value) => PublicBound && Public.IsPresent == value;

        /// <summary>Hands one AMI's merged records to the job (adjacent records for the same AMI make one set).</summary>
        private void Flush()
        {
            Pending pending = _pending;
            _pending = null;
            if (pending != null)
            {
                Submit(pending.ImageId, pending.Service, new DesiredLaunchPermissions(pending.Principals, pending.Public));
            }
        }

        private void Submit(string imageId, AmiShareService service, DesiredLaunchPermissions desired)
        {
            ShareOptions options = Options;
            SubmitChange(imageId, service, async (s, ct) =>
                await s.PlanSetAsync(imageId, desired.WithPrincipals(await ResolveAsync(s, desired.Principals, ct).ConfigureAwait(false)), options, ct).ConfigureAwait(false), PassThru);
        }

        /// <summary>Reads and checks the whole manifest, resolves its name patterns (one read of the owned AMIs), then submits each AMI.</summary>
        private void ProcessManifest()
        {
            if (AnyPrincipalBound)
            {
                ThrowTerminating(new AmiShareException(
                    ErrorIds.InvalidManifest,
                    AmiShareErrorKind.InvalidArgument,
                    "-AccountId, -OrganizationArn, -OrganizationalUnitArn and -Principal cannot be used with -ManifestPath: the manifest gives each AMI's principals.",
                    ManifestPath,
                    "Put the principals in the manifest's entries, or name the AMIs with -ImageId instead of -ManifestPath."));
            }

            ValidateSessionInput();
            IReadOnlyList<ManifestTarget> targets;
            try
            {
                ManifestDocument document = ManifestFile.Read(ManifestPath, GetUnresolvedProviderPathFromPSPath(ManifestPath));
                targets = ResolveService().ResolveManifestAsync(document, _stop.Token).GetAwaiter().GetResult();
            }
            catch (AmiShareException e)
            {
                ThrowTerminating(e, e.Target);
                return;
            }

            _anyPublic = targets.Any(t => t.Desired.Public == true);
            base.ImageId = targets.Select(t => t.ImageId).ToArray();
            IReadOnlyList<KeyValuePair<string, AmiShareService>> images = ValidImages();
            for (int i = 0; i < images.Count; i++)
            {
                Submit(images[i].Key, images[i].Value, targets[i].Desired);
            }
        }

        private sealed class Pending
        {
            public string ImageId { get; set; }

            public AmiShareService Service { get; set; }

            public bool? Public { get; set; }

            public List<Principal> Principals { get; } = new List<Principal>();
        }
    }
}
