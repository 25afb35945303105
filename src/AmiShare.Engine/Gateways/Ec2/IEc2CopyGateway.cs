using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// The EC2 calls of distribution (Publish-Ami) in one region: copy, the account's EBS encryption defaults, finding
    /// earlier copies by tag, tags and deprecation. Same rules as <see cref="IEc2Gateway"/>: one API call (or one
    /// paginated series) per method, one verbose line per call, EC2 errors mapped to <see cref="AmiShareException"/>.
    /// </summary>
    public interface IEc2CopyGateway : IDisposable
    {
        /// <summary>The region this gateway calls (the copies' destination).</summary>
        string Region { get; }

        /// <summary>DescribeImages by id (an image-id filter, with deprecated and disabled images); unknown ids are absent.</summary>
        Task<IReadOnlyList<ImageInfo>> DescribeImagesAsync(IReadOnlyList<string> imageIds, CancellationToken cancellationToken);

        /// <summary>DescribeImages Owner=self with the filter tag:<paramref name="tagKey"/>=<paramref name="tagValue"/> (one paginated series).</summary>
        Task<IReadOnlyList<ImageInfo>> FindOwnedImagesByTagAsync(string tagKey, string tagValue, CancellationToken cancellationToken);

        /// <summary>CopyImage in this region; returns the new (or, for a repeated client token, the earlier) AMI id.</summary>
        Task<string> CopyImageAsync(CopyImageSpec spec, CancellationToken cancellationToken);

        /// <summary>GetEbsEncryptionByDefault: true when new volumes and copies in this region are encrypted whatever the request says.</summary>
        Task<bool> GetEbsEncryptionByDefaultAsync(CancellationToken cancellationToken);

        /// <summary>GetEbsDefaultKmsKeyId: the key EBS encrypts with when none is named (the alias alias/aws/ebs unless changed).</summary>
        Task<string> GetEbsDefaultKmsKeyIdAsync(CancellationToken cancellationToken);

        /// <summary>CreateTags on one AMI (adds or overwrites these keys; other tags stay).</summary>
        Task CreateTagsAsync(string imageId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

        /// <summary>EnableImageDeprecation at <paramref name="deprecateAt"/> (UTC, whole minutes).</summary>
        Task EnableImageDeprecationAsync(string imageId, DateTime deprecateAt, CancellationToken cancellationToken);
    }
}
