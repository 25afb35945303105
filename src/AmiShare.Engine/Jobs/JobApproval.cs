using System.Threading.Tasks;
using AmiShare.Engine.Plans;

namespace AmiShare.Engine.Jobs
{
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
