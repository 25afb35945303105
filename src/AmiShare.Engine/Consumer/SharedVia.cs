namespace AmiShare.Engine.Consumer
{
    /// <summary>The values of <see cref="SharedImage.Via"/>.</summary>
    public static class SharedVia
    {
        /// <summary>
        /// Shared with the caller's account, or with its organization or an OU it is in. EC2 does not tell a consumer which:
        /// DescribeImages ExecutableBy=self and ExecutableBy=&lt;own account id&gt; both return org and OU shares too, and a
        /// member account cannot read the AMI's launch permissions.
        /// </summary>
        public const string DirectOrOrganization = "DirectOrOrganization";

        /// <summary>Public (ExecutableBy=all) and not shared with the caller in any other way.</summary>
        public const string Public = "Public";
    }
}
