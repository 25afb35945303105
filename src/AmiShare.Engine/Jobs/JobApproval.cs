using System;
using System.Collections.Generic;
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

        /// <summary>A change that is not a <see cref="SharePlan"/> (e.g. one region of Publish-Ami): what, on what, and its lines.</summary>
        internal JobApproval(string action, string target, IReadOnlyList<string> details, bool preApproved)
            : this((SharePlan)null, preApproved)
        {
            Action = action;
            Target = target;
            Details = details ?? Array.Empty<string>();
        }

        /// <summary>The plan to approve (null for a change described by <see cref="Action"/>, <see cref="Target"/> and <see cref="Details"/>).</summary>
        public SharePlan Plan { get; }

        /// <summary>What a change without a <see cref="Plan"/> does, e.g. "Publish (copy, share, tag, deprecate, SSM)".</summary>
        public string Action { get; }

        /// <summary>What a change without a <see cref="Plan"/> is done to, e.g. "ami-… (us-east-1) to us-west-2".</summary>
        public string Target { get; }

        /// <summary>The lines of a change without a <see cref="Plan"/>, one step each.</summary>
        public IReadOnlyList<string> Details { get; } = Array.Empty<string>();

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
