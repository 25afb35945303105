using System;
using System.Collections.Generic;

namespace AmiShare.Engine.Access
{
    /// <summary>Through what an account can launch an AMI.</summary>
    public enum AccessPath
    {
        /// <summary>No access.</summary>
        None,
        /// <summary>The account owns the AMI.</summary>
        Owner,
        /// <summary>A launch permission for the account itself.</summary>
        Direct,
        /// <summary>A launch permission for an organization the account is in.</summary>
        Organization,
        /// <summary>A launch permission for an OU the account is in (at any depth).</summary>
        OrganizationalUnit,
        /// <summary>The public launch permission (group all).</summary>
        Public,
    }

    /// <summary>One way an account can launch an AMI.</summary>
    public sealed class AccessGrant
    {
        /// <summary>How this grant gives access.</summary>
        public AccessPath Via { get; set; }

        /// <summary>The launch permission that gives the access: account id, 'all', org ARN or OU ARN.</summary>
        public string Principal { get; set; }

        /// <summary>For OrganizationalUnit: the OU path, e.g. o-abc1234567/r-ab12/ou-ab12-11111111/ou-ab12-33333333/.</summary>
        public string OuPath { get; set; }
    }

    /// <summary>Whether one account can launch one AMI, and through what.</summary>
    public sealed class LaunchAccessResult
    {
        /// <summary>The AMI.</summary>
        public string ImageId { get; set; }

        /// <summary>The AMI's region.</summary>
        public string Region { get; set; }

        /// <summary>The account asked about.</summary>
        public string AccountId { get; set; }

        /// <summary>True when the account can launch the AMI.</summary>
        public bool CanLaunch => Grants.Count > 0;

        /// <summary>The most direct path (Owner &gt; Direct &gt; OrganizationalUnit &gt; Organization &gt; Public), or None.</summary>
        public AccessPath Via => Grants.Count > 0 ? Grants[0].Via : AccessPath.None;

        /// <summary>Every path, most direct first.</summary>
        public IReadOnlyList<AccessGrant> Grants { get; set; } = Array.Empty<AccessGrant>();

        /// <summary>Set when the account's Organizations membership could not be read (org/OU paths unknown).</summary>
        public string Caveat { get; set; }
    }
}
