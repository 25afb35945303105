using System;
using System.Collections.Generic;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// Signs one AWS JSON 1.1 request to AWS Organizations with AWSSDK.Core's own SigV4 signer
    /// (<see cref="AWS4Signer.SignRequest(IRequest, IClientConfig, Amazon.Runtime.Internal.Util.RequestMetrics, string, string, DateTime)"/>),
    /// the same code every AWSSDK client runs: the request is described as an SDK <see cref="DefaultRequest"/>,
    /// the signer adds Host, X-Amz-Date and X-Amz-Content-SHA256 and computes the signature over every header
    /// set here (Content-Type, X-Amz-Target, X-Amz-Security-Token), and the result's Authorization value is
    /// added. No SigV4 arithmetic is written by hand.
    /// </summary>
    internal static class OrganizationsRequestSigner
    {
        /// <summary>The SigV4 signing name (credential scope service) of AWS Organizations.</summary>
        internal const string SigningName = "organizations";

        /// <summary>The X-Amz-Target prefix of every Organizations operation (API version 2016-11-28).</summary>
        internal const string TargetPrefix = "AWSOrganizationsV20161128.";

        /// <summary>The content type of an AWS JSON 1.1 request.</summary>
        internal const string ContentType = "application/x-amz-json-1.1";

        /// <summary>
        /// The headers to send (Authorization included; Host is included as signed, and must match the URL).
        /// </summary>
        /// <param name="url">The full request URL (POST target).</param>
        /// <param name="operation">The Organizations operation, e.g. ListParents.</param>
        /// <param name="body">The UTF-8 JSON body.</param>
        /// <param name="credentials">The caller's credentials for this request.</param>
        /// <param name="signingRegion">us-east-1 for aws, cn-northwest-1 for aws-cn, us-gov-west-1 for aws-us-gov.</param>
        /// <param name="signedAtUtc">The signing time (UTC).</param>
        internal static IDictionary<string, string> Sign(Uri url, string operation, byte[] body, ImmutableCredentials credentials, string signingRegion, DateTime signedAtUtc)
        {
            if (url == null)
            {
                throw new ArgumentNullException(nameof(url));
            }

            if (credentials == null)
            {
                throw new ArgumentNullException(nameof(credentials));
            }

            var request = new DefaultRequest(new SigningOnlyRequest(), "Organizations")
            {
                HttpMethod = "POST",
                Endpoint = new Uri(url.GetLeftPart(UriPartial.Authority)),
                ResourcePath = string.IsNullOrEmpty(url.AbsolutePath) ? "/" : url.AbsolutePath,
                AuthenticationRegion = signingRegion,
                OverrideSigningServiceName = SigningName,
                Content = body ?? Array.Empty<byte>(),
            };

            request.Headers["Content-Type"] = ContentType;
            request.Headers["X-Amz-Target"] = TargetPrefix + operation;
            if (!string.IsNullOrEmpty(credentials.Token))
            {
                request.Headers["X-Amz-Security-Token"] = credentials.Token;
            }

            var config = new SigningOnlyConfig(signingRegion);
            AWS4SigningResult result = new AWS4Signer().SignRequest(request, config, null, credentials.AccessKey, credentials.SecretKey, signedAtUtc);
            request.Headers["Authorization"] = result.ForAuthorizationHeader;
            return new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>The SDK signer takes the request object of a generated client; this one carries no members.</summary>
        private sealed class SigningOnlyRequest : AmazonWebServiceRequest
        {
        }

        /// <summary>The minimum client configuration AWS4Signer reads: signing region and service name.</summary>
        private sealed class SigningOnlyConfig : ClientConfig
        {
            public SigningOnlyConfig(string signingRegion)
                : base(new DefaultConfigurationProvider(new IDefaultConfiguration[] { new DefaultConfiguration { Name = DefaultConfigurationMode.Standard } }))
            {
                AuthenticationRegion = signingRegion;
                AuthenticationServiceName = SigningName;
            }

            public override string ServiceVersion => "2016-11-28";

            public override string UserAgent => "AmiShare";

            public override string RegionEndpointServiceName => SigningName;

            public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) =>
                throw new NotSupportedException("Used for signing only; the Organizations client chooses its endpoint itself.");
        }
    }
}
