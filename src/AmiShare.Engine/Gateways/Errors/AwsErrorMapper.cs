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
    /// <see cref="AmiShareException"/>s with stable ErrorIds, each saying what to do about it. The codes, ids, kinds,
    /// texts and remedies are tables (<see cref="Ec2ErrorCatalog"/>, <see cref="KmsErrorCatalog"/>,
    /// <see cref="OrganizationsErrorCatalog"/>); this class holds what is not a table: transport failures and
    /// answers without a code.
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
                AwsErrorContext context = Context(serviceError, service, operation, imageId, imageId ?? "the AMI", region);
                return WithAwsIds(Ec2ErrorCatalog.Map(context, serviceError), serviceError);
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
        /// <param name="error">What the SDK threw.</param>
        /// <param name="operation">The KMS operation, e.g. PutKeyPolicy.</param>
        /// <param name="keyArn">The key the call was about, or null.</param>
        /// <param name="region">The region called.</param>
        /// <param name="endpoint">The endpoint URL override, or null.</param>
        public static AmiShareException MapKms(Exception error, string operation, string keyArn, string region, string endpoint)
        {
            if (error is AmiShareException already)
            {
                return already;
            }

            if (error is AmazonServiceException e)
            {
                AwsErrorContext context = Context(e, "KMS", operation, keyArn, keyArn ?? "the KMS key", region);
                AwsErrorRow row = AwsErrorRow.Find(KmsErrorCatalog.Rows, context);
                if (row != null)
                {
                    return WithAwsIds(row.Template.Create(context, error), e);
                }
            }

            return Map(error, "KMS", operation, keyArn, region, endpoint);
        }

        /// <summary>AMI <paramref name="image"/> cannot be made public because it has encrypted snapshots.</summary>
        /// <param name="image">The AMI id as the message names it.</param>
        /// <param name="target">The error's target object.</param>
        /// <param name="detail">EC2's own words, or null when the check was the engine's.</param>
        /// <param name="inner">What the SDK threw, or null.</param>
        internal static AmiShareException EncryptedCannotBePublic(string image, object target, string detail, Exception inner) =>
            Ec2ErrorCatalog.EncryptedCannotBePublic.Create(About(image, null, target, detail), inner);

        /// <summary>AMI <paramref name="image"/> cannot be made public because it carries AWS Marketplace product codes.</summary>
        /// <param name="image">The AMI id as the message names it.</param>
        /// <param name="target">The error's target object.</param>
        /// <param name="detail">EC2's own words, or null when the check was the engine's.</param>
        /// <param name="inner">What the SDK threw, or null.</param>
        internal static AmiShareException ProductCodesCannotBePublic(string image, object target, string detail, Exception inner) =>
            Ec2ErrorCatalog.ProductCodesCannotBePublic.Create(About(image, null, target, detail), inner);

        /// <summary>AMI <paramref name="image"/> cannot be made public because it carries AMI watermarks.</summary>
        /// <param name="image">The AMI id as the message names it.</param>
        /// <param name="target">The error's target object.</param>
        /// <param name="detail">EC2's own words, or null when the check was the engine's.</param>
        /// <param name="inner">What the SDK threw, or null.</param>
        internal static AmiShareException WatermarkedCannotBePublic(string image, object target, string detail, Exception inner) =>
            Ec2ErrorCatalog.WatermarkedCannotBePublic.Create(About(image, null, target, detail), inner);

        /// <summary>AMI <paramref name="image"/> cannot be made public because block public access for AMIs is on in <paramref name="region"/>.</summary>
        /// <param name="image">The AMI id as the message names it.</param>
        /// <param name="region">The AMI's region.</param>
        /// <param name="target">The error's target object.</param>
        /// <param name="detail">EC2's own words, or null when the check was the engine's.</param>
        /// <param name="inner">What the SDK threw, or null.</param>
        internal static AmiShareException PublicSharingBlocked(string image, string region, object target, string detail, Exception inner) =>
            Ec2ErrorCatalog.PublicSharingBlocked.Create(About(image, region, target, detail), inner);

        /// <summary>
        /// EC2's own ResourceLimitExceeded for the public-AMI quota (wire-spec.md §3 E20): the quota EC2 names (parsed from its
        /// text), the account's count of public AMIs when known, and the Service Quotas code in the remedy.
        /// </summary>
        internal static AmiShareException PublicImageQuotaExceeded(string image, string region, object target, string detail, Exception inner, int? publicCount = null)
        {
            AwsErrorContext context = About(image, region, target, detail);
            context.PublicCount = publicCount;
            return Ec2ErrorCatalog.PublicImageQuotaExceeded.Create(context, inner);
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

        /// <summary>AMI <paramref name="image"/> cannot be shared because its snapshots are encrypted with the AWS managed key aws/ebs.</summary>
        /// <param name="image">The AMI id as the message names it.</param>
        /// <param name="target">The error's target object.</param>
        /// <param name="detail">EC2's own words, or null when the check was the engine's.</param>
        /// <param name="inner">What the SDK threw, or null.</param>
        internal static AmiShareException EncryptedWithAwsManagedKey(string image, object target, string detail, Exception inner) =>
            Ec2ErrorCatalog.EncryptedWithAwsManagedKey.Create(About(image, null, target, detail), inner);

        private static AwsErrorContext Context(AmazonServiceException e, string service, string operation, string subject, string subjectName, string region) =>
            new AwsErrorContext
            {
                Service = service,
                Operation = operation,
                Code = e.ErrorCode,
                Status = (int)e.StatusCode,
                Text = e.Message ?? string.Empty,
                Subject = subject,
                SubjectName = subjectName,
                Region = region,
                Target = subject,
            };

        private static AwsErrorContext About(string image, string region, object target, string detail) =>
            new AwsErrorContext { Service = "EC2", SubjectName = image, Region = region, Target = target, Text = detail };

        private static AmiShareException WithAwsIds(AmiShareException mapped, AmazonServiceException e)
        {
            mapped.AwsErrorCode = e.ErrorCode;
            mapped.AwsRequestId = e.RequestId;
            return mapped;
        }

        private static string For(string imageId) => imageId == null ? string.Empty : " for " + imageId;

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
