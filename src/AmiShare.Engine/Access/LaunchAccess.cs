using System.Collections.Generic;

namespace AmiShare.Engine.Access
{
    /// <summary>Through what an account can launch an AMI.</summary>
    public enum AccessPath
    {
        None,
        Owner,
        Direct,
        Organization,
        OrganizationalUnit,
        Public,
    }

    /// <summary>One way an account can launch an AMI.</summary>
    public sealed class AccessGrant
    {
        public AccessPath Via { get; set; }

        /// <summary>The launch permission that gives the access: account id, 'all', org ARN or OU ARN.</summary>
        public string Principal { get; set; }

        /// <summary>For OrganizationalUnit: the OU path, e.g. o-abc1234567/r-ab12/ou-ab12-11111111/ou-ab12-33333333/.</summary>
        public string OuPath { get; set; }
    }

    /// <summary>Whether one account can launch one AMI, and through what.</summary>
    public sealed class LaunchAccessResult
    {
        public string ImageId { get; set; }

        public string Region { get; set; }

        public string AccountId { get; set; }

        public bool CanLaunch => Grants.Count > 0;

        /// <summary>The most direct path (Owner &gt; Direct &gt; OrganizationalUnit &gt; Organization &gt; Public), or None.</summary>
        public AccessPath Via => Grants.Count > 0 ? Grants[0].Via : AccessPath.None;

        /// <summary>Every path, most direct first.</summary>
        public IReadOnlyList<AccessGrant> Grants { get; set; } = new AccessGrant[0];

        /// <summary>Set when the account's Organizations membership could not be read (org/OU paths unknown).</summary>
        public string Caveat { get; set; }
    }
}
