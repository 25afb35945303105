using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Consumer
{
    /// <summary>
    /// The consumer's two access checks on another account's AMI, shared by Get-AmiSharedWithMe and Copy-SharedAmi: can the
    /// caller use a source key (KMS DescribeKey as the caller) and may it create volumes from the snapshots (DescribeSnapshots
    /// RestorableBy=self, one call per 200 snapshots); and the texts that tell the owner what to grant.
    /// </summary>
    public static class ConsumerAccess
    {
        /// <summary>
        /// The key-policy actions the owner must allow the consumer's account on the source key so EC2 can copy (or launch)
        /// an encrypted shared AMI for it, as the EC2 User Guide lists them for sharing encrypted AMIs and snapshots.
        /// </summary>
        public const string KeyActions = "kms:DescribeKey, kms:ReEncrypt*, kms:CreateGrant and kms:Decrypt";

        private const string StatePrefix = "key state ";

        /// <summary>
        /// The consumer's sentence for a key problem <see cref="ReadKeyProblemsAsync"/> found, with what to ask the owner for: to
        /// enable a disabled key, or to allow <see cref="KeyActions"/>, which the owner's <see cref="KeyGrant"/> does.
        /// </summary>
        public static string KeyProblemText(string key, string problem, string imageId, string account, string region) =>
            IsKeyState(problem)
                ? $"the KMS key {key} is {problem.Substring(StatePrefix.Length)}: ask the owner to enable it"
                : $"the KMS key {key} is not usable by this account ({problem}): ask the owner to allow {KeyActions} for this account in the key policy: {KeyGrant(imageId, account, region)}";

        /// <summary>True when <paramref name="problem"/> is a key state (disabled, pending deletion …) rather than missing access.</summary>
        public static bool IsKeyState(string problem) => problem != null && problem.StartsWith(StatePrefix, StringComparison.Ordinal);

        /// <summary>The owner's command that gives <paramref name="account"/> the key access an encrypted shared AMI needs.</summary>
        public static string KeyGrant(string imageId, string account, string region) =>
            $"Grant-AmiLaunchPermission -ImageId {imageId} -AccountId {account} -IncludeKmsKey -Region {region}";

        /// <summary>The KMS keys of <paramref name="image"/>'s encrypted snapshots (distinct, in device order).</summary>
        public static IEnumerable<string> KeysOf(ImageInfo image) =>
            image.Snapshots.Where(s => s.Encrypted && !string.IsNullOrEmpty(s.KmsKeyId)).Select(s => s.KmsKeyId).Distinct(StringComparer.Ordinal);

        /// <summary>
        /// Each key's problem as the caller sees it, one DescribeKey per distinct key, in key order: null when DescribeKey as
        /// the caller succeeds and the key is enabled; else the AWS error code (AccessDenied, NotFound …) or "key state &lt;state&gt;".
        /// </summary>
        public static async Task<IReadOnlyDictionary<string, string>> ReadKeyProblemsAsync(IKmsGateway kms, IEnumerable<string> keys, CancellationToken cancellationToken)
        {
            if (kms == null)
            {
                throw new ArgumentNullException(nameof(kms));
            }

            var problems = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string key in (keys ?? Enumerable.Empty<string>()).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal))
            {
                try
                {
                    KmsKeyInfo info = await kms.DescribeKeyAsync(key, cancellationToken).ConfigureAwait(false);
                    problems[key] = info.Enabled ? null : StatePrefix + (info.KeyState ?? "not enabled");
                }
                catch (AmiShareException e) when (e.Kind == AmiShareErrorKind.PermissionDenied || e.Kind == AmiShareErrorKind.ObjectNotFound)
                {
                    problems[key] = e.AwsErrorCode ?? e.ErrorId;
                }
            }

            return problems;
        }

        /// <summary>The ids among <paramref name="snapshotIds"/> the caller may create volumes from (DescribeSnapshots RestorableBy=self).</summary>
        public static async Task<ISet<string>> ReadRestorableAsync(IEc2ConsumerGateway ec2, IEnumerable<string> snapshotIds, CancellationToken cancellationToken)
        {
            if (ec2 == null)
            {
                throw new ArgumentNullException(nameof(ec2));
            }

            var result = new HashSet<string>(StringComparer.Ordinal);
            List<string> ids = (snapshotIds ?? Enumerable.Empty<string>()).Where(id => !string.IsNullOrEmpty(id)).Distinct(StringComparer.Ordinal).ToList();
            for (int start = 0; start < ids.Count; start += Ec2Limits.MaxFilterValuesPerCall)
            {
                List<string> chunk = ids.Skip(start).Take(Ec2Limits.MaxFilterValuesPerCall).ToList();
                result.UnionWith(await ec2.DescribeRestorableSnapshotIdsAsync(chunk, cancellationToken).ConfigureAwait(false));
            }

            return result;
        }

        /// <summary>The snapshots of <paramref name="image"/> not in <paramref name="restorable"/>, in device order.</summary>
        public static IReadOnlyList<string> Blocked(ImageInfo image, ISet<string> restorable) =>
            image.Snapshots.Select(s => s.SnapshotId).Where(id => !string.IsNullOrEmpty(id) && !restorable.Contains(id)).Distinct(StringComparer.Ordinal).ToList();

        /// <summary>
        /// The owner's commands that give <paramref name="account"/> createVolumePermission on <paramref name="snapshotIds"/>
        /// of <paramref name="imageId"/> in <paramref name="region"/>: AmiShare's, and the AWS CLI's per snapshot.
        /// </summary>
        public static string SnapshotGrant(string imageId, IReadOnlyList<string> snapshotIds, string account, string region)
        {
            string cli = string.Join(
                "; ",
                snapshotIds.Select(s => $"aws ec2 modify-snapshot-attribute --snapshot-id {s} --attribute createVolumePermission --operation-type add --user-ids {account} --region {region}"));
            return $"Grant-AmiLaunchPermission -ImageId {imageId} -AccountId {account} -IncludeSnapshot -Region {region} (or: {cli})";
        }
    }
}
