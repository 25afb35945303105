using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Kms
{
    /// <summary>Who is asking for key access, with what is known about their place in AWS Organizations.</summary>
    public sealed class KeyAccessSubject
    {
        /// <summary>The kind of principal (account, organization, OU).</summary>
        public PrincipalType Type { get; set; }

        /// <summary>The launch-permission value: account id, organization ARN or OU ARN.</summary>
        public string Principal { get; set; }

        /// <summary>For Account: the 12-digit id.</summary>
        public string AccountId { get; set; }

        /// <summary>The organization id (o-…): from the ARN for organizations and OUs; for accounts when Organizations told us; else null.</summary>
        public string OrganizationId { get; set; }

        /// <summary>For OrganizationalUnit: the OU id (ou-…).</summary>
        public string OrganizationalUnitId { get; set; }

        /// <summary>
        /// The aws:PrincipalOrgPaths value of the subject's members, e.g. "o-abc/r-ab12/ou-ab12-1/" (OU: accounts directly in it;
        /// account: its own path), or null when unknown.
        /// </summary>
        public string OrgPath { get; set; }

        /// <summary>The subject as it appears in a key policy statement or grant (account root ARN), for accounts.</summary>
        public static string RootArn(string partition, string accountId) => $"arn:{partition}:iam::{accountId}:root";

        /// <inheritdoc />
        public override string ToString() => Principal;
    }
}
