namespace AmiShare.Engine.Gateways
{
    /// <summary>An AWS Organizations organization.</summary>
    public sealed class OrganizationInfo
    {
        /// <summary>Gets or sets the organization id (o-…).</summary>
        public string Id { get; set; }

        /// <summary>Gets or sets the organization's ARN.</summary>
        public string Arn { get; set; }

        /// <summary>Gets or sets the 12-digit id of the organization's management account.</summary>
        public string ManagementAccountId { get; set; }
    }
}
