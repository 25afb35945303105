using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
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
        public async Task CopyAsync(SharedCopyRequest request, ISharedCopyCallbacks callbacks, CancellationToken cancellationToken)
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

            var approved = new List<Entry>();
            foreach (RegionPlan plan in plans)
            {
                var entry = new Entry { Plan = plan };
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

            foreach (Entry e in approved.Where(e => e.Plan.Kind == RegionPlanKind.Create))
            {
                string id = await _regions(e.Plan.Region).Ec2.CopyImageAsync(e.Plan.Copy, cancellationToken).ConfigureAwait(false);
                e.Plan.Image = new ImageInfo { ImageId = id, Name = e.Plan.Copy.Name, State = "pending", Tags = e.Plan.Copy.Tags };
                e.Writes++;
                NoteRunning(approved, callbacks);
            }

            var errors = new List<AmiShareException>();
            if (!request.NoWait)
            {
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(approved.GroupBy(e => e.Plan.Region, StringComparer.Ordinal)
                    .Select(region => WaitAsync(region.ToList(), approved, request, clock, callbacks, errors, cancellationToken))).ConfigureAwait(false);
            }

            foreach (Entry e in approved.Where(e => !e.Failed))
            {
                callbacks.Result(Row(e, request, source));
            }

            callbacks.StopNote(null);
            if (errors.Count > 0)
            {
                throw errors[0];
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

        private static void NoteRunning(IEnumerable<Entry> entries, ISharedCopyCallbacks callbacks)
        {
            List<string> running = entries
                .Where(e => !e.Failed && e.Plan.Image != null && !IsAvailable(e.Plan.Image))
                .Select(e => $"{e.Plan.Image.ImageId} ({e.Plan.Region})")
                .ToList();
            callbacks.StopNote(running.Count == 0 ? null : $"Copy-SharedAmi: copies still being made, left running: {string.Join(", ", running)}. Run the same Copy-SharedAmi again to wait for them (it finds them by their {CopyIdentity.SourceTagKey} tag; no new copy).");
        }

        /// <summary>Polls one region's pending copies until they are available, failed, or past -TimeoutSec.</summary>
        private async Task WaitAsync(List<Entry> region, List<Entry> all, SharedCopyRequest request, Stopwatch clock, ISharedCopyCallbacks callbacks, List<AmiShareException> errors, CancellationToken cancellationToken)
        {
            List<Entry> waiting = region.Where(e => !IsAvailable(e.Plan.Image)).ToList();
            while (waiting.Count > 0)
            {
                await PollAsync(waiting, request, clock.Elapsed, callbacks, errors, cancellationToken).ConfigureAwait(false);
                waiting = waiting.Where(e => !e.Failed && !IsAvailable(e.Plan.Image)).ToList();
                lock (all)
                {
                    NoteRunning(all, callbacks);
                }

                if (waiting.Count == 0)
                {
                    return;
                }

                if (request.Timeout.HasValue && clock.Elapsed >= request.Timeout.Value)
                {
                    foreach (Entry e in waiting)
                    {
                        e.Failed = true;
                        callbacks.Progress(new JobProgress { Key = e.Plan.Region, Activity = Activity(e, request), Status = "timed out", Completed = true });
                    }

                    lock (errors)
                    {
                        errors.Add(new AmiShareException(
                            ErrorIds.CopyTimedOut,
                            AmiShareErrorKind.OperationStopped,
                            $"The copies {string.Join(", ", waiting.Select(e => $"{e.Plan.ImageId} ({e.Plan.Region})"))} were still pending after -TimeoutSec {request.Timeout.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture)}; they go on.",
                            waiting[0].Plan.ImageId,
                            "Run the same Copy-SharedAmi again later: it finds these copies (no new CopyImage) and waits for them."));
                    }

                    return;
                }

                await Task.Delay(_settings.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task PollAsync(List<Entry> region, SharedCopyRequest request, TimeSpan elapsed, ISharedCopyCallbacks callbacks, List<AmiShareException> errors, CancellationToken cancellationToken)
        {
            RegionGateways g = _regions(region[0].Plan.Region);
            IReadOnlyList<ImageInfo> now = await g.Ec2.DescribeImagesAsync(region.Select(e => e.Plan.ImageId).ToList(), cancellationToken).ConfigureAwait(false);
            foreach (Entry e in region)
            {
                ImageInfo info = now.FirstOrDefault(i => string.Equals(i.ImageId, e.Plan.ImageId, StringComparison.Ordinal));
                if (info == null)
                {
                    // Just created: DescribeImages is eventually consistent, so an absent copy is still pending.
                    callbacks.Progress(new JobProgress { Key = e.Plan.Region, Activity = Activity(e, request), Status = $"{e.Plan.ImageId}: pending ({Minutes(elapsed)})" });
                    continue;
                }

                e.Plan.Image = info;
                bool done = !string.Equals(info.State ?? "pending", "pending", StringComparison.Ordinal);
                callbacks.Progress(new JobProgress { Key = e.Plan.Region, Activity = Activity(e, request), Status = $"{info.ImageId}: {info.State} ({Minutes(elapsed)})", Completed = done });
                if (done && !IsAvailable(info))
                {
                    e.Failed = true;
                    lock (errors)
                    {
                        errors.Add(new AmiShareException(
                            ErrorIds.CopyFailed,
                            AmiShareErrorKind.InvalidOperation,
                            $"The copy {info.ImageId} of {request.SourceRegion}/{request.SourceImageId} in {e.Plan.Region} ended in state '{info.State}'.",
                            info.ImageId,
                            "Check the copy's StateReason (Get-EC2Image), e.g. a key the copy can't use or the owner's grants withdrawn meanwhile; deregister the failed copy, fix the cause and run Copy-SharedAmi again."));
                    }
                }
            }
        }

        private static SharedCopyResult Row(Entry e, SharedCopyRequest request, SharedSourceFacts source)
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

        private static bool IsAvailable(ImageInfo image) => image != null && string.Equals(image.State, "available", StringComparison.Ordinal);

        private static string Activity(Entry e, SharedCopyRequest request) => $"Copying shared {request.SourceRegion}/{request.SourceImageId} to {e.Plan.Region}";

        private static string Minutes(TimeSpan elapsed) => elapsed.TotalMinutes >= 1
            ? ((int)elapsed.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min"
            : ((int)elapsed.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s";

        private sealed class Entry
        {
            public RegionPlan Plan { get; set; }

            public int Writes { get; set; }

            public bool Failed { get; set; }
        }
    }
}
