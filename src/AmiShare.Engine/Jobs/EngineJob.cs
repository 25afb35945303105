using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Sharing;

namespace AmiShare.Engine.Jobs
{
    /// <summary>
    /// One job per cmdlet invocation. The caller streams work items in (<see cref="Submit"/>: a service, an AMI id and the
    /// operation over the service) and reads <see cref="JobEvent"/>s back (<see cref="TryTake"/>) on its own thread.
    /// Items are grouped into lanes by service (account and region); lanes run in parallel, each with at most
    /// <see cref="JobOptions.MaxInFlightPerLane"/> items at once, items of the same AMI one after another. Events come
    /// back in input order (an item's messages are held until every item before it is done), so output is the same
    /// whatever the timing. <see cref="Cancel"/> stops everything; <see cref="WrittenUnreported"/> then says how many
    /// AMIs were changed whose result the caller never took.
    /// </summary>
    public sealed partial class EngineJob : IDisposable
    {
        private readonly object _gate = new object();
        private readonly List<JobItem> _items = new List<JobItem>();
        private readonly Dictionary<AmiShareService, JobLane> _lanes = new Dictionary<AmiShareService, JobLane>(ReferenceComparer.Instance);
        private readonly BlockingCollection<JobEvent> _events = new BlockingCollection<JobEvent>();
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private readonly CancellationTokenSource _work = new CancellationTokenSource();
        private int _head;
        private bool _inputComplete;
        private bool _disposed;

        /// <summary>A job that runs its items as <paramref name="options"/> say (null = defaults).</summary>
        public EngineJob(JobOptions options)
        {
            Options = options ?? new JobOptions();
            if (Options.MaxInFlightPerLane < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(options), Options.MaxInFlightPerLane, "MaxInFlightPerLane must be at least 1.");
            }

            Reporter = new ItemReporter(this);
        }

        /// <summary>How items run.</summary>
        public JobOptions Options { get; }

        /// <summary>
        /// The reporter to build this job's services with: their messages are attributed to the item whose operation runs
        /// (and come out in its place); messages outside any item come out at once.
        /// </summary>
        public IShareReporter Reporter { get; }

        /// <summary>
        /// Cancelled by <see cref="Cancel"/>, or when an item fails with an AuthenticationError (AWS rejected the credentials:
        /// every other item would fail the same way); every operation gets it.
        /// </summary>
        public CancellationToken CancellationToken => _work.Token;

        /// <summary>Items submitted so far.</summary>
        public int Submitted
        {
            get
            {
                lock (_gate)
                {
                    return _items.Count;
                }
            }
        }

        /// <summary>Items whose Completed event the caller has taken.</summary>
        public int Reported { get; private set; }

        /// <summary>The AMIs whose write happened but whose Completed event the caller has not taken (e.g. after a stop), in input order.</summary>
        public IReadOnlyList<string> WrittenUnreported
        {
            get
            {
                lock (_gate)
                {
                    var ids = new List<string>();
                    foreach (JobItem item in _items)
                    {
                        if (item.Written && !item.Reported)
                        {
                            ids.Add(item.Info.ImageId);
                        }
                    }

                    return ids;
                }
            }
        }

        /// <summary>The stop notes of the items not yet reported (<see cref="JobItemContext.SetStopNote"/>), in input order.</summary>
        public IReadOnlyList<string> StopNotes
        {
            get
            {
                lock (_gate)
                {
                    var notes = new List<string>();
                    foreach (JobItem item in _items)
                    {
                        string note = item.StopNote;
                        if (note != null && !item.Reported)
                        {
                            notes.Add(note);
                        }
                    }

                    return notes;
                }
            }
        }

        /// <summary>
        /// Adds a work item: <paramref name="operation"/> runs over <paramref name="service"/> for <paramref name="imageId"/>
        /// when its lane has room. Tells the service at once which AMI is coming (<see cref="AmiShareService.Prefetch"/>).
        /// An AmiShareException from the operation becomes an Error event with <paramref name="errorTarget"/> (default: the id).
        /// </summary>
        public void Submit(AmiShareService service, string imageId, Func<AmiShareService, JobItemContext, CancellationToken, Task> operation, object errorTarget = null)
        {
            if (service == null)
            {
                throw new ArgumentNullException(nameof(service));
            }

            if (operation == null)
            {
                throw new ArgumentNullException(nameof(operation));
            }

            Prefetch(service, new[] { imageId });
            List<JobItem> start;
            lock (_gate)
            {
                ThrowIfClosed();
                var item = new JobItem(this, new JobItemInfo(_items.Count, imageId, service.Region, false), service, operation, errorTarget ?? imageId);
                _items.Add(item);
                JobLane lane = Lane(service);
                lane.Enqueue(item);
                start = lane.TakeStartable();
                SweepIfStopped();
            }

            StartAll(start);
        }

