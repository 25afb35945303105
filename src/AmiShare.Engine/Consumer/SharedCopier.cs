using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Distribution;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Jobs;

namespace AmiShare.Engine.Consumer
{
    /// <summary>
    /// Copy-SharedAmi for one shared AMI: the source as the caller sees it (DescribeImages, DescribeKey of its keys as the
    /// caller, DescribeSnapshots RestorableBy=self) → refusals naming the owner's missing grant → every target region's facts
    /// in parallel (the caller's key, EBS defaults, earlier copies by their amishare:source tag) → pure plan
    /// (<see cref="SharedCopyPlanner"/>) → approval per region → CopyImage where no earlier copy exists → wait for available
    /// (one DescribeImages per region per poll) → one row per region. Nothing is copied anywhere when any check fails.
    /// </summary>
    public sealed class SharedCopier
    {
        private readonly Func<string, RegionGateways> _regions;
        private readonly Func<string, IEc2ConsumerGateway> _consumer;
        private readonly Func<CancellationToken, Task<string>> _callerAccount;
        private readonly PublishSettings _settings;

        /// <summary>
        /// A copier over the gateways of a region by name (<paramref name="regions"/>: copy calls and KMS;
        /// <paramref name="consumer"/>: the consumer's snapshot read), the caller's account (STS) and the poll settings.
        /// </summary>
        public SharedCopier(Func<string, RegionGateways> regions, Func<string, IEc2ConsumerGateway> consumer, Func<CancellationToken, Task<string>> callerAccount, PublishSettings settings)
        {
            _regions = regions ?? throw new ArgumentNullException(nameof(regions));
            _consumer = consumer ?? throw new ArgumentNullException(nameof(consumer));
            _callerAccount = callerAccount ?? throw new ArgumentNullException(nameof(callerAccount));
            _settings = settings ?? new PublishSettings();
        }

