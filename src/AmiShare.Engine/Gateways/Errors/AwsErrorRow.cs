using System;
using System.Collections.Generic;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// One row of an error catalogue: an AWS error code, an optional condition on the call (EC2 gives some codes to
    /// several errors and tells them apart only by its text), and the <see cref="AwsErrorTemplate"/> it maps to.
    /// </summary>
    internal sealed class AwsErrorRow
    {
        private readonly Func<AwsErrorContext, bool> _when;

        /// <summary>Creates a row.</summary>
        /// <param name="code">The AWS error code.</param>
        /// <param name="template">The error it becomes.</param>
        /// <param name="when">The condition on the call, or null for every call with this code.</param>
        public AwsErrorRow(string code, AwsErrorTemplate template, Func<AwsErrorContext, bool> when = null)
        {
            Code = code;
            Template = template;
            _when = when;
        }

        /// <summary>Gets the AWS error code.</summary>
        public string Code { get; }

        /// <summary>Gets the error the code becomes.</summary>
        public AwsErrorTemplate Template { get; }

        /// <summary>Gets a value indicating whether the row holds only for calls meeting its condition.</summary>
        public bool IsConditional => _when != null;

        /// <summary>The first row of <paramref name="rows"/> that matches the call, or null.</summary>
        /// <param name="rows">A catalogue, in order (for one code, the conditional rows first).</param>
        /// <param name="context">The failed call.</param>
        public static AwsErrorRow Find(IReadOnlyList<AwsErrorRow> rows, AwsErrorContext context)
        {
            foreach (AwsErrorRow row in rows)
            {
                if (string.Equals(row.Code, context.Code, StringComparison.Ordinal) && (row._when == null || row._when(context)))
                {
                    return row;
                }
            }

            return null;
        }
    }
}
