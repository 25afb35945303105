namespace AmiShare.Engine.Gateways
{
    /// <summary>A parent of an account or OU (ListParents).</summary>
    public sealed class OrganizationParent
    {
        /// <summary>Gets or sets the parent's id (r-… for a root, ou-… for an OU).</summary>
        public string Id { get; set; }

        /// <summary>ROOT or ORGANIZATIONAL_UNIT.</summary>
        public string Type { get; set; }
    }
}
