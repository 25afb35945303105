namespace AmiShare.Engine.Principals
{
    /// <summary>Who a launch permission is for.</summary>
    public enum PrincipalType
    {
        /// <summary>A 12-digit AWS account id (wire item UserId).</summary>
        Account,

        /// <summary>Everyone (wire item Group=all).</summary>
        Public,

        /// <summary>An AWS Organizations organization ARN (wire item OrganizationArn).</summary>
        Organization,

        /// <summary>An organizational unit ARN (wire item OrganizationalUnitArn).</summary>
        OrganizationalUnit,
    }
}
