using System.Collections.Generic;
using System.Linq;

namespace AmiShare.Engine.Preflight
{
    /// <summary>Outcome of one preflight check.</summary>
    public enum FindingStatus
    {
        Pass,
        Warn,
        Fail,
    }

    /// <summary>
    /// Stable names of the preflight checks (they appear in output and in docs/Test-AmiShareable.md).
    /// </summary>
    public static class CheckNames
    {
        public const string Ownership = nameof(Ownership);
        public const string State = nameof(State);
        public const string SnapshotEncryption = nameof(SnapshotEncryption);
        public const string KmsKeyManager = nameof(KmsKeyManager);
        public const string KmsKeyAccess = nameof(KmsKeyAccess);
        public const string ProductCodes = nameof(ProductCodes);
        public const string BlockPublicAccess = nameof(BlockPublicAccess);
        public const string PublicImageQuota = nameof(PublicImageQuota);
        public const string Deprecation = nameof(Deprecation);
        public const string SnapshotSharing = nameof(SnapshotSharing);
    }

    /// <summary>One finding: a check, its status, what was seen and what to do.</summary>
    public sealed class ShareFinding
    {
        public string ImageId { get; set; }

        public string Region { get; set; }

        /// <summary>One of <see cref="CheckNames"/>.</summary>
        public string Check { get; set; }

        public FindingStatus Status { get; set; }

        /// <summary>What was found, in plain words.</summary>
        public string Detail { get; set; }

        /// <summary>What to do about it (empty for Pass).</summary>
        public string Remedy { get; set; }

        /// <summary>The principal the finding is about, when it is about one (KmsKeyAccess), else null.</summary>
        public string Principal { get; set; }

        /// <summary>The snapshot or KMS key ARN the finding is about, when it is about one, else null.</summary>
        public string Resource { get; set; }

        /// <summary>For a Fail: the ErrorId a Grant / Set-AmiPublic stopped by it reports (one of <see cref="ErrorIds"/>).</summary>
        public string ErrorId { get; set; }

        /// <summary>For a Fail: the kind of error a Grant / Set-AmiPublic stopped by it reports (default InvalidOperation).</summary>
        public AmiShareErrorKind? ErrorKind { get; set; }

        public override string ToString() => $"{Check} {Status}: {Detail}";
    }

    /// <summary>All findings for one AMI and one intended share.</summary>
    public sealed class PreflightReport
    {
        public string ImageId { get; set; }

        public string Region { get; set; }

        public IReadOnlyList<ShareFinding> Findings { get; set; } = new ShareFinding[0];

        public bool HasFailures => Findings.Any(f => f.Status == FindingStatus.Fail);

        public IEnumerable<ShareFinding> Failures => Findings.Where(f => f.Status == FindingStatus.Fail);

        public IEnumerable<ShareFinding> Warnings => Findings.Where(f => f.Status == FindingStatus.Warn);

        /// <summary>The exception a mutating command raises for the first failure (ErrorId of the check, remedy in the message).</summary>
        public AmiShareException ToException()
        {
            ShareFinding f = Failures.FirstOrDefault();
            if (f == null)
            {
                return null;
            }

            return new AmiShareException(
                f.ErrorId ?? ErrorIds.PreflightFailed,
                f.ErrorKind ?? AmiShareErrorKind.InvalidOperation,
                $"AMI {ImageId} in region '{Region}' failed the {f.Check} check: {f.Detail}",
                ImageId,
                f.Remedy);
        }
    }
}
