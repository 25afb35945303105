namespace AmiShare.Engine.Gateways
{
    /// <summary>One image usage report as DescribeImageUsageReports answers it: its id, AMI and state.</summary>
    public sealed class ImageUsageReportStatus
    {
        /// <summary>The state of a report whose entries can be read.</summary>
        public const string Available = "available";

        /// <summary>The state of a report still being created.</summary>
        public const string Pending = "pending";

        /// <summary>The state of a report EC2 could not create (see <see cref="StateReason"/>).</summary>
        public const string Error = "error";

        /// <summary>Gets or sets the report id (amiur-…).</summary>
        public string ReportId { get; set; }

        /// <summary>Gets or sets the AMI the report is on.</summary>
        public string ImageId { get; set; }

        /// <summary>Gets or sets the state: <see cref="Pending"/>, <see cref="Available"/> or <see cref="Error"/>.</summary>
        public string State { get; set; }

        /// <summary>Gets or sets EC2's reason when <see cref="State"/> is <see cref="Error"/>, or null.</summary>
        public string StateReason { get; set; }

        /// <summary>Gets or sets when EC2 created the report (UTC), or null when not said.</summary>
        public System.DateTime? CreationTime { get; set; }

        /// <summary>Gets or sets the resource types the report counts (<see cref="ImageUsageResourceTypes"/>); empty when not said.</summary>
        public System.Collections.Generic.IReadOnlyList<string> ResourceTypes { get; set; } = System.Array.Empty<string>();

        /// <summary>Gets or sets the accounts the report was asked about; empty: every account the AMI is shared with.</summary>
        public System.Collections.Generic.IReadOnlyList<string> AccountIds { get; set; } = System.Array.Empty<string>();
    }
}
