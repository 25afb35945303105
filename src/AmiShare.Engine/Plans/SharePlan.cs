using System;
using System.Collections.Generic;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Plans
{
    /// <summary>
    /// The exact change one AMI will get: computed from its current launch permissions, so -WhatIf
    /// prints the real plan and a plan with nothing to do makes no write at all. Built by the planner
    /// (setters are internal: nothing outside the engine changes a plan after planning).
    /// </summary>
    public sealed class SharePlan
    {
        /// <summary>The AMI the plan is for.</summary>
        public string ImageId { get; internal set; }

        /// <summary>The AMI's name, when the plan read the image.</summary>
        public string ImageName { get; internal set; }

        /// <summary>The AMI's region.</summary>
        public string Region { get; internal set; }

        /// <summary>The operation planned.</summary>
        public ShareOperation Operation { get; internal set; }

        /// <summary>Launch permissions before the change.</summary>
        public IReadOnlyList<Principal> Current { get; internal set; } = Array.Empty<Principal>();

        /// <summary>Principals the write will add (already-present ones are left out).</summary>
        public IReadOnlyList<Principal> ToAdd { get; internal set; } = Array.Empty<Principal>();

        /// <summary>Principals the write will remove (absent ones are left out).</summary>
        public IReadOnlyList<Principal> ToRemove { get; internal set; } = Array.Empty<Principal>();

        /// <summary>Requested principals that need no change (already granted / already absent).</summary>
        public IReadOnlyList<Principal> Unchanged { get; internal set; } = Array.Empty<Principal>();

        /// <summary>Warnings the cmdlet writes before asking ShouldProcess.</summary>
        public IReadOnlyList<string> Warnings { get; internal set; } = Array.Empty<string>();

        /// <summary>Options the plan was made with.</summary>
        public ShareOptions Options { get; internal set; } = ShareOptions.None;

        /// <summary>The preflight findings behind this plan (Grant and Set-AmiPublic), or null.</summary>
        public PreflightReport Preflight { get; internal set; }

        /// <summary>Key policy changes (-IncludeKmsKey): one PutKeyPolicy each.</summary>
        public IReadOnlyList<KeyPolicyChange> KeyPolicyChanges { get; internal set; } = Array.Empty<KeyPolicyChange>();

        /// <summary>createVolumePermission changes (-IncludeSnapshot).</summary>
        public IReadOnlyList<SnapshotPermissionChange> SnapshotChanges { get; internal set; } = Array.Empty<SnapshotPermissionChange>();

        /// <summary>
        /// KMS key access and snapshot createVolumePermission the plan keeps on purpose (-IncludeKmsKey / -IncludeSnapshot):
        /// another AMI the caller owns behind the key or snapshot is still shared with the principal after the run.
        /// </summary>
        public IReadOnlyList<AccessKept> AccessKept { get; internal set; } = Array.Empty<AccessKept>();

        /// <summary>Set: how many of <see cref="KeyPolicyChanges"/> (the first ones) give the added principals access, so go before the image write.</summary>
        internal int KeyChangesBeforeImage { get; set; }

        /// <summary>Set: how many of <see cref="SnapshotChanges"/> (the first ones) give the added accounts access, so go before the image write.</summary>
        internal int SnapshotChangesBeforeImage { get; set; }

        /// <summary>True when the launch permissions themselves change (one EC2 write).</summary>
        public bool HasImageChanges => IsReset ? Current.Count > 0 : (ToAdd.Count + ToRemove.Count) > 0;

        /// <summary>True when the write is ResetImageAttribute rather than ModifyImageAttribute.</summary>
        public bool IsReset => Operation == ShareOperation.Reset;

        /// <summary>True when applying the plan would call AWS.</summary>
        public bool HasChanges => HasImageChanges || KeyPolicyChanges.Count > 0 || SnapshotChanges.Count > 0;

        /// <summary>Launch permissions after the change, as planned.</summary>
        public IReadOnlyList<Principal> Expected
        {
            get
            {
                if (IsReset)
                {
                    return Array.Empty<Principal>();
                }

                var after = new List<Principal>();
                var removed = new HashSet<Principal>(ToRemove);
                foreach (var p in Current)
                {
                    if (!removed.Contains(p))
                    {
                        after.Add(p);
                    }
                }

                foreach (var p in ToAdd)
                {
                    if (!after.Contains(p))
                    {
                        after.Add(p);
                    }
                }

                return after;
            }
        }

        /// <summary>The ShouldProcess action text, e.g. "Grant launch permission to 111122223333, 444455556666".</summary>
        public string Describe()
        {
            var parts = new List<string>();
            switch (Operation)
            {
                case ShareOperation.Reset:
                    if (Current.Count > 0)
                    {
                        parts.Add("Reset launch permissions (remove all " + Current.Count + ": " + Join(Current) + ")");
                    }

                    break;
                case ShareOperation.SetPublic:
                    if (ToAdd.Count > 0)
                    {
                        parts.Add("Make public (add launch permission group 'all')");
                    }

                    break;
                case ShareOperation.SetPrivate:
                    if (ToRemove.Count > 0)
                    {
                        parts.Add("Make private (remove launch permission group 'all')");
                    }

                    break;
                case ShareOperation.Set:
                    if (ToAdd.Count + ToRemove.Count > 0)
                    {
                        parts.Add($"Set launch permissions to {Join(Expected)} (add: {Join(ToAdd)}; remove: {Join(ToRemove)})");
                    }

                    break;
                default:
                    if (ToAdd.Count > 0)
                    {
                        parts.Add("Grant launch permission to " + Join(ToAdd));
                    }

                    if (ToRemove.Count > 0)
                    {
                        parts.Add("Revoke launch permission from " + Join(ToRemove));
                    }

                    break;
            }

            foreach (var k in KeyPolicyChanges)
            {
                parts.Add("Update the AmiShare statements of KMS key policy " + k.KeyArn);
            }

            foreach (var s in SnapshotChanges)
            {
                if (s.AddAccounts.Count > 0)
                {
                    parts.Add(s.AddAccounts.Count == 1 && s.AddAccounts[0] == Principal.Everyone.Value
                        ? $"Make snapshot {s.SnapshotId} public (add createVolumePermission group 'all')"
                        : $"Give createVolumePermission on {s.SnapshotId} to {string.Join(", ", s.AddAccounts)}");
                }

                if (s.RemoveAccounts.Count > 0)
                {
                    parts.Add(s.RemoveAccounts.Count == 1 && s.RemoveAccounts[0] == Principal.Everyone.Value
                        ? $"Make snapshot {s.SnapshotId} private (remove createVolumePermission group 'all')"
                        : $"Remove createVolumePermission on {s.SnapshotId} from {string.Join(", ", s.RemoveAccounts)}");
                }
            }

            foreach (var k in AccessKept)
            {
                parts.Add("Keep the access of " + k);
            }

            return parts.Count == 0 ? "No change" : string.Join("; ", parts);
        }

        /// <summary>Why a plan without changes has none, e.g. "111122223333 already has launch permission".</summary>
        public string DescribeNoChange()
        {
            string who = Join(Unchanged);
            string verb = Unchanged.Count == 1 ? "has" : "have";
            switch (Operation)
            {
                case ShareOperation.Grant:
                    return Unchanged.Count == 0 ? "no principal to add" : $"{who} already {verb} launch permission";
                case ShareOperation.Revoke:
                    return Unchanged.Count == 0 ? "no principal to remove" : $"{who} {verb} no launch permission to revoke";
                case ShareOperation.SetPublic:
                    return "already public";
                case ShareOperation.SetPrivate:
                    return "already private";
                case ShareOperation.Set:
                    return $"launch permissions are already exactly {Join(Unchanged)}";
                default:
                    return "no launch permissions to remove";
            }
        }

        private static string Join(IReadOnlyList<Principal> list)
        {
            var values = new List<string>();
            foreach (var p in list)
            {
                values.Add(p.Value);
            }

            return values.Count == 0 ? "none" : string.Join(", ", values);
        }
    }
}
