using System.Collections.Generic;
using System.Management.Automation;
using AmiShare.Engine;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// Lists who can launch AMIs: one row per principal (Account, Public, Organization,
    /// OrganizationalUnit). Rows pipe into Revoke-AmiLaunchPermission.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AmiLaunchPermission")]
    [OutputType(typeof(AmiLaunchPermission))]
    public sealed class GetAmiLaunchPermissionCommand : AmiShareCmdlet
    {
        /// <summary>The AMI ids (ami-…). Accepts strings, Get-EC2Image objects and Import-Csv rows.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ImageIds")]
        [ValidateNotNullOrEmpty]
        public string[] ImageId { get; set; }

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
                    IReadOnlyList<Principal> permissions = Run(ct => service.GetLaunchPermissionsAsync(imageId, ct));
                    if (permissions.Count == 0)
                    {
                        WriteVerbose($"{imageId} ({service.Region}) has no launch permissions: only its owner can launch it.");
                    }

                    foreach (Principal p in permissions)
                    {
                        WriteObject(AmiLaunchPermission.From(imageId, service.Region, p));
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
