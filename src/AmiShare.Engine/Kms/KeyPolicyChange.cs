using System;
using System.Collections.Generic;

namespace AmiShare.Engine.Kms
{
    /// <summary>A planned key policy change on one KMS key (one PutKeyPolicy). Immutable once planned.</summary>
    public sealed class KeyPolicyChange
    {
        /// <summary>The key's ARN (the PutKeyPolicy target).</summary>
        public string KeyArn { get; internal set; }

        /// <summary>The AmiShare-managed statements before, as JSON (null when there were none).</summary>
        public string StatementsBefore { get; internal set; }

        /// <summary>The AmiShare-managed statements after, as JSON (null when none remain).</summary>
        public string StatementsAfter { get; internal set; }

        /// <summary>The whole new policy document sent with PutKeyPolicy.</summary>
        public string NewPolicy { get; internal set; }

        /// <summary>Principals the change gives access (grant) or takes it from (revoke), as launch-permission values.</summary>
        public IReadOnlyList<string> Principals { get; internal set; } = Array.Empty<string>();

        /// <summary>The policy the plan was computed from; the executor re-reads the policy and, if it changed meanwhile, re-applies the edit to the new text.</summary>
        internal string BasePolicy { get; set; }

        /// <summary>The edit behind this change (re-run on a policy that changed between plan and apply).</summary>
        internal Action<KeyPolicyDocument> Edit { get; set; }
    }
}
