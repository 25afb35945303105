using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Completion
{
    /// <summary>
    /// The AMIs the caller owns in one session's region, as -ImageId completion needs them: one
    /// DescribeImages Owners=self series (state available or pending). Tests substitute their own.
    /// </summary>
    public interface IOwnedImageSource : IDisposable
    {
        /// <summary>Every owned AMI in state available or pending (all pages), in EC2's order.</summary>
        Task<IReadOnlyList<ImageInfo>> ListOwnedImagesAsync(CancellationToken cancellationToken);
    }
}
