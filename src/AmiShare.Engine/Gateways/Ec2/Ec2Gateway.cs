using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Gateways
{
    /// <summary><see cref="IEc2Gateway"/> over the SDK's AmazonEC2Client.</summary>
    public sealed partial class Ec2Gateway : IEc2Gateway
    {
        private readonly IAmazonEC2 _client;
        private readonly SdkCall _calls;

        /// <summary>An EC2 client for <paramref name="session"/> (region, endpoint, credentials, proxy) that reports each call to <paramref name="reporter"/>.</summary>
        public Ec2Gateway(AwsSession session, IShareReporter reporter)
            : this(CreateClient(session), session.Region, session.EndpointUrl, reporter, AmiShare.Engine.Pacing.RateLimitKey.AccountKeyOf(session.Credentials))
        {
        }

        /// <param name="client">The SDK client.</param>
        /// <param name="region">The region it calls.</param>
        /// <param name="endpoint">The endpoint override, or null.</param>
        /// <param name="reporter">Where verbose and debug lines go.</param>
        /// <param name="accountKey">Whose client-side buckets the calls draw from (null: unknown account).</param>
        /// <param name="pacing">The buckets (null: the process-wide ones of AMISHARE_RATE_LIMITS).</param>
        internal Ec2Gateway(IAmazonEC2 client, string region, string endpoint, IShareReporter reporter, string accountKey = null, AmiShare.Engine.Pacing.RateLimiterRegistry pacing = null)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            Region = region;
            _calls = new SdkCall("EC2", region, endpoint, reporter, (e, operation, target) => AwsErrorMapper.Map(e, operation, target, region, endpoint), null, accountKey, pacing);
        }

        /// <summary>The client-side buckets (tests give a gateway its own).</summary>
        internal AmiShare.Engine.Pacing.RateLimiterRegistry Pacing
        {
            get => _calls.Pacing;
            set => _calls.Pacing = value;
        }

        /// <inheritdoc />
        public string Region { get; }

        /// <summary>The retry policy's knobs (from the environment unless a test sets them).</summary>
        internal RetrySettings RetrySettings
        {
            get => _calls.Settings;
            set => _calls.Settings = value;
        }

        /// <summary>Builds the client: with an endpoint, ServiceURL + AuthenticationRegion (wire-spec.md §7); else the region endpoint.</summary>
        internal static IAmazonEC2 CreateClient(AwsSession session)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            var config = new AmazonEC2Config();
            ClientSettings.Apply(config, session);
            SdkCall.UseOwnRetries(config);
            return new AmazonEC2Client(session.Credentials, config);
        }

        /// <inheritdoc />
        public async Task<ImageInfo> DescribeImageAsync(string imageId, CancellationToken cancellationToken)
        {
            var request = new DescribeImagesRequest { ImageIds = new List<string> { imageId } };
            DescribeImagesResponse response = await Call("DescribeImages", imageId, ct => _client.DescribeImagesAsync(request, ct), cancellationToken).ConfigureAwait(false);
            if (response.Images == null || response.Images.Count == 0)
            {
                throw new AmiShareException(
                    ErrorIds.AmiNotFound,
                    AmiShareErrorKind.ObjectNotFound,
                    $"AMI {imageId} was not found in region '{Region}'.",
                    imageId,
                    "Check the image id and the region (-Region): an AMI exists in one region only, and a private AMI of another account is invisible to you.");
            }

            return Ec2Wire.ToInfo(response.Images[0]);
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<ImageInfo>> DescribeImagesAsync(IReadOnlyList<string> imageIds, CancellationToken cancellationToken)
        {
            if (imageIds == null || imageIds.Count == 0)
            {
                return new List<ImageInfo>();
            }

            if (imageIds.Count > Ec2Limits.MaxFilterValuesPerCall)
            {
                throw new ArgumentException($"DescribeImagesAsync takes at most {Ec2Limits.MaxFilterValuesPerCall} image ids per call (EC2's filter limit); split the list.", nameof(imageIds));
            }

            // A filter, not ImageIds: with ImageIds one unknown id fails the whole call (InvalidAMIID.NotFound). With ids
            // named, EC2 includes deprecated and disabled images; a filter needs IncludeDeprecated/IncludeDisabled for that.
            var ids = new List<string>(imageIds);
            IReadOnlyList<Image> images = await DescribeImagePagesAsync(
                _calls,
                _client,
                next => new DescribeImagesRequest
                {
                    Filters = new List<Filter> { new Filter("image-id", ids) },
                    IncludeDeprecated = true,
                    IncludeDisabled = true,
                    MaxResults = 1000,
                    NextToken = next,
                },
                ids.Count <= 3 ? string.Join(", ", ids) : string.Join(", ", ids.Take(3)) + $" and {ids.Count - 3} more AMIs",
                cancellationToken).ConfigureAwait(false);
            return images.Select(Ec2Wire.ToInfo).ToList();
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<Principal>> GetLaunchPermissionsAsync(string imageId, CancellationToken cancellationToken)
        {
            var request = new DescribeImageAttributeRequest { ImageId = imageId, Attribute = ImageAttributeName.LaunchPermission };
            DescribeImageAttributeResponse response = await Call("DescribeImageAttribute", imageId, ct => _client.DescribeImageAttributeAsync(request, ct), cancellationToken).ConfigureAwait(false);
            var result = new List<Principal>();
            var seen = new HashSet<Principal>();
            List<LaunchPermission> items = response.ImageAttribute?.LaunchPermissions;
            if (items != null)
            {
                foreach (LaunchPermission item in items)
                {
                    Principal p = Ec2Wire.FromWire(item);
                    if (p != null && seen.Add(p))
                    {
                        result.Add(p);
                    }
                }
            }

            return result;
        }

        /// <inheritdoc />
        public async Task ModifyLaunchPermissionsAsync(string imageId, IReadOnlyList<Principal> add, IReadOnlyList<Principal> remove, CancellationToken cancellationToken)
        {
            var modifications = new LaunchPermissionModifications();
            if (add != null && add.Count > 0)
            {
                modifications.Add = Ec2Wire.ToWire(add);
            }

            if (remove != null && remove.Count > 0)
            {
                modifications.Remove = Ec2Wire.ToWire(remove);
            }

            if (modifications.Add == null && modifications.Remove == null)
            {
                throw new ArgumentException("ModifyLaunchPermissionsAsync needs at least one principal to add or remove.");
            }

            // The LaunchPermission.Add/Remove form: every add and remove in one request, never the flat UserId.N form.
            var request = new ModifyImageAttributeRequest { ImageId = imageId, LaunchPermission = modifications };

            // After a lost answer the launch permissions are re-read: every add present and every remove absent means it was applied.
            await _calls.InvokeWriteAsync(
                "ModifyImageAttribute",
                imageId,
                ct => _client.ModifyImageAttributeAsync(request, ct),
                async ct =>
                {
                    var now = new HashSet<Principal>(await GetLaunchPermissionsAsync(imageId, ct).ConfigureAwait(false));
                    foreach (Principal p in add ?? Array.Empty<Principal>())
                    {
                        if (!now.Contains(p))
                        {
                            return false;
                        }
                    }

                    foreach (Principal p in remove ?? Array.Empty<Principal>())
                    {
                        if (now.Contains(p))
                        {
                            return false;
                        }
                    }

                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }

        /// <inheritdoc />
        public async Task ResetLaunchPermissionsAsync(string imageId, CancellationToken cancellationToken)
        {
            var request = new ResetImageAttributeRequest { ImageId = imageId, Attribute = ResetImageAttributeName.LaunchPermission };
            await _calls.InvokeWriteAsync(
                "ResetImageAttribute",
                imageId,
                ct => _client.ResetImageAttributeAsync(request, ct),
                async ct => (await GetLaunchPermissionsAsync(imageId, ct).ConfigureAwait(false)).Count == 0,
                cancellationToken).ConfigureAwait(false);
        }

        /// <inheritdoc />
        public async Task<string> GetImageBlockPublicAccessStateAsync(CancellationToken cancellationToken)
        {
            var request = new GetImageBlockPublicAccessStateRequest();
            GetImageBlockPublicAccessStateResponse response = await Call("GetImageBlockPublicAccessState", null, ct => _client.GetImageBlockPublicAccessStateAsync(request, ct), cancellationToken).ConfigureAwait(false);
            return string.IsNullOrEmpty(response.ImageBlockPublicAccessState) ? "unblocked" : response.ImageBlockPublicAccessState;
        }

        /// <inheritdoc />
        public async Task<int> CountOwnedPublicImagesAsync(CancellationToken cancellationToken)
        {
            IReadOnlyList<Image> images = await DescribeImagePagesAsync(
                _calls,
                _client,
                next => new DescribeImagesRequest
                {
                    Owners = new List<string> { "self" },
                    Filters = new List<Filter> { new Filter("is-public", new List<string> { "true" }) },
                    MaxResults = 1000,
                    NextToken = next,
                },
                null,
                cancellationToken).ConfigureAwait(false);
            return images.Count;
        }

        /// <inheritdoc />
        public async Task<ImageBlockPublicAccessInfo> GetImageBlockPublicAccessAsync(CancellationToken cancellationToken)
        {
            var request = new GetImageBlockPublicAccessStateRequest();
            GetImageBlockPublicAccessStateResponse response = await Call("GetImageBlockPublicAccessState", null, ct => _client.GetImageBlockPublicAccessStateAsync(request, ct), cancellationToken).ConfigureAwait(false);
            return new ImageBlockPublicAccessInfo
            {
                State = string.IsNullOrEmpty(response.ImageBlockPublicAccessState) ? "unblocked" : response.ImageBlockPublicAccessState,
                ManagedBy = string.IsNullOrEmpty(response.ManagedBy?.Value) ? null : response.ManagedBy.Value,
            };
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<ImageInfo>> DescribeOwnedImagesAsync(CancellationToken cancellationToken)
        {
            IReadOnlyList<Image> images = await DescribeImagePagesAsync(
                _calls,
                _client,
                next => new DescribeImagesRequest { Owners = new List<string> { "self" }, MaxResults = 1000, NextToken = next },
                "Owner=self",
                cancellationToken).ConfigureAwait(false);
            return images.Select(Ec2Wire.ToInfo).ToList();
        }

        /// <summary>Every page of a DescribeImages request (built for each page's token); also used by -ImageId completion.</summary>
        internal static async Task<IReadOnlyList<Image>> DescribeImagePagesAsync(SdkCall calls, IAmazonEC2 client, Func<string, DescribeImagesRequest> page, string target, CancellationToken cancellationToken)
        {
            var result = new List<Image>();
            string next = null;
            do
            {
                DescribeImagesRequest request = page(next);
                DescribeImagesResponse response = await calls.InvokeAsync("DescribeImages", target, ct => client.DescribeImagesAsync(request, ct), cancellationToken).ConfigureAwait(false);
                if (response.Images != null)
                {
                    result.AddRange(response.Images);
                }

                next = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
            }
            while (next != null);

            return result;
        }

        /// <summary>Disposes the SDK client.</summary>
        public void Dispose() => _client.Dispose();

        private Task<T> Call<T>(string operation, string target, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
            where T : AmazonWebServiceResponse
            => _calls.InvokeAsync(operation, target, call, cancellationToken);
    }
}
