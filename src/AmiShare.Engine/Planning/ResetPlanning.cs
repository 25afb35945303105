using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Planning
{
    /// <summary>
    /// The key-policy and snapshot part of a Reset-AmiLaunchPermission plan: with -IncludeKmsKey / -IncludeSnapshot the principals
    /// that had a launch permission also lose their part of AmiShare's key-policy statements and the snapshots'
    /// createVolumePermission (as Revoke does for the principals it is given). Whatever access remains afterwards is said in a
    /// warning. One instance per plan; no shared state.
    /// </summary>
    internal sealed class ResetPlanning
    {
        private static readonly Regex s_rootArn = new Regex(@":iam::([0-9]{12}):root$", RegexOptions.CultureInvariant);

        private readonly IEc2Gateway _ec2;
        private readonly IKmsGateway _kms;
        private readonly KeyAccessKeeper _keeper;
        private readonly IShareReporter _reporter;
        private readonly string _region;
        private readonly Action<KeyFacts> _requireKms;

        public ResetPlanning(IEc2Gateway ec2, IKmsGateway kms, KeyAccessKeeper keeper, IShareReporter reporter, string region, Action<KeyFacts> requireKms)
        {
            _ec2 = ec2;
            _kms = kms;
            _keeper = keeper;
            _reporter = reporter;
            _region = region;
            _requireKms = requireKms;
        }

        public async Task<KeyPolicyChange> PlanKeyAsync(ShareFactsLoader loader, SharePlan plan, KeyFacts key, List<string> warnings, List<AccessKept> keptOnPurpose, CancellationToken cancellationToken)
        {
            bool include = plan.Options.IncludeKmsKey;
            if (include)
            {
                _requireKms(key);
            }
            else if (_kms == null || key.Info == null)
            {
                string why = key.DescribeError?.Reason ?? "KMS is not available to this command";
                _reporter.Verbose($"{plan.ImageId}: KMS key {key.KeyId} not checked for AmiShare statements ({why.TrimEnd('.')})");
                return null;
            }

            if (key.Info.IsAwsManaged)
            {
                return null; // AWS managed keys have no AmiShare statements (and their policy cannot be changed)
            }

            await loader.LoadPolicyAsync(key, withGrants: false, ct: cancellationToken).ConfigureAwait(false);
            if (key.PolicyError != null)
            {
                if (include)
                {
                    throw key.PolicyError;
                }

                _reporter.Verbose($"{plan.ImageId}: the key policy of {key.KeyArn} could not be read, so AmiShare statements left in it are not reported: {key.PolicyError.Reason}");
                return null;
            }

            // With -IncludeKmsKey, a principal another AMI behind the key is still shared with keeps its key access.
            IReadOnlyList<Principal> losing = plan.Current;
            int keptBefore = keptOnPurpose.Count;
            if (include)
            {
                losing = await _keeper.KeyAccessToRemoveAsync(plan.ImageId, Array.Empty<Principal>(), key.KeyArn, key.Policy, KeyAccessKeeper.KeyPolicyHolders(key.KeyArn, key.Policy, plan.Current), keptOnPurpose, cancellationToken).ConfigureAwait(false);
            }

            var stayOnPurpose = new HashSet<string>(keptOnPurpose.Skip(keptBefore).SelectMany(k => NamesOf(k.Principal)), StringComparer.Ordinal);
            KeyPolicyChange change = KeyPolicyPlanner.PlanRevoke(key.KeyArn, key.Policy, losing);
            string after = change?.NewPolicy ?? key.Policy;
            KeyPolicyDocument left = KeyPolicyDocument.Parse(after, key.KeyArn);

            List<string> kept = ManagedPrincipals(left).Where(k => !stayOnPurpose.Contains(k)).ToList();
            if (!include && change != null)
            {
                List<string> named = plan.Current.Where(p => KeyPolicyPlanner.PlanRevoke(key.KeyArn, key.Policy, new[] { p }) != null).Select(p => p.Value).ToList();
                warnings.Add($"AmiShare's statements in the key policy of {key.KeyArn} still give {string.Join(", ", named)} access to the key after the reset. " +
                             $"Add -IncludeKmsKey to remove them with the launch permissions, or run Revoke-AmiLaunchPermission {plan.ImageId} -Principal {string.Join(", ", named)} -IncludeKmsKey afterwards.");
                kept = kept.Where(k => !named.Contains(k)).ToList();
            }

            if (kept.Count > 0)
            {
                warnings.Add($"AmiShare's statements in the key policy of {key.KeyArn} keep giving {string.Join(", ", kept)} access to the key: they have no launch permission on {plan.ImageId} (another AMI may use the key). " +
                             $"If they should lose it, run Revoke-AmiLaunchPermission {plan.ImageId} -Principal {string.Join(", ", kept)} -IncludeKmsKey.");
            }

            // Access through statements AmiShare does not own stays: AmiShare never edits them. Accounts only (no Organizations reads).
            foreach (Principal p in plan.Current.Where(x => x.Type == PrincipalType.Account && x.Value != key.Info.AccountId))
            {
                var subject = new KeyAccessSubject { Type = PrincipalType.Account, Principal = p.Value, AccountId = p.Value };
                KeyAccessResult access = KeyAccessEvaluator.Evaluate(left.StatementTexts, Array.Empty<KmsGrantInfo>(), subject, _region);
                if (access.HasAccess)
                {
                    warnings.Add($"Account {p.Value} keeps access to KMS key {key.KeyArn} through key-policy statements AmiShare does not own ({string.Join("; ", access.Sources)}); " +
                                 "AmiShare never changes those. Edit the key policy (Write-KMSKeyPolicy) if the account should lose it.");
                }
            }

            return include ? change : null;
        }

        public async Task<IReadOnlyList<SnapshotPermissionChange>> PlanSnapshotsAsync(SharePlan plan, ShareFacts ctx, List<string> warnings, List<AccessKept> keptOnPurpose, CancellationToken cancellationToken)
        {
            var changes = new List<SnapshotPermissionChange>();
            var removable = new HashSet<string>(plan.Current.Where(p => p.Type == PrincipalType.Account && p.Value != ctx.Image.OwnerId).Select(p => p.Value), StringComparer.Ordinal);
            foreach (string snapshotId in ctx.Image.Snapshots.Select(s => s.SnapshotId).Distinct())
            {
                IReadOnlyList<string> shared;
                try
                {
                    shared = await _ec2.GetCreateVolumePermissionsAsync(snapshotId, cancellationToken).ConfigureAwait(false);
                }
                catch (AmiShareException e) when (!plan.Options.IncludeSnapshot)
                {
                    _reporter.Verbose($"{plan.ImageId}: createVolumePermission of {snapshotId} could not be read, so its sharing is not reported: {e.Reason}");
                    continue;
                }

                List<string> remove = shared.Where(removable.Contains).ToList();
                List<string> stays = shared.Where(a => !removable.Contains(a)).ToList();
                if (plan.Options.IncludeSnapshot && remove.Count > 0)
                {
                    // Another AMI backed by this snapshot that stays shared with the account keeps its createVolumePermission.
                    remove = await _keeper.SnapshotAccessToRemoveAsync(plan.ImageId, Array.Empty<Principal>(), snapshotId, remove, keptOnPurpose, cancellationToken).ConfigureAwait(false);
                }

                if (plan.Options.IncludeSnapshot && remove.Count > 0)
                {
                    changes.Add(new SnapshotPermissionChange { SnapshotId = snapshotId, AddAccounts = new List<string>(), RemoveAccounts = remove });
                }
                else if (remove.Count > 0)
                {
                    warnings.Add($"Snapshot {snapshotId} stays shared with {string.Join(", ", remove)} (createVolumePermission), so they can still copy it after the reset. " +
                                 "Add -IncludeSnapshot to remove that with the launch permissions.");
                }

                if (stays.Count > 0)
                {
                    string who = string.Join(", ", stays.Select(a => a == "all" ? "everyone (group 'all')" : a));
                    warnings.Add($"Snapshot {snapshotId} is shared with {who} (createVolumePermission), who have no launch permission on {plan.ImageId}: they can still copy it. " +
                                 $"Remove that with Edit-EC2SnapshotAttribute -SnapshotId {snapshotId} -Attribute createVolumePermission -OperationType remove " +
                                 (stays.Contains("all") ? "-GroupName all" : "-UserId " + string.Join(",", stays)) + ".");
                }
            }

            return changes;
        }

        /// <summary>The names <see cref="ManagedPrincipals"/> uses for a launch-permission value (account id, o-… id, ou-… id).</summary>
        private static IEnumerable<string> NamesOf(string principal)
        {
            yield return principal;
            string last = principal.Split('/').Last();
            if (last != principal)
            {
                yield return last;
            }
        }

        /// <summary>The principals AmiShare's statements of a key policy name, as account ids, o-… and ou-… ids.</summary>
        private static List<string> ManagedPrincipals(KeyPolicyDocument document)
        {
            var names = new List<string>();
            names.AddRange(document.AccountPrincipals.Select(a => s_rootArn.Match(a) is Match m && m.Success ? m.Groups[1].Value : a));
            names.AddRange(document.OrganizationIds);
            names.AddRange(document.OrganizationalUnitPaths.Select(p => p.TrimEnd('*').TrimEnd('/').Split('/').Last()));
            return names.Distinct(StringComparer.Ordinal).ToList();
        }
    }
}
