using System;
using System.Collections.Generic;

namespace AmiShare.Engine.Access
{
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
