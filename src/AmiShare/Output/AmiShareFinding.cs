using AmiShare.Engine.Preflight;

namespace AmiShare
{
    /// <summary>One preflight finding of Test-AmiShareable: a check, its status, what was found and what to do.</summary>
    public sealed class AmiShareFinding
    {
        /// <summary>The AMI id.</summary>
        public string ImageId { get; private set; }

        /// <summary>The region the AMI lives in.</summary>
        public string Region { get; private set; }

        /// <summary>The check: Ownership, State, SnapshotEncryption, KmsKeyManager, KmsKeyAccess, ProductCodes, BlockPublicAccess, PublicImageQuota, Deprecation, SnapshotSharing.</summary>
        public string Check { get; private set; }

        /// <summary>Pass, Warn or Fail.</summary>
        public string Status { get; private set; }

        /// <summary>What was found.</summary>
        public string Detail { get; private set; }

        /// <summary>What to do about it (empty for Pass).</summary>
        public string Remedy { get; private set; }

        /// <summary>The principal the finding is about, if any.</summary>
        public string Principal { get; private set; }

        /// <summary>The snapshot or KMS key the finding is about, if any.</summary>
        public string Resource { get; private set; }

        /// <summary>For Fail: the ErrorId Grant-AmiLaunchPermission or Set-AmiPublic would report.</summary>
        public string ErrorId { get; private set; }

        internal static AmiShareFinding From(ShareFinding f) => new AmiShareFinding
        {
            ImageId = f.ImageId,
            Region = f.Region,
            Check = f.Check,
            Status = f.Status.ToString(),
            Detail = f.Detail,
            Remedy = f.Remedy ?? string.Empty,
            Principal = f.Principal,
            Resource = f.Resource,
            ErrorId = f.ErrorId,
        };

        /// <inheritdoc />
        public override string ToString() => $"{ImageId} {Check} {Status}";
    }
}
