using System;
using System.Collections.Generic;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Plans;

namespace AmiShare.Engine.Distribution
{
    /// <summary>The writes one region's available AMI still needs (each only when what is there differs).</summary>
    internal sealed class RegionWork
    {
        public ImageInfo Image { get; set; }

        /// <summary>The grant path's plan (launch permissions, key policy, snapshots), or null without principals.</summary>
        public SharePlan Grant { get; set; }

        public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public DateTime? DeprecateAt { get; set; }

        public string SsmCurrent { get; set; }

        public bool WriteSsm { get; set; }

        public bool HasChanges => (Grant != null && Grant.HasChanges) || Tags.Count > 0 || DeprecateAt.HasValue || WriteSsm;
    }
}
