using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Planning;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Usage;

namespace AmiShare.Engine.Sharing
{
    /// <summary>-CheckUsage of Revoke / Set / Reset: the usage check runs on the finished plan, before it is shown or applied.</summary>
    public sealed partial class AmiShareService
    {
        private readonly object _usageGate = new object();
        private ImageUsageSettings _usageSettings;

        /// <summary>
        /// How the usage check waits for reports when tests set it; otherwise (null) the settings the options carry
        /// (<see cref="ShareOptions.UsagePollInterval"/>, <see cref="ShareOptions.UsageTimeout"/>, read by the cmdlet before any call).
        /// </summary>
        internal ImageUsageSettings UsageSettings
        {
            get
            {
                lock (_usageGate)
                {
                    return _usageSettings;
                }
            }

            set
            {
                lock (_usageGate)
                {
                    _usageSettings = value;
                }
            }
        }

        /// <summary>
        /// With <see cref="ShareOptions.CheckUsage"/>: reads the usage of the AMI <paramref name="plan"/> takes launch access from and
        /// throws AmiInUse (or, with <see cref="ShareOptions.RemoveInUse"/>, adds a warning) before anything is written. Without it,
        /// nothing is read.
        /// </summary>
        private async Task<SharePlan> UsageCheckedAsync(SharePlan plan, ShareOptions options, CancellationToken cancellationToken)
        {
            if (options != null && options.CheckUsage)
            {
                await UsageChecker(options).CheckAsync(plan, cancellationToken).ConfigureAwait(false);
            }

            return plan;
        }

        private UsageCheck UsageChecker(ShareOptions options)
        {
            ImageUsageSettings settings = UsageSettings ?? SettingsOf(options);
            return new UsageCheck((images, accounts, progress, ct) => GetImageUsageAsync(images, accounts, settings, progress, ct), _organizations, _reporter);
        }

        private static ImageUsageSettings SettingsOf(ShareOptions options)
        {
            var settings = new ImageUsageSettings();
            settings.PollInterval = options.UsagePollInterval ?? settings.PollInterval;
            settings.Timeout = options.UsageTimeout ?? settings.Timeout;
            return settings;
        }
    }
}
