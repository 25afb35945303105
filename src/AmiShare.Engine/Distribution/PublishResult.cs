using System;
using System.Collections.Generic;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Distribution
{
    /// <summary>One target region's outcome of Publish-Ami.</summary>
    public sealed class PublishResult
    {
        /// <summary>Gets or sets the AMI that was distributed.</summary>
        public string SourceImageId { get; set; }

        /// <summary>Gets or sets the source's region.</summary>
        public string SourceRegion { get; set; }

        /// <summary>Gets or sets the target region.</summary>
        public string Region { get; set; }

        /// <summary>Gets or sets the AMI published in the region (a copy, or the source in its own region).</summary>
        public string ImageId { get; set; }

        /// <summary>Gets or sets that AMI's name.</summary>
        public string ImageName { get; set; }

        /// <summary>Gets or sets its state: available, or pending with -NoWait (a rerun finishes it).</summary>
        public string State { get; set; }

        /// <summary>Gets or sets the principals it is shared with by this command.</summary>
        public IReadOnlyList<Principal> Principals { get; set; } = Array.Empty<Principal>();

        /// <summary>Gets or sets the key its snapshots are encrypted with (ARN), or null.</summary>
        public string KmsKeyId { get; set; }

        /// <summary>Gets or sets its deprecation time (UTC), or null.</summary>
        public DateTime? DeprecationTime { get; set; }

        /// <summary>Gets or sets the SSM parameter holding its id in the region, or null.</summary>
        public string SsmParameter { get; set; }

        /// <summary>Gets or sets what happened: Created (new copy), Reused (a copy of an earlier run) or Source (the source itself).</summary>
        public string Action { get; set; }

        /// <summary>Gets or sets how many writes this command made in the region (0 on a rerun with nothing to change).</summary>
        public int Changes { get; set; }
    }
}
