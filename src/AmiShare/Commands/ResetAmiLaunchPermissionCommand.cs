using System.Management.Automation;
using AmiShare.Engine;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// Removes every launch permission of AMIs (ResetImageAttribute), so only the owner can launch
    /// them. Makes no call for an AMI that has none. With -IncludeKmsKey / -IncludeSnapshot the principals that had
    /// launch permission also lose their part of AmiShare's key-policy statements and the snapshots'
    /// createVolumePermission; access that remains afterwards is reported as a warning.
    /// </summary>
    [Cmdlet(VerbsCommon.Reset, "AmiLaunchPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AmiShareResult))]
    public sealed class ResetAmiLaunchPermissionCommand : AmiShareCmdlet
    {
        private const string Activity = "Resetting AMI launch permissions";
        private int _done;

        /// <summary>Skips the confirmation prompt. -WhatIf still only shows what would happen.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes an AmiShareResult for every AMI, changed or not.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// Also takes the KMS access of every principal that had launch permission out of the key-policy statements
        /// AmiShare owns, on every customer managed key behind the AMI (other statements are never touched).
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeKmsKey { get; set; }

        /// <summary>Also removes createVolumePermission of every backing snapshot from the accounts that had launch permission.</summary>
        [Parameter]
        public SwitchParameter IncludeSnapshot { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var options = new ShareOptions { IncludeKmsKey = IncludeKmsKey.IsPresent, IncludeSnapshot = IncludeSnapshot.IsPresent };
            foreach (var image in ValidImages())
            {
                WriteItemProgress(Activity, image.Key, _done);
                ApplyPlan(image.Value, ct => image.Value.PlanResetAsync(image.Key, options, ct), image.Key, Force, PassThru);
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
