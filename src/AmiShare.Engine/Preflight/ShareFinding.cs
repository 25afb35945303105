using System;
using System.Collections.Generic;
using System.Linq;

namespace AmiShare.Engine.Preflight
{
    /// <summary>Outcome of one preflight check.</summary>
    public enum FindingStatus
    {
        /// <summary>The check passed.</summary>
        Pass,
        /// <summary>The check found something to know; the operation can go on.</summary>
        Warn,
        /// <summary>The check failed; the operation stops for this AMI.</summary>
        Fail,
    }

    /// <summary>
    /// Stable names of the preflight checks (they appear in output and in docs/Test-AmiShareable.md).
    /// </summary>
    public static class CheckNames
    {
        /// <summary>Only the owner can share.</summary>
        public const string Ownership = nameof(Ownership);
        /// <summary>Only an available AMI can be shared.</summary>
        public const string State = nameof(State);
        /// <summary>Encrypted snapshots (never public; consumers need the key).</summary>
        public const string SnapshotEncryption = nameof(SnapshotEncryption);
        /// <summary>Who manages each KMS key (aws/ebs cannot be shared).</summary>
        public const string KmsKeyManager = nameof(KmsKeyManager);
        /// <summary>Whether each principal may use each key.</summary>
        public const string KmsKeyAccess = nameof(KmsKeyAccess);
        /// <summary>AWS Marketplace product codes (never public).</summary>
        public const string ProductCodes = nameof(ProductCodes);
        /// <summary>Block public access for AMIs.</summary>
        public const string BlockPublicAccess = nameof(BlockPublicAccess);
        /// <summary>The account's public-AMI quota.</summary>
        public const string PublicImageQuota = nameof(PublicImageQuota);
        /// <summary>Automatic deprecation of public AMIs.</summary>
        public const string Deprecation = nameof(Deprecation);
        /// <summary>Snapshots take accounts only (-IncludeSnapshot).</summary>
        public const string SnapshotSharing = nameof(SnapshotSharing);
    }

    /// <summary>One finding: a check, its status, what was seen and what to do.</summary>
    public sealed class ShareFinding
    {
        /// <summary>The AMI.</summary>
        public string ImageId { get; set; }

        /// <summary>The AMI's region.</summary>
        public string Region { get; set; }

        /// <summary>One of <see cref="CheckNames"/>.</summary>
        public string Check { get; set; }

        /// <summary>Pass, Warn or Fail.</summary>
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

        /// <inheritdoc />
        public override string ToString() => $"{Check} {Status}: {Detail}";
    }

    /// <summary>All findings for one AMI and one intended share.</summary>
    public sealed class PreflightReport
    {
        /// <summary>The AMI.</summary>
        public string ImageId { get; set; }

        /// <summary>The AMI's region.</summary>
        public string Region { get; set; }

        /// <summary>One finding per check (and per snapshot, key or principal where the check is about one).</summary>
        public IReadOnlyList<ShareFinding> Findings { get; set; } = Array.Empty<ShareFinding>();

        /// <summary>True when any finding failed.</summary>
        public bool HasFailures => Findings.Any(f => f.Status == FindingStatus.Fail);

        /// <summary>The failed findings.</summary>
        public IEnumerable<ShareFinding> Failures => Findings.Where(f => f.Status == FindingStatus.Fail);

        /// <summary>The Warn findings.</summary>
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
