using System.Management.Automation;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Sharing;
using AmiShare.Engine.Usage;

namespace AmiShare.Commands
{
    /// <summary>-IncludeKmsKey and -IncludeSnapshot, declared once for every cmdlet that takes them.</summary>
    public abstract class AmiShareOptionsCmdlet : AmiShareCmdlet
    {
        private ImageUsageSettings _usageSettings;

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

        /// <summary>The options as the engine takes them (with -CheckUsage, the usage report settings read once from the environment).</summary>
        protected ShareOptions Options
        {
            get
            {
                ImageUsageSettings usage = CheckUsageRequested ? UsageSettings : null;
                return new ShareOptions
                {
                    IncludeKmsKey = IncludeKmsKey.IsPresent,
                    IncludeSnapshot = IncludeSnapshot.IsPresent,
                    CheckUsage = CheckUsageRequested,
                    RemoveInUse = CheckUsageRequested && RemoveInUseRequested,
                    WhatIf = CheckUsageRequested && IsWhatIf,
                    UsagePollInterval = usage?.PollInterval,
                    UsageTimeout = usage?.Timeout,
                };
            }
        }

        /// <summary>-CheckUsage of the cmdlets that remove launch permissions (Revoke, Set, Reset); false elsewhere.</summary>
        protected virtual bool CheckUsageRequested => false;

        /// <summary>-Force of those cmdlets: with -CheckUsage, accounts that still use the AMI are removed anyway (a warning).</summary>
        protected virtual bool RemoveInUseRequested => false;

        /// <summary>
        /// AMISHARE_USAGE_POLL_SECONDS / AMISHARE_USAGE_TIMEOUT_SECONDS, read once; a bad value stops the command (one
        /// InvalidRetrySetting) before any AWS call.
        /// </summary>
        private ImageUsageSettings UsageSettings
        {
            get
            {
                if (_usageSettings == null)
                {
                    try
                    {
                        _usageSettings = ImageUsageSettings.FromEnvironment(ProcessEnvironment.Instance);
                    }
                    catch (AmiShareException e)
                    {
                        ThrowTerminating(e);
                    }
                }

                return _usageSettings;
            }
        }

        /// <summary>With -CheckUsage, reads the usage report settings before anything else, so a bad one stops the command before any call.</summary>
        protected override void BeginProcessing()
        {
            if (CheckUsageRequested)
            {
                _ = UsageSettings;
            }

            base.BeginProcessing();
        }

        /// <summary>
        /// Key policies and snapshot permissions belong to several AMIs, and whether a principal keeps them depends on the
        /// run's other AMIs: with either option the items of a region run one at a time.
        /// </summary>
        protected override bool ItemsAreIndependent => !IncludeKmsKey.IsPresent && !IncludeSnapshot.IsPresent;
    }
}
