using System;
using System.Collections.Generic;
using System.Linq;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;
using static AmiShare.Engine.Preflight.Findings;

namespace AmiShare.Engine.Preflight
{
    /// <summary>Preflight rules about the AMI itself (pure functions of <see cref="ShareFacts"/>): ownership, state, snapshot encryption, snapshot sharing.</summary>
    internal static class ImageRules
    {
        /// <summary>Ownership: only the owner can share an AMI.</summary>
        public static void CheckOwnership(ShareFacts facts, List<ShareFinding> findings)
        {
            if (facts.Owned)
            {
                findings.Add(Pass(CheckNames.Ownership, $"The calling account owns {facts.ImageId}" + (facts.Image.OwnerId != null ? $" (owner {facts.Image.OwnerId})." : ".")));
                return;
            }

            AmiShareException e = facts.NotOwned;
            findings.Add(Fail(
                CheckNames.Ownership,
                $"{facts.ImageId} is owned by account {facts.Image.OwnerId ?? "(unknown)"}, not by the calling account; only the owner can share an AMI.",
                e.Remedy,
                ErrorIds.AmiNotOwned,
                AmiShareErrorKind.PermissionDenied));
        }

        /// <summary>State: only an available AMI can be shared.</summary>
        public static void CheckState(ShareFacts facts, List<ShareFinding> findings)
        {
            string state = facts.Image.State;
            if (string.Equals(state, "available", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(Pass(CheckNames.State, $"{facts.ImageId} is available."));
                return;
            }

            findings.Add(Fail(
                CheckNames.State,
                $"{facts.ImageId} is in state '{state}', not 'available'.",
                state == "pending"
                    ? "Wait until the AMI is available (Get-EC2Image shows its State), then run the command again."
                    : "Only an available AMI can be shared; create or copy a new AMI if this one failed or was deregistered.",
                ErrorIds.AmiNotAvailable,
                AmiShareErrorKind.InvalidOperation));
        }

        /// <summary>Snapshot encryption: one finding per snapshot (an encrypted one can never be public).</summary>
        public static void CheckSnapshotEncryption(ShareFacts facts, bool forPublic, List<ShareFinding> findings)
        {
            if (facts.Image.Snapshots.Count == 0)
            {
                findings.Add(Pass(CheckNames.SnapshotEncryption, $"{facts.ImageId} has no EBS snapshots."));
                return;
            }

            string encryptedRemedy = AwsErrorMapper.EncryptedCannotBePublic(facts.ImageId, facts.ImageId, null, null).Remedy;
            foreach (SnapshotRef s in facts.Image.Snapshots)
            {
                ShareFinding f;
                if (!s.Encrypted)
                {
                    f = Pass(CheckNames.SnapshotEncryption, $"Snapshot {s.SnapshotId} ({s.DeviceName}) is not encrypted.");
                }
                else if (forPublic)
                {
                    f = Fail(
                        CheckNames.SnapshotEncryption,
                        $"Snapshot {s.SnapshotId} ({s.DeviceName}) is encrypted{KeyText(s.KmsKeyId)}; an AMI with encrypted snapshots can never be public.",
                        encryptedRemedy,
                        ErrorIds.EncryptedSnapshotsCannotBePublic,
                        AmiShareErrorKind.InvalidOperation);
                }
                else
                {
                    f = Pass(CheckNames.SnapshotEncryption, $"Snapshot {s.SnapshotId} ({s.DeviceName}) is encrypted{KeyText(s.KmsKeyId)}; consumers need access to that key (see {CheckNames.KmsKeyAccess}).");
                }

                f.Resource = s.SnapshotId;
                findings.Add(f);
            }
        }

        /// <summary>Snapshot sharing (-IncludeSnapshot): snapshots take accounts only, never organizations or OUs.</summary>
        public static void CheckSnapshotSharing(IReadOnlyList<Principal> targets, List<ShareFinding> findings)
        {
            List<Principal> left = targets.Where(p => p.Type == PrincipalType.Organization || p.Type == PrincipalType.OrganizationalUnit).ToList();
            if (left.Count == 0)
            {
                findings.Add(Pass(CheckNames.SnapshotSharing, "Every principal is an account; -IncludeSnapshot gives each createVolumePermission on the backing snapshots."));
                return;
            }

            findings.Add(Warn(
                CheckNames.SnapshotSharing,
                $"Snapshots cannot be shared with organizations or OUs, so -IncludeSnapshot leaves out {string.Join(", ", left.Select(p => p.Value))}: their accounts can launch the AMI but not copy it.",
                "Grant the member accounts that must copy the AMI by account id with -IncludeSnapshot (Get-ORGAccountForParent lists an OU's accounts)."));
        }
    }
}
