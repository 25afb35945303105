namespace AmiShare.Engine.Access
{
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
}
