using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Jobs;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// ShouldProcess for planned changes, in one place. -Force skips the confirmation prompt of a high-impact cmdlet,
    /// while -WhatIf (parameter or $WhatIfPreference) and an explicit -Confirm still win. What -WhatIf and -Confirm show is
    /// the operation and, for each KMS key, the AmiShare statements before and after.
    /// </summary>
    internal sealed class ChangeApproval
    {
        private readonly PSCmdlet _cmdlet;
        private readonly bool _force;

        public ChangeApproval(PSCmdlet cmdlet, ConfirmImpact impact, bool force)
        {
            _cmdlet = cmdlet;
            _force = force;
            IsWhatIf = ReadWhatIf(cmdlet);
            bool confirmBound = cmdlet.MyInvocation.BoundParameters.TryGetValue("Confirm", out object confirm);
            bool confirmAsked = confirmBound && IsTrue(confirm);
            var preference = cmdlet.SessionState.PSVariable.GetValue("ConfirmPreference") is ConfirmImpact p ? p : ConfirmImpact.High;
            // -Confirm / -Confirm:$false decide on their own; otherwise the cmdlet's impact against $ConfirmPreference.
            bool prompts = confirmBound ? confirmAsked : impact != ConfirmImpact.None && preference != ConfirmImpact.None && impact >= preference;
            ConfirmBound = confirmBound;

            // PowerShell's own rule for ShouldProcess answering yes without a prompt: no -WhatIf, no -Confirm, and the
            // impact under $ConfirmPreference (or -Force). Then items need not wait for the pipeline thread to ask.
            AnswersWithoutAsking = !IsWhatIf && (!prompts || (force && !confirmBound));
        }

        /// <summary>True when -WhatIf is in force (parameter or preference variable).</summary>
        public bool IsWhatIf { get; }

        /// <summary>True when ShouldProcess would say yes without asking anyone (so the job need not wait for it).</summary>
        public bool AnswersWithoutAsking { get; }

        private bool ConfirmBound { get; }

        /// <summary>Asks about <paramref name="plan"/> on the pipeline thread and gives the job its answer.</summary>
        public ApprovalAnswer Ask(SharePlan plan) =>
            Ask($"Performing the operation \"{plan.Describe()}\" on target \"{plan.ImageId} ({plan.Region})\".", KeyPolicyLines(plan));

        /// <summary>
        /// Asks about a change that is not a SharePlan (e.g. one region of Publish-Ami): "Performing the operation
        /// <paramref name="action"/> on target <paramref name="target"/>", then one line per step.
        /// </summary>
        public ApprovalAnswer Ask(string action, string target, IReadOnlyList<string> details) =>
            Ask($"Performing the operation \"{action}\" on target \"{target}\".", (details ?? new string[0]).Select(d => "  " + d).ToList());

        /// <summary>
        /// The one approval: -Force approves (a VERBOSE line says so), -WhatIf writes the operation and its lines as one
        /// "What if:" text, otherwise ShouldProcess asks (its description one VERBOSE line, then each line as one).
        /// </summary>
        private ApprovalAnswer Ask(string operation, IReadOnlyList<string> lines)
        {
            string full = string.Join("\n", new[] { operation }.Concat(lines));
            if (_force && !IsWhatIf && !ConfirmBound)
            {
                _cmdlet.WriteVerbose(operation + " (-Force: not asking for confirmation)");
                WriteVerboseLines(lines);
                return ApprovalAnswer.Approved;
            }

            if (IsWhatIf)
            {
                _cmdlet.ShouldProcess(full, full, "Confirm");
                return ApprovalAnswer.WhatIf;
            }

            if (_cmdlet.ShouldProcess(operation, "Are you sure you want to perform this action?\n" + full, "Confirm"))
            {
                WriteVerboseLines(lines);
                return ApprovalAnswer.Approved;
            }

            return ApprovalAnswer.Declined;
        }

        private static bool ReadWhatIf(PSCmdlet cmdlet)
        {
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out object value))
            {
                return IsTrue(value);
            }

            return LanguagePrimitives.IsTrue(cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference"));
        }

        private static bool IsTrue(object value) => value is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(value);

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
                _cmdlet.WriteVerbose(line);
            }
        }
    }
}
