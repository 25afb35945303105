using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Jobs;

namespace AmiShare.Engine.Distribution
{
    /// <summary>
    /// The copy phase of one source's run, shared by Publish-Ami and Copy-SharedAmi: CopyImage where the plan creates a copy,
    /// then per region a poll of its pending copies (one DescribeImages per region per poll) until each is available, failed
    /// (<see cref="ErrorIds.CopyFailed"/>) or past -TimeoutSec (<see cref="ErrorIds.CopyTimedOut"/>, counted from the copies),
    /// with one progress bar per region and a stop note naming every copy left running.
    /// </summary>
    internal sealed class CopyWaiter
    {
        /// <summary>The image states in which a copy is still being made; EC2 documents only "pending" as one.</summary>
        private static readonly string[] s_unfinished = { "pending" };

        private readonly Func<string, RegionGateways> _regions;
        private readonly TimeSpan _pollInterval;
        private readonly TimeSpan? _timeout;
        private readonly CopyWaitTexts _texts;
        private readonly IReadOnlyList<PendingCopy> _all;
        private readonly Action<JobProgress> _progress;
        private readonly Action<string> _stopNote;
        private readonly List<AmiShareException> _errors = new List<AmiShareException>();
        private readonly object _gate = new object();
        private Stopwatch _clock = Stopwatch.StartNew();

        /// <summary>
        /// A waiter for <paramref name="all"/> (the approved regions of one source), polling every <paramref name="pollInterval"/>
        /// until <paramref name="timeout"/> (null: no limit); progress and the stop note go to <paramref name="progress"/> and
        /// <paramref name="stopNote"/>.
        /// </summary>
        public CopyWaiter(Func<string, RegionGateways> regions, TimeSpan pollInterval, TimeSpan? timeout, CopyWaitTexts texts, IReadOnlyList<PendingCopy> all, Action<JobProgress> progress, Action<string> stopNote)
        {
            _regions = regions ?? throw new ArgumentNullException(nameof(regions));
            _pollInterval = pollInterval;
            _timeout = timeout;
            _texts = texts ?? throw new ArgumentNullException(nameof(texts));
            _all = all ?? throw new ArgumentNullException(nameof(all));
            _progress = progress ?? throw new ArgumentNullException(nameof(progress));
            _stopNote = stopNote ?? throw new ArgumentNullException(nameof(stopNote));
        }

        /// <summary>Gets the first copy that failed or timed out, or null.</summary>
        public AmiShareException FirstError
        {
            get
            {
                lock (_errors)
                {
                    return _errors.FirstOrDefault();
                }
            }
        }

        /// <summary>Whether <paramref name="image"/> is known and available.</summary>
        public static bool IsAvailable(ImageInfo image) => image != null && string.Equals(image.State, "available", StringComparison.Ordinal);

        /// <summary>CopyImage for every region whose plan creates a copy; -TimeoutSec counts from the end of these calls.</summary>
        public async Task StartCopiesAsync(CancellationToken cancellationToken)
        {
            NoteRunning();
            foreach (PendingCopy e in _all.Where(e => e.Plan.Kind == RegionPlanKind.Create))
            {
                string id = await _regions(e.Plan.Region).Ec2.CopyImageAsync(e.Plan.Copy, cancellationToken).ConfigureAwait(false);
                e.Plan.Image = new ImageInfo { ImageId = id, Name = e.Plan.Copy.Name, State = "pending", Tags = e.Plan.Copy.Tags };
                e.Writes++;
                NoteRunning();
            }

            _clock = Stopwatch.StartNew();
        }

