namespace AmiShare.Engine.Gateways
{
    /// <summary>Limits of the EC2 API the engine plans around.</summary>
    public static class Ec2Limits
    {
        /// <summary>ModifySnapshotAttribute takes at most 500 modifications per call (anchors.md §8.5).</summary>
        public const int MaxSnapshotPermissionChangesPerCall = 500;

        /// <summary>
        /// EC2 takes at most 200 values per filter in one call ("FilterLimitExceeded: The maximum number of filter values
        /// specified on a single call is 200", as seen by gjbae1212/gossm#47 and apache/druid#1954): the size of a batched
        /// DescribeImages.
        /// </summary>
        public const int MaxFilterValuesPerCall = 200;

        /// <summary>CreateImageUsageReport takes at most 200 account ids (AccountId.N, "Maximum number of 200 items" in the API reference).</summary>
        public const int MaxUsageReportAccountIds = 200;

        /// <summary>DescribeImageUsageReports and DescribeImageUsageReportEntries take at most 200 report ids (ReportId.N, "Maximum number of 200 items").</summary>
        public const int MaxUsageReportIdsPerCall = 200;
    }
}
