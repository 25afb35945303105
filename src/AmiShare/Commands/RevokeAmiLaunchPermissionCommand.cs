using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// Takes launch permission away from accounts, organizations, OUs (or 'all'): one
    /// ModifyImageAttribute per AMI, none when nothing listed is granted. Warns when a removed account
    /// keeps access through an organization or OU the AMI is still shared with.
    /// </summary>
    [Cmdlet(VerbsSecurity.Revoke, "AmiLaunchPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AmiShareResult))]
    public sealed class RevokeAmiLaunchPermissionCommand : AmiPrincipalCmdlet
    {
        /// <inheritdoc />
        protected override bool AllowPublic => true;

        /// <inheritdoc />
        protected override string Activity => "Revoking AMI launch permissions";

        /// <summary>With -IncludeKmsKey / -IncludeSnapshot a revoke keeps access another AMI of the run still needs, so those run in order.</summary>
        protected override bool ItemsAreIndependent => !AmiShareService.PlansDependOnEachOther(ShareOperation.Revoke, Options);

        /// <inheritdoc />
        protected override Task<SharePlan> PlanAsync(AmiShareService service, string imageId, IReadOnlyList<Principal> principals, ShareOptions options, CancellationToken cancellationToken)
            => service.PlanRevokeAsync(imageId, principals, options, cancellationToken);
    }
}
