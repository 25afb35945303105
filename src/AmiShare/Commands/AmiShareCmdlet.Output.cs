using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// The output side of every AmiShare cmdlet: applying a plan behind ShouldProcess, running engine calls while
    /// their verbose, debug and warning messages are written on the pipeline thread, and turning engine errors
    /// into ErrorRecords.
    /// </summary>
    public abstract partial class AmiShareCmdlet
    {
        /// <summary>
        /// Writes a plan's warnings, asks ShouldProcess (unless there is nothing to change; -Force skips the
        /// prompt, not -WhatIf), applies it and writes the result with -PassThru. Engine errors become one
        /// non-terminating ErrorRecord for the AMI.
        /// </summary>
        protected void ApplyPlan(AmiShareService service, Func<CancellationToken, Task<SharePlan>> planner, string imageId, bool force, bool passThru)
        {
            try
            {
                SharePlan plan = Run(planner);
                foreach (string warning in plan.Warnings)
                {
                    WriteWarning(warning);
                }

                // A plan without changes was already said in one verbose line by the engine.
                if (plan.HasChanges && !ShouldProcessUnlessForced(force, plan))
                {
                    if (IsWhatIf())
                    {
                        service.AssumeApplied(plan); // the rest of a -WhatIf run decides key access as the real run would
                    }

                    return;
                }

                ShareResult result = Run(ct => service.ApplyAsync(plan, ct));
                if (passThru)
                {
                    result = Run(ct => service.WithImageNameAsync(result, ct));
                    WriteObject(AmiShareResult.From(result));
                }
            }
            catch (AmiShareException e)
            {
                WriteItemError(e, imageId);
            }
        }

        /// <summary>
        /// Runs an engine call to completion on a worker thread while writing its messages on this
        /// (the pipeline) thread, so -Verbose shows each AWS call as it happens.
        /// </summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> operation)
        {
            Task<T> task = Task.Run(() => operation(_cancellation.Token));

            // The task's completion is queued behind its own messages, so the loop wakes the moment it ends.
            task.ContinueWith(_ => _messages.Add(new KeyValuePair<StreamKind, string>(StreamKind.Completed, null)), TaskScheduler.Default);
            foreach (KeyValuePair<StreamKind, string> message in _messages.GetConsumingEnumerable())
            {
                if (message.Key == StreamKind.Completed)
                {
                    break;
                }

                Emit(message);
            }
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Writes any queued engine messages now.</summary>
        protected void DrainMessages()
        {
            while (_messages.TryTake(out KeyValuePair<StreamKind, string> message))
            {
                Emit(message);
            }
        }

        /// <summary>
        /// ShouldProcess for a plan. -Force skips the confirmation prompt of a high-impact cmdlet, while
        /// -WhatIf (parameter or $WhatIfPreference) and an explicit -Confirm still win. What -WhatIf and
        /// -Confirm show is the operation and, for each KMS key, the AmiShare statements before and after.
        /// </summary>
        private bool ShouldProcessUnlessForced(bool force, SharePlan plan)
        {
            string operation = $"Performing the operation \"{plan.Describe()}\" on target \"{plan.ImageId} ({plan.Region})\".";
            IReadOnlyList<string> keyLines = KeyPolicyLines(plan);
            string full = string.Join("\n", new[] { operation }.Concat(keyLines));
            if (force && !IsWhatIf() && !MyInvocation.BoundParameters.ContainsKey("Confirm"))
            {
                WriteVerbose(operation + " (-Force: not asking for confirmation)");
                WriteVerboseLines(keyLines);
                return true;
            }

            if (IsWhatIf())
            {
                // "What if:" shows the operation and each key's statements before and after, one line each.
                return ShouldProcess(full, full, "Confirm");
            }

            // Without -WhatIf, ShouldProcess writes its description as one VERBOSE line; the key lines follow, each a VERBOSE line.
            bool approved = ShouldProcess(operation, "Are you sure you want to perform this action?\n" + full, "Confirm");
            if (approved)
            {
                WriteVerboseLines(keyLines);
            }

            return approved;
        }

        /// <summary>For each KMS key of the plan: its AmiShare statements before and after, each on one line.</summary>
        private static IReadOnlyList<string> KeyPolicyLines(SharePlan plan) =>
            plan.KeyPolicyChanges.SelectMany(change => new[]
            {
                $"KMS key {change.KeyArn}: AmiShare statements before: {change.StatementsBefore ?? "(none)"}",
                $"KMS key {change.KeyArn}: AmiShare statements after: {change.StatementsAfter ?? "(none)"}",
            }).ToList();

        private void WriteVerboseLines(IEnumerable<string> lines)
        {
            foreach (string line in lines)
            {
                WriteVerbose(line);
            }
        }

        /// <summary>Turns an engine error into an ErrorRecord with the stable id and the item as target.</summary>
        internal ErrorRecord ToErrorRecord(AmiShareException e, object target)
        {
            var record = new ErrorRecord(e, e.ErrorId, Map(e.Kind), target ?? e.Target);
            if (!string.IsNullOrEmpty(e.Remedy))
            {
                // pwsh 7's error view prints RecommendedAction under the message ("Recommendation: …"), so there
                // the message is the reason alone; Windows PowerShell 5.1 never shows RecommendedAction, so
                // there the message keeps the remedy. The exception's Message always carries both.
                string shown = ShowsRecommendation() ? e.Reason : e.Message;
                record.ErrorDetails = new ErrorDetails(shown) { RecommendedAction = e.Remedy };
            }

            return record;
        }

        private bool ShowsRecommendation()
        {
            object table = SessionState?.PSVariable.GetValue("PSVersionTable");
            // $PSVersionTable.PSVersion is a System.Version on 5.1 and a SemanticVersion on 7: read Major either way.
            object version = (table as System.Collections.IDictionary)?["PSVersion"];
            if (version?.GetType().GetProperty("Major")?.GetValue(version) is int major)
            {
                return major >= 7;
            }

            return false;
        }

        /// <summary>Writes a non-terminating error for one item.</summary>
        protected void WriteItemError(AmiShareException e, object target)
        {
            DrainMessages();
            if (e.Kind == AmiShareErrorKind.AuthenticationError)
            {
                // AWS rejected the credentials themselves: every other AMI of the run would fail the same way,
                // one call each, so the command stops at the first (as for NoCredentials).
                ThrowTerminatingError(ToErrorRecord(e, target));
            }

            WriteError(ToErrorRecord(e, target));
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            t_openProgress?.Remove(this);
            _factory?.Dispose();
            _cancellation.Dispose();
            _messages.Dispose();
        }

        /// <summary>True when -WhatIf is in force (parameter or preference variable).</summary>
        protected bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object value))
            {
                return value is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(value);
            }

            return LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
        }

        private static ErrorCategory Map(AmiShareErrorKind kind)
        {
            switch (kind)
            {
                case AmiShareErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case AmiShareErrorKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case AmiShareErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case AmiShareErrorKind.InvalidOperation: return ErrorCategory.InvalidOperation;
                case AmiShareErrorKind.LimitsExceeded: return ErrorCategory.LimitsExceeded;
                case AmiShareErrorKind.AuthenticationError: return ErrorCategory.AuthenticationError;
                case AmiShareErrorKind.SecurityError: return ErrorCategory.SecurityError;
                case AmiShareErrorKind.ConnectionError: return ErrorCategory.ConnectionError;
                case AmiShareErrorKind.OperationStopped: return ErrorCategory.OperationStopped;
                default: return ErrorCategory.NotSpecified;
            }
        }

        private void Emit(KeyValuePair<StreamKind, string> message)
        {
            switch (message.Key)
            {
                case StreamKind.Verbose:
                    WriteVerbose(message.Value);
                    break;
                case StreamKind.Debug:
                    WriteDebug(message.Value);
                    break;
                default:
                    WriteWarning(message.Value);
                    break;
            }
        }

        private sealed class QueueReporter : IShareReporter
        {
            private readonly BlockingCollection<KeyValuePair<StreamKind, string>> _queue;

            public QueueReporter(BlockingCollection<KeyValuePair<StreamKind, string>> queue)
            {
                _queue = queue;
            }

            public void Verbose(string message) => _queue.Add(new KeyValuePair<StreamKind, string>(StreamKind.Verbose, message));

            public void Debug(string message) => _queue.Add(new KeyValuePair<StreamKind, string>(StreamKind.Debug, message));

            public void Warning(string message) => _queue.Add(new KeyValuePair<StreamKind, string>(StreamKind.Warning, message));
        }
    }
}
