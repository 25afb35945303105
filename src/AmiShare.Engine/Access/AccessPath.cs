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

}
