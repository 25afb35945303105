using System.Collections.Generic;
using System.Management.Automation;
using AmiShare.Engine;
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
                try
                {
                    IReadOnlyList<Principal> permissions = Run(ct => image.Value.GetLaunchPermissionsAsync(image.Key, ct));
                    if (permissions.Count == 0)
                    {
                        WriteVerbose($"{image.Key} ({image.Value.Region}) has no launch permissions: only its owner can launch it.");
                    }

                    foreach (Principal p in permissions)
                    {
                        WriteObject(AmiLaunchPermission.From(image.Key, image.Value.Region, p));
                    }
                }
                catch (AmiShareException e)
                {
                    WriteItemError(e, image.Key);
                }
            }
        }
    }
}
