using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using Amazon.Runtime;

namespace AmiShare.Engine.Aws
{
    /// <summary>
    /// A resolved session: credentials, region and optional endpoint, with the sources they came from
    /// (worded as AWS.Tools words them in its debug output). Never holds or prints a secret in text.
    /// </summary>
    public sealed class AwsSession
    {
        /// <summary>Creates a session from what the resolver found and where it found it.</summary>
        public AwsSession(AWSCredentials credentials, string credentialSource, string region, string regionSource, string endpointUrl)
        {
            Credentials = credentials;
            CredentialSource = credentialSource;
            Region = region;
            RegionSource = regionSource;
            EndpointUrl = endpointUrl;
        }

        /// <summary>SDK credentials (engine-only; the cmdlet assembly never touches AWSSDK types).</summary>
        internal AWSCredentials Credentials { get; }

        /// <summary>e.g. "the supplied key parameters", "stored profile named 'dev'", "shell variable $StoredAWSCredentials".</summary>
        public string CredentialSource { get; }

        /// <summary>System name, e.g. us-east-1.</summary>
        public string Region { get; }

        /// <summary>e.g. "region parameter", "shell variable $StoredAWSRegion", "environment variable AWS_REGION".</summary>
        public string RegionSource { get; }

        /// <summary>Service URL override, or null for the real AWS endpoint.</summary>
        public string EndpointUrl { get; }

        /// <summary>A key that is equal for sessions that can share clients (same region, endpoint and credentials).</summary>
        public string CacheKey => Region + "|" + EndpointUrl + "|" + CredentialSource + "|" + CredentialIdentity(Credentials) + "|" + Proxy?.Key;

        /// <summary>The HTTP proxy every client of this session goes through, or null.</summary>
        public ProxySettings Proxy { get; set; }

        private static readonly ConditionalWeakTable<AWSCredentials, object> s_identities = new ConditionalWeakTable<AWSCredentials, object>();
        private static long s_nextIdentity;

        // Static keys compare by value (two resolves of the same -AccessKey/-SecretKey share a client; different
        // keys never do); any other credentials object by identity. The value is in-memory only and never printed.
        private static string CredentialIdentity(AWSCredentials credentials)
        {
            if (credentials == null)
            {
                return string.Empty;
            }

            if (credentials is BasicAWSCredentials || credentials is SessionAWSCredentials)
            {
                ImmutableCredentials c = credentials.GetCredentials();
                return c.AccessKey + ":" + ((c.SecretKey ?? string.Empty) + "\n" + (c.Token ?? string.Empty)).GetHashCode().ToString("x", CultureInfo.InvariantCulture);
            }

            object id = s_identities.GetValue(credentials, _ => Interlocked.Increment(ref s_nextIdentity));
            return "#" + id;
        }
    }
}
