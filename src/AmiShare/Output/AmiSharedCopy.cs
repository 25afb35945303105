using AmiShare.Engine.Consumer;

namespace AmiShare
{
    /// <summary>One target region's outcome of Copy-SharedAmi: the caller's own copy of a shared AMI.</summary>
    public sealed class AmiSharedCopy
    {
        /// <summary>The shared AMI that was copied.</summary>
        public string SourceImageId { get; private set; }

        /// <summary>The shared AMI's region.</summary>
        public string SourceRegion { get; private set; }

        /// <summary>The shared AMI's owner (account id).</summary>
        public string SourceOwnerId { get; private set; }

        /// <summary>The region of the copy.</summary>
        public string Region { get; private set; }

        /// <summary>The copy, owned by the caller's account.</summary>
        public string ImageId { get; private set; }

        /// <summary>The copy's name.</summary>
        public string ImageName { get; private set; }

        /// <summary>available, or pending with -NoWait (run the command again to wait for it).</summary>
        public string State { get; private set; }

        /// <summary>The caller's KMS key (ARN) the copy's snapshots are encrypted with, or empty when unencrypted.</summary>
        public string KmsKeyId { get; private set; }

        /// <summary>Created (a new copy) or Reused (a copy an earlier run made).</summary>
        public string Action { get; private set; }

        /// <summary>The AWS writes this command made in the region: 1 for a new copy, 0 for a reused one.</summary>
        public int Changes { get; private set; }

        internal static AmiSharedCopy From(SharedCopyResult r) => new AmiSharedCopy
        {
            SourceImageId = r.SourceImageId,
            SourceRegion = r.SourceRegion,
            SourceOwnerId = r.SourceOwnerId,
            Region = r.Region,
            ImageId = r.ImageId,
            ImageName = r.ImageName,
            State = r.State,
            KmsKeyId = r.KmsKeyId,
            Action = r.Action,
            Changes = r.Changes,
        };

        /// <summary>The key's short form for the table view: the part after "key/" (or the alias), empty when unencrypted.</summary>
        public static string ShortKey(AmiSharedCopy result)
        {
            string key = result?.KmsKeyId;
            return string.IsNullOrEmpty(key) ? string.Empty : key.Substring(key.LastIndexOf(key.Contains(":alias/") ? ':' : '/') + 1);
        }

        /// <inheritdoc />
        public override string ToString() => ImageId;
    }
}
