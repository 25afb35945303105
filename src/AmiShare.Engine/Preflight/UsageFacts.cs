using System;
using System.Collections.Generic;

namespace AmiShare.Engine.Preflight
{
    /// <summary>What a plan's change does to one account's launch access on the AMI.</summary>
    internal enum AccessChange
    {
        /// <summary>It can launch the AMI before the change and cannot after it.</summary>
        Loses,

        /// <summary>It can launch the AMI after the change too (its own permission, an organization or OU that holds it, or 'all').</summary>
        Keeps,

        /// <summary>It keeps no permission of its own, and whether an organization or OU that stays holds it could not be read.</summary>
        MayLose,

        /// <summary>It could not launch the AMI before the change either (its usage does not come from what the change removes).</summary>
        HadNone,
    }

    /// <summary>One account the usage report counted: its instances and launch templates on the AMI, and what the change does to its access.</summary>
    internal sealed class AccountUsageFact
    {
        public string AccountId { get; set; }

        /// <summary>Instances of the account that use the AMI (terminated ones are not counted by EC2).</summary>
        public long Instances { get; set; }

        /// <summary>Launch templates of the account that reference the AMI.</summary>
        public long LaunchTemplates { get; set; }

        public AccessChange Access { get; set; }

        /// <summary>For <see cref="AccessChange.Keeps"/>: through what ("OU ou-… (path …)"); for <see cref="AccessChange.MayLose"/>: why it is not known.</summary>
        public string Detail { get; set; }

        public bool InUse => Instances + LaunchTemplates > 0;
    }

    /// <summary>Which accounts one AMI's usage report asks about: the ones named, or (null) every account the AMI is shared with.</summary>
    internal sealed class UsageQuery
    {
        /// <summary>The accounts to name in the report, or null for every account the AMI is shared with.</summary>
        public IReadOnlyList<string> AccountIds { get; set; }

        /// <summary>What the change removes, for the verbose line ("111122223333, OU …").</summary>
        public string Removes { get; set; }
    }

    /// <summary>The facts of -CheckUsage for one AMI: the usage report's accounts (filled by the usage check, read only by <see cref="UsageRules"/>).</summary>
    internal sealed class UsageFacts
    {
        public string ImageId { get; set; }

        public string Region { get; set; }

        public IReadOnlyList<AccountUsageFact> Accounts { get; set; } = Array.Empty<AccountUsageFact>();
    }
}
