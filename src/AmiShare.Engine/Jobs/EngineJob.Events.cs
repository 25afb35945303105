using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using AmiShare.Engine.Sharing;

namespace AmiShare.Engine.Jobs
{
    /// <summary>
    /// The job's event stream in input order: an item's events go straight out while every item before it is done, and
    /// are held otherwise; when the head item finishes, the next items' held events follow.
    /// </summary>
    public sealed partial class EngineJob
    {
        /// <summary>
        /// Takes the next event, waiting up to <paramref name="wait"/> (zero: only what is there). False when there is
        /// none yet, or when the stream has ended (<see cref="IsEnded"/>). Throws OperationCanceledException after
        /// <see cref="Cancel"/> or when <paramref name="cancellationToken"/> is cancelled.
        /// </summary>
        public bool TryTake(out JobEvent jobEvent, TimeSpan wait, CancellationToken cancellationToken)
        {
            using (var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancellation.Token))
            {
                bool taken = _events.TryTake(out jobEvent, (int)wait.TotalMilliseconds, both.Token);
                if (taken && jobEvent.Kind == JobEventKind.Completed)
                {
                    lock (_gate)
                    {
                        _items[jobEvent.Item.Sequence].Reported = true;
                        Reported++;
                    }
                }

                return taken;
            }
        }

        /// <summary>True when input is complete and every event has been taken.</summary>
        public bool IsEnded => _events.IsCompleted;

        /// <summary>Routes an item's event: straight out when every item before it is done, otherwise held.</summary>
        internal void Emit(JobItem item, JobEvent jobEvent)
        {
            lock (_gate)
            {
                if (item.Info.Sequence == _head)
                {
                    Add(jobEvent);
                }
                else
                {
                    item.Held.Add(jobEvent);
                }
            }
        }

        /// <summary>A message outside any item goes out at once.</summary>
        internal void EmitUnordered(JobEvent jobEvent)
        {
            lock (_gate)
            {
                Add(jobEvent);
            }
        }

        /// <summary>Marks an item done (lock held) and releases the held events of every item that is now at the head.</summary>
        private void Finish(JobItem item)
        {
            item.Held.Add(new JobEvent(JobEventKind.Completed, item.Info));
            item.Finished = true;
            if (item.Info.Sequence == _head)
            {
                Release(item);
            }

            CloseIfDone();
        }

        private void Release(JobItem head)
        {
            // The head's earlier events went out as they came; Completed (and anything after) is in Held.
            foreach (JobEvent e in head.Held)
            {
                Add(e);
            }

            head.Held.Clear();
            _head++;
            while (_head < _items.Count)
            {
                JobItem next = _items[_head];
                foreach (JobEvent e in next.Held)
                {
                    Add(e);
                }

                next.Held.Clear();
                if (!next.Finished)
                {
                    return;
                }

                _head++;
            }
        }

        private void CloseIfDone()
        {
            if (_inputComplete && _head == _items.Count && !_events.IsAddingCompleted)
            {
                _events.CompleteAdding();
            }
        }

        private void Add(JobEvent jobEvent)
        {
            if (!_events.IsAddingCompleted)
            {
                _events.Add(jobEvent);
            }
        }

        /// <summary>Keys by reference: two services are one lane only if they are the same object.</summary>
        private sealed class ReferenceComparer : IEqualityComparer<AmiShareService>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();

            public bool Equals(AmiShareService x, AmiShareService y) => ReferenceEquals(x, y);

            public int GetHashCode(AmiShareService obj) => RuntimeHelpers.GetHashCode(obj);
        }
    }
}
