using System.Linq;
using AmiShare.Engine.Access;

namespace AmiShare
{
    /// <summary>Whether one account can launch one AMI, and through what (Test-AmiLaunchAccess).</summary>
    public sealed class AmiLaunchAccess
    {
        /// <summary>The AMI id.</summary>
        public string ImageId { get; private set; }

        /// <summary>The region the AMI lives in.</summary>
        public string Region { get; private set; }

        /// <summary>The account asked about.</summary>
        public string AccountId { get; private set; }

        /// <summary>True when the account can launch the AMI.</summary>
        public bool CanLaunch { get; private set; }

        /// <summary>The most direct path: Owner, Direct, OrganizationalUnit, Organization, Public or None.</summary>
        public string Via { get; private set; }

        /// <summary>The launch permission that gives the access (account id, 'all', organization or OU ARN).</summary>
        public string Principal { get; private set; }

        /// <summary>For OrganizationalUnit: the OU path (o-…/r-…/ou-…/).</summary>
        public string OuPath { get; private set; }

        /// <summary>Every path, most direct first, as "Via:Principal".</summary>
        public PrincipalList AllPaths { get; private set; }

        /// <summary>Set when membership could not be checked (Organizations not readable with these credentials).</summary>
        public string Caveat { get; private set; }

        internal static AmiLaunchAccess From(LaunchAccessResult r)
        {
            AccessGrant first = r.Grants.FirstOrDefault();
            return new AmiLaunchAccess
            {
                ImageId = r.ImageId,
                Region = r.Region,
                AccountId = r.AccountId,
                CanLaunch = r.CanLaunch,
                Via = r.Via.ToString(),
                Principal = first?.Principal,
                OuPath = first?.OuPath,
                AllPaths = new PrincipalList(r.Grants.Select(g => g.Via + ":" + g.Principal).ToList()),
                Caveat = r.Caveat,
            };
        }

        /// <inheritdoc />
        public override string ToString() => $"{ImageId} {AccountId} {Via}";
    }
}
