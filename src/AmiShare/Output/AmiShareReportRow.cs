using System;
using System.Linq;
using AmiShare.Engine.Reports;

namespace AmiShare
{
    /// <summary>
    /// One owned AMI in Get-AmiShareReport: who can launch it, who of them is outside the organization, its encryption.
    /// List properties are <see cref="PrincipalList"/>s: arrays in scripts and ConvertTo-Json, "a, b" in Export-Csv.
    /// </summary>
    public sealed class AmiShareReportRow
    {
        /// <summary>The marker in <see cref="External"/> and <see cref="KeyManager"/> when the value could not be read.</summary>
        public const string Unknown = ShareReportRow.Unknown;

        /// <summary>The AMI id.</summary>
        public string ImageId { get; private set; }

        /// <summary>The AMI's name.</summary>
        public string Name { get; private set; }

        /// <summary>The region the AMI lives in.</summary>
        public string Region { get; private set; }

        /// <summary>True when anyone can launch the AMI.</summary>
        public bool Public { get; private set; }

        /// <summary>The account ids the AMI is shared with.</summary>
        public PrincipalList Accounts { get; private set; }

        /// <summary>The organization ARNs the AMI is shared with.</summary>
        public PrincipalList Organizations { get; private set; }

        /// <summary>The OU ARNs the AMI is shared with.</summary>
        public PrincipalList OrganizationalUnits { get; private set; }

        /// <summary>The shared accounts outside the caller's organization; the single item 'unknown' when Organizations could not be read.</summary>
        public PrincipalList External { get; private set; }

        /// <summary>False when Organizations could not be read (External is then 'unknown').</summary>
        public bool ExternalKnown { get; private set; }

        /// <summary>True when a snapshot behind the AMI is encrypted.</summary>
        public bool Encrypted { get; private set; }

        /// <summary>CMK (a customer managed key), aws/ebs (the AWS managed key), both, 'unknown', or empty when not encrypted.</summary>
        public string KeyManager { get; private set; }

        /// <summary>When the AMI is (or was) deprecated (UTC); null when never.</summary>
        public DateTime? DeprecationTime { get; private set; }

        /// <summary>When an instance was last launched from the AMI (UTC), as EC2 reports it to the owner; null when never.</summary>
        public DateTime? LastLaunchedTime { get; private set; }

        /// <summary>The tags consumers see (ec2:SharedTag/ keys), as key=value.</summary>
        public PrincipalList SharedTags { get; private set; }

        /// <summary>
        /// With -IncludeUsage: the accounts that still use the AMI, with their instance and launch template counts (empty when none
        /// does); null without -IncludeUsage. Export-Csv writes "111122223333 (2 instances, 1 launch template); …".
        /// </summary>
        public AmiUsageList Usage { get; private set; }

        /// <summary>With -IncludeUsage: the ids of the accounts in <see cref="Usage"/>; null without -IncludeUsage.</summary>
        public PrincipalList UsedBy { get; private set; }

        internal static AmiShareReportRow From(ShareReportRow row) => new AmiShareReportRow
        {
            ImageId = row.ImageId,
            Name = row.Name,
            Region = row.Region,
            Public = row.Public,
            Accounts = new PrincipalList(row.Accounts.ToList()),
            Organizations = new PrincipalList(row.Organizations.ToList()),
            OrganizationalUnits = new PrincipalList(row.OrganizationalUnits.ToList()),
            External = new PrincipalList(row.ExternalKnown ? row.External.ToList() : new System.Collections.Generic.List<string> { Unknown }),
            ExternalKnown = row.ExternalKnown,
            Encrypted = row.Encrypted,
            KeyManager = row.KeyManager,
            DeprecationTime = Ec2Time.Parse(row.DeprecationTime),
            LastLaunchedTime = Ec2Time.Parse(row.LastLaunchedTime),
            SharedTags = new PrincipalList(row.SharedTags.Select(t => t.Key + "=" + t.Value).ToList()),
            Usage = row.Usage == null ? null : new AmiUsageList(row.Usage.Select(AmiAccountUsage.From).ToList()),
            UsedBy = row.Usage == null ? null : new PrincipalList(row.Usage.Select(u => u.AccountId).ToList()),
        };

        /// <inheritdoc />
        public override string ToString() => ImageId;
    }
}
