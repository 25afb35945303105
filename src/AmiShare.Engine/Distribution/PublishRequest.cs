using System;
using System.Collections.Generic;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Distribution
{
    /// <summary>What Publish-Ami was asked to do for one source AMI (validated by <see cref="PublishInput"/> before any call).</summary>
    public sealed class PublishRequest
    {
        /// <summary>Gets or sets the AMI to distribute.</summary>
        public string SourceImageId { get; set; }

        /// <summary>Gets or sets the region the source AMI is in (the session's region unless -SourceRegion says otherwise).</summary>
        public string SourceRegion { get; set; }

        /// <summary>Gets or sets the target regions (-Region), in the order given; the source region may be one of them.</summary>
        public IReadOnlyList<string> Regions { get; set; } = Array.Empty<string>();

        /// <summary>Gets or sets the key for every target region without its own entry in <see cref="KmsKeyIds"/> (an alias name works in every region), or null.</summary>
        public string KmsKeyId { get; set; }

        /// <summary>Gets or sets the key per target region (-KmsKeyId @{ 'us-west-2' = 'alias/golden' }); keys are region names.</summary>
        public IReadOnlyDictionary<string, string> KmsKeyIds { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Gets or sets the accounts, organizations and OUs to share every published AMI with (may be empty).</summary>
        public IReadOnlyList<Principal> Principals { get; set; } = Array.Empty<Principal>();

        /// <summary>Gets or sets -IncludeKmsKey / -IncludeSnapshot, applied with each region's key.</summary>
        public ShareOptions Options { get; set; } = ShareOptions.None;

        /// <summary>Gets or sets the tags every published AMI gets (-Tag).</summary>
        public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Gets or sets the shared tags (-SharedTag), without the ec2:SharedTag/ prefix.</summary>
        public IReadOnlyDictionary<string, string> SharedTags { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Gets or sets the deprecation time (UTC), or null.</summary>
        public DateTime? DeprecateAt { get; set; }

        /// <summary>Gets or sets the deprecation time as an age: this long after the source AMI's creation, or null.</summary>
        public TimeSpan? DeprecateAfter { get; set; }

        /// <summary>Gets or sets the SSM parameter that holds each region's AMI id, or null.</summary>
        public string SsmParameterName { get; set; }

        /// <summary>Gets or sets the copies' name pattern ({SourceName}, {SourceImageId}, {Region}); null = the default.</summary>
        public string Name { get; set; }

        /// <summary>Gets or sets a value indicating whether to return at once, copies still pending (a rerun finishes them).</summary>
        public bool NoWait { get; set; }

        /// <summary>Gets or sets how long to wait for the copies, or null for no limit.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>This request (the command's settings) for one source AMI in its region, with the given principals.</summary>
        public PublishRequest ForSource(string imageId, string sourceRegion, IReadOnlyList<Principal> principals)
        {
            var request = (PublishRequest)MemberwiseClone();
            request.SourceImageId = imageId;
            request.SourceRegion = sourceRegion;
            request.Principals = principals ?? Array.Empty<Principal>();
            return request;
        }
    }
}
