using System.Collections.Generic;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// Implemented by an EC2 gateway that batches DescribeImages: ids named here are read together with the next
    /// image read (many ids per call), so a job that knows which AMIs it will plan reads them in ⌈N/page⌉ calls.
    /// A hint only: ids never asked for afterwards cost nothing but their place in a batch.
    /// </summary>
    public interface IImagePrefetch
    {
        /// <summary>Adds <paramref name="imageIds"/> (normalized ami-… ids) to the next DescribeImages batch.</summary>
        void Prefetch(IEnumerable<string> imageIds);
    }
}
