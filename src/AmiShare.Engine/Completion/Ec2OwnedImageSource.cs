using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.EC2;
using Amazon.EC2.Model;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Completion
{
    /// <summary>
    /// <see cref="IOwnedImageSource"/> over the SDK's EC2 client, built as <see cref="Ec2Gateway"/> builds
    /// its own (endpoint, retry mode, proxy), with the same call description and error mapping.
    /// </summary>
    internal sealed class Ec2OwnedImageSource : IOwnedImageSource
    {
        private readonly IAmazonEC2 _client;
        private readonly SdkCall _calls;

        public Ec2OwnedImageSource(AwsSession session, IShareReporter reporter)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            _client = Ec2Gateway.CreateClient(session);
            string region = session.Region;
            string endpoint = session.EndpointUrl;
            _calls = new SdkCall("EC2", region, endpoint, reporter, (e, operation, target) => AwsErrorMapper.Map(e, operation, target, region, endpoint));
        }

        /// <summary>DescribeImages page size (MaxResults, 1 to 1000 for EC2); tests lower it to exercise paging.</summary>
        internal int PageSize { get; set; } = 1000;

        public async Task<IReadOnlyList<ImageInfo>> ListOwnedImagesAsync(CancellationToken cancellationToken)
        {
            var result = new List<ImageInfo>();
            string next = null;
            do
            {
                var request = new DescribeImagesRequest
                {
                    Owners = new List<string> { "self" },
                    Filters = new List<Filter> { new Filter("state", new List<string> { "available", "pending" }) },
                    MaxResults = PageSize,
                    NextToken = next,
                };
                DescribeImagesResponse response = await _calls.InvokeAsync("DescribeImages", null, ct => _client.DescribeImagesAsync(request, ct), cancellationToken).ConfigureAwait(false);
                if (response.Images != null)
                {
                    foreach (Image image in response.Images)
                    {
                        result.Add(Ec2Gateway.ToInfo(image));
                    }
                }

                next = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
            }
            while (next != null);

            return result;
        }

        public void Dispose() => _client.Dispose();
    }
}
