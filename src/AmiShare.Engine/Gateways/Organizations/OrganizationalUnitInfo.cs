namespace AmiShare.Engine.Gateways
{
    /// <summary>An organizational unit.</summary>
    public sealed class OrganizationalUnitInfo
    {
        /// <summary>Gets or sets the OU id (ou-…).</summary>
        public string Id { get; set; }

        /// <summary>Gets or sets the OU's ARN.</summary>
        public string Arn { get; set; }

        /// <summary>Gets or sets the OU's name.</summary>
        public string Name { get; set; }
    }
}
