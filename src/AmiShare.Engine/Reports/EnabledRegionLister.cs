using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.EC2;
using Amazon.EC2.Model;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Reports
{
    /// <summary>
    /// The regions enabled for the caller's account (EC2 DescribeRegions, one call, in the session's region): regions that
    /// need no opt-in and regions opted in; a region not opted in is left out. Built as <see cref="Ec2Gateway"/> builds its
    /// client (endpoint, retry mode, proxy), with the same call description and error mapping.
    /// </summary>
    public static class EnabledRegionLister
    {
        /// <summary>The enabled region names, sorted.</summary>
        public static async Task<IReadOnlyList<string>> ListAsync(AwsSession session, IShareReporter reporter, CancellationToken cancellationToken)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            string region = session.Region;
            string endpoint = session.EndpointUrl;
            var calls = new SdkCall("EC2", region, endpoint, reporter ?? NullShareReporter.Instance, (e, operation, target) => AwsErrorMapper.Map(e, operation, target, region, endpoint), null, AmiShare.Engine.Pacing.RateLimitKey.AccountKeyOf(session.Credentials));
            using (IAmazonEC2 client = Ec2Gateway.CreateClient(session))
            {
                var request = new DescribeRegionsRequest { AllRegions = false };
                DescribeRegionsResponse response = await calls.InvokeAsync("DescribeRegions", null, ct => client.DescribeRegionsAsync(request, ct), cancellationToken).ConfigureAwait(false);
                return (response.Regions ?? new List<Region>())
                    .Where(r => !string.IsNullOrEmpty(r.RegionName) && !string.Equals(r.OptInStatus, "not-opted-in", StringComparison.Ordinal))
                    .Select(r => r.RegionName)
                    .Distinct(StringComparer.Ordinal)
                    .OrderBy(r => r, StringComparer.Ordinal)
                    .ToList();
            }
        }
    }
}
