using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Distribution
{
    /// <summary>
    /// One region's steps after its AMI is available: read what is there (launch permissions and key access through the
    /// grant planner, tags, deprecation time, the SSM parameter), describe the differences, and write only those: the grant
    /// (AmiShareService.ApplyAsync: keys and snapshots first, then the launch permissions), tags, deprecation, then SSM last
    /// so consumers only find an AMI they can launch.
    /// </summary>
    internal static class RegionSteps
    {
        public static async Task<RegionWork> PlanAsync(PublishRequest request, RegionPlan plan, ImageInfo image, RegionGateways g, DateTime? deprecateAt, CancellationToken cancellationToken)
        {
            var work = new RegionWork
            {
                Image = image,
                Tags = DistributionPlanner.TagsToSet(image, DistributionPlanner.WantedTags(request, plan.Kind)),
                DeprecateAt = DistributionPlanner.NeedsDeprecation(image, deprecateAt) ? deprecateAt : null,
            };
            if (request.SsmParameterName != null)
            {
                work.SsmCurrent = await g.Ssm.GetParameterValueAsync(request.SsmParameterName, cancellationToken).ConfigureAwait(false);
                work.WriteSsm = !string.Equals(work.SsmCurrent, image.ImageId, StringComparison.Ordinal);
            }

            if (request.Principals.Count > 0)
            {
                work.Grant = await g.Sharing.PlanGrantAsync(image.ImageId, request.Principals, request.Options, cancellationToken).ConfigureAwait(false);
            }

            return work;
        }

        /// <summary>The -WhatIf / -Confirm lines of an available AMI's remaining writes (empty when there is nothing to do).</summary>
        public static IReadOnlyList<string> Describe(RegionWork work, PublishRequest request)
        {
            var lines = new List<string>();
            string id = work.Image.ImageId;
            if (work.Grant != null && work.Grant.HasChanges)
            {
                lines.Add($"{id}: {work.Grant.Describe()}");
                lines.AddRange(work.Grant.KeyPolicyChanges.Select(c => $"{id}: KMS key {c.KeyArn}: AmiShare statements after: {c.StatementsAfter ?? "(none)"}"));
                lines.AddRange(work.Grant.SnapshotChanges.Select(c => $"{id}: snapshot {c.SnapshotId}: add createVolumePermission for {string.Join(", ", c.AddAccounts)}"));
            }

            if (work.Tags.Count > 0)
            {
                lines.Add($"{id}: set tags {TagText(work.Tags)}");
            }

            if (work.DeprecateAt.HasValue)
            {
                DateTime? current = DeprecationTime.ParseEc2(work.Image.DeprecationTime);
                lines.Add($"{id}: deprecate at {DeprecationTime.Text(work.DeprecateAt.Value)} (currently {(current.HasValue ? DeprecationTime.Text(current.Value) : "not deprecated")})");
            }

            if (work.WriteSsm)
            {
                lines.Add($"SSM parameter {request.SsmParameterName} (aws:ec2:image): {work.SsmCurrent ?? "(new)"} -> {id}");
            }

            return lines;
        }

        /// <summary>The lines of a copy still to make (or still pending): every step, since nothing is there yet.</summary>
        public static IReadOnlyList<string> DescribeNew(PublishRequest request, RegionPlan plan, DateTime? deprecateAt)
        {
            var lines = new List<string>();
            string what;
            if (plan.Kind == RegionPlanKind.Create)
            {
                CopyImageSpec c = plan.Copy;
                string key = c.KmsKeyId != null ? "encrypted with " + c.KmsKeyId : c.Encrypted ? "encrypted with the region's EBS default key" : "unencrypted";
                lines.Add($"CopyImage {c.SourceRegion}/{c.SourceImageId} to {plan.Region} as '{c.Name}', {key}{(plan.ReEncrypts ? " (re-encrypts the source, which is then never shared)" : string.Empty)}; tags {TagText(c.Tags)} and the source's own tags");
                what = "the new copy";
            }
            else
            {
                what = $"{plan.ImageId} (pending copy of an earlier run)";
                lines.Add($"wait for {what} to be available");
            }

            if (request.Principals.Count > 0)
            {
                string extra = (request.Options.IncludeKmsKey ? $", with access to KMS key {plan.KmsKeyArn ?? "(none)"}" : string.Empty)
                    + (request.Options.IncludeSnapshot ? ", with createVolumePermission on its snapshots" : string.Empty);
                lines.Add($"{what}: share with {string.Join(", ", request.Principals.Select(p => p.Value))}{extra}");
            }

            if (deprecateAt.HasValue)
            {
                lines.Add($"{what}: deprecate at {DeprecationTime.Text(deprecateAt.Value)}");
            }

            if (request.SsmParameterName != null)
            {
                lines.Add($"SSM parameter {request.SsmParameterName} (aws:ec2:image) in {plan.Region}: the id of {what}");
            }

            return lines;
        }

        /// <summary>Writes what <paramref name="work"/> says; returns the number of writes.</summary>
        public static async Task<int> ApplyAsync(RegionWork work, PublishRequest request, RegionGateways g, CancellationToken cancellationToken)
        {
            int writes = 0;
            string id = work.Image.ImageId;
            if (work.Grant != null && work.Grant.HasChanges)
            {
                await g.Sharing.ApplyAsync(work.Grant, cancellationToken).ConfigureAwait(false);
                writes += (work.Grant.HasImageChanges ? 1 : 0) + work.Grant.KeyPolicyChanges.Count + work.Grant.SnapshotChanges.Count;
            }

            if (work.Tags.Count > 0)
            {
                await g.Ec2.CreateTagsAsync(id, work.Tags, cancellationToken).ConfigureAwait(false);
                writes++;
            }

            if (work.DeprecateAt.HasValue)
            {
                await g.Ec2.EnableImageDeprecationAsync(id, work.DeprecateAt.Value, cancellationToken).ConfigureAwait(false);
                writes++;
            }

            if (work.WriteSsm)
            {
                await g.Ssm.PutImageParameterAsync(request.SsmParameterName, id, cancellationToken).ConfigureAwait(false);
                writes++;
            }

            return writes;
        }

        private static string TagText(IReadOnlyDictionary<string, string> tags) =>
            tags.Count == 0 ? "(none)" : string.Join(", ", tags.Select(t => t.Key + "=" + t.Value));
    }
}
