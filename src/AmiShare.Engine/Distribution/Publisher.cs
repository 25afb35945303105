using System;
using System.Collections.Generic;
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
        public async Task PublishAsync(PublishRequest request, ICopyCallbacks<PublishResult> callbacks, CancellationToken cancellationToken)
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

            var waiter = new CopyWaiter(_regions, _settings.PollInterval, request.Timeout, Texts(request), approved, callbacks.Progress, callbacks.StopNote);
            await waiter.StartCopiesAsync(cancellationToken).ConfigureAwait(false);

            // Each region goes on as soon as its own copy is available: a slow region never holds up the others' sharing,
            // and a stop while one region still waits leaves the finished ones shared.
            await Task.WhenAll(approved.GroupBy(e => e.Plan.Region, StringComparer.Ordinal).Select(async region =>
            {
                List<Entry> entries = region.ToList();
                if (!request.NoWait)
                {
                    await waiter.WaitAsync(entries, cancellationToken).ConfigureAwait(false);
                }

                await Task.WhenAll(entries.Select(e => FinishAsync(e, request, deprecateAt, callbacks, cancellationToken))).ConfigureAwait(false);
            })).ConfigureAwait(false);
            foreach (Entry e in approved.Where(e => !e.Failed))
            {
                callbacks.Result(Row(e, request));
            }

            callbacks.StopNote(null);
            if (waiter.FirstError != null)
            {
                throw waiter.FirstError;
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

        private async Task<Entry> ApproveAsync(PublishRequest request, RegionPlan plan, DateTime? deprecateAt, ICopyCallbacks<PublishResult> callbacks, CancellationToken cancellationToken)
        {
            var entry = new Entry { Plan = plan };
            IReadOnlyList<string> lines;
            if (plan.Image != null && CopyWaiter.IsAvailable(plan.Image))
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

        /// <summary>
        /// The grant plan's warnings (e.g. an OU left out of snapshot access), as Grant-AmiLaunchPermission writes them; a text
        /// the command already wrote (the same for every region) is written once.
        /// </summary>
        private void Warn(RegionWork work, ICopyCallbacks<PublishResult> callbacks)
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

        private async Task FinishAsync(Entry e, PublishRequest request, DateTime? deprecateAt, ICopyCallbacks<PublishResult> callbacks, CancellationToken cancellationToken)
        {
            if (e.Failed || !CopyWaiter.IsAvailable(e.Plan.Image))
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

        private static CopyWaitTexts Texts(PublishRequest request) => new CopyWaitTexts
        {
            Command = "Publish-Ami",
            Rerun = "finish them",
            Source = $"{request.SourceRegion}/{request.SourceImageId}",
            Activity = region => $"Copying {request.SourceRegion}/{request.SourceImageId} to {region}",
            TimeoutRemedy = "Run the same Publish-Ami again later: it finds these copies (no new CopyImage), waits for them and then shares, tags, deprecates and writes the SSM parameter.",
            FailedRemedy = "Check the copy's StateReason (Get-EC2Image), e.g. a key the copy can't use or the source's storage not readable; deregister the failed copy, fix the cause and run Publish-Ami again.",
        };

        private sealed class Entry : PendingCopy
        {
            public RegionWork Work { get; set; }

            public bool Finished { get; set; }

            public DateTime? DeprecationTime { get; set; }
        }
    }
}
