namespace AmiShare.Engine.Usage
{
    /// <summary>One account that still uses an AMI: how many of its instances and launch templates reference it.</summary>
    public sealed class AccountUsage
    {
        /// <summary>Creates an account's usage.</summary>
        public AccountUsage(string accountId, long instances, long launchTemplates)
        {
            AccountId = accountId;
            Instances = instances;
            LaunchTemplates = launchTemplates;
        }

        /// <summary>Gets the account id.</summary>
        public string AccountId { get; }

        /// <summary>Gets how many of the account's instances (not terminated) were launched from the AMI.</summary>
        public long Instances { get; }

        /// <summary>Gets how many of the account's launch templates reference the AMI (a template counts once whatever its versions).</summary>
        public long LaunchTemplates { get; }
    }
}
