using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Planning
{
    /// <summary>Set-AmiPublic's plans: public or private, with the backing snapshots under -IncludeSnapshot.</summary>
    internal sealed partial class SharePlanner
    {
        /// <summary>
        /// Set-AmiPublic -Public:$true: the same checks as Test-AmiShareable -Public, so both always agree. With -IncludeSnapshot
        /// the backing snapshots are made public too (written before the AMI), unless block public access for snapshots
        /// forbids it: then the AMI is still made public and the SnapshotBlockPublicAccess warning says its snapshots were left.
        /// </summary>
        public async Task<SharePlan> SetPublicAsync(string id, ShareOptions options, CancellationToken cancellationToken)
        {
            options = options ?? ShareOptions.None;
            var checks = new ShareOptions { IncludeSnapshot = options.IncludeSnapshot };
            PreflightContext ctx = await Runner().RunAsync(id, null, true, checks, cancellationToken).ConfigureAwait(false);
            PreflightReport report = ctx.Report;
            SharePlan plan = NewPlan(id, ShareOperation.SetPublic, ctx.Current, checks);
            plan.ImageName = ctx.Image.Name;
            plan.Preflight = report;
            bool alreadyPublic = ctx.Owned && ctx.Current.Contains(Principal.Everyone);
            if (alreadyPublic && !options.IncludeSnapshot)
            {
                plan.Unchanged = new[] { Principal.Everyone };
                return plan;
            }

            if (report.HasFailures)
            {
                throw report.ToException();
            }

            plan.Warnings = ctx.WarningTexts;
            if (alreadyPublic)
            {
                plan.Unchanged = new[] { Principal.Everyone };
            }
            else
            {
                plan.ToAdd = new[] { Principal.Everyone };
            }

            SnapshotBlockPublicAccessInfo block = ctx.Facts.SnapshotBlockPublicAccess;
            if (options.IncludeSnapshot && (block == null || !block.BlocksNewSharing))
            {
                // EC2 refuses group all on a snapshot under the block: left out (the warning says so), never a failed write.
                plan.SnapshotChanges = await PlanPublicSnapshotsAsync(ctx.Image, true, null, null, cancellationToken).ConfigureAwait(false);
            }

            return plan;
        }

        /// <summary>
        /// Set-AmiPublic -Public:$false: removes group 'all' when present (one read). With -IncludeSnapshot also removes group
        /// 'all' from the backing snapshots, except one that backs another of the caller's AMIs that stays public.
        /// </summary>
        public async Task<SharePlan> SetPrivateAsync(string id, ShareOptions options, CancellationToken cancellationToken)
        {
            options = options ?? ShareOptions.None;
            var checks = new ShareOptions { IncludeSnapshot = options.IncludeSnapshot };
            IReadOnlyList<Principal> now = await _ec2.GetLaunchPermissionsAsync(id, cancellationToken).ConfigureAwait(false);
            SharePlan plan = NewPlan(id, ShareOperation.SetPrivate, now, checks);
            if (now.Contains(Principal.Everyone))
            {
                plan.ToRemove = new[] { Principal.Everyone };
            }
            else
            {
                plan.Unchanged = new[] { Principal.Everyone };
            }

            if (options.IncludeSnapshot)
            {
                ImageInfo image = await _ec2.DescribeImageAsync(id, cancellationToken).ConfigureAwait(false);
                plan.ImageName = image.Name;
                var kept = new List<AccessKept>();
                plan.SnapshotChanges = await PlanPublicSnapshotsAsync(image, false, plan.Expected, kept, cancellationToken).ConfigureAwait(false);
                plan.AccessKept = kept;
            }

            return plan;
        }

        /// <summary>
        /// Group 'all' on each backing snapshot: added where missing (<paramref name="makePublic"/>), or removed where present
        /// unless another of the caller's AMIs behind the snapshot stays public after this run's writes (<paramref name="kept"/>).
        /// </summary>
        private async Task<IReadOnlyList<SnapshotPermissionChange>> PlanPublicSnapshotsAsync(ImageInfo image, bool makePublic, IReadOnlyList<Principal> after, List<AccessKept> kept, CancellationToken cancellationToken)
        {
            var changes = new List<SnapshotPermissionChange>();
            string[] all = { Principal.Everyone.Value };
            foreach (string snapshotId in image.Snapshots.Select(s => s.SnapshotId).Distinct())
            {
                IReadOnlyList<string> current = await _ec2.GetCreateVolumePermissionsAsync(snapshotId, cancellationToken).ConfigureAwait(false);
                bool isPublic = current.Contains(Principal.Everyone.Value);
                if (makePublic && !isPublic)
                {
                    changes.Add(new SnapshotPermissionChange { SnapshotId = snapshotId, AddAccounts = all });
                }
                else if (!makePublic && isPublic)
                {
                    List<string> remove = await _keeper.SnapshotAccessToRemoveAsync(image.ImageId, after, snapshotId, all, kept, cancellationToken).ConfigureAwait(false);
                    if (remove.Count > 0)
                    {
                        changes.Add(new SnapshotPermissionChange { SnapshotId = snapshotId, RemoveAccounts = remove });
                    }
                }
            }

            return changes;
        }
    }
}
