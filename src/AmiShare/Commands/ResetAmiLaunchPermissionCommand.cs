using System.Linq;
using System.Management.Automation;
using AmiShare.Engine;
using AmiShare.Engine.Sharing;

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
        /// <summary>The AMI ids (ami-…). Accepts strings, Get-EC2Image objects and Import-Csv rows.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ImageIds")]
        [ValidateNotNullOrEmpty]
        public string[] ImageId { get; set; }

        /// <summary>Skips the confirmation prompt. -WhatIf still only shows what would happen.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes an AmiShareResult for every AMI, changed or not.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (string raw in ImageId)
            {
                string imageId;
                try
                {
                    imageId = ImageIds.Normalize(raw);
                }
                catch (AmiShareException e)
                {
                    WriteItemError(e, raw);
                    continue;
                }

                AmiShareService service = ResolveService();
                try
                {
                    SharePlan plan = Run(ct => service.PlanResetAsync(imageId, ct));
                    if (!plan.HasChanges)
                    {
                        WriteVerbose($"{imageId} has no launch permissions; no AWS write made.");
                    }
                    else if (!ShouldProcessUnlessForced(Force, $"{plan.ImageId} ({plan.Region})", plan.Describe()))
                    {
                        continue;
                    }

                    ShareResult result = Run(ct => service.ApplyAsync(plan, ct));
                    if (PassThru)
                    {
                        WriteObject(AmiShareResult.From(result));
                    }
                }
                catch (AmiShareException e)
                {
                    WriteItemError(e, imageId);
                }
            }
        }
    }
}
