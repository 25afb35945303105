using System;
using System.Collections.Generic;

namespace AmiShare.Engine.Gateways
{
    /// <summary>A KMS grant (ListGrants).</summary>
    public sealed class KmsGrantInfo
    {
        /// <summary>Gets or sets the grant id.</summary>
        public string GrantId { get; set; }

        /// <summary>Gets or sets the grant's friendly name, or null.</summary>
        public string Name { get; set; }

        /// <summary>e.g. arn:aws:iam::111122223333:root.</summary>
        public string GranteePrincipal { get; set; }

        /// <summary>Gets or sets the operations the grant allows (Decrypt, CreateGrant, …).</summary>
        public IReadOnlyList<string> Operations { get; set; } = Array.Empty<string>();
    }
}
