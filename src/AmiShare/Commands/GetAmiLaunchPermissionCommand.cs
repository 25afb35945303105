using System.Collections.Generic;
using System.Management.Automation;
using AmiShare.Engine.Principals;

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
        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var image in ValidImages())
            {
                Submit(image.Key, image.Value, async (service, item, ct) =>
                {
                    IReadOnlyList<Principal> permissions = await service.GetLaunchPermissionsAsync(item.ImageId, ct).ConfigureAwait(false);
                    if (permissions.Count == 0)
                    {
                        item.Verbose($"{item.ImageId} ({service.Region}) has no launch permissions: only its owner can launch it.");
                    }

                    foreach (Principal p in permissions)
                    {
                        item.WriteResult(AmiLaunchPermission.From(item.ImageId, service.Region, p));
                    }
                });
            }
        }
    }
}
