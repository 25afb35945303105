using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// The error catalogue of EC2 (and of STS and the other SDK services, whose credential, permission and throttling
    /// codes it shares): one row per AWS error code (wire-spec.md §3), each naming the ErrorId, kind, message and
    /// remedy it becomes. Codes not listed become <see cref="Unlisted"/>.
    /// </summary>
    internal static class Ec2ErrorCatalog
    {
        /// <summary>What to do about credentials AWS rejected (EC2, STS and Organizations alike).</summary>
        internal const string CredentialsRemedy =
            "Check that the access key is active and the secret key matches, refresh expired temporary credentials (session token, SSO login, assumed role), and check the system clock.";

        /// <summary>The AMI does not exist in the region, or the caller cannot see it.</summary>
        internal static readonly AwsErrorTemplate AmiNotFound = new AwsErrorTemplate(
            ErrorIds.AmiNotFound,
            AmiShareErrorKind.ObjectNotFound,
            c => $"AMI {c.SubjectName} was not found in region '{c.Region}' ({c.Text}).",
            "Check the image id and the region (-Region): an AMI exists in one region only, and a private AMI of another account is invisible to you.");

        /// <summary>EC2 refused the shape of the image id.</summary>
        internal static readonly AwsErrorTemplate InvalidImageId = new AwsErrorTemplate(
            ErrorIds.InvalidImageId,
            AmiShareErrorKind.InvalidArgument,
            c => $"EC2 refused the image id {c.SubjectName}: {c.Text}",
            "An AMI id is 'ami-' followed by 8 or 17 lower-case hexadecimal digits, e.g. ami-0abcdef1234567890.");

        /// <summary>The caller does not own the AMI (only the owner reads and changes launch permissions).</summary>
        internal static readonly AwsErrorTemplate AmiNotOwned = new AwsErrorTemplate(
            ErrorIds.AmiNotOwned,
            AmiShareErrorKind.PermissionDenied,
            c => $"AMI {c.SubjectName} in region '{c.Region}' is not owned by the calling account ({c.Text}).",
            "Only the owner can view or change launch permissions: run the command with the owner account's credentials, or copy the AMI (Copy-EC2Image) and share the copy.");

        /// <summary>AWS rejected the credentials themselves.</summary>
        internal static readonly AwsErrorTemplate CredentialsRejected = new AwsErrorTemplate(
            ErrorIds.CredentialsRejected,
            AmiShareErrorKind.AuthenticationError,
            c => $"AWS rejected the credentials used for {c.Operation} ({c.Code}: {c.Text}).",
            CredentialsRemedy,
            targetsSubject: false);

        /// <summary>The credentials are good but lack the IAM permission for the operation.</summary>
        internal static readonly AwsErrorTemplate AccessDenied = new AwsErrorTemplate(
            ErrorIds.AccessDenied,
            AmiShareErrorKind.PermissionDenied,
            c => $"The caller is not allowed to call {c.Service} {c.Operation}{c.For} ({c.Code}: {c.Text}).",
            c => $"Grant the IAM permission {c.Service.ToLowerInvariant()}:{c.Operation} to the user or role (check service control policies too), or use credentials that have it.");

        /// <summary>EC2 refused a launch permission principal (account id, organization or OU ARN).</summary>
        internal static readonly AwsErrorTemplate InvalidPrincipal = new AwsErrorTemplate(
            ErrorIds.InvalidPrincipal,
            AmiShareErrorKind.InvalidArgument,
            c => $"EC2 refused a launch permission principal for {c.SubjectName}: {c.Text}",
            "Give 12-digit account ids and full organization / OU ARNs (arn:aws:organizations::<management-account>:organization/o-… or …:ou/o-…/ou-…).");

        /// <summary>An AMI with encrypted snapshots cannot be public.</summary>
        internal static readonly AwsErrorTemplate EncryptedCannotBePublic = new AwsErrorTemplate(
            ErrorIds.EncryptedSnapshotsCannotBePublic,
            AmiShareErrorKind.InvalidOperation,
            c => $"AMI {c.SubjectName} cannot be made public because it has encrypted snapshots{c.Ec2Detail}.",
            "Share it with specific accounts, organizations or OUs instead (Grant-AmiLaunchPermission -IncludeKmsKey gives them the key access too). EC2 cannot make an unencrypted copy of an encrypted AMI: to publish an image, build a new AMI from an unencrypted source and make that public.");

        /// <summary>An AMI with AWS Marketplace product codes cannot be public.</summary>
        internal static readonly AwsErrorTemplate ProductCodesCannotBePublic = new AwsErrorTemplate(
            ErrorIds.ProductCodesCannotBePublic,
            AmiShareErrorKind.InvalidOperation,
            c => $"AMI {c.SubjectName} cannot be made public because it carries AWS Marketplace product codes{c.Ec2Detail}.",
            "Share it with specific accounts instead (Grant-AmiLaunchPermission), or publish it through AWS Marketplace.");

        /// <summary>Block public access for AMIs is on for the account in the region.</summary>
        internal static readonly AwsErrorTemplate PublicSharingBlocked = new AwsErrorTemplate(
            ErrorIds.PublicSharingBlocked,
            AmiShareErrorKind.PermissionDenied,
            c => $"AMI {c.SubjectName} cannot be made public because block public access for AMIs is enabled for this account in region '{c.Region}'{c.Ec2Detail}.",
            c => $"If the AMI really must be public, turn the block off with Disable-EC2ImageBlockPublicAccess -Region {c.Region} (API DisableImageBlockPublicAccess; it can take up to 10 minutes to apply), then run the command again.");

        /// <summary>
        /// EC2's own ResourceLimitExceeded for the public-AMI quota (wire-spec.md §3 E20): the quota EC2 names (parsed from its
        /// text), the account's count of public AMIs when known, and the Service Quotas code in the remedy.
        /// </summary>
        internal static readonly AwsErrorTemplate PublicImageQuotaExceeded = new AwsErrorTemplate(
            ErrorIds.PublicImageQuotaExceeded,
            AmiShareErrorKind.LimitsExceeded,
            c =>
            {
                int? quota = QuotaIn(c.Text);
                string reached = quota != null ? $"its quota of {quota} public AMIs" : "its quota of public AMIs";
                string has = c.PublicCount != null ? $"; it has {c.PublicCount} public AMIs there" : string.Empty;
                return $"AMI {c.SubjectName} cannot be made public: the account has reached {reached} in region '{c.Region}'{has}{c.Ec2Detail}.";
            },
            c => $"Make unused public AMIs private (Set-AmiPublic -Public:$false) or deregister them, or request a higher 'Public AMIs' quota in Service Quotas (quota code L-0E3CBAB9): "
                + $"Request-SQServiceQuotaIncrease -ServiceCode ec2 -QuotaCode L-0E3CBAB9 -DesiredValue <n> -Region {c.Region}"
                + (c.PublicCount != null ? $" (the account has {c.PublicCount} public AMIs in region '{c.Region}')." : "."));

        /// <summary>The AMI's snapshots are encrypted with the AWS managed key aws/ebs, which cannot be shared.</summary>
        internal static readonly AwsErrorTemplate EncryptedWithAwsManagedKey = new AwsErrorTemplate(
            ErrorIds.EncryptedWithAwsManagedKey,
            AmiShareErrorKind.InvalidOperation,
            c => $"AMI {c.SubjectName} cannot be shared because its snapshots are encrypted with the AWS managed key aws/ebs, which cannot be shared{c.Ec2Detail}.",
            "Copy the AMI re-encrypted with a customer managed KMS key (Copy-EC2Image -Encrypted $true -KmsKeyId <key-arn>), give the principals access to that key, and share the copy.");

        /// <summary>The service kept throttling the call for the whole retry budget.</summary>
        internal static readonly AwsErrorTemplate Throttled = new AwsErrorTemplate(
            ErrorIds.Throttled,
            AmiShareErrorKind.LimitsExceeded,
            c => $"{c.Service} throttled {c.Operation}{c.For} in region '{c.Region}' for the whole retry budget ({c.Text}).",
            "Give retries more time with $env:AMISHARE_RETRY_BUDGET_SECONDS (seconds one call keeps retrying while throttled; default 300), run fewer jobs at once against this account and region, or run the command again for the failed AMIs.");

        /// <summary>Any code the catalogue does not list (and a listed code whose conditions the text does not meet).</summary>
        internal static readonly AwsErrorTemplate Unlisted = new AwsErrorTemplate(
            ErrorIds.AwsServiceError,
            AmiShareErrorKind.InvalidOperation,
            c => $"{c.Service} {c.Operation}{c.For} failed with {c.Code} (HTTP {c.Status}): {c.Text}",
            c => $"See the AWS error code in the {c.Service} API reference; set $DebugPreference = 'Continue' and run the command again to see the request id.");

        /// <summary>An unlisted code answered with a 5xx status: a service-side error.</summary>
        internal static readonly AwsErrorTemplate UnlistedServerError = new AwsErrorTemplate(
            ErrorIds.AwsServiceError,
            AmiShareErrorKind.NotSpecified,
            c => $"{c.Service} {c.Operation}{c.For} failed with {c.Code} (HTTP {c.Status}): {c.Text}",
            "This is a service-side error: retry the command later.");

        /// <summary>A watermarked AMI (AttachImageWatermark) cannot be public (EC2 User Guide, "Use AMI watermarks").</summary>
        internal static readonly AwsErrorTemplate WatermarkedCannotBePublic = new AwsErrorTemplate(
            ErrorIds.WatermarkedCannotBePublic,
            AmiShareErrorKind.InvalidOperation,
            c => $"AMI {c.SubjectName} cannot be made public because it carries AMI watermarks{c.Ec2Detail}.",
            c => WatermarkRemedy(c.SubjectName, null));

        /// <summary>Block public access for EBS snapshots refused group all on a snapshot (Set-AmiPublic -IncludeSnapshot).</summary>
        internal static readonly AwsErrorTemplate PublicSnapshotSharingBlocked = new AwsErrorTemplate(
            ErrorIds.PublicSnapshotSharingBlocked,
            AmiShareErrorKind.PermissionDenied,
            c => $"Snapshot {c.SubjectName} cannot be made public because block public access for snapshots is enabled for this account in region '{c.Region}'{c.Ec2Detail}.",
            c => $"Turn the block off with Disable-EC2SnapshotBlockPublicAccess -Region {c.Region} (API DisableSnapshotBlockPublicAccess) and run the command again, or make the AMI public without -IncludeSnapshot and share the snapshots with the accounts that must copy it (Grant-AmiLaunchPermission -AccountId <ids> -IncludeSnapshot).");

        /// <summary>The catalogue: code → error, in order (for one code, the conditional rows first).</summary>
        internal static readonly IReadOnlyList<AwsErrorRow> Rows = new[]
        {
            new AwsErrorRow("InvalidAMIID.NotFound", AmiNotFound),
            new AwsErrorRow("InvalidAMIID.Unavailable", AmiNotFound),
            new AwsErrorRow("InvalidAMIID.Malformed", InvalidImageId),

            new AwsErrorRow("AuthFailure", AmiNotOwned, c => c.Text.StartsWith("Not authorized for image", StringComparison.OrdinalIgnoreCase)),
            new AwsErrorRow("AuthFailure", AccessDenied, c => c.Says("restricted resource")),
            new AwsErrorRow("AuthFailure", CredentialsRejected),
            new AwsErrorRow("InvalidClientTokenId", CredentialsRejected),
            new AwsErrorRow("UnrecognizedClientException", CredentialsRejected),
            new AwsErrorRow("SignatureDoesNotMatch", CredentialsRejected),
            new AwsErrorRow("IncompleteSignature", CredentialsRejected),
            new AwsErrorRow("MissingAuthenticationToken", CredentialsRejected),
            new AwsErrorRow("InvalidAccessKeyId", CredentialsRejected),
            new AwsErrorRow("ExpiredToken", CredentialsRejected),
            new AwsErrorRow("ExpiredTokenException", CredentialsRejected),
            new AwsErrorRow("RequestExpired", CredentialsRejected),

            new AwsErrorRow("UnauthorizedOperation", AccessDenied),
            new AwsErrorRow("AccessDenied", AccessDenied),
            new AwsErrorRow("AccessDeniedException", AccessDenied),

            new AwsErrorRow("InvalidAMIAttributeItemValue", InvalidPrincipal),
            new AwsErrorRow("InvalidUserID.Malformed", InvalidPrincipal),
            new AwsErrorRow("InvalidUserID.NotFound", InvalidPrincipal),
            new AwsErrorRow("InvalidOrganizationArn", InvalidPrincipal),
            new AwsErrorRow("InvalidOrganizationalUnitArn", InvalidPrincipal),
            new AwsErrorRow("InvalidOrganizationArn.Malformed", InvalidPrincipal),
            new AwsErrorRow("InvalidOrganizationalUnitArn.Malformed", InvalidPrincipal),

            new AwsErrorRow("UnsupportedOperation", EncryptedCannotBePublic, c => c.Says("Encrypted snapshots")),
            new AwsErrorRow("OperationNotPermitted", WatermarkedCannotBePublic, c => c.Says("watermark")),
            new AwsErrorRow("OperationNotPermitted", PublicSnapshotSharingBlocked, c => c.Says("block public access for snapshots")),
            new AwsErrorRow("OperationNotPermitted", ProductCodesCannotBePublic, c => c.Says("product code")),
            new AwsErrorRow("OperationNotPermitted", PublicSharingBlocked, c => c.Says("block public access")),
            new AwsErrorRow("InvalidParameter", EncryptedWithAwsManagedKey, SaysAwsManagedKey),
            new AwsErrorRow("InvalidParameter", InvalidPrincipal, NamesPrincipal),
            new AwsErrorRow("InvalidParameterValue", EncryptedWithAwsManagedKey, SaysAwsManagedKey),
            new AwsErrorRow("InvalidParameterValue", InvalidPrincipal, NamesPrincipal),
            new AwsErrorRow("ResourceLimitExceeded", PublicImageQuotaExceeded, c => c.Says("public image")),

            new AwsErrorRow("RequestLimitExceeded", Throttled),
            new AwsErrorRow("Throttling", Throttled),
            new AwsErrorRow("ThrottlingException", Throttled),
            new AwsErrorRow("EC2ThrottledException", Throttled),
            new AwsErrorRow("TooManyRequestsException", Throttled),
        };

        /// <summary>The error one failed call becomes: its row's, else <see cref="Unlisted"/> (<see cref="UnlistedServerError"/> for 5xx).</summary>
        /// <param name="context">The failed call.</param>
        /// <param name="inner">What the SDK threw.</param>
        internal static AmiShareException Map(AwsErrorContext context, Exception inner)
        {
            AwsErrorRow row = AwsErrorRow.Find(Rows, context);
            AwsErrorTemplate template = row?.Template ?? (context.IsServerError ? UnlistedServerError : Unlisted);
            return template.Create(context, inner);
        }

        /// <summary>
        /// What to do about a watermarked AMI that should be public: detach each watermark (DetachImageWatermark; the commands
        /// name <paramref name="keys"/> when known), or share it with accounts, organizations or OUs, which keeps the watermarks.
        /// </summary>
        internal static string WatermarkRemedy(string image, IReadOnlyList<string> keys)
        {
            string id = string.IsNullOrEmpty(image) ? "<ami-id>" : image;
            string key = keys != null && keys.Count == 1 ? keys[0] : "<accountId:name>";
            string each = keys != null && keys.Count > 1 ? " for each of " + string.Join(", ", keys) : string.Empty;
            return $"To publish it, detach its watermarks first{each} (API DetachImageWatermark: Remove-EC2ImageWatermark -ImageId {id} -ImageWatermarkKey {key}, or aws ec2 detach-image-watermark --image-id {id} --watermark-key {key}; copies already made keep theirs), then run the command again. "
                + "To keep the watermarks, share it with accounts, organizations or OUs instead (Grant-AmiLaunchPermission): watermarks stay visible to them.";
        }

        private static bool SaysAwsManagedKey(AwsErrorContext c) =>
            c.Says("AWS Managed CMK") || c.Says("AWS managed key") || c.Says("aws/ebs");

        private static bool NamesPrincipal(AwsErrorContext c) =>
            c.Text.IndexOf("OrganizationArn", StringComparison.Ordinal) >= 0
            || c.Text.IndexOf("OrganizationalUnitArn", StringComparison.Ordinal) >= 0
            || c.Says("userId");

        private static int? QuotaIn(string text)
        {
            Match m = Regex.Match(text ?? string.Empty, @"quota of (\d+)");
            return m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : (int?)null;
        }
    }
}
