using System.Management.Automation;

namespace AmiShare.Commands
{
    /// <summary>
    /// Makes AMIs public (launch permission group 'all') or private again. Before making one public it
    /// runs the same checks as Test-AmiShareable -Public (ownership, state, encrypted snapshots, product
    /// codes, block public access, the public-AMI quota) and refuses with the reason and the fix; -Force
    /// never overrides a failed check.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AmiPublic", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AmiShareResult))]
    public sealed class SetAmiPublicCommand : AmiShareCmdlet
    {
        private bool _public = true;
        private int _done;

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

        private string Activity => _public ? "Making AMIs public" : "Making AMIs private";

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var image in ValidImages())
            {
                WriteItemProgress(Activity, image.Key, _done);
                ApplyPlan(image.Value, ct => image.Value.PlanSetPublicAsync(image.Key, _public, ct), image.Key, Force, PassThru);
                _done++;
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            CompleteProgress(Activity);
        }
    }
}
