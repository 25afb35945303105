using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace AmiShare
{
    /// <summary>
    /// The accounts that still use an AMI, on a Get-AmiShareReport row. An array of <see cref="AmiAccountUsage"/> in scripts and
    /// ConvertTo-Json; its ToString() — what Export-Csv writes — is "111122223333 (2 instances, 1 launch template); 999988887777 (1 instance)".
    /// </summary>
    public sealed class AmiUsageList : ReadOnlyCollection<AmiAccountUsage>
    {
        /// <summary>Creates a list.</summary>
        public AmiUsageList(IList<AmiAccountUsage> items)
            : base(items)
        {
        }

        /// <inheritdoc />
        public override string ToString() => string.Join("; ", this);
    }
}
