using System;

namespace AmiShare.Engine.Gateways
{
    /// <summary>What the engine needs to know about a KMS key.</summary>
    public sealed class KmsKeyInfo
    {
        /// <summary>Gets or sets the key id (a UUID, or mrk-… for a multi-Region key).</summary>
        public string KeyId { get; set; }

        /// <summary>Gets or sets the key's full ARN.</summary>
        public string KeyArn { get; set; }

        /// <summary>Gets or sets the 12-digit id of the account that owns the key.</summary>
        public string AccountId { get; set; }

        /// <summary>"AWS" (AWS managed, e.g. aws/ebs: never shareable) or "CUSTOMER".</summary>
        public string KeyManager { get; set; }

        /// <summary>Gets or sets a value indicating whether the key is enabled.</summary>
        public bool Enabled { get; set; }

        /// <summary>Gets or sets the key state as KMS reports it (Enabled, Disabled, PendingDeletion, …).</summary>
        public string KeyState { get; set; }

        /// <summary>Gets a value indicating whether the key is AWS managed (<see cref="KeyManager"/> is "AWS").</summary>
        public bool IsAwsManaged => string.Equals(KeyManager, "AWS", StringComparison.OrdinalIgnoreCase);
    }
}
