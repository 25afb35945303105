using System;
using System.Collections.Generic;
using System.Linq;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Principals;
using static AmiShare.Engine.Preflight.Findings;

namespace AmiShare.Engine.Preflight
{
    /// <summary>Preflight rules about the KMS keys behind the AMI (pure functions of <see cref="ShareFacts"/>): who manages each key, and whether each target may use it.</summary>
    internal static class KeyRules
    {
        /// <summary>Key manager: one finding per key (AWS managed aws/ebs and disabled keys fail; unknown keys warn).</summary>
        public static void CheckKeyManagers(ShareFacts facts, List<ShareFinding> findings)
        {
            string awsManagedRemedy = AwsErrorMapper.EncryptedWithAwsManagedKey(facts.ImageId, facts.ImageId, null, null).Remedy;
            foreach (SnapshotRef s in facts.Image.Snapshots.Where(x => x.Encrypted && string.IsNullOrEmpty(x.KmsKeyId)))
            {
                findings.Add(Warn(
                    CheckNames.KmsKeyManager,
                    $"EC2 did not say which KMS key encrypts snapshot {s.SnapshotId}, so AmiShare cannot tell whether it is the AWS managed key aws/ebs (which cannot be shared).",
                    "Check the snapshot with Get-EC2Snapshot -SnapshotId " + s.SnapshotId + " (KmsKeyId); the caller needs ec2:DescribeSnapshots.",
                    s.SnapshotId));
            }

            foreach (KeyFacts key in facts.Keys)
            {
                string snaps = string.Join(", ", key.SnapshotIds);
                bool one = key.SnapshotIds.Count == 1;
                string snapshotsAre = (one ? "Snapshot " : "Snapshots ") + snaps + (one ? " is" : " are");
                string behind = (one ? "snapshot " : "snapshots ") + snaps;
                ShareFinding f;
                if (!facts.KmsAvailable)
                {
                    f = Warn(CheckNames.KmsKeyManager, $"KMS key {key.KeyId} ({behind}) could not be checked: KMS is not available to this command.", "Run Test-AmiShareable with credentials that can call kms:DescribeKey.");
                }
                else if (key.DescribeError != null)
                {
                    f = key.DescribeError.ErrorId == ErrorIds.KmsKeyNotUsable
                        ? Fail(CheckNames.KmsKeyManager, $"KMS key {key.KeyId} behind {behind} cannot be used: {key.DescribeError.Reason}", key.DescribeError.Remedy, ErrorIds.KmsKeyNotUsable, key.DescribeError.Kind)
                        : key.DescribeError.ErrorId == ErrorIds.AccessDenied
                            ? Warn(CheckNames.KmsKeyManager, $"Could not check KMS key {key.KeyId} behind {behind}: permission kms:DescribeKey missing ({key.DescribeError.AwsErrorCode ?? key.DescribeError.ErrorId}). EC2 decides when the AMI is shared.", key.DescribeError.Remedy)
                            : Warn(CheckNames.KmsKeyManager, $"KMS key {key.KeyId} behind {behind} could not be described: {key.DescribeError.Reason}", key.DescribeError.Remedy);
                }
                else if (key.Info.IsAwsManaged)
                {
                    f = Fail(
                        CheckNames.KmsKeyManager,
                        $"{snapshotsAre} encrypted with the AWS managed key aws/ebs ({key.KeyArn}); an AMI backed by it cannot be shared with any account, organization or OU.",
                        awsManagedRemedy,
                        ErrorIds.EncryptedWithAwsManagedKey,
                        AmiShareErrorKind.InvalidOperation);
                }
                else if (!key.Info.Enabled)
                {
                    f = Fail(
                        CheckNames.KmsKeyManager,
                        $"Customer managed key {key.KeyArn} behind {behind} is {key.Info.KeyState ?? "not enabled"}; nobody can launch the AMI while it is.",
                        "Enable the key (Enable-KMSKey) or cancel its scheduled deletion (Undo-KMSKeyDeletion), then run the command again.",
                        ErrorIds.KmsKeyNotUsable,
                        AmiShareErrorKind.InvalidOperation);
                }
                else
                {
                    f = Pass(CheckNames.KmsKeyManager, $"{snapshotsAre} encrypted with customer managed key {key.KeyArn}" + (key.Info.AccountId != null ? $" of account {key.Info.AccountId}." : "."));
                }

                f.Resource = key.KeyArn;
                findings.Add(f);
            }
        }

