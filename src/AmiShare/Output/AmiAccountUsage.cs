using System.Globalization;
using AmiShare.Engine.Usage;

namespace AmiShare
{
    /// <summary>One account that still uses an AMI (Get-AmiShareReport -IncludeUsage): its instances and launch templates on it.</summary>
    public sealed class AmiAccountUsage
    {
        /// <summary>The account id.</summary>
        public string AccountId { get; private set; }

        /// <summary>How many of the account's instances (not terminated) were launched from the AMI.</summary>
        public long Instances { get; private set; }

        /// <summary>How many of the account's launch templates reference the AMI.</summary>
        public long LaunchTemplates { get; private set; }

        internal static AmiAccountUsage From(AccountUsage usage) => new AmiAccountUsage
        {
            AccountId = usage.AccountId,
            Instances = usage.Instances,
            LaunchTemplates = usage.LaunchTemplates,
        };

        /// <summary>"111122223333 (2 instances, 1 launch template)"; a count of zero is left out.</summary>
        public override string ToString()
        {
            string instances = Instances == 0 ? null : Count(Instances, "instance");
            string templates = LaunchTemplates == 0 ? null : Count(LaunchTemplates, "launch template");
            string both = instances != null && templates != null ? instances + ", " + templates : instances ?? templates ?? "no use";
            return AccountId + " (" + both + ")";
        }

        private static string Count(long n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? string.Empty : "s");
    }
}
