using System.Threading.Tasks;
using AmiShare.Engine.Plans;

namespace AmiShare.Engine.Jobs
{
    /// <summary>The caller's answer to a <see cref="JobApproval"/>.</summary>
    public enum ApprovalAnswer
    {
        /// <summary>Apply the plan.</summary>
        Approved,

        /// <summary>Don't apply it (the user said no).</summary>
        Declined,

        /// <summary>Don't apply it, but let the rest of the run decide as if it had been (-WhatIf).</summary>
        WhatIf,
    }

    /// <summary>
    /// A planned change waiting for the caller's decision (ShouldProcess). Requests come out in input order, each
    /// after all events of the items before it; the item waits until <see cref="Answer"/> is called, unless it was
    /// <see cref="PreApproved"/>.
    /// </summary>
    public sealed class JobApproval
    {
        private readonly TaskCompletionSource<ApprovalAnswer> _answer;

        internal JobApproval(SharePlan plan, bool preApproved)
        {
            Plan = plan;
            PreApproved = preApproved;
            _answer = new TaskCompletionSource<ApprovalAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (preApproved)
            {
                _answer.TrySetResult(ApprovalAnswer.Approved);
            }
        }

        /// <summary>The plan to approve.</summary>
        public SharePlan Plan { get; }

        /// <summary>
        /// True when the job already went ahead (<see cref="JobOptions.ApproveWithoutWaiting"/>): the caller only says what
        /// is being done; <see cref="Answer"/> changes nothing.
        /// </summary>
        public bool PreApproved { get; }

        internal Task<ApprovalAnswer> Task => _answer.Task;

        /// <summary>Gives the decision; the item goes on (or stops) at once.</summary>
        public void Answer(ApprovalAnswer answer) => _answer.TrySetResult(answer);

        internal void Cancel() => _answer.TrySetCanceled();
    }
}
