using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace AmiShare.Engine.Gateways
{
    /// <summary>The distribution calls (Publish-Ami): CopyImage, EBS encryption defaults, tags, deprecation.</summary>
    public sealed partial class Ec2Gateway : IEc2CopyGateway
    {
        /// <inheritdoc />
        public async Task<IReadOnlyList<ImageInfo>> FindOwnedImagesByTagAsync(string tagKey, string tagValue, CancellationToken cancellationToken)
        {
            IReadOnlyList<Image> images = await DescribeImagePagesAsync(
                _calls,
                _client,
                next => new DescribeImagesRequest
                {
                    Owners = new List<string> { "self" },
                    Filters = new List<Filter> { new Filter("tag:" + tagKey, new List<string> { tagValue }) },
                    IncludeDeprecated = true,
                    MaxResults = 1000,
                    NextToken = next,
                },
                $"Owner=self, tag:{tagKey}={tagValue}",
                cancellationToken).ConfigureAwait(false);
            return images.Select(Ec2Wire.ToInfo).ToList();
        }

        /// <inheritdoc />
        public async Task<string> CopyImageAsync(CopyImageSpec spec, CancellationToken cancellationToken)
        {
            if (spec == null)
            {
                throw new ArgumentNullException(nameof(spec));
            }

            var request = new CopyImageRequest
            {
                SourceRegion = spec.SourceRegion,
                SourceImageId = spec.SourceImageId,
                Name = spec.Name,
                Description = spec.Description,
                ClientToken = spec.ClientToken,
                CopyImageTags = spec.CopyImageTags,
            };
            if (spec.Encrypted)
            {
                request.Encrypted = true;
                request.KmsKeyId = spec.KmsKeyId;
            }

            if (spec.Tags != null && spec.Tags.Count > 0)
            {
                request.TagSpecifications = new List<TagSpecification>
                {
                    new TagSpecification { ResourceType = ResourceType.Image, Tags = ToTags(spec.Tags) },
                };
            }

            // The client token makes a resend after a lost answer return the same copy: no re-read is needed.
            CopyImageResponse response = await _calls.InvokeAsync("CopyImage", spec.SourceImageId, ct => _client.CopyImageAsync(request, ct), cancellationToken).ConfigureAwait(false);
            return response.ImageId;
        }

        /// <inheritdoc />
        public async Task<bool> GetEbsEncryptionByDefaultAsync(CancellationToken cancellationToken)
        {
            var request = new GetEbsEncryptionByDefaultRequest();
            GetEbsEncryptionByDefaultResponse response = await _calls.InvokeAsync("GetEbsEncryptionByDefault", null, ct => _client.GetEbsEncryptionByDefaultAsync(request, ct), cancellationToken).ConfigureAwait(false);
            return response.EbsEncryptionByDefault ?? false;
        }

        /// <inheritdoc />
        public async Task<string> GetEbsDefaultKmsKeyIdAsync(CancellationToken cancellationToken)
        {
            var request = new GetEbsDefaultKmsKeyIdRequest();
            GetEbsDefaultKmsKeyIdResponse response = await _calls.InvokeAsync("GetEbsDefaultKmsKeyId", null, ct => _client.GetEbsDefaultKmsKeyIdAsync(request, ct), cancellationToken).ConfigureAwait(false);
            return string.IsNullOrEmpty(response.KmsKeyId) ? "alias/aws/ebs" : response.KmsKeyId;
        }

        /// <inheritdoc />
        public async Task CreateTagsAsync(string imageId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
        {
            if (tags == null || tags.Count == 0)
            {
                throw new ArgumentException("CreateTagsAsync needs at least one tag.", nameof(tags));
            }

            var request = new CreateTagsRequest { Resources = new List<string> { imageId }, Tags = ToTags(tags) };

            // Setting a tag to the same value twice changes nothing: a resend after a lost answer is harmless.
            await _calls.InvokeAsync("CreateTags", imageId, ct => _client.CreateTagsAsync(request, ct), cancellationToken).ConfigureAwait(false);
        }

        /// <inheritdoc />
        public async Task EnableImageDeprecationAsync(string imageId, DateTime deprecateAt, CancellationToken cancellationToken)
        {
            var request = new EnableImageDeprecationRequest { ImageId = imageId, DeprecateAt = DateTime.SpecifyKind(deprecateAt, DateTimeKind.Utc) };
            string target = imageId + " at " + deprecateAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            await _calls.InvokeAsync("EnableImageDeprecation", target, ct => _client.EnableImageDeprecationAsync(request, ct), cancellationToken).ConfigureAwait(false);
        }

        private static List<Tag> ToTags(IReadOnlyDictionary<string, string> tags) =>
            tags.Select(t => new Tag(t.Key, t.Value ?? string.Empty)).ToList();
    }
}
