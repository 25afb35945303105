using System;
using System.Collections.Generic;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// The error catalogue of KMS: one row per KMS error code, each naming the ErrorId, kind, message and remedy it
    /// becomes. Codes not listed are mapped as any other service's (<see cref="AwsErrorMapper"/>, the EC2 catalogue).
    /// </summary>
    internal static class KmsErrorCatalog
    {
        /// <summary>The key does not exist in the region, or the caller cannot see it.</summary>
        internal static readonly AwsErrorTemplate KeyNotFound = new AwsErrorTemplate(
            ErrorIds.KmsKeyNotUsable,
            AmiShareErrorKind.ObjectNotFound,
            c => $"KMS key {c.SubjectName} was not found in region '{c.Region}' ({c.Text}).",
            "The AMI's snapshots are encrypted with a key that no longer exists or that this account cannot see in this region: nobody can launch the AMI. Copy it from a source whose key still exists, or re-encrypt a copy with a customer managed key of this region (Copy-EC2Image -Encrypted $true -KmsKeyId <key-arn>).");

        /// <summary>The key is disabled or pending deletion.</summary>
        internal static readonly AwsErrorTemplate KeyNotUsableNow = new AwsErrorTemplate(
            ErrorIds.KmsKeyNotUsable,
            AmiShareErrorKind.InvalidOperation,
            c => $"KMS key {c.SubjectName} cannot be used now ({c.Text}).",
            "Enable the key (Enable-KMSKey) or cancel its scheduled deletion (Undo-KMSKeyDeletion), then run the command again.");

        /// <summary>The key policy or the caller's IAM policy does not allow the operation.</summary>
        internal static readonly AwsErrorTemplate AccessDenied = new AwsErrorTemplate(
            ErrorIds.AccessDenied,
            AmiShareErrorKind.PermissionDenied,
            c => $"The caller is not allowed to call KMS {c.Operation} on {c.SubjectName} ({c.Code}: {c.Text}).",
            c => $"Allow kms:{c.Operation} on this key for the caller, in the key policy and in the caller's IAM policy (GetKeyPolicy and PutKeyPolicy work only in the key's own account), or use credentials that have it.");

        /// <summary>KMS refused the new key policy document.</summary>
        internal static readonly AwsErrorTemplate MalformedPolicy = new AwsErrorTemplate(
            ErrorIds.AwsServiceError,
            AmiShareErrorKind.InvalidOperation,
            c => $"KMS refused the new key policy of {c.SubjectName} ({c.Text}).",
            "AmiShare keeps the statements it did not write exactly as they are, so KMS may be rejecting one of them now (e.g. a principal that no longer exists): check the policy with Get-KMSKeyPolicy, fix that statement, and run the command again.");

        /// <summary>PutKeyPolicy: the new policy would exceed the key policy size limit.</summary>
        internal static readonly AwsErrorTemplate PolicyTooLarge = new AwsErrorTemplate(
            ErrorIds.KmsPolicyTooLarge,
            AmiShareErrorKind.LimitsExceeded,
            c => $"The key policy of {c.SubjectName} would exceed the KMS key policy size limit ({c.Text}).",
            "Share with an organization or OU instead of many accounts (one statement covers them all), or remove statements the key no longer needs, then run the command again.");

        /// <summary>Any other KMS limit (grants per key, request quotas).</summary>
        internal static readonly AwsErrorTemplate LimitExceeded = new AwsErrorTemplate(
            ErrorIds.AwsServiceError,
            AmiShareErrorKind.LimitsExceeded,
            c => $"KMS {c.Operation} on {c.SubjectName} hit a KMS limit ({c.Text}).",
            "Retire grants the key no longer needs (Get-KMSGrantList, Revoke-KMSGrant), or request a higher KMS quota, then run the command again.");

        /// <summary>The catalogue: code → error, in order (for one code, the conditional rows first).</summary>
        internal static readonly IReadOnlyList<AwsErrorRow> Rows = new[]
        {
            new AwsErrorRow("NotFoundException", KeyNotFound),
            new AwsErrorRow("InvalidArnException", KeyNotFound),
            new AwsErrorRow("DisabledException", KeyNotUsableNow),
            new AwsErrorRow("KMSInvalidStateException", KeyNotUsableNow),
            new AwsErrorRow("AccessDeniedException", AccessDenied),
            new AwsErrorRow("MalformedPolicyDocumentException", MalformedPolicy),
            new AwsErrorRow("LimitExceededException", PolicyTooLarge, c => string.Equals(c.Operation, "PutKeyPolicy", StringComparison.Ordinal)),
            new AwsErrorRow("LimitExceededException", LimitExceeded),
        };
    }
}
