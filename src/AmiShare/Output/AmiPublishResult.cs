using System;
using System.Linq;
using AmiShare.Engine.Distribution;

namespace AmiShare
{
    /// <summary>One target region's outcome of Publish-Ami.</summary>
    public sealed class AmiPublishResult
    {
        /// <summary>The AMI that was distributed.</summary>
        public string SourceImageId { get; private set; }

        /// <summary>The source AMI's region.</summary>
        public string SourceRegion { get; private set; }

        /// <summary>The target region.</summary>
        public string Region { get; private set; }

        /// <summary>The AMI published in the region: a copy, or the source itself in its own region (Action Source).</summary>
        public string ImageId { get; private set; }

        /// <summary>That AMI's name.</summary>
        public string ImageName { get; private set; }

        /// <summary>available, or pending with -NoWait (run the command again to finish).</summary>
        public string State { get; private set; }

        /// <summary>The accounts, organizations and OUs it was shared with (empty while pending).</summary>
        public PrincipalList Principals { get; private set; }

        /// <summary>The KMS key (ARN) its snapshots are encrypted with, or empty when unencrypted.</summary>
        public string KmsKeyId { get; private set; }

        /// <summary>Its deprecation time (UTC), or null.</summary>
        public DateTime? DeprecationTime { get; private set; }

        /// <summary>The SSM parameter (data type aws:ec2:image) that holds its id in the region, or empty.</summary>
        public string SsmParameter { get; private set; }

        /// <summary>Created (a new copy), Reused (a copy an earlier run made) or Source (the source AMI itself).</summary>
        public string Action { get; private set; }

        /// <summary>The AWS writes this command made in the region (0 when everything was already as asked).</summary>
        public int Changes { get; private set; }

        internal static AmiPublishResult From(PublishResult r) => new AmiPublishResult
        {
            SourceImageId = r.SourceImageId,
            SourceRegion = r.SourceRegion,
            Region = r.Region,
            ImageId = r.ImageId,
            ImageName = r.ImageName,
            State = r.State,
            Principals = new PrincipalList(r.Principals.Select(p => p.Value).ToList()),
            KmsKeyId = r.KmsKeyId,
            DeprecationTime = r.DeprecationTime,
            SsmParameter = r.SsmParameter,
            Action = r.Action,
            Changes = r.Changes,
        };

        /// <summary>The key's short form for the table view: the part after "key/" (or the alias), empty when unencrypted.</summary>
        public static string ShortKey(AmiPublishResult result)
        {
            string key = result?.KmsKeyId;
            return string.IsNullOrEmpty(key) ? string.Empty : key.Substring(key.LastIndexOf(key.Contains(":alias/") ? ':' : '/') + 1);
        }

        /// <inheritdoc />
        public override string ToString() => ImageId;
    }
}
