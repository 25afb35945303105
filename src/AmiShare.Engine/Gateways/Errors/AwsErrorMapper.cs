using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// Maps AWS service errors (codes and texts of wire-spec.md §3) and transport failures to
    /// <see cref="AmiShareException"/>s with stable ErrorIds, each saying what to do about it.
    /// </summary>
    public static class AwsErrorMapper
    {
        /// <summary>Maps an exception thrown by an SDK call; returns null for cancellation (let it propagate).</summary>
        /// <param name="error">What the SDK threw.</param>
        /// <param name="operation">The API operation, e.g. ModifyImageAttribute.</param>
        /// <param name="imageId">The AMI the call was about, or null.</param>
        /// <param name="region">The region called.</param>
        /// <param name="endpoint">The endpoint URL override, or null.</param>
        public static AmiShareException Map(Exception error, string operation, string imageId, string region, string endpoint)
            => Map(error, "EC2", operation, imageId, region, endpoint);

        /// <summary>Maps an exception thrown by an SDK call of <paramref name="service"/> (EC2, KMS, STS, Organizations).</summary>
        internal static AmiShareException Map(Exception error, string service, string operation, string imageId, string region, string endpoint)
        {
            if (error is AmiShareException already)
            {
                return already;
            }

            if (error is AmazonServiceException serviceError && !string.IsNullOrEmpty(serviceError.ErrorCode))
            {
                AmiShareException mapped = MapService(serviceError, service, operation, imageId, region);
                mapped.AwsErrorCode = serviceError.ErrorCode;
                mapped.AwsRequestId = serviceError.RequestId;
                return mapped;
            }

            if (IsTransportFailure(error))
            {
                string where = endpoint != null ? $"the endpoint '{endpoint}'" : $"the {service} endpoint of region '{region}'";
                return new AmiShareException(
                    ErrorIds.EndpointUnreachable,
                    AmiShareErrorKind.ConnectionError,
                    $"{operation} could not reach {where}: {Innermost(error).Message}",
                    (object)imageId ?? endpoint ?? region,
                    endpoint != null
                        ? "Check that the endpoint is running and the URL (host, port, http/https) is right."
                        : "Check the network connection, proxy settings ($AWSProxy, HTTPS_PROXY) and that the region name is right.",
                    error);
            }

            if (error is AmazonServiceException other)
            {
                // A service exception without an error code: HTTP status only.
                return new AmiShareException(
                    ErrorIds.AwsServiceError,
                    AmiShareErrorKind.NotSpecified,
                    $"{service} {operation} failed{For(imageId)} (HTTP {(int)other.StatusCode}): {other.Message}",
                    imageId,
                    "Retry the command; if it keeps failing, check the AWS service health dashboard, and run it again with -Verbose to see each AWS call ($DebugPreference = 'Continue' also shows request ids).",
                    error);
            }

            return new AmiShareException(
                ErrorIds.AwsServiceError,
                AmiShareErrorKind.NotSpecified,
                $"{service} {operation} failed{For(imageId)}: {error.Message}",
                imageId,
                "Retry the command; if it keeps failing, run it again with -Verbose to see each AWS call ($DebugPreference = 'Continue' also shows request ids).",
                error);
        }

        /// <summary>Maps an exception thrown by a KMS SDK call about <paramref name="keyArn"/>.</summary>
        public static AmiShareException MapKms(Exception error, string operation, string keyArn, string region, string endpoint)
        {
            if (error is AmiShareException already)
            {
                return already;
            }

            var e = error as AmazonServiceException;
            string code = e?.ErrorCode;
            string text = e?.Message ?? string.Empty;
            string key = keyArn ?? "the KMS key";
            AmiShareException mapped = null;
            switch (code)
            {
                case "NotFoundException":
                case "InvalidArnException":
                    mapped = new AmiShareException(
                        ErrorIds.KmsKeyNotUsable,
                        AmiShareErrorKind.ObjectNotFound,
                        $"KMS key {key} was not found in region '{region}' ({text}).",
                        keyArn,
                        "The AMI's snapshots are encrypted with a key that no longer exists or that this account cannot see in this region: nobody can launch the AMI. Copy it from a source whose key still exists, or re-encrypt a copy with a customer managed key of this region (Copy-EC2Image -Encrypted $true -KmsKeyId <key-arn>).",
                        error);
                    break;

                case "DisabledException":
                case "KMSInvalidStateException":
                    mapped = new AmiShareException(
                        ErrorIds.KmsKeyNotUsable,
                        AmiShareErrorKind.InvalidOperation,
                        $"KMS key {key} cannot be used now ({text}).",
                        keyArn,
                        "Enable the key (Enable-KMSKey) or cancel its scheduled deletion (Undo-KMSKeyDeletion), then run the command again.",
                        error);
                    break;

                case "AccessDeniedException":
                    mapped = new AmiShareException(
                        ErrorIds.AccessDenied,
                        AmiShareErrorKind.PermissionDenied,
                        $"The caller is not allowed to call KMS {operation} on {key} ({code}: {text}).",
                        keyArn,
                        $"Allow kms:{operation} on this key for the caller, in the key policy and in the caller's IAM policy (GetKeyPolicy and PutKeyPolicy work only in the key's own account), or use credentials that have it.",
                        error);
                    break;

                case "MalformedPolicyDocumentException":
                    mapped = new AmiShareException(
                        ErrorIds.AwsServiceError,
                        AmiShareErrorKind.InvalidOperation,
                        $"KMS refused the new key policy of {key} ({text}).",
                        keyArn,
                        "AmiShare keeps the statements it did not write exactly as they are, so KMS may be rejecting one of them now (e.g. a principal that no longer exists): check the policy with Get-KMSKeyPolicy, fix that statement, and run the command again.",
                        error);
                    break;

                case "LimitExceededException":
                    mapped = string.Equals(operation, "PutKeyPolicy", StringComparison.Ordinal)
                        ? new AmiShareException(
                            ErrorIds.KmsPolicyTooLarge,
                            AmiShareErrorKind.LimitsExceeded,
                            $"The key policy of {key} would exceed the KMS key policy size limit ({text}).",
                            keyArn,
                            "Share with an organization or OU instead of many accounts (one statement covers them all), or remove statements the key no longer needs, then run the command again.",
                            error)
                        : new AmiShareException(
                            ErrorIds.AwsServiceError,
                            AmiShareErrorKind.LimitsExceeded,
                            $"KMS {operation} on {key} hit a KMS limit ({text}).",
                            keyArn,
                            "Retire grants the key no longer needs (Get-KMSGrantList, Revoke-KMSGrant), or request a higher KMS quota, then run the command again.",
                            error);
                    break;
            }

            if (mapped == null)
            {
                return Map(error, "KMS", operation, keyArn, region, endpoint);
            }

            mapped.AwsErrorCode = code;
            mapped.AwsRequestId = e?.RequestId;
            return mapped;
        }

        private static AmiShareException MapService(AmazonServiceException e, string service, string operation, string imageId, string region)
        {
            string code = e.ErrorCode;
            string text = e.Message ?? string.Empty;
            string image = imageId ?? "the AMI";
            object target = imageId;

            switch (code)
            {
                case "InvalidAMIID.NotFound":
                case "InvalidAMIID.Unavailable":
                    return new AmiShareException(
                        ErrorIds.AmiNotFound,
                        AmiShareErrorKind.ObjectNotFound,
                        $"AMI {image} was not found in region '{region}' ({text}).",
                        target,
                        "Check the image id and the region (-Region): an AMI exists in one region only, and a private AMI of another account is invisible to you.",
                        e);

                case "InvalidAMIID.Malformed":
                    return new AmiShareException(
                        ErrorIds.InvalidImageId,
                        AmiShareErrorKind.InvalidArgument,
                        $"EC2 refused the image id {image}: {text}",
                        target,
                        "An AMI id is 'ami-' followed by 8 or 17 lower-case hexadecimal digits, e.g. ami-0abcdef1234567890.",
                        e);

                case "AuthFailure":
                    if (text.StartsWith("Not authorized for image", StringComparison.OrdinalIgnoreCase))
                    {
                        return new AmiShareException(
                            ErrorIds.AmiNotOwned,
                            AmiShareErrorKind.PermissionDenied,
                            $"AMI {image} in region '{region}' is not owned by the calling account ({text}).",
                            target,
                            "Only the owner can view or change launch permissions: run the command with the owner account's credentials, or copy the AMI (Copy-EC2Image) and share the copy.",
                            e);
                    }

                    if (text.IndexOf("restricted resource", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return AccessDenied(e, service, operation, imageId, text);
                    }

                    return CredentialsRejected(e, operation, text);

                case "InvalidClientTokenId":
                case "UnrecognizedClientException":
                case "SignatureDoesNotMatch":
                case "IncompleteSignature":
                case "MissingAuthenticationToken":
                case "InvalidAccessKeyId":
                case "ExpiredToken":
                case "ExpiredTokenException":
                case "RequestExpired":
                    return CredentialsRejected(e, operation, text);

                case "UnauthorizedOperation":
                case "AccessDenied":
                case "AccessDeniedException":
                    return AccessDenied(e, service, operation, imageId, text);

                case "InvalidAMIAttributeItemValue":
                case "InvalidUserID.Malformed":
                case "InvalidUserID.NotFound":
                case "InvalidOrganizationArn":
                case "InvalidOrganizationalUnitArn":
                case "InvalidOrganizationArn.Malformed":
                case "InvalidOrganizationalUnitArn.Malformed":
                    return new AmiShareException(
                        ErrorIds.InvalidPrincipal,
                        AmiShareErrorKind.InvalidArgument,
                        $"EC2 refused a launch permission principal for {image}: {text}",
                        target,
                        "Give 12-digit account ids and full organization / OU ARNs (arn:aws:organizations::<management-account>:organization/o-… or …:ou/o-…/ou-…).",
                        e);

                case "UnsupportedOperation":
                    if (text.IndexOf("Encrypted snapshots", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return EncryptedCannotBePublic(image, target, text, e);
                    }

                    break;

                case "OperationNotPermitted":
                    if (text.IndexOf("product code", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return ProductCodesCannotBePublic(image, target, text, e);
                    }

                    if (text.IndexOf("block public access", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return PublicSharingBlocked(image, region, target, text, e);
                    }

                    break;

                case "InvalidParameter":
                case "InvalidParameterValue":
                    if (text.IndexOf("AWS Managed CMK", StringComparison.OrdinalIgnoreCase) >= 0
                        || text.IndexOf("AWS managed key", StringComparison.OrdinalIgnoreCase) >= 0
                        || text.IndexOf("aws/ebs", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return EncryptedWithAwsManagedKey(image, target, text, e);
                    }

                    if (text.IndexOf("OrganizationArn", StringComparison.Ordinal) >= 0
                        || text.IndexOf("OrganizationalUnitArn", StringComparison.Ordinal) >= 0
                        || text.IndexOf("userId", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        goto case "InvalidAMIAttributeItemValue";
                    }

                    break;

                case "ResourceLimitExceeded":
                    if (text.IndexOf("public image", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return PublicImageQuotaExceeded(image, region, target, text, e);
                    }

                    break;

                case "RequestLimitExceeded":
                case "Throttling":
                case "ThrottlingException":
                case "EC2ThrottledException":
                case "TooManyRequestsException":
                    return new AmiShareException(
                        ErrorIds.Throttled,
                        AmiShareErrorKind.LimitsExceeded,
                        $"{service} throttled {operation}{For(imageId)} in region '{region}' for the whole retry budget ({text}).",
                        target,
                        "Give retries more time with $env:AMISHARE_RETRY_BUDGET_SECONDS (seconds one call keeps retrying while throttled; default 300), run fewer jobs at once against this account and region, or run the command again for the failed AMIs.",
                        e);
            }

            return new AmiShareException(
                ErrorIds.AwsServiceError,
                (int)e.StatusCode >= 500 ? AmiShareErrorKind.NotSpecified : AmiShareErrorKind.InvalidOperation,
                $"{service} {operation}{For(imageId)} failed with {code} (HTTP {(int)e.StatusCode}): {text}",
                target,
                (int)e.StatusCode >= 500
                    ? "This is a service-side error: retry the command later."
                    : $"See the AWS error code in the {service} API reference; set $DebugPreference = 'Continue' and run the command again to see the request id.",
                e);
        }

        internal static AmiShareException EncryptedCannotBePublic(string image, object target, string detail, Exception inner) =>
            new AmiShareException(
                ErrorIds.EncryptedSnapshotsCannotBePublic,
                AmiShareErrorKind.InvalidOperation,
                $"AMI {image} cannot be made public because it has encrypted snapshots{Detail(detail)}.",
                target,
                "Share it with specific accounts, organizations or OUs instead (Grant-AmiLaunchPermission -IncludeKmsKey gives them the key access too). EC2 cannot make an unencrypted copy of an encrypted AMI: to publish an image, build a new AMI from an unencrypted source and make that public.",
                inner);

        internal static AmiShareException ProductCodesCannotBePublic(string image, object target, string detail, Exception inner) =>
            new AmiShareException(
                ErrorIds.ProductCodesCannotBePublic,
                AmiShareErrorKind.InvalidOperation,
                $"AMI {image} cannot be made public because it carries AWS Marketplace product codes{Detail(detail)}.",
                target,
                "Share it with specific accounts instead (Grant-AmiLaunchPermission), or publish it through AWS Marketplace.",
                inner);

        internal static AmiShareException PublicSharingBlocked(string image, string region, object target, string detail, Exception inner) =>
            new AmiShareException(
                ErrorIds.PublicSharingBlocked,
                AmiShareErrorKind.PermissionDenied,
                $"AMI {image} cannot be made public because block public access for AMIs is enabled for this account in region '{region}'{Detail(detail)}.",
                target,
                $"If the AMI really must be public, turn the block off with Disable-EC2ImageBlockPublicAccess -Region {region} (API DisableImageBlockPublicAccess; it can take up to 10 minutes to apply), then run the command again.",
                inner);

        /// <summary>
        /// EC2's own ResourceLimitExceeded for the public-AMI quota (wire-spec.md §3 E20): the quota EC2 names (parsed from its
        /// text), the account's count of public AMIs when known, and the Service Quotas code in the remedy.
        /// </summary>
        internal static AmiShareException PublicImageQuotaExceeded(string image, string region, object target, string detail, Exception inner, int? publicCount = null)
        {
            int? quota = QuotaIn(detail);
            string reached = quota != null ? $"its quota of {quota} public AMIs" : "its quota of public AMIs";
            string has = publicCount != null ? $"; it has {publicCount} public AMIs there" : string.Empty;
            string remedy = $"Make unused public AMIs private (Set-AmiPublic -Public:$false) or deregister them, or request a higher 'Public AMIs' quota in Service Quotas (quota code L-0E3CBAB9): "
                + $"Request-SQServiceQuotaIncrease -ServiceCode ec2 -QuotaCode L-0E3CBAB9 -DesiredValue <n> -Region {region}"
                + (publicCount != null ? $" (the account has {publicCount} public AMIs in region '{region}')." : ".");
            var e = new AmiShareException(
                ErrorIds.PublicImageQuotaExceeded,
                AmiShareErrorKind.LimitsExceeded,
                $"AMI {image} cannot be made public: the account has reached {reached} in region '{region}'{has}{Detail(detail)}.",
                target,
                remedy,
                inner);
            return e;
        }

        /// <summary>
        /// The same error with the account's count of public AMIs added (read after EC2 refused); EC2's text is kept.
        /// </summary>
        internal static AmiShareException WithPublicImageCount(AmiShareException refused, string image, string region, int? publicCount)
        {
            string detail = refused.InnerException is AmazonServiceException aws ? aws.Message : null;
            AmiShareException e = PublicImageQuotaExceeded(image, region, refused.Target, detail, refused.InnerException, publicCount);
            e.AwsErrorCode = refused.AwsErrorCode;
            e.AwsRequestId = refused.AwsRequestId;
            return e;
        }

        private static int? QuotaIn(string text)
        {
            System.Text.RegularExpressions.Match m = System.Text.RegularExpressions.Regex.Match(text ?? string.Empty, @"quota of (\d+)");
            return m.Success && int.TryParse(m.Groups[1].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : (int?)null;
        }

        internal static AmiShareException EncryptedWithAwsManagedKey(string image, object target, string detail, Exception inner) =>
            new AmiShareException(
                ErrorIds.EncryptedWithAwsManagedKey,
                AmiShareErrorKind.InvalidOperation,
                $"AMI {image} cannot be shared because its snapshots are encrypted with the AWS managed key aws/ebs, which cannot be shared{Detail(detail)}.",
                target,
                "Copy the AMI re-encrypted with a customer managed KMS key (Copy-EC2Image -Encrypted $true -KmsKeyId <key-arn>), give the principals access to that key, and share the copy.",
                inner);

        private static AmiShareException CredentialsRejected(AmazonServiceException e, string operation, string text) =>
            new AmiShareException(
                ErrorIds.CredentialsRejected,
                AmiShareErrorKind.AuthenticationError,
                $"AWS rejected the credentials used for {operation} ({e.ErrorCode}: {text}).",
                null,
                "Check that the access key is active and the secret key matches, refresh expired temporary credentials (session token, SSO login, assumed role), and check the system clock.",
                e);

        private static AmiShareException AccessDenied(AmazonServiceException e, string service, string operation, string imageId, string text) =>
            new AmiShareException(
                ErrorIds.AccessDenied,
                AmiShareErrorKind.PermissionDenied,
                $"The caller is not allowed to call {service} {operation}{For(imageId)} ({e.ErrorCode}: {text}).",
                imageId,
                $"Grant the IAM permission {service.ToLowerInvariant()}:{operation} to the user or role (check service control policies too), or use credentials that have it.",
                e);

        private static string For(string imageId) => imageId == null ? string.Empty : " for " + imageId;

        private static string Detail(string detail) => string.IsNullOrEmpty(detail) ? string.Empty : " (EC2: " + detail.TrimEnd('.') + ")";

        private static bool IsTransportFailure(Exception error)
        {
            for (Exception e = error; e != null; e = e.InnerException)
            {
                if (e is HttpRequestException || e is SocketException || e is WebException || e is IOException)
                {
                    return true;
                }

                if (e is TaskCanceledException || e is TimeoutException)
                {
                    // A timeout (the caller's own cancellation is filtered out before mapping).
                    return true;
                }
            }

            return false;
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null)
            {
                e = e.InnerException;
            }

            return e;
        }
    }
}
