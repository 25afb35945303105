using System;
using System.Collections.Generic;
using System.Linq;
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
            _calls = new SdkCall("EC2", region, endpoint, reporter, (e, operation, target) => AwsErrorMapper.Map(e, operation, target, region, endpoint), null, AmiShare.Engine.Pacing.RateLimitKey.AccountKeyOf(session.Credentials));
        }

        /// <summary>DescribeImages page size (MaxResults, 1 to 1000 for EC2); tests lower it to exercise paging.</summary>
        internal int PageSize { get; set; } = 1000;

        public async Task<IReadOnlyList<ImageInfo>> ListOwnedImagesAsync(CancellationToken cancellationToken)
        {
            IReadOnlyList<Image> images = await Ec2Gateway.DescribeImagePagesAsync(
                _calls,
                _client,
                next => new DescribeImagesRequest
                {
                    Owners = new List<string> { "self" },
                    Filters = new List<Filter> { new Filter("state", new List<string> { "available", "pending" }) },
                    MaxResults = PageSize,
                    NextToken = next,
                },
                null,
                cancellationToken).ConfigureAwait(false);
            return images.Select(Ec2Wire.ToInfo).ToList();
        }

        public void Dispose() => _client.Dispose();
    }
}
