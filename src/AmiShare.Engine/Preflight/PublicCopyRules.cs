using System.Collections.Generic;
using System.Linq;
using AmiShare.Engine.Gateways;
using static AmiShare.Engine.Preflight.Findings;

namespace AmiShare.Engine.Preflight
{
    /// <summary>
    /// Preflight rules for making an AMI public that are about what it carries and what its consumers can do with it (pure
    /// functions of <see cref="ShareFacts"/>): AMI watermarks, which EC2 never lets be public, and block public access for
    /// EBS snapshots, which decides whether other accounts can copy a public AMI.
    /// </summary>
    internal static class PublicCopyRules
    {
        /// <summary>Watermarks: an AMI with any watermark cannot be public (Fail, with the keys and how to detach them).</summary>
        public static void CheckWatermarks(ShareFacts facts, List<ShareFinding> findings)
        {
            IReadOnlyList<string> keys = facts.Image.Watermarks ?? new List<string>();
            if (keys.Count == 0)
            {
                findings.Add(Pass(CheckNames.Watermarks, $"{facts.ImageId} carries no AMI watermarks."));
                return;
            }

            AmiShareException e = AwsErrorMapper.WatermarkedCannotBePublic(facts.ImageId, facts.ImageId, null, null);
            findings.Add(Fail(
                CheckNames.Watermarks,
                $"{facts.ImageId} carries AMI {(keys.Count == 1 ? "watermark" : "watermarks")} {string.Join(", ", keys)}; EC2 never makes a watermarked AMI public.",
                Ec2ErrorCatalog.WatermarkRemedy(facts.ImageId, keys),
                ErrorIds.WatermarkedCannotBePublic,
                e.Kind));
        }

        /// <summary>
        /// Block public access for snapshots (owned AMI with EBS snapshots): other accounts copy a public AMI only when its
        /// snapshots are public too (CopyImage reads them), which the block forbids. A Warn, never a Fail: launching is not
        /// affected. With <paramref name="includeSnapshot"/> the wording says what -IncludeSnapshot does under the block.
        /// </summary>
        public static void CheckSnapshotBlockPublicAccess(ShareFacts facts, bool includeSnapshot, List<ShareFinding> findings)
        {
            List<string> snapshots = facts.Image.Snapshots.Select(s => s.SnapshotId).Distinct().ToList();
            if (snapshots.Count == 0)
            {
                findings.Add(Pass(CheckNames.SnapshotBlockPublicAccess, $"{facts.ImageId} has no EBS snapshots; block public access for snapshots does not apply."));
                return;
            }

            string snaps = (snapshots.Count == 1 ? "snapshot " : "snapshots ") + string.Join(", ", snapshots);
            AmiShareException error = facts.SnapshotBlockPublicAccessError;
            if (error != null && error.ErrorId != ErrorIds.AccessDenied)
            {
                findings.Add(Warn(
                    CheckNames.SnapshotBlockPublicAccess,
                    $"Could not check block public access for EBS snapshots in region '{facts.Region}': {error.Reason.TrimEnd()} If it is on, other accounts can launch {facts.ImageId} once public but cannot copy it, because its {snaps} cannot be public.",
                    "Check it with Get-EC2SnapshotBlockPublicAccessState -Region " + facts.Region + "."));
                return;
            }

            if (error != null)
            {
                findings.Add(Warn(
                    CheckNames.SnapshotBlockPublicAccess,
                    $"Could not check block public access for EBS snapshots in region '{facts.Region}': permission ec2:GetSnapshotBlockPublicAccessState missing ({error.AwsErrorCode ?? error.ErrorId}). If it is on, other accounts can launch {facts.ImageId} once public but cannot copy it, because its {snaps} cannot be public.",
                    "Grant ec2:GetSnapshotBlockPublicAccessState to the caller to have this checked, or check it yourself with Get-EC2SnapshotBlockPublicAccessState -Region " + facts.Region + "."));
                return;
            }

            SnapshotBlockPublicAccessInfo bpa = facts.SnapshotBlockPublicAccess ?? new SnapshotBlockPublicAccessInfo();
            if (!bpa.BlocksNewSharing)
            {
                findings.Add(Pass(
                    CheckNames.SnapshotBlockPublicAccess,
                    $"Block public access for EBS snapshots is off (unblocked) in region '{facts.Region}'; "
                    + (includeSnapshot
                        ? $"-IncludeSnapshot makes {snaps} public so other accounts can copy the AMI."
                        : $"other accounts can copy the public AMI only once its {snaps} {(snapshots.Count == 1 ? "is" : "are")} public too (Set-AmiPublic -IncludeSnapshot).")));
                return;
            }

            if (!bpa.BlocksAllSharing && facts.PublicSnapshotIds != null)
            {
                List<string> notPublic = snapshots.Where(s => !facts.PublicSnapshotIds.Contains(s)).ToList();
                if (notPublic.Count == 0)
                {
                    findings.Add(Pass(
                        CheckNames.SnapshotBlockPublicAccess,
                        $"Block public access for EBS snapshots is on in region '{facts.Region}' (block-new-sharing), but {snaps} {(snapshots.Count == 1 ? "is already public and stays" : "are already public and stay")} public: other accounts can copy the public AMI."));
                    return;
                }

                snaps = (notPublic.Count == 1 ? "snapshot " : "snapshots ") + string.Join(", ", notPublic);
            }

            string mode = bpa.BlocksAllSharing
                ? "block-all-sharing: no snapshot of this account is publicly available there, not even one already shared publicly"
                : "block-new-sharing: no snapshot can newly be made public there; one already public stays public";
            string consequence = includeSnapshot
                ? $"-IncludeSnapshot cannot make {snaps} public, so the AMI is made public with its snapshots left as they are: other accounts can launch it but not copy it (CopyImage needs read access to the snapshots)."
                : $"Other accounts can launch the public AMI but not copy it: CopyImage needs read access to its {snaps}, which cannot be public.";
            string remedy = bpa.IsManagedByDeclarativePolicy
                ? "A declarative policy of your organization manages this setting (ManagedBy: declarative-policy), so DisableSnapshotBlockPublicAccess cannot turn it off from this account: ask the organization's administrators, or share the snapshots with the accounts that must copy the AMI (Grant-AmiLaunchPermission -AccountId <ids> -IncludeSnapshot)."
                : $"If consumers must copy the AMI, turn the block off with Disable-EC2SnapshotBlockPublicAccess -Region {facts.Region} (API DisableSnapshotBlockPublicAccess) and run Set-AmiPublic -IncludeSnapshot again, or share the snapshots with the accounts that must copy it (Grant-AmiLaunchPermission -AccountId <ids> -IncludeSnapshot).";
            findings.Add(Warn(
                CheckNames.SnapshotBlockPublicAccess,
                $"Block public access for EBS snapshots is on in region '{facts.Region}' ({mode}"
                + (bpa.IsManagedByDeclarativePolicy ? "; a declarative policy of the organization manages it). " : "). ")
                + consequence,
                remedy));
        }
    }
}
