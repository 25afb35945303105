using System;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Sharing;

namespace AmiShare.Engine.Jobs
{
    /// <summary>The steps a changing cmdlet's item goes through, written once: plan, warn, ask, apply, report.</summary>
    public static class ShareSteps
    {
        /// <summary>
        /// Makes the plan with <paramref name="planner"/>, writes its warnings, asks for approval when it changes
        /// something (a plan without changes was already said in one verbose line by the engine), applies it and, with
        /// <paramref name="passThru"/>, writes <paramref name="output"/> of the result (with the image name). On a
        /// -WhatIf answer the service is told to assume the plan applied, so the rest of the run decides as the real
        /// run would.
        /// </summary>
        public static async Task PlanApplyAsync(
            AmiShareService service,
            JobItemContext context,
            Func<CancellationToken, Task<SharePlan>> planner,
            bool passThru,
            Func<ShareResult, object> output,
            CancellationToken cancellationToken)
        {
            if (service == null)
            {
                throw new ArgumentNullException(nameof(service));
            }

            if (context == null)
            {
                throw new ArgumentNullException(nameof(context));
            }

            SharePlan plan = await planner(cancellationToken).ConfigureAwait(false);
            foreach (string warning in plan.Warnings)
            {
                context.Warning(warning);
            }

            if (plan.HasChanges)
            {
                ApprovalAnswer answer = await context.RequestApprovalAsync(plan, cancellationToken).ConfigureAwait(false);
                if (answer != ApprovalAnswer.Approved)
                {
                    if (answer == ApprovalAnswer.WhatIf)
                    {
                        service.AssumeApplied(plan);
                    }

                    return;
                }
            }

            ShareResult result = await service.ApplyAsync(plan, cancellationToken).ConfigureAwait(false);
            if (result.Changed)
            {
                context.MarkWritten();
            }

            if (passThru)
            {
                result = await service.WithImageNameAsync(result, cancellationToken).ConfigureAwait(false);
                context.WriteResult(output == null ? result : output(result));
            }
        }
    }
}