        /// <summary>
        /// Tells <paramref name="service"/> which AMIs are coming before their items are submitted (e.g. all ids of a
        /// pipeline record), so a batching gateway reads them together; each id is told once per service.
        /// </summary>
        public void Prefetch(AmiShareService service, IEnumerable<string> imageIds)
        {
            if (service == null)
            {
                throw new ArgumentNullException(nameof(service));
            }

            var fresh = new List<string>();
            lock (_gate)
            {
                JobLane lane = Lane(service);
                foreach (string id in imageIds ?? Array.Empty<string>())
                {
                    if (id != null && lane.Hinted.Add(id))
                    {
                        fresh.Add(id);
                    }
                }
            }

            if (fresh.Count > 0)
            {
                service.Prefetch(fresh);
            }
        }

        /// <summary>Adds an item that failed before it could run (e.g. a malformed id): its error comes out in its place.</summary>
        public void SubmitError(AmiShareException error, object target)
        {
            if (error == null)
            {
                throw new ArgumentNullException(nameof(error));
            }

            lock (_gate)
            {
                ThrowIfClosed();
                var item = new JobItem(this, new JobItemInfo(_items.Count, target as string, null, true), null, null, target);
                _items.Add(item);
                Emit(item, new JobEvent(JobEventKind.Error, item.Info) { Error = error, Target = target });
                Finish(item);
            }
        }

        /// <summary>No more items will come; the event stream ends after the last item's events.</summary>
        public void CompleteInput()
        {
            lock (_gate)
            {
                _inputComplete = true;
                CloseIfDone();
            }
        }

        /// <summary>Cancels every running and waiting item.</summary>
        public void Cancel()
        {
            _cancellation.Cancel();
            CancelWork();
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Cancel();
        }

        private void CancelWork()
        {
            _work.Cancel();
            lock (_gate)
            {
                SweepIfStopped();
            }
        }

        /// <summary>Once work is cancelled, items that never started end at once (lock held), so the event stream ends.</summary>
        private void SweepIfStopped()
        {
            if (!_work.IsCancellationRequested)
            {
                return;
            }

            foreach (JobLane lane in _lanes.Values)
            {
                foreach (JobItem waiting in lane.TakeAllWaiting())
                {
                    Finish(waiting);
                }
            }
        }

        private JobLane Lane(AmiShareService service)
        {
            if (!_lanes.TryGetValue(service, out JobLane lane))
            {
                _lanes.Add(service, lane = new JobLane(Options.MaxInFlightPerLane));
            }

            return lane;
        }

        private void StartAll(List<JobItem> items)
        {
            foreach (JobItem item in items)
            {
                Task.Run(() => RunAsync(item));
            }
        }

        private async Task RunAsync(JobItem item)
        {
            ItemReporter.Current = item;
            try
            {
                _work.Token.ThrowIfCancellationRequested();
                await item.Operation(item.Service, new JobItemContext(this, item), _work.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_work.IsCancellationRequested)
            {
                // Stopped: the item ends without an error of its own.
            }
            catch (AmiShareException e)
            {
                if (e.Kind == AmiShareErrorKind.AuthenticationError)
                {
                    // The caller stops at this error; nothing else may call AWS with the same credentials meanwhile.
                    CancelWork();
                }

                Emit(item, new JobEvent(JobEventKind.Error, item.Info) { Error = e, Target = item.ErrorTarget });
            }
            catch (Exception e)
            {
                Emit(item, new JobEvent(JobEventKind.Fault, item.Info) { Fault = e });
            }
            finally
            {
                ItemReporter.Current = null;
            }

            List<JobItem> start;
            lock (_gate)
            {
                JobLane lane = _lanes[item.Service];
                lane.Finished(item);
                Finish(item);
                start = lane.TakeStartable();
                SweepIfStopped();
            }

            StartAll(start);
        }

        /// <summary>
        /// The item's plan is made, so AWS answered its reads with these credentials: the rest of its lane may start now
        /// instead of after the item's write (rejected credentials still cost one call).
        /// </summary>
        internal void PlanMade(JobItem item)
        {
            List<JobItem> start = null;
            lock (_gate)
            {
                if (item.Service != null && _lanes.TryGetValue(item.Service, out JobLane lane) && lane.MarkProbed())
                {
                    start = lane.TakeStartable();
                    SweepIfStopped();
                }
            }

            if (start != null)
            {
                StartAll(start);
            }
        }

        private void ThrowIfClosed()
        {
            if (_inputComplete)
            {
                throw new InvalidOperationException("The job's input is complete: no more items can be submitted.");
            }
        }
    }
}