        /// <summary>Polls one region's pending copies until they are available, failed, or past -TimeoutSec (counted from the copies).</summary>
        public async Task WaitAsync(IReadOnlyList<PendingCopy> region, CancellationToken cancellationToken)
        {
            List<PendingCopy> waiting = region.Where(e => !IsAvailable(e.Plan.Image)).ToList();
            while (waiting.Count > 0)
            {
                await PollAsync(waiting, _clock.Elapsed, cancellationToken).ConfigureAwait(false);
                waiting = waiting.Where(e => !e.Failed && !IsAvailable(e.Plan.Image)).ToList();
                NoteRunning();
                if (waiting.Count == 0)
                {
                    return;
                }

                if (_timeout.HasValue && _clock.Elapsed >= _timeout.Value)
                {
                    foreach (PendingCopy e in waiting)
                    {
                        e.Failed = true;
                        _progress(new JobProgress { Key = e.Plan.Region, Activity = _texts.Activity(e.Plan.Region), Status = "timed out", Completed = true });
                    }

                    Add(new AmiShareException(
                        ErrorIds.CopyTimedOut,
                        AmiShareErrorKind.OperationStopped,
                        $"The copies {string.Join(", ", waiting.Select(e => $"{e.Plan.ImageId} ({e.Plan.Region})"))} were still pending after -TimeoutSec {_timeout.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture)}; they go on.",
                        waiting[0].Plan.ImageId,
                        _texts.TimeoutRemedy));
                    return;
                }

                await Task.Delay(_pollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        private static string Minutes(TimeSpan elapsed) => elapsed.TotalMinutes >= 1
            ? ((int)elapsed.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min"
            : ((int)elapsed.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s";

        /// <summary>
        /// What a stop says now: every copy (made by this run or found pending from an earlier one) that is not yet available.
        /// </summary>
        private void NoteRunning()
        {
            lock (_gate)
            {
                List<string> running = _all
                    .Where(e => !e.Failed && e.Plan.Image != null && !IsAvailable(e.Plan.Image))
                    .Select(e => $"{e.Plan.Image.ImageId} ({e.Plan.Region})")
                    .ToList();
                _stopNote(running.Count == 0 ? null : $"{_texts.Command}: copies still being made, left running: {string.Join(", ", running)}. Run the same {_texts.Command} again to {_texts.Rerun} (it finds them by their {CopyIdentity.SourceTagKey} tag; no new copy).");
            }
        }

        /// <summary>One DescribeImages for every pending copy of one region.</summary>
        private async Task PollAsync(List<PendingCopy> region, TimeSpan elapsed, CancellationToken cancellationToken)
        {
            RegionGateways g = _regions(region[0].Plan.Region);
            IReadOnlyList<ImageInfo> now = await g.Ec2.DescribeImagesAsync(region.Select(e => e.Plan.ImageId).ToList(), cancellationToken).ConfigureAwait(false);
            foreach (PendingCopy e in region)
            {
                string activity = _texts.Activity(e.Plan.Region);
                ImageInfo info = now.FirstOrDefault(i => string.Equals(i.ImageId, e.Plan.ImageId, StringComparison.Ordinal));
                if (info == null)
                {
                    // Just created: DescribeImages is eventually consistent, so an absent copy is still pending.
                    _progress(new JobProgress { Key = e.Plan.Region, Activity = activity, Status = $"{e.Plan.ImageId}: pending ({Minutes(elapsed)})" });
                    continue;
                }

                e.Plan.Image = info;
                bool done = !s_unfinished.Contains(info.State ?? "pending", StringComparer.Ordinal);
                _progress(new JobProgress { Key = e.Plan.Region, Activity = activity, Status = $"{info.ImageId}: {info.State} ({Minutes(elapsed)})", Completed = done });
                if (done && !IsAvailable(info))
                {
                    e.Failed = true;
                    Add(new AmiShareException(
                        ErrorIds.CopyFailed,
                        AmiShareErrorKind.InvalidOperation,
                        $"The copy {info.ImageId} of {_texts.Source} in {e.Plan.Region} ended in state '{info.State}'.",
                        info.ImageId,
                        _texts.FailedRemedy));
                }
            }
        }

        private void Add(AmiShareException error)
        {
            lock (_errors)
            {
                _errors.Add(error);
            }
        }
    }
}
