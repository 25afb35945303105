using System.Management.Automation;
using AmiShare.Engine;
using AmiShare.Engine.Plans;
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
    public sealed class ResetAmiLaunchPermissionCommand : AmiShareOptionsCmdlet
    {
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

        /// <summary>Writes an AmiShareResult for every AMI, changed or not.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override string Activity => "Resetting AMI launch permissions";

        /// <summary>With -IncludeKmsKey / -IncludeSnapshot a reset keeps access another AMI of the run still needs, so those run in order.</summary>
        protected override bool ItemsAreIndependent => !AmiShareService.PlansDependOnEachOther(ShareOperation.Reset, Options);

        /// <inheritdoc />
        protected override bool ForceWithoutPrompt => Force;

        /// <inheritdoc />
        protected override bool CheckUsageRequested => CheckUsage;

        /// <inheritdoc />
        protected override bool RemoveInUseRequested => Force;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ShareOptions options = Options;
            foreach (var image in ValidImages())
            {
                string imageId = image.Key;
                SubmitChange(imageId, image.Value, (service, ct) => service.PlanResetAsync(imageId, options, ct), PassThru);
            }
        }
    }
}
