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
    /// keeps access through an organization or OU the AMI is still shared with. With -CheckUsage, refuses to take access from an
    /// account that still uses the AMI (the engine's usage check) unless -Force.
    /// </summary>
    [Cmdlet(VerbsSecurity.Revoke, "AmiLaunchPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AmiShareResult))]
    public sealed class RevokeAmiLaunchPermissionCommand : AmiPrincipalCmdlet
    {
        /// <summary>
        /// Reads each AMI's image usage report before removing anyone, and refuses (AmiInUse) to take launch access from an account
        /// that still has instances or launch templates on the AMI, naming the account and the counts. -Force removes it anyway.
        /// </summary>
        [Parameter]
        public SwitchParameter CheckUsage { get; set; }

        /// <summary>
        /// With -CheckUsage: removes accounts that still use the AMI anyway (their usage is written as a warning). Also skips the
        /// confirmation prompt $ConfirmPreference would bring (an explicit -Confirm still asks); -WhatIf still only shows what would happen.
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override bool AllowPublic => true;

        /// <inheritdoc />
        protected override bool CheckUsageRequested => CheckUsage;

        /// <inheritdoc />
        protected override bool RemoveInUseRequested => Force;

        /// <inheritdoc />
        protected override bool ForceWithoutPrompt => Force;

        /// <inheritdoc />
        protected override string Activity => "Revoking AMI launch permissions";

        /// <summary>With -IncludeKmsKey / -IncludeSnapshot a revoke keeps access another AMI of the run still needs, so those run in order.</summary>
        protected override bool ItemsAreIndependent => !AmiShareService.PlansDependOnEachOther(ShareOperation.Revoke, Options);

        /// <inheritdoc />
        protected override Task<SharePlan> PlanAsync(AmiShareService service, string imageId, IReadOnlyList<Principal> principals, ShareOptions options, CancellationToken cancellationToken)
            => service.PlanRevokeAsync(imageId, principals, options, cancellationToken);
    }
}
