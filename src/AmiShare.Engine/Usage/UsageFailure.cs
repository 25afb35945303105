using System.Collections.Generic;
using System.Linq;

namespace AmiShare.Engine.Usage
{
    /// <summary>
    /// Says a failed usage read (AccessDenied on CreateImageUsageReport, a server error, UsageReportTimedOut …) about the AMIs whose
    /// usage was asked for, not only the amiur- report ids EC2 names: same error id and kind, the AMIs in the message and as the
    /// target, and for AccessDenied the three IAM permissions the reports need.
    /// </summary>
    public static class UsageFailure
    {
        /// <summary>The IAM actions image usage reports need.</summary>
        public const string Permissions = "ec2:CreateImageUsageReport, ec2:DescribeImageUsageReports and ec2:DescribeImageUsageReportEntries";

        /// <summary>
        /// <paramref name="error"/> restated for the usage of <paramref name="imageIds"/> in <paramref name="region"/>;
        /// <paramref name="what"/> says what happened meanwhile (e.g. "the rows are written without Usage").
        /// </summary>
        public static AmiShareException ForImages(AmiShareException error, IReadOnlyList<string> imageIds, string region, string what)
        {
            List<string> images = (imageIds ?? new List<string>()).Distinct().OrderBy(i => i, System.StringComparer.Ordinal).ToList();
            string names = images.Count <= 10 ? string.Join(", ", images) : string.Join(", ", images.Take(10)) + $" and {images.Count - 10} more";
            string remedy = error.ErrorId == ErrorIds.AccessDenied
                ? $"Allow {Permissions} to the identity AmiShare runs as (an IAM policy on the user or role), then run the command again."
                : error.Remedy;
            var restated = new AmiShareException(
                error.ErrorId,
                error.Kind,
                $"The usage of {Words.Amis(images.Count)} in region '{region}' could not be read ({what}): {names}. {error.Reason.TrimEnd()}",
                string.Join(",", images),
                remedy,
                error);
            restated.AwsErrorCode = error.AwsErrorCode;
            restated.AwsRequestId = error.AwsRequestId;
            return restated;
        }
    }
}
