using System;

namespace AmiShare.Engine.Pacing
{
    /// <summary>
    /// The bucket shape of each AWS action AmiShare calls: EC2's documented token buckets (per account, region and API)
    /// and the documented request quotas of KMS. Organizations and STS do not go through the paced call path
    /// (each is read once per run); their shapes are here for callers that want them.
    /// </summary>
    /// <remarks>
    /// EC2 — "Request throttling for the Amazon EC2 API" (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html;
    /// anchors.md §8.13), bucket maximum / refill per second:
    /// non-mutating Describe*/Get* 100/20; unfiltered and unpaginated DescribeInstances/DescribeSnapshots/DescribeVolumes/
    /// DescribeSpotInstanceRequests 50/10 (none of AmiShare's calls is: DescribeSnapshots always names ids, a filter or
    /// MaxResults); ModifyImageAttribute 100/5; ModifySnapshotAttribute 100/5; DeregisterImage 100/5; CopyImage 100/1;
    /// CreateTags/DeleteTags 100/10; Enable/DisableImageBlockPublicAccess 1/0.1; any other mutating action 50/5.
    ///
    /// KMS — "Request quotas" of the AWS KMS Developer Guide (https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html;
    /// table as of awsdocs/aws-kms-developer-guide doc_source/requests-per-second.md): DescribeKey 1000/s, GetKeyPolicy 1000/s,
    /// ListGrants 100/s, CreateGrant 50/s, RetireGrant/RevokeGrant 15/s, PutKeyPolicy 5/s; management operations not listed 5/s.
    /// KMS states rates per second with no burst, so a KMS bucket holds one second's worth.
    ///
    /// Organizations — the API reference names TooManyRequestsException but publishes no per-operation rate: 10/5 is a
    /// cautious choice (the service is global, throttled per account). STS — the IAM and STS quotas page publishes no
    /// GetCallerIdentity rate either: 50/10, the EC2-style cautious default.
    /// </remarks>
    public static class RateShapes
    {
        /// <summary>EC2 non-mutating (Describe*, Get*): 100 / 20.</summary>
        public static readonly RateShape Ec2NonMutating = new RateShape(100, 20);

        /// <summary>EC2 unfiltered and unpaginated describes (DescribeInstances, DescribeSnapshots, DescribeVolumes, DescribeSpotInstanceRequests): 50 / 10.</summary>
        public static readonly RateShape Ec2UnfilteredDescribe = new RateShape(50, 10);

        /// <summary>EC2 mutating actions without a bucket of their own: 50 / 5.</summary>
        public static readonly RateShape Ec2MutatingDefault = new RateShape(50, 5);

        /// <summary>The shape for <paramref name="action"/> of <paramref name="service"/> ("EC2", "KMS", "Organizations", "STS").</summary>
        /// <param name="service">The service, as SdkCall names it.</param>
        /// <param name="action">The API action, e.g. ModifyImageAttribute.</param>
        /// <param name="unfilteredDescribe">True for a describe sent without filter, ids or pagination (EC2's smaller bucket).</param>
        public static RateShape For(string service, string action, bool unfilteredDescribe = false)
        {
            action = action ?? string.Empty;
            switch ((service ?? string.Empty).ToUpperInvariant())
            {
                case "EC2":
                    return Ec2(action, unfilteredDescribe);
                case "KMS":
                    return Kms(action);
                case "ORGANIZATIONS":
                    return new RateShape(10, 5);
                case "STS":
                    return new RateShape(50, 10);
                default:
                    return Ec2MutatingDefault;
            }
        }

        private static RateShape Ec2(string action, bool unfilteredDescribe)
        {
            switch (action)
            {
                case "ModifyImageAttribute":
                case "ModifySnapshotAttribute":
                case "DeregisterImage":
                    return new RateShape(100, 5);
                case "CopyImage":
                    return new RateShape(100, 1);
                case "CreateTags":
                case "DeleteTags":
                    return new RateShape(100, 10);
                case "EnableImageBlockPublicAccess":
                case "DisableImageBlockPublicAccess":
                    return new RateShape(1, 0.1);
                case "DescribeInstances":
                case "DescribeSnapshots":
                case "DescribeVolumes":
                case "DescribeSpotInstanceRequests":
                    return unfilteredDescribe ? Ec2UnfilteredDescribe : Ec2NonMutating;
            }

            return action.StartsWith("Describe", StringComparison.Ordinal) || action.StartsWith("Get", StringComparison.Ordinal)
                ? Ec2NonMutating
                : Ec2MutatingDefault;
        }

        private static RateShape Kms(string action)
        {
            switch (action)
            {
                case "DescribeKey":
                case "GetKeyPolicy":
                case "GetKeyRotationStatus":
                    return new RateShape(1000, 1000);
                case "ListGrants":
                case "ListAliases":
                case "ListKeys":
                case "ListKeyPolicies":
                case "ListResourceTags":
                    return new RateShape(100, 100);
                case "CreateGrant":
                    return new RateShape(50, 50);
                case "RetireGrant":
                case "RevokeGrant":
                    return new RateShape(15, 15);
                default:
                    return new RateShape(5, 5);
            }
        }
    }
}