        /// <summary>
        /// KMS key access: per usable customer managed key and target, whether the target may use the key (policy statements and
        /// grants, evaluated as KMS would), recording each evaluation in <paramref name="access"/> for the -IncludeKmsKey plan.
        /// </summary>
        public static void CheckKeyAccess(ShareFacts facts, IReadOnlyList<Principal> targets, ShareOptions options, List<ShareFinding> findings, Dictionary<Tuple<string, Principal>, KeyAccessResult> access)
        {
            List<KeyFacts> keys = facts.Keys.Where(k => k.IsCustomerManagedAndUsable).ToList();
            if (keys.Count == 0 || !facts.Owned)
            {
                return;
            }

            foreach (KeyFacts key in keys)
            {
                if (key.PolicyError != null)
                {
                    string why = key.PolicyError.ErrorId == ErrorIds.AccessDenied
                        ? $"permission {(key.Policy == null ? "kms:GetKeyPolicy" : "kms:ListGrants")} missing ({key.PolicyError.AwsErrorCode ?? key.PolicyError.ErrorId})"
                        : key.PolicyError.Reason;
                    var f = Warn(
                        CheckNames.KmsKeyAccess,
                        $"Could not check whether {string.Join<Principal>(", ", targets)} may use key {key.KeyArn}: {why}. EC2 shares the AMI regardless; launching needs that key access.",
                        key.PolicyError.Remedy);
                    f.Resource = key.KeyArn;
                    findings.Add(f);
                    continue;
                }

                foreach (Principal p in targets)
                {
                    KeyAccessSubject subject = facts.Subjects[p];
                    ShareFinding f = AccessFinding(facts, key, p, subject, options, access);
                    f.Principal = p.Value;
                    f.Resource = key.KeyArn;
                    findings.Add(f);
                }
            }
        }

        private static ShareFinding AccessFinding(ShareFacts facts, KeyFacts key, Principal p, KeyAccessSubject subject, ShareOptions options, Dictionary<Tuple<string, Principal>, KeyAccessResult> access)
        {
            if (p.Type == PrincipalType.Account && (p.Value == key.Info.AccountId || p.Value == facts.Image.OwnerId))
            {
                return Pass(CheckNames.KmsKeyAccess, $"Account {p.Value} owns the AMI or the key {key.KeyArn}.");
            }

            KeyAccessResult result = KeyAccessEvaluator.Evaluate(key.Document.StatementTexts, key.Grants, subject, facts.Region);
            access[Tuple.Create(key.KeyId, p)] = result;
            string who = Describe(p);
            string notes = result.Notes.Count > 0 ? " Not counted: " + string.Join("; ", result.Notes) + "." : string.Empty;
            string pathNote = p.Type == PrincipalType.OrganizationalUnit && subject.OrgPath == null
                ? $" The OU's path could not be read from AWS Organizations, so AmiShare uses the pattern {KeyAccessSubjects.OuPattern(subject)} for it."
                : string.Empty;

            if (result.HasAccess)
            {
                return Pass(CheckNames.KmsKeyAccess, $"{who} may use key {key.KeyArn} through {string.Join(", ", result.Sources)}.");
            }

            string missing = string.Join(", ", result.Missing);
            if (options.IncludeKmsKey)
            {
                return Pass(CheckNames.KmsKeyAccess, $"{who} lacks {missing} on key {key.KeyArn}; -IncludeKmsKey will grant it in the AmiShare statement of the key policy.{pathNote}");
            }

            return Warn(
                CheckNames.KmsKeyAccess,
                $"{who} lacks {missing} on key {key.KeyArn}, so launching the AMI will fail for them (EC2 cannot decrypt the snapshots).{notes}{pathNote}",
                "Rerun with -IncludeKmsKey to give them that access in an AmiShare statement of the key policy, or add a key policy statement or grant yourself.");
        }
    }
}
