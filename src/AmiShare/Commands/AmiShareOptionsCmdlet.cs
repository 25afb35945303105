using System.Management.Automation;
using AmiShare.Engine;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>-IncludeKmsKey and -IncludeSnapshot, declared once for every cmdlet that takes them.</summary>
    public abstract class AmiShareOptionsCmdlet : AmiShareCmdlet
    {
        /// <summary>
        /// Also gives (Grant) or takes (Revoke, Reset) the KMS access each principal needs on every customer managed key behind
        /// the AMI, through key-policy statements AmiShare owns (it never touches other statements). Test-AmiShareable checks
        /// as if it were given.
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeKmsKey { get; set; }

        /// <summary>
        /// Also keeps createVolumePermission of every backing snapshot in step for account principals, so they can copy the
        /// AMI (snapshots cannot be shared with organizations or OUs).
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeSnapshot { get; set; }

        /// <summary>The options as the engine takes them.</summary>
        protected ShareOptions Options => new ShareOptions
        {
            IncludeKmsKey = IncludeKmsKey.IsPresent,
            IncludeSnapshot = IncludeSnapshot.IsPresent,
            CheckUsage = CheckUsageRequested,
            RemoveInUse = CheckUsageRequested && RemoveInUseRequested,
        };

        /// <summary>-CheckUsage of the cmdlets that remove launch permissions (Revoke, Set, Reset); false elsewhere.</summary>
        protected virtual bool CheckUsageRequested => false;

        /// <summary>-Force of those cmdlets: with -CheckUsage, accounts that still use the AMI are removed anyway (a warning).</summary>
        protected virtual bool RemoveInUseRequested => false;

        /// <summary>
        /// Key policies and snapshot permissions belong to several AMIs, and whether a principal keeps them depends on the
        /// run's other AMIs: with either option the items of a region run one at a time.
        /// </summary>
        protected override bool ItemsAreIndependent => !IncludeKmsKey.IsPresent && !IncludeSnapshot.IsPresent;
    }
}
