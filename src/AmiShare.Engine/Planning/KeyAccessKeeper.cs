using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Planning
{
    /// <summary>
    /// Revoke / Reset with -IncludeKmsKey / -IncludeSnapshot: key access and snapshot permissions belong to the key and the
    /// snapshot, not to one AMI. A principal loses them only when, after the run, no AMI the caller owns behind that key /
    /// snapshot (in this region) is still shared with it (see <see cref="OwnedImageLedger"/>). Thread-safe: it keeps no
    /// state of its own (the ledger locks its own).
    /// </summary>
    internal sealed class KeyAccessKeeper
    {
        private readonly OwnedImageLedger _ledger;
        private readonly IShareReporter _reporter;

        public KeyAccessKeeper(OwnedImageLedger ledger, IShareReporter reporter)
        {
            _ledger = ledger;
            _reporter = reporter;
        }

        /// <summary>The principals whose part of AmiShare's statements in the key's policy a revoke would remove (pure; no call).</summary>
        public static IReadOnlyList<Principal> KeyPolicyHolders(string keyArn, string policy, IReadOnlyList<Principal> principals) =>
            principals.Where(p => KeyPolicyPlanner.PlanRevoke(keyArn, policy, new[] { p }) != null).ToList();

        /// <summary>
        /// Splits <paramref name="candidates"/> (about to lose access to KMS key <paramref name="keyArn"/>) into those that may
        /// lose it and those another AMI behind the key (or this one, with <paramref name="after"/>) still needs it for.
        /// </summary>
        public async Task<IReadOnlyList<Principal>> KeyAccessToRemoveAsync(string imageId, IReadOnlyList<Principal> after, string keyArn, string policy, IReadOnlyList<Principal> candidates, List<AccessKept> kept, CancellationToken ct)
        {
            if (candidates.Count == 0)
            {
                return candidates;
            }

            IReadOnlyList<string> others = await _ledger.OtherImagesBehindKeyAsync(imageId, keyArn, ct).ConfigureAwait(false);

            // A launch permission whose principal keeps its own part of AmiShare's statements does not need anyone else's.
            var own = new Dictionary<Principal, bool>();
            bool KeepsOwnAccess(Principal q)
            {
                if (!own.TryGetValue(q, out bool has))
                {
                    own[q] = has = !candidates.Contains(q) && KeyPolicyPlanner.PlanRevoke(keyArn, policy, new[] { q }) != null;
                }

                return has;
            }

            return await FilterStillNeededAsync(imageId, after, others, keyArn, candidates, KeepsOwnAccess, kept, ct).ConfigureAwait(false);
        }

        /// <summary>The accounts (or "all", group all) that may lose createVolumePermission on <paramref name="snapshotId"/>; the others go to <paramref name="kept"/>.</summary>
        public async Task<List<string>> SnapshotAccessToRemoveAsync(string imageId, IReadOnlyList<Principal> after, string snapshotId, IReadOnlyList<string> accounts, List<AccessKept> kept, CancellationToken ct)
        {
            if (accounts.Count == 0)
            {
                return accounts.ToList();
            }

            IReadOnlyList<string> others = await _ledger.OtherImagesBackedByAsync(imageId, snapshotId, ct).ConfigureAwait(false);
            IReadOnlyList<Principal> remove = await FilterStillNeededAsync(
                imageId, after, others, snapshotId, accounts.Select(a => a == Principal.Everyone.Value ? Principal.Everyone : Principal.FromWire(PrincipalType.Account, a)).ToList(), _ => false, kept, ct).ConfigureAwait(false);
            return remove.Select(p => p.Value).ToList();
        }

        private async Task<IReadOnlyList<Principal>> FilterStillNeededAsync(string imageId, IReadOnlyList<Principal> after, IReadOnlyList<string> others, string resource, IReadOnlyList<Principal> candidates, Func<Principal, bool> keepsOwnAccess, List<AccessKept> kept, CancellationToken ct)
        {
            var shares = new List<KeyValuePair<string, IReadOnlyList<Principal>>>
            {
                new KeyValuePair<string, IReadOnlyList<Principal>>(imageId, after ?? Array.Empty<Principal>()),
            };
            foreach (string other in others)
            {
                shares.Add(new KeyValuePair<string, IReadOnlyList<Principal>>(other, await _ledger.PermissionsAsync(other, ct).ConfigureAwait(false)));
            }

            var remove = new List<Principal>();
            foreach (Principal p in candidates)
            {
                string reason = await _ledger.StillNeededByAsync(p, shares, keepsOwnAccess, ct).ConfigureAwait(false);
                if (reason == null)
                {
                    remove.Add(p);
                    continue;
                }

                var note = new AccessKept { Resource = resource, Principal = p.Value, Reason = reason };
                kept.Add(note);
                _reporter.Verbose($"{imageId}: keeping the access of {note}");
            }

            return remove;
        }
    }
}
