using System.Collections.Generic;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Sharing
{
    /// <summary>What a mutating cmdlet was asked to do to one AMI.</summary>
    public enum ShareOperation
    {
        Grant,
        Revoke,
        SetPublic,
        SetPrivate,
        Reset,
    }

    /// <summary>
    /// The exact change one AMI will get: computed from its current launch permissions, so -WhatIf
    /// prints the real plan and a plan with nothing to do makes no write at all.
    /// </summary>
    public sealed class SharePlan
    {
        public string ImageId { get; set; }

        public string ImageName { get; set; }

        public string Region { get; set; }

        public ShareOperation Operation { get; set; }

        /// <summary>Launch permissions before the change.</summary>
        public IReadOnlyList<Principal> Current { get; set; } = new Principal[0];

        /// <summary>Principals the write will add (already-present ones are left out).</summary>
        public IReadOnlyList<Principal> ToAdd { get; set; } = new Principal[0];

        /// <summary>Principals the write will remove (absent ones are left out).</summary>
        public IReadOnlyList<Principal> ToRemove { get; set; } = new Principal[0];

        /// <summary>Requested principals that need no change (already granted / already absent).</summary>
        public IReadOnlyList<Principal> Unchanged { get; set; } = new Principal[0];

        /// <summary>Warnings the cmdlet writes before asking ShouldProcess.</summary>
        public IReadOnlyList<string> Warnings { get; set; } = new string[0];

        /// <summary>The AMI as DescribeImages returned it, when the plan read it (name, owner, snapshots).</summary>
        public AmiShare.Engine.Gateways.ImageInfo Image { get; set; }

        /// <summary>Options the plan was made with.</summary>
        public ShareOptions Options { get; set; } = ShareOptions.None;

        /// <summary>The preflight findings behind this plan (Grant and Set-AmiPublic), or null.</summary>
        public AmiShare.Engine.Preflight.PreflightReport Preflight { get; set; }

        /// <summary>Key policy changes (-IncludeKmsKey): one PutKeyPolicy each.</summary>
        public IReadOnlyList<KeyPolicyChange> KeyPolicyChanges { get; set; } = new KeyPolicyChange[0];

        /// <summary>createVolumePermission changes (-IncludeSnapshot).</summary>
        public IReadOnlyList<SnapshotPermissionChange> SnapshotChanges { get; set; } = new SnapshotPermissionChange[0];

        /// <summary>
        /// KMS key access and snapshot createVolumePermission the plan keeps on purpose (-IncludeKmsKey / -IncludeSnapshot):
        /// another AMI the caller owns behind the key or snapshot is still shared with the principal after the run.
        /// </summary>
        public IReadOnlyList<AccessKept> AccessKept { get; set; } = new AccessKept[0];

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
                    return new Principal[0];
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
                    return "Make public (add launch permission group 'all')";
                case ShareOperation.SetPrivate:
                    return "Make private (remove launch permission group 'all')";
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
                    parts.Add($"Give createVolumePermission on {s.SnapshotId} to {string.Join(", ", s.AddAccounts)}");
                }

                if (s.RemoveAccounts.Count > 0)
                {
                    parts.Add($"Remove createVolumePermission on {s.SnapshotId} from {string.Join(", ", s.RemoveAccounts)}");
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

    /// <summary>What happened to one AMI.</summary>
    public sealed class ShareResult
    {
        /// <summary>KMS keys whose policy was changed.</summary>
        public IReadOnlyList<string> KeyPoliciesChanged { get; set; } = new string[0];

        /// <summary>Snapshots whose createVolumePermission was changed.</summary>
        public IReadOnlyList<string> SnapshotsChanged { get; set; } = new string[0];

        /// <summary>KMS key access and snapshot permissions kept because another AMI behind them is still shared with the principal.</summary>
        public IReadOnlyList<AccessKept> AccessKept { get; set; } = new AccessKept[0];

        public string ImageId { get; set; }

        public string ImageName { get; set; }

        public string Region { get; set; }

        public ShareOperation Operation { get; set; }

        public IReadOnlyList<Principal> Added { get; set; } = new Principal[0];

        public IReadOnlyList<Principal> Removed { get; set; } = new Principal[0];

        public IReadOnlyList<Principal> Unchanged { get; set; } = new Principal[0];

        /// <summary>True when an AWS write happened.</summary>
        public bool Changed { get; set; }

        /// <summary>Launch permissions after the change.</summary>
        public IReadOnlyList<Principal> LaunchPermissions { get; set; } = new Principal[0];
    }
}
