using AmiShare.Engine.Principals;

namespace AmiShare
{
    /// <summary>
    /// One launch permission of one AMI: who may launch it. Property names match the parameters of
    /// Revoke-AmiLaunchPermission, so rows pipe straight into it.
    /// </summary>
    public sealed class AmiLaunchPermission
    {
        /// <summary>Creates a row.</summary>
        public AmiLaunchPermission(string imageId, string region, string type, string principal)
        {
            ImageId = imageId;
            Region = region;
            Type = type;
            Principal = principal;
        }

        /// <summary>The AMI id.</summary>
        public string ImageId { get; }

        /// <summary>The region the AMI lives in.</summary>
        public string Region { get; }

        /// <summary>Account, Public, Organization or OrganizationalUnit.</summary>
        public string Type { get; }

        /// <summary>The account id, 'all', or the organization / OU ARN.</summary>
        public string Principal { get; }

        internal static AmiLaunchPermission From(string imageId, string region, Principal p)
            => new AmiLaunchPermission(imageId, region, p.Type.ToString(), p.Value);

        /// <inheritdoc />
        public override string ToString() => ImageId + " " + Principal;
    }
}
