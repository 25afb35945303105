using System;
using System.Collections.Generic;
using AmiShare.Engine.Usage;

namespace AmiShare.Engine.Reports
{
    /// <summary>One owned AMI in a share report: who can launch it, whether that reaches outside the organization, its encryption.</summary>
    public sealed class ShareReportRow
    {
        /// <summary>The marker for a value that could not be read (Organizations or KMS unreadable).</summary>
        public const string Unknown = "unknown";

        /// <summary>Gets or sets the AMI id.</summary>
        public string ImageId { get; set; }

        /// <summary>Gets or sets the AMI's name.</summary>
        public string Name { get; set; }

        /// <summary>Gets or sets the region the AMI lives in.</summary>
        public string Region { get; set; }

        /// <summary>Gets or sets a value indicating whether the AMI is public (launch permission group all).</summary>
        public bool Public { get; set; }

        /// <summary>Gets or sets the account ids in the launch permissions.</summary>
        public IReadOnlyList<string> Accounts { get; set; } = Array.Empty<string>();

        /// <summary>Gets or sets the organization ARNs in the launch permissions.</summary>
        public IReadOnlyList<string> Organizations { get; set; } = Array.Empty<string>();

        /// <summary>Gets or sets the OU ARNs in the launch permissions.</summary>
        public IReadOnlyList<string> OrganizationalUnits { get; set; } = Array.Empty<string>();

        /// <summary>Gets or sets the accounts outside the caller's organization; null when Organizations could not be read.</summary>
        public IReadOnlyList<string> External { get; set; }

        /// <summary>Gets or sets a value indicating whether <see cref="External"/> is known.</summary>
        public bool ExternalKnown { get; set; }

        /// <summary>Gets or sets a value indicating whether any snapshot behind the AMI is encrypted.</summary>
        public bool Encrypted { get; set; }

        /// <summary>Gets or sets "CMK", "aws/ebs", both ('; '-joined), <see cref="Unknown"/>, or null when not encrypted.</summary>
        public string KeyManager { get; set; }

        /// <summary>Gets or sets the deprecation time as EC2 reports it, or null.</summary>
        public string DeprecationTime { get; set; }

        /// <summary>Gets or sets the last launch time as EC2 reports it (owner only), or null.</summary>
        public string LastLaunchedTime { get; set; }

        /// <summary>Gets or sets the tags consumers see (keys starting ec2:SharedTag/).</summary>
        public IReadOnlyDictionary<string, string> SharedTags { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>
        /// Gets or sets the accounts that still use the AMI (instances, launch templates) from its image usage report, by account id;
        /// null when usage was not read.
        /// </summary>
        public IReadOnlyList<AccountUsage> Usage { get; set; }
    }
}
