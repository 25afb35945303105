using System.Management.Automation;
using AmiShare.Engine;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// Makes AMIs public (launch permission group 'all') or private again. Before making one public it
    /// checks everything that would make EC2 refuse or the result unsafe (encrypted snapshots, product
    /// codes, block public access, ownership, the public-AMI quota) and refuses with the reason and the fix.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AmiPublic", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AmiShareResult))]
    public sealed class SetAmiPublicCommand : AmiShareCmdlet
    {
        private bool _public = true;
        private int _done;

        /// <summary>The AMI ids (ami-…). Accepts strings, Get-EC2Image objects and Import-Csv rows.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ImageIds")]
        [ValidateNotNullOrEmpty]
        public string[] ImageId { get; set; }

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
                WriteProgress(new ProgressRecord(2, _public ? "Making AMIs public" : "Making AMIs private", $"{imageId} ({_done} done)"));
                try
                {
                    SharePlan plan = Run(ct => service.PlanSetPublicAsync(imageId, _public, ct));
                    foreach (string warning in plan.Warnings)
                    {
                        WriteWarning(warning);
                    }

                    if (plan.HasChanges && !ShouldProcessUnlessForced(Force, $"{plan.ImageId} ({plan.Region})", plan.Describe()))
                    {
                        continue;
                    }

                    if (!plan.HasChanges)
                    {
                        WriteVerbose($"{plan.ImageId} is already {(_public ? "public" : "private")}; no AWS write made.");
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
                finally
                {
                    _done++;
                }
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            WriteProgress(new ProgressRecord(2, _public ? "Making AMIs public" : "Making AMIs private", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
