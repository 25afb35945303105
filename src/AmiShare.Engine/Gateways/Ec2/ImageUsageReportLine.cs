namespace AmiShare.Engine.Gateways
{
    /// <summary>One entry of an image usage report: how many resources of one type in one account reference the AMI.</summary>
    public sealed class ImageUsageReportLine
    {
        /// <summary>Gets or sets the report id.</summary>
        public string ReportId { get; set; }

        /// <summary>Gets or sets the AMI.</summary>
        public string ImageId { get; set; }

        /// <summary>Gets or sets the account that uses the AMI.</summary>
        public string AccountId { get; set; }

        /// <summary>Gets or sets the resource type (<see cref="ImageUsageResourceTypes.Instance"/> or <see cref="ImageUsageResourceTypes.LaunchTemplate"/>).</summary>
        public string ResourceType { get; set; }

        /// <summary>Gets or sets how many resources of that type in that account reference the AMI.</summary>
        public long UsageCount { get; set; }
    }
}
