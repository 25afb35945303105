using System.Management.Automation;
using AmiShare.Engine;

namespace AmiShare.Commands
{
    /// <summary>
    /// Makes AMIs public (launch permission group 'all') or private again. Before making one public it
    /// runs the same checks as Test-AmiShareable -Public (ownership, state, encrypted snapshots, product
    /// codes, watermarks, block public access, the public-AMI quota) and refuses with the reason and the fix;
    /// -Force never overrides a failed check. -IncludeSnapshot makes the backing snapshots public too.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AmiPublic", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AmiShareResult))]
    public sealed class SetAmiPublicCommand : AmiShareCmdlet
    {
        private bool _public = true;

        /// <summary>$true (the default) makes the AMIs public; -Public:$false makes them private again.</summary>
        [Parameter]
        public SwitchParameter Public
        {
            get => _public;
            set => _public = value;
        }

        /// <summary>Skips the confirmation prompt. -WhatIf still only shows what would happen.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes an AmiShareResult for every AMI, changed or not.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// Also makes the backing snapshots public (createVolumePermission group 'all'), so other accounts can copy the AMI, or
        /// with -Public:$false private again (a snapshot another of your AMIs still needs public stays public). Under block
        /// public access for snapshots the AMI is still made public and its snapshots are left as they are, with a warning.
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeSnapshot { get; set; }

        /// <inheritdoc />
        protected override string Activity => _public ? "Making AMIs public" : "Making AMIs private";

        /// <summary>
        /// Making AMIs public counts them against the account's public-AMI quota, so each sees the ones made public before it;
        /// with -WhatIf nothing is made public, so they don't depend on each other. Making them private with -IncludeSnapshot:
        /// a snapshot stays public while another AMI behind it stays public, so each sees the ones made private before it.
        /// </summary>
        protected override bool ItemsAreIndependent => _public ? IsWhatIf : !IncludeSnapshot.IsPresent;

        /// <inheritdoc />
        protected override bool ForceWithoutPrompt => Force;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            bool makePublic = _public;
            var options = new ShareOptions { IncludeSnapshot = IncludeSnapshot.IsPresent };
            foreach (var image in ValidImages())
            {
                string imageId = image.Key;
                SubmitChange(imageId, image.Value, (service, ct) => service.PlanSetPublicAsync(imageId, makePublic, options, ct), PassThru);
            }
        }
    }
}
