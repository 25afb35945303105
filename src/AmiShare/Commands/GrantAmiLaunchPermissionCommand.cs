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
    /// Gives accounts, organizations and OUs permission to launch AMIs: one ModifyImageAttribute per AMI
    /// carrying every principal, and none when they already have it. Making an AMI public is Set-AmiPublic.
    /// </summary>
    [Cmdlet(VerbsSecurity.Grant, "AmiLaunchPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AmiShareResult))]
    public sealed class GrantAmiLaunchPermissionCommand : AmiPrincipalCmdlet
    {
        /// <inheritdoc />
        protected override bool AllowPublic => false;

        /// <inheritdoc />
        protected override string Activity => "Granting AMI launch permissions";

        /// <summary>Grants of different AMIs never depend on each other (the engine locks each KMS key and snapshot around its write).</summary>
        protected override bool ItemsAreIndependent => !AmiShareService.PlansDependOnEachOther(ShareOperation.Grant, Options);

        /// <inheritdoc />
        protected override Task<SharePlan> PlanAsync(AmiShareService service, string imageId, IReadOnlyList<Principal> principals, ShareOptions options, CancellationToken cancellationToken)
            => service.PlanGrantAsync(imageId, principals, options, cancellationToken);
    }
}
