using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Sharing;

namespace AmiShare.Engine.Jobs
{
    /// <summary>One work item of a job and its state (guarded by the job's lock).</summary>
    internal sealed class JobItem
    {
        public JobItem(EngineJob job, JobItemInfo info, AmiShareService service, Func<AmiShareService, JobItemContext, CancellationToken, Task> operation, object errorTarget)
        {
            Job = job;
            Info = info;
            Service = service;
            Operation = operation;
            ErrorTarget = errorTarget;
        }

        public EngineJob Job { get; }

        public JobItemInfo Info { get; }

        public AmiShareService Service { get; }

        public Func<AmiShareService, JobItemContext, CancellationToken, Task> Operation { get; }

        public object ErrorTarget { get; }

        /// <summary>Events held back until every item before this one has been released.</summary>
        public List<JobEvent> Held { get; } = new List<JobEvent>();

        /// <summary>Its Completed event has been produced.</summary>
        public bool Finished { get; set; }

        /// <summary>Its write happened (<see cref="JobItemContext.MarkWritten"/>).</summary>
        public volatile bool Written;

        /// <summary>The caller has taken its Completed event.</summary>
        public volatile bool Reported;

        /// <summary>What to say if the command stops before this item is reported (<see cref="JobItemContext.SetStopNote"/>).</summary>
        public volatile string StopNote;
    }

    /// <summary>
    /// The items of one service (account and region): at most N run at once, they start in input order, and two items for
    /// the same AMI never run at the same time (the later one waits, so it sees the earlier one's write). The lane's first
    /// item runs alone: when the credentials or the endpoint are bad, one call says so, not N.
    /// </summary>
    internal sealed class JobLane
    {
        private readonly List<JobItem> _waiting = new List<JobItem>();
        private readonly HashSet<string> _busy = new HashSet<string>(StringComparer.Ordinal);
        private readonly int _max;
        private int _running;
        private bool _probed;

        public JobLane(int max)
        {
            _max = max;
        }

        public void Enqueue(JobItem item) => _waiting.Add(item);

        /// <summary>The ids the service was already told about (each is hinted once).</summary>
        public HashSet<string> Hinted { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>The items that may start now (the caller holds the job's lock and starts them).</summary>
        public List<JobItem> TakeStartable()
        {
            var start = new List<JobItem>();
            int max = _probed ? _max : 1;
            for (int i = 0; i < _waiting.Count && _running < max; i++)
            {
                JobItem item = _waiting[i];
                if (_busy.Contains(item.Info.ImageId))
                {
                    continue;
                }

                _waiting.RemoveAt(i--);
                _busy.Add(item.Info.ImageId);
                _running++;
                start.Add(item);
            }

            return start;
        }

        /// <summary>Takes every item that has not started (the job is stopping: they end without running).</summary>
        public List<JobItem> TakeAllWaiting()
        {
            var all = new List<JobItem>(_waiting);
            _waiting.Clear();
            return all;
        }

        /// <summary>
        /// Marks the lane's credentials as proven (its first item's reads were answered); true the first time. The other
        /// items may then start while the first one writes.
        /// </summary>
        public bool MarkProbed()
        {
            bool first = !_probed;
            _probed = true;
            return first;
        }

        public void Finished(JobItem item)
        {
            _probed = true;
            _running--;
            _busy.Remove(item.Info.ImageId);
        }
    }
}
