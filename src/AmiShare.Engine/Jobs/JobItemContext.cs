using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Plans;

namespace AmiShare.Engine.Jobs
{
    /// <summary>
    /// What one item's operation uses to talk back: messages, output objects and approval requests, all kept with the
    /// item and released in input order. Engine messages of the item's services (their <see cref="IShareReporter"/> is
    /// <see cref="EngineJob.Reporter"/>) land here too.
    /// </summary>
    public sealed class JobItemContext
    {
        private readonly EngineJob _job;
        private readonly JobItem _item;

        internal JobItemContext(EngineJob job, JobItem item)
        {
            _job = job;
            _item = item;
        }

        /// <summary>The item's AMI id.</summary>
        public string ImageId => _item.Info.ImageId;

        /// <summary>Writes a verbose line for this item.</summary>
        public void Verbose(string message) => _job.Emit(_item, new JobEvent(JobEventKind.Verbose, _item.Info) { Text = message });

        /// <summary>Writes a debug line for this item.</summary>
        public void Debug(string message) => _job.Emit(_item, new JobEvent(JobEventKind.Debug, _item.Info) { Text = message });

        /// <summary>Writes a warning for this item.</summary>
        public void Warning(string message) => _job.Emit(_item, new JobEvent(JobEventKind.Warning, _item.Info) { Text = message });

        /// <summary>Writes an output object for this item.</summary>
        public void WriteResult(object result) => _job.Emit(_item, new JobEvent(JobEventKind.Result, _item.Info) { Result = result });

        /// <summary>
        /// Records that this item's write happened (AWS changed something), so a stop before its result was read can say
        /// how many AMIs were changed.
        /// </summary>
        public void MarkWritten() => _item.Written = true;

        /// <summary>
        /// Asks the caller to approve <paramref name="plan"/> and waits for the answer (at once when the job's options say
        /// <see cref="JobOptions.ApproveWithoutWaiting"/>). The request reaches the caller after everything of the items
        /// before this one.
        /// </summary>
        public async Task<ApprovalAnswer> RequestApprovalAsync(SharePlan plan, CancellationToken cancellationToken)
        {
            _job.PlanMade(_item);
            var approval = new JobApproval(plan, _job.Options.ApproveWithoutWaiting);
            _job.Emit(_item, new JobEvent(JobEventKind.Approval, _item.Info) { Approval = approval });
            using (cancellationToken.Register(approval.Cancel))
            {
                return await approval.Task.ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Asks the caller to approve a change that is not a <see cref="SharePlan"/>: <paramref name="action"/> on
        /// <paramref name="target"/>, with one line per step (what -WhatIf prints).
        /// </summary>
        public async Task<ApprovalAnswer> RequestApprovalAsync(string action, string target, IReadOnlyList<string> details, CancellationToken cancellationToken)
        {
            _job.PlanMade(_item);
            var approval = new JobApproval(action, target, details, _job.Options.ApproveWithoutWaiting);
            _job.Emit(_item, new JobEvent(JobEventKind.Approval, _item.Info) { Approval = approval });
            using (cancellationToken.Register(approval.Cancel))
            {
                return await approval.Task.ConfigureAwait(false);
            }
        }

        /// <summary>Reports the progress of one part of this item (<paramref name="progress"/>.Key names the part, e.g. a region).</summary>
        public void Progress(JobProgress progress) => _job.Emit(_item, new JobEvent(JobEventKind.Progress, _item.Info) { Progress = progress });

        /// <summary>
        /// What to tell the user if the command is stopped before this item is reported (e.g. copies left running);
        /// null takes it back.
        /// </summary>
        public void SetStopNote(string note) => _item.StopNote = note;
    }
}
