using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Jobs;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Distribution
{
    /// <summary>
    /// Publish-Ami for one source AMI: facts (source, then every target region in parallel) → pure plan
    /// (<see cref="DistributionPlanner"/>; refusals come here, before any CopyImage) → approval per region → CopyImage where
    /// no earlier copy exists → wait for available (polling each region's pending copies in one DescribeImages) → per
    /// region, only the writes that differ from what is there (<see cref="RegionSteps"/>) → one row per region.
    /// </summary>
    public sealed class Publisher
    {
        private static readonly string[] s_unfinished = { "pending" };
        private readonly Func<string, RegionGateways> _regions;
        private readonly PublishSettings _settings;
        private readonly Dictionary<string, string> _ssmClaims = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly HashSet<string> _warned = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>A publisher over <paramref name="regions"/> (the gateways of a region by name) and <paramref name="settings"/>.</summary>
        public Publisher(Func<string, RegionGateways> regions, PublishSettings settings)
        {
            _regions = regions ?? throw new ArgumentNullException(nameof(regions));
            _settings = settings ?? new PublishSettings();
        }

        /// <summary>Publishes <paramref name="request"/>'s source; rows and messages go to <paramref name="callbacks"/>.</summary>
        public async Task PublishAsync(PublishRequest request, IPublishCallbacks callbacks, CancellationToken cancellationToken)
        {
            if (request == null || callbacks == null)
            {
                throw new ArgumentNullException(request == null ? nameof(request) : nameof(callbacks));
            }

            PublishInput.Validate(request, _settings.UtcNow());
            request.SourceImageId = ImageIds.Normalize(request.SourceImageId);
            ClaimSsmParameter(request);
            RegionGateways source = _regions(request.SourceRegion);
            if (request.Principals.Any(p => p.IsUnresolved))
            {
                request.Principals = await source.Sharing.ResolvePrincipalsAsync(request.Principals, cancellationToken).ConfigureAwait(false);
            }

            PrincipalSet.RejectPublic(request.SourceImageId, request.Principals);
            SourceFacts sourceFacts = await DistributionFactsLoader.LoadSourceAsync(source, request.SourceImageId, cancellationToken).ConfigureAwait(false);
            DateTime? deprecateAt = DistributionPlanner.DeprecationFor(request, sourceFacts, _settings.UtcNow());
            IReadOnlyDictionary<string, RegionFacts> facts = await DistributionFactsLoader.LoadRegionsAsync(request, sourceFacts, _regions, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<RegionPlan> plans = DistributionPlanner.Plan(request, sourceFacts, facts);

            var approved = new List<Entry>();
            foreach (RegionPlan plan in plans)
            {
                Entry entry = await ApproveAsync(request, plan, deprecateAt, callbacks, cancellationToken).ConfigureAwait(false);
                if (entry != null)
                {
                    approved.Add(entry);
                }
            }

            await CopyAsync(approved, callbacks, cancellationToken).ConfigureAwait(false);
            var errors = new List<AmiShareException>();
            var clock = Stopwatch.StartNew();

            // Each region goes on as soon as its own copy is available: a slow region never holds up the others' sharing,
            // and a stop while one region still waits leaves the finished ones shared.
            await Task.WhenAll(approved.GroupBy(e => e.Plan.Region, StringComparer.Ordinal).Select(async region =>
            {
                List<Entry> entries = region.ToList();
                if (!request.NoWait)
                {
                    await WaitAsync(entries, approved, request, clock, callbacks, errors, cancellationToken).ConfigureAwait(false);
                }

                await Task.WhenAll(entries.Select(e => FinishAsync(e, request, deprecateAt, callbacks, cancellationToken))).ConfigureAwait(false);
            })).ConfigureAwait(false);
            foreach (Entry e in approved.Where(e => !e.Failed))
            {
                callbacks.Result(Row(e, request));
            }

            callbacks.StopNote(null);
            if (errors.Count > 0)
            {
                throw errors[0];
            }
        }

        /// <summary>
        /// One SSM parameter holds one AMI id per region: a second source of the same command with the same
        /// -SsmParameterName would overwrite the first's id, and every rerun would write both again. Refused before any call.
        /// </summary>
        private void ClaimSsmParameter(PublishRequest request)
        {
            if (request.SsmParameterName == null)
            {
                return;
            }

            lock (_ssmClaims)
            {
                if (_ssmClaims.TryGetValue(request.SsmParameterName, out string first) && !string.Equals(first, request.SourceImageId, StringComparison.Ordinal))
                {
                    throw new AmiShareException(
                        ErrorIds.InvalidSsmParameterName,
                        AmiShareErrorKind.InvalidArgument,
                        $"-SsmParameterName '{request.SsmParameterName}' already receives {first} in this command, so {request.SourceImageId} would overwrite it (and every rerun would write the parameter twice).",
                        request.SourceImageId,
                        "Publish one AMI per SSM parameter: run Publish-Ami once for each AMI, each with its own -SsmParameterName (or none). Nothing was copied for this AMI.");
                }

                _ssmClaims[request.SsmParameterName] = request.SourceImageId;
            }
        }

        private async Task<Entry> ApproveAsync(PublishRequest request, RegionPlan plan, DateTime? deprecateAt, IPublishCallbacks callbacks, CancellationToken cancellationToken)
        {
            var entry = new Entry { Plan = plan };
            IReadOnlyList<string> lines;
            if (plan.Image != null && IsAvailable(plan.Image))
            {
                entry.Work = await RegionSteps.PlanAsync(request, plan, plan.Image, _regions(plan.Region), deprecateAt, cancellationToken).ConfigureAwait(false);
                Warn(entry.Work, callbacks);
                lines = RegionSteps.Describe(entry.Work, request);
            }
            else
            {
                lines = RegionSteps.DescribeNew(request, plan, deprecateAt);
            }

            if (plan.Image?.IsPublic == true && request.SharedTags.Count > 0)
            {
                callbacks.Warning($"{plan.ImageId} in {plan.Region} is public: its shared tags (ec2:SharedTag/{string.Join(", ec2:SharedTag/", request.SharedTags.Keys)}) are visible to every AWS account.");
            }

            if (lines.Count == 0)
            {
                callbacks.Verbose($"{plan.ImageId} in {plan.Region}: nothing to change (copy, permissions, tags, deprecation and SSM parameter are as asked); no AWS write made");
                return entry;
            }

            string target = $"{request.SourceImageId} ({request.SourceRegion}) to {plan.Region}";
            ApprovalAnswer answer = await callbacks.ApproveAsync("Publish AMI (copy, share, tag, deprecate, SSM parameter)", target, lines, cancellationToken).ConfigureAwait(false);
            return answer == ApprovalAnswer.Approved ? entry : null;
        }

        private async Task CopyAsync(List<Entry> entries, IPublishCallbacks callbacks, CancellationToken cancellationToken)
        {
            NoteRunning(entries, callbacks);
            foreach (Entry e in entries.Where(e => e.Plan.Kind == RegionPlanKind.Create))
            {
                RegionGateways g = _regions(e.Plan.Region);
                string id = await g.Ec2.CopyImageAsync(e.Plan.Copy, cancellationToken).ConfigureAwait(false);
                e.Plan.Image = new ImageInfo { ImageId = id, Name = e.Plan.Copy.Name, State = "pending", Tags = e.Plan.Copy.Tags };
                e.Writes++;
                NoteRunning(entries, callbacks);
            }
        }

        /// <summary>
        /// What a stop says now: every copy (made by this run or found pending from an earlier one) that is not yet available.
        /// </summary>
        private static void NoteRunning(IEnumerable<Entry> entries, IPublishCallbacks callbacks)
        {
            List<string> running = entries
                .Where(e => !e.Failed && e.Plan.Image != null && !IsAvailable(e.Plan.Image))
                .Select(e => $"{e.Plan.Image.ImageId} ({e.Plan.Region})")
                .ToList();
            callbacks.StopNote(running.Count == 0 ? null : $"Publish-Ami: copies still being made, left running: {string.Join(", ", running)}. Run the same Publish-Ami again to finish them (it finds them by their {CopyIdentity.SourceTagKey} tag; no new copy).");
        }

        /// <summary>Polls one region's pending copies until they are available, failed, or past -TimeoutSec (counted from the copies).</summary>
        private async Task WaitAsync(List<Entry> region, List<Entry> all, PublishRequest request, Stopwatch clock, IPublishCallbacks callbacks, List<AmiShareException> errors, CancellationToken cancellationToken)
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
                    break;
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
                            "Run the same Publish-Ami again later: it finds these copies (no new CopyImage), waits for them and then shares, tags, deprecates and writes the SSM parameter."));
                    }

                    return;
                }

                await Task.Delay(_settings.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>One DescribeImages for every pending copy of one region.</summary>
        private async Task PollAsync(List<Entry> region, PublishRequest request, TimeSpan elapsed, IPublishCallbacks callbacks, List<AmiShareException> errors, CancellationToken cancellationToken)
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
                bool done = !s_unfinished.Contains(info.State ?? "pending", StringComparer.Ordinal);
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
                            "Check the copy's StateReason (Get-EC2Image), e.g. a key the copy can't use or the source's storage not readable; deregister the failed copy, fix the cause and run Publish-Ami again."));
                    }
                }
            }
        }

        /// <summary>
        /// The grant plan's warnings (e.g. an OU left out of snapshot access), as Grant-AmiLaunchPermission writes them; a text
        /// the command already wrote (the same for every region) is written once.
        /// </summary>
        private void Warn(RegionWork work, IPublishCallbacks callbacks)
        {
            foreach (string warning in work.Grant?.Warnings ?? Array.Empty<string>())
            {
                bool first;
                lock (_warned)
                {
                    first = _warned.Add(warning);
                }

                if (first)
                {
                    callbacks.Warning(warning);
                }
            }
        }

        private async Task FinishAsync(Entry e, PublishRequest request, DateTime? deprecateAt, IPublishCallbacks callbacks, CancellationToken cancellationToken)
        {
            if (e.Failed || !IsAvailable(e.Plan.Image))
            {
                return;
            }

            RegionGateways g = _regions(e.Plan.Region);
            RegionWork work = e.Work;
            if (work == null)
            {
                work = await RegionSteps.PlanAsync(request, e.Plan, e.Plan.Image, g, deprecateAt, cancellationToken).ConfigureAwait(false);
                Warn(work, callbacks);
            }

            e.Writes += await RegionSteps.ApplyAsync(work, request, g, cancellationToken).ConfigureAwait(false);
            e.Finished = true;
            e.DeprecationTime = deprecateAt ?? DeprecationTime.ParseEc2(e.Plan.Image.DeprecationTime);
        }

        private static PublishResult Row(Entry e, PublishRequest request)
        {
            ImageInfo image = e.Plan.Image;
            string key = e.Plan.KmsKeyArn ?? image?.Snapshots?.FirstOrDefault(s => s.Encrypted)?.KmsKeyId;
            return new PublishResult
            {
                SourceImageId = request.SourceImageId,
                SourceRegion = request.SourceRegion,
                Region = e.Plan.Region,
                ImageId = image?.ImageId,
                ImageName = image?.Name,
                State = image?.State,
                Principals = e.Finished ? request.Principals : Array.Empty<Principal>(),
                KmsKeyId = key,
                DeprecationTime = e.Finished ? e.DeprecationTime : null,
                SsmParameter = e.Finished ? request.SsmParameterName : null,
                Action = e.Plan.Kind == RegionPlanKind.Create ? "Created" : e.Plan.Kind == RegionPlanKind.Reuse ? "Reused" : "Source",
                Changes = e.Writes,
            };
        }

        private static bool IsAvailable(ImageInfo image) => image != null && string.Equals(image.State, "available", StringComparison.Ordinal);

        private static string Activity(Entry e, PublishRequest request) => $"Copying {request.SourceRegion}/{request.SourceImageId} to {e.Plan.Region}";

        private static string Minutes(TimeSpan elapsed) => elapsed.TotalMinutes >= 1
            ? ((int)elapsed.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min"
            : ((int)elapsed.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s";

        private sealed class Entry
        {
            public RegionPlan Plan { get; set; }

            public RegionWork Work { get; set; }

            public int Writes { get; set; }

            public bool Failed { get; set; }

            public bool Finished { get; set; }

            public DateTime? DeprecationTime { get; set; }
        }
    }
}
