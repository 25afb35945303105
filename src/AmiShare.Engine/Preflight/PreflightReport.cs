using System;
using System.Collections.Generic;
using System.Linq;

namespace AmiShare.Engine.Preflight
{
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