        /// <summary>Copies <paramref name="request"/>'s source into the caller's account; rows and messages go to <paramref name="callbacks"/>.</summary>
        public async Task CopyAsync(SharedCopyRequest request, ICopyCallbacks<SharedCopyResult> callbacks, CancellationToken cancellationToken)
        {
            if (request == null || callbacks == null)
            {
                throw new ArgumentNullException(request == null ? nameof(request) : nameof(callbacks));
            }

            request.SourceImageId = ImageIds.Normalize(request.SourceImageId);
            request.Validate();
            SharedSourceFacts source = await LoadSourceAsync(request, cancellationToken).ConfigureAwait(false);
            SharedCopyPlanner.CheckSource(source);
            var publish = new PublishRequest { Regions = request.Regions, KmsKeyId = request.KmsKeyId, KmsKeyIds = request.KmsKeyIds };
            var distribution = new SourceFacts { Region = source.Region, Image = source.Image };
            IReadOnlyDictionary<string, RegionFacts> facts = await DistributionFactsLoader.LoadRegionsAsync(publish, distribution, _regions, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<RegionPlan> plans = SharedCopyPlanner.Plan(request, source, facts);

            var approved = new List<PendingCopy>();
            foreach (RegionPlan plan in plans)
            {
                var entry = new PendingCopy { Plan = plan };
                if (plan.Kind == RegionPlanKind.Reuse)
                {
                    callbacks.Verbose($"{request.SourceRegion}/{request.SourceImageId} in {plan.Region}: already copied as {plan.ImageId} ({plan.Image.State}); no CopyImage");
                    approved.Add(entry);
                    continue;
                }

                string target = $"{request.SourceImageId} ({request.SourceRegion}, owner {source.Image.OwnerId}) to {plan.Region}";
                ApprovalAnswer answer = await callbacks.ApproveAsync("Copy shared AMI into this account", target, new[] { Describe(plan) }, cancellationToken).ConfigureAwait(false);
                if (answer == ApprovalAnswer.Approved)
                {
                    approved.Add(entry);
                }
            }

            var waiter = new CopyWaiter(_regions, _settings.PollInterval, request.Timeout, Texts(request), approved, callbacks.Progress, callbacks.StopNote);
            await waiter.StartCopiesAsync(cancellationToken).ConfigureAwait(false);
            if (!request.NoWait)
            {
                await Task.WhenAll(approved.GroupBy(e => e.Plan.Region, StringComparer.Ordinal)
                    .Select(region => waiter.WaitAsync(region.ToList(), cancellationToken))).ConfigureAwait(false);
            }

            foreach (PendingCopy e in approved.Where(e => !e.Failed))
            {
                callbacks.Result(Row(e, request, source));
            }

            callbacks.StopNote(null);
            if (waiter.FirstError != null)
            {
                throw waiter.FirstError;
            }
        }

        /// <summary>The -WhatIf / -Confirm line of a region's copy.</summary>
        public static string Describe(RegionPlan plan)
        {
            CopyImageSpec c = plan?.Copy ?? throw new ArgumentNullException(nameof(plan));
            string key = plan.KmsKeyArn != null ? "encrypted with " + plan.KmsKeyArn : "unencrypted";
            return $"CopyImage {c.SourceRegion}/{c.SourceImageId} to {plan.Region} as '{c.Name}', {key}; tag {CopyIdentity.SourceTagKey}={CopyIdentity.SourceTagValue(c.SourceRegion, c.SourceImageId)}";
        }

        private async Task<SharedSourceFacts> LoadSourceAsync(SharedCopyRequest request, CancellationToken cancellationToken)
        {
            string caller = await _callerAccount(cancellationToken).ConfigureAwait(false);
            RegionGateways g = _regions(request.SourceRegion);
            IReadOnlyList<ImageInfo> found = await g.Ec2.DescribeImagesAsync(new[] { request.SourceImageId }, cancellationToken).ConfigureAwait(false);
            var facts = new SharedSourceFacts
            {
                CallerAccount = caller,
                Region = request.SourceRegion,
                ImageId = request.SourceImageId,
                Image = found.FirstOrDefault(i => string.Equals(i.ImageId, request.SourceImageId, StringComparison.Ordinal)),
            };
            if (facts.Image == null || string.Equals(facts.Image.OwnerId, caller, StringComparison.Ordinal))
            {
                return facts;
            }

            facts.KeyProblems = await ConsumerAccess.ReadKeyProblemsAsync(g.Kms, ConsumerAccess.KeysOf(facts.Image), cancellationToken).ConfigureAwait(false);
            facts.Restorable = await ConsumerAccess.ReadRestorableAsync(_consumer(request.SourceRegion), facts.Image.Snapshots.Select(s => s.SnapshotId), cancellationToken).ConfigureAwait(false);
            return facts;
        }

        private static SharedCopyResult Row(PendingCopy e, SharedCopyRequest request, SharedSourceFacts source)
        {
            ImageInfo image = e.Plan.Image;
            return new SharedCopyResult
            {
                SourceImageId = request.SourceImageId,
                SourceRegion = request.SourceRegion,
                SourceOwnerId = source.Image.OwnerId,
                Region = e.Plan.Region,
                ImageId = image?.ImageId,
                ImageName = image?.Name,
                State = image?.State,
                KmsKeyId = image?.Snapshots?.FirstOrDefault(s => s.Encrypted)?.KmsKeyId ?? e.Plan.KmsKeyArn,
                Action = e.Plan.Kind == RegionPlanKind.Create ? "Created" : "Reused",
                Changes = e.Writes,
            };
        }

        private static CopyWaitTexts Texts(SharedCopyRequest request) => new CopyWaitTexts
        {
            Command = "Copy-SharedAmi",
            Rerun = "wait for them",
            Source = $"{request.SourceRegion}/{request.SourceImageId}",
            Activity = region => $"Copying shared {request.SourceRegion}/{request.SourceImageId} to {region}",
            TimeoutRemedy = "Run the same Copy-SharedAmi again later: it finds these copies (no new CopyImage) and waits for them.",
            FailedRemedy = "Check the copy's StateReason (Get-EC2Image), e.g. a key the copy can't use or the owner's grants withdrawn meanwhile; deregister the failed copy, fix the cause and run Copy-SharedAmi again.",
        };
    }
}
