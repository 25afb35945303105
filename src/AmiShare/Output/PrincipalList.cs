using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace AmiShare
{
    /// <summary>
    /// A read-only list of principals (account ids, 'all', ARNs) on an output object. It behaves as an array in
    /// scripts (-contains, indexing, ConvertTo-Json), and its ToString() — what Export-Csv writes for a
    /// property — is "a, b" instead of "System.String[]".
    /// </summary>
    public sealed class PrincipalList : ReadOnlyCollection<string>
    {
        /// <summary>Creates a list.</summary>
        public PrincipalList(IList<string> items)
            : base(items)
        {
        }

        /// <inheritdoc />
        public override string ToString() => string.Join(", ", this);

        /// <summary>
        /// The distinguishing part of a principal for tables: account ids and 'all' as they are, an organization ARN as
        /// o-…, an OU ARN as o-…/ou-… (the format views use it; the objects keep the full ARN).
        /// </summary>
        public static string ShortForm(string principal) => AmiShare.Engine.Principals.PrincipalParser.ShortForm(principal);
    }
}
