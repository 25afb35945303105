using System.Threading;

namespace AmiShare.Engine.Jobs
{
    /// <summary>
    /// The <see cref="IShareReporter"/> a job's services are built with: a message goes to the item whose operation is
    /// running on this async flow (so it comes out in that item's place), or, outside any item, straight to the caller.
    /// </summary>
    internal sealed class ItemReporter : IShareReporter, IShareProgress
    {
        private static readonly AsyncLocal<JobItem> s_current = new AsyncLocal<JobItem>();
        private readonly EngineJob _job;

        public ItemReporter(EngineJob job)
        {
            _job = job;
        }

        /// <summary>The item running on this async flow; set by the job around an item's operation.</summary>
        internal static JobItem Current
        {
            get => s_current.Value;
            set => s_current.Value = value;
        }

        public void Verbose(string message) => Send(JobEventKind.Verbose, message);

        public void Debug(string message) => Send(JobEventKind.Debug, message);

        public void Warning(string message) => Send(JobEventKind.Warning, message);

        /// <summary>A bar under the command's for a part of the item running on this async flow (none outside an item).</summary>
        public void Progress(string key, string activity, string status, bool completed)
        {
            JobItem item = Current;
            if (item != null && item.Job != null)
            {
                item.Job.Emit(item, new JobEvent(JobEventKind.Progress, item.Info)
                {
                    Progress = new JobProgress { Key = key, Activity = activity, Status = status, Completed = completed },
                });
            }
        }

        private void Send(JobEventKind kind, string message)
        {
            JobItem item = Current;
            if (item != null && item.Job != null)
            {
                item.Job.Emit(item, new JobEvent(kind, item.Info) { Text = message });
            }
            else
            {
                _job.EmitUnordered(new JobEvent(kind, null) { Text = message });
            }
        }
    }
}
