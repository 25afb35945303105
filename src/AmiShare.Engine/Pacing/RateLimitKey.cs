using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Amazon.Runtime;

namespace AmiShare.Engine.Pacing
{
    /// <summary>
    /// Which bucket a call draws from: EC2 throttles per account, region and API, so one bucket per (account key,
    /// region, endpoint, service, action). The account key is the access key id of static keys, or the identity of any
    /// other credentials object (never a secret; never printed).
    /// </summary>
    public sealed class RateLimitKey : IEquatable<RateLimitKey>
    {
        /// <summary>The key of one bucket.</summary>
        public RateLimitKey(string accountKey, string region, string endpoint, string service, string action)
        {
            AccountKey = accountKey ?? string.Empty;
            Region = region ?? string.Empty;
            Endpoint = endpoint ?? string.Empty;
            Service = service ?? string.Empty;
            Action = action ?? string.Empty;
        }

        /// <summary>The access key id (static keys) or "#n" (another credentials object); empty when unknown.</summary>
        public string AccountKey { get; }

        /// <summary>The region called.</summary>
        public string Region { get; }

        /// <summary>The endpoint override, or empty for AWS's own endpoint.</summary>
        public string Endpoint { get; }

        /// <summary>"EC2", "KMS", …</summary>
        public string Service { get; }

        /// <summary>The API action.</summary>
        public string Action { get; }

        private static readonly ConditionalWeakTable<AWSCredentials, object> s_identities = new ConditionalWeakTable<AWSCredentials, object>();
        private static long s_nextIdentity;

        /// <summary>
        /// The account key of <paramref name="credentials"/>: the access key id of static or session keys (the same keys
        /// share buckets in every job of the process), else the object's identity (refreshing credentials keep theirs).
        /// </summary>
        internal static string AccountKeyOf(AWSCredentials credentials)
        {
            if (credentials == null)
            {
                return string.Empty;
            }

            if (credentials is BasicAWSCredentials || credentials is SessionAWSCredentials)
            {
                return credentials.GetCredentials().AccessKey ?? string.Empty;
            }

            return "#" + s_identities.GetValue(credentials, _ => Interlocked.Increment(ref s_nextIdentity));
        }

        /// <inheritdoc />
        public bool Equals(RateLimitKey other) =>
            other != null
            && string.Equals(AccountKey, other.AccountKey, StringComparison.Ordinal)
            && string.Equals(Region, other.Region, StringComparison.Ordinal)
            && string.Equals(Endpoint, other.Endpoint, StringComparison.Ordinal)
            && string.Equals(Service, other.Service, StringComparison.Ordinal)
            && string.Equals(Action, other.Action, StringComparison.Ordinal);

        /// <inheritdoc />
        public override bool Equals(object obj) => Equals(obj as RateLimitKey);

        /// <inheritdoc />
        public override int GetHashCode()
        {
            unchecked
            {
                int h = StringComparer.Ordinal.GetHashCode(AccountKey);
                h = (h * 31) + StringComparer.Ordinal.GetHashCode(Region);
                h = (h * 31) + StringComparer.Ordinal.GetHashCode(Endpoint);
                h = (h * 31) + StringComparer.Ordinal.GetHashCode(Service);
                return (h * 31) + StringComparer.Ordinal.GetHashCode(Action);
            }
        }

        /// <summary>"EC2 ModifyImageAttribute in us-east-1" (no account key: it is an access key id).</summary>
        public override string ToString() => Service + " " + Action + " in " + Region + (Endpoint.Length > 0 ? " on " + Endpoint : string.Empty);
    }
}
