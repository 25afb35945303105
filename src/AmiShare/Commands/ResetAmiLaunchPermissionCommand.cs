using System.Management.Automation;

namespace AmiShare.Commands
{
    /// <summary>
    /// Removes every launch permission of AMIs (ResetImageAttribute), so only the owner can launch
    /// them. Makes no call for an AMI that has none.
    /// </summary>
    [Cmdlet(VerbsCommon.Reset, "AmiLaunchPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AmiShareResult))]
    public sealed class ResetAmiLaunchPermissionCommand : AmiShareCmdlet
    {
        /// <summary>Skips the confirmation prompt. -WhatIf still only shows what would happen.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes an AmiShareResult for every AMI, changed or not.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var image in ValidImages())
            {
                ApplyPlan(image.Value, ct => image.Value.PlanResetAsync(image.Key, ct), image.Key, Force, PassThru);
            }
        }
    }
}
