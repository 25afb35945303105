using System;
using System.Collections.Generic;
using System.Linq;
using AmiShare.Engine.Distribution;

namespace AmiShare.Engine.Consumer
{
    /// <summary>What Copy-SharedAmi asks for one shared AMI: the source, the target regions and the caller's keys.</summary>
    public sealed class SharedCopyRequest
    {
        /// <summary>Gets or sets the shared AMI.</summary>
        public string SourceImageId { get; set; }

        /// <summary>Gets or sets the shared AMI's region.</summary>
        public string SourceRegion { get; set; }

        /// <summary>Gets or sets the regions to copy into (empty: the source's region).</summary>
        public IReadOnlyList<string> Regions { get; set; } = new List<string>();

        /// <summary>Gets or sets the caller's key for every region (an alias name resolves in each), or null.</summary>
        public string KmsKeyId { get; set; }

        /// <summary>Gets or sets the caller's key per region (wins over <see cref="KmsKeyId"/>).</summary>
        public IReadOnlyDictionary<string, string> KmsKeyIds { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Gets or sets the copies' name pattern ({SourceName}, {SourceImageId}, {Region}); null: the source's name.</summary>
        public string Name { get; set; }

        /// <summary>Gets or sets a value indicating whether to return once the copies are started.</summary>
        public bool NoWait { get; set; }

        /// <summary>Gets or sets the longest wait for the copies, or null for no limit.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>
        /// Checks and normalizes the regions and keys in place, before any AWS call (Publish-Ami's rules: InvalidRegion,
        /// KmsKeyRegionNotInTargets, KmsKeyNotUsable for a blank key or a key ARN of another region). Empty regions become the source's.
        /// </summary>
        public void Validate()
        {
            bool defaulted = Regions == null || Regions.Count == 0;
            var publish = new PublishRequest
            {
                Regions = defaulted ? new List<string> { SourceRegion } : Regions,
                KmsKeyId = KmsKeyId,

                // Without -Region each source is copied into its own region: a table's keys for other regions serve other sources.
                KmsKeyIds = defaulted && KmsKeyIds != null
                    ? KmsKeyIds.Where(k => string.Equals(k.Key?.Trim(), SourceRegion, StringComparison.OrdinalIgnoreCase)).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal)
                    : KmsKeyIds,
            };
            PublishInput.Validate(publish, DateTime.UtcNow);
            Regions = publish.Regions;
            KmsKeyId = publish.KmsKeyId;
            KmsKeyIds = publish.KmsKeyIds;
        }

        /// <summary>The key for <paramref name="region"/>: its table entry, else the key for every region, else null.</summary>
        public string KeyFor(string region) =>
            KmsKeyIds != null && KmsKeyIds.TryGetValue(region, out string key) ? key : KmsKeyId;

        /// <summary>The same request for another source (what the command line gives applies to every AMI).</summary>
        public SharedCopyRequest ForSource(string imageId, string sourceRegion) => new SharedCopyRequest
        {
            SourceImageId = imageId,
            SourceRegion = sourceRegion,
            Regions = Regions,
            KmsKeyId = KmsKeyId,
            KmsKeyIds = KmsKeyIds,
            Name = Name,
            NoWait = NoWait,
            Timeout = Timeout,
        };
    }
}
