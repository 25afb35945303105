using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using Amazon.Runtime;

namespace AmiShare.Engine.Gateways
{
    /// <summary>Sorts SDK exceptions into throttled, transient (5xx, dropped connection, timeout) and final.</summary>
    internal static class RetryClassifier
    {
        /// <summary>The throttling codes of EC2, KMS, STS, Organizations and S3-style endpoints.</summary>
        internal static readonly string[] ThrottlingCodes =
        {
            "RequestLimitExceeded", "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
            "RequestThrottledException", "TooManyRequestsException", "SlowDown", "EC2ThrottledException",
            "PriorRequestNotComplete", "BandwidthLimitExceeded", "ProvisionedThroughputExceededException",
        };

        public static FailureKind Classify(Exception e, CancellationToken cancellationToken)
        {
            if (e == null || e is AmiShareException)
            {
                return FailureKind.Final;
            }

            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                return FailureKind.Final;
            }

            if (e is AmazonServiceException service && (!string.IsNullOrEmpty(service.ErrorCode) || service.StatusCode != 0))
            {
                if (service.ErrorCode != null && Array.IndexOf(ThrottlingCodes, service.ErrorCode) >= 0)
                {
                    return FailureKind.Throttled;
                }

                int status = (int)service.StatusCode;
                if (status == 429)
                {
                    return FailureKind.Throttled;
                }

                if (status >= 500)
                {
                    return FailureKind.Transient;
                }

                if (status != 0)
                {
                    return FailureKind.Final;
                }
            }

            // No answer at all: a dropped or refused connection, a reset, an HTTP timeout (a TaskCanceledException
            // that the caller's token did not cause). The SDK wraps these in AmazonServiceException/AmazonClientException.
            for (Exception inner = e; inner != null; inner = inner.InnerException)
            {
                if (inner is HttpRequestException || inner is IOException || inner is SocketException || inner is WebException
                    || (inner is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    return FailureKind.Transient;
                }
            }

            return FailureKind.Final;
        }

        /// <summary>The error code or the exception type, for the verbose retry line.</summary>
        public static string Describe(Exception e)
        {
            if (e is AmazonServiceException service && !string.IsNullOrEmpty(service.ErrorCode))
            {
                return service.ErrorCode + " (HTTP " + ((int)service.StatusCode).ToString(CultureInfo.InvariantCulture) + ")";
            }

            Exception innermost = e;
            while (innermost.InnerException != null)
            {
                innermost = innermost.InnerException;
            }

            return "no answer: " + innermost.Message;
        }
    }
}
