using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Completion
{
    /// <summary>
    /// -ImageId tab completion: the caller's own AMIs (DescribeImages Owners=self, state available or
    /// pending) in the session's region, filtered by the word typed, newest first, capped.
    /// </summary>
    /// <remarks>
    /// A prompt must never freeze or fail: <see cref="Complete"/> resolves the session (as the cmdlets do,
    /// AWS.Tools' order) and lists the AMIs on a worker task, and waits for it at most <see cref="TimeBudget"/>.
    /// When the budget runs out the prompt gets nothing, but the listing goes on in the background for up to
    /// <see cref="ListingLimit"/> and fills the cache, and a Tab pressed meanwhile for the same endpoint,
    /// identity and region waits for that listing instead of starting another: on a slow network the next
    /// Tab shows the AMIs. No credentials, no region, a bad parameter, an AWS error or a timeout all give an
    /// empty list, never an exception and never a prompt. Each listing is kept for <see cref="CacheLifetime"/>
    /// per (endpoint, access key or credential source, region), so repeated Tab presses, and other words
    /// typed, are answered without calling AWS again.
    /// </remarks>
    public sealed class OwnedImageLister
    {
        private static readonly IReadOnlyList<ImageIdSuggestion> s_none = Array.Empty<ImageIdSuggestion>();

        private readonly Func<SessionParameters, AwsSession> _resolve;
        private readonly Func<AwsSession, IOwnedImageSource> _sourceFactory;
        private readonly Func<DateTime> _utcNow;
        private readonly ConcurrentDictionary<string, CacheEntry> _cache = new ConcurrentDictionary<string, CacheEntry>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<ImageInfo>>>> _inFlight =
            new ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<ImageInfo>>>>(StringComparer.Ordinal);

        /// <summary>The lister the -ImageId completer uses: one cache for the whole process.</summary>
        public static OwnedImageLister Shared { get; } = new OwnedImageLister();

        /// <summary>The real lister: the process environment, ~/.aws files and the SDK's EC2 client.</summary>
        public OwnedImageLister()
            : this(null, null, null)
        {
        }

        /// <param name="resolver">Resolves sessions; null = <see cref="AwsSessionResolver"/> over the process environment.</param>
        /// <param name="sourceFactory">Lists a session's AMIs; null = DescribeImages through the SDK.</param>
        /// <param name="utcNow">The clock the cache lifetime is measured on; null = the system clock.</param>
        public OwnedImageLister(AwsSessionResolver resolver, Func<AwsSession, IOwnedImageSource> sourceFactory, Func<DateTime> utcNow)
        {
            AwsSessionResolver r = resolver ?? new AwsSessionResolver(ProcessEnvironment.Instance);
            _resolve = p => r.Resolve(p, null);
            _sourceFactory = sourceFactory ?? (session => new Ec2OwnedImageSource(session, NullShareReporter.Instance));
            _utcNow = utcNow ?? (() => DateTime.UtcNow);
        }

        /// <summary>How long one completion may take in all (session resolution and every DescribeImages page).</summary>
        public TimeSpan TimeBudget { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>How long a listing may go on after the prompt stopped waiting for it (it is then cancelled).</summary>
        public TimeSpan ListingLimit { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>How long a listing is reused for the same endpoint, identity and region.</summary>
        public TimeSpan CacheLifetime { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>The most suggestions one completion returns.</summary>
        public int MaxResults { get; set; } = 100;

        /// <summary>
        /// The owned AMIs that match <paramref name="wordToComplete"/>, newest first, at most <see cref="MaxResults"/>;
        /// empty when the session cannot be resolved, AWS fails, or the answer does not come within <see cref="TimeBudget"/>.
        /// Never throws.
        /// </summary>
        public IReadOnlyList<ImageIdSuggestion> Complete(SessionParameters parameters, string wordToComplete)
        {
            IReadOnlyList<ImageInfo> images = ListWithinBudget(parameters ?? new SessionParameters());
            return images == null ? s_none : Select(images, wordToComplete, MaxResults);
        }

        /// <summary>
        /// The suggestions for <paramref name="word"/> (quotes and spaces around it ignored): AMIs whose id starts with it
        /// or whose name contains it, both case-insensitively; newest first (then by id); at most <paramref name="max"/>.
        /// </summary>
        public static IReadOnlyList<ImageIdSuggestion> Select(IEnumerable<ImageInfo> images, string word, int max)
        {
            string typed = (word ?? string.Empty).Trim().Trim('\'', '"').Trim();
            return images
                .Where(i => i != null && !string.IsNullOrEmpty(i.ImageId))
                .Where(i => typed.Length == 0
                            || i.ImageId.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
                            || (i.Name != null && i.Name.IndexOf(typed, StringComparison.OrdinalIgnoreCase) >= 0))
                .Select(i => new { Image = i, Created = ParseDate(i.CreationDate) })
                .OrderByDescending(x => x.Created.HasValue)
                .ThenByDescending(x => x.Created)
                .ThenBy(x => x.Image.ImageId, StringComparer.Ordinal)
                .Take(Math.Max(0, max))
                .Select(x => Describe(x.Image, x.Created))
                .ToList();
        }

        private IReadOnlyList<ImageInfo> ListWithinBudget(SessionParameters parameters)
        {
            Task<IReadOnlyList<ImageInfo>> task;
            try
            {
                task = Task.Run(() => ListAsync(parameters));
                if (task.Wait(TimeBudget))
                {
                    return task.Result;
                }
            }
            catch (Exception)
            {
                // No credentials or region, a bad parameter, an AWS error, a listing cut at ListingLimit: nothing to offer.
                return null;
            }

            // The prompt stops waiting; the listing goes on (up to ListingLimit) and fills the cache for the next Tab.
            task.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return null;
        }

        private async Task<IReadOnlyList<ImageInfo>> ListAsync(SessionParameters parameters)
        {
            AwsSession session = _resolve(parameters);
            string key = CacheKey(session, parameters);
            DateTime now = _utcNow();
            if (_cache.TryGetValue(key, out CacheEntry cached) && now - cached.ListedAt < CacheLifetime && now >= cached.ListedAt)
            {
                return cached.Images;
            }

            // One listing per key at a time: a Tab pressed while an earlier one is still listing waits for it.
            var mine = new Lazy<Task<IReadOnlyList<ImageInfo>>>(() => FetchAsync(key, session));
            Lazy<Task<IReadOnlyList<ImageInfo>>> listing = _inFlight.GetOrAdd(key, mine);
            return await listing.Value.ConfigureAwait(false);
        }

        private async Task<IReadOnlyList<ImageInfo>> FetchAsync(string key, AwsSession session)
        {
            try
            {
                using (var limit = new CancellationTokenSource(ListingLimit))
                using (IOwnedImageSource source = _sourceFactory(session))
                {
                    IReadOnlyList<ImageInfo> images = await source.ListOwnedImagesAsync(limit.Token).ConfigureAwait(false) ?? Array.Empty<ImageInfo>();
                    Store(key, new CacheEntry(_utcNow(), images));
                    return images;
                }
            }
            finally
            {
                _inFlight.TryRemove(key, out _);
            }
        }

        private void Store(string key, CacheEntry entry)
        {
            DateTime now = entry.ListedAt;
            foreach (KeyValuePair<string, CacheEntry> old in _cache)
            {
                if (now - old.Value.ListedAt >= CacheLifetime)
                {
                    _cache.TryRemove(old.Key, out _);
                }
            }

            _cache[key] = entry;
        }

        /// <summary>
        /// Endpoint, region and who calls: static keys by their access key id (never the secret); credentials that refresh
        /// themselves (a role profile, SSO, container, instance profile) by where they were found, since each resolution
        /// builds a new object and asking it for keys could itself call AWS.
        /// </summary>
        internal static string CacheKey(AwsSession session, SessionParameters parameters)
        {
            AWSCredentials credentials = session.Credentials;
            string identity = credentials is BasicAWSCredentials || credentials is SessionAWSCredentials || credentials is DuckTypedCredentials
                ? "key " + credentials.GetCredentials().AccessKey
                : "source " + session.CredentialSource + " in " + (parameters.ProfileLocation ?? string.Empty).Trim();
            return (session.EndpointUrl ?? string.Empty) + "\n" + session.Region + "\n" + identity;
        }

        private static ImageIdSuggestion Describe(ImageInfo image, DateTimeOffset? created)
        {
            var details = new List<string>();
            if (!string.IsNullOrEmpty(image.Name))
            {
                details.Add(image.Name);
            }

            string listed = image.ImageId;
            string tip = image.ImageId;
            if (created.HasValue)
            {
                DateTimeOffset utc = created.Value.ToUniversalTime();
                listed += " (" + string.Join(", ", details.Concat(new[] { utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) })) + ")";
                details.Add(utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC");
            }
            else if (details.Count > 0)
            {
                listed += " (" + string.Join(", ", details) + ")";
            }

            if (string.Equals(image.State, "pending", StringComparison.OrdinalIgnoreCase))
            {
                details.Add("pending");
            }

            if (details.Count > 0)
            {
                tip += " (" + string.Join(", ", details) + ")";
            }

            return new ImageIdSuggestion(image.ImageId, listed, tip);
        }

        private static DateTimeOffset? ParseDate(string value)
        {
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed)
                ? parsed
                : (DateTimeOffset?)null;
        }

        private sealed class CacheEntry
        {
            public CacheEntry(DateTime listedAt, IReadOnlyList<ImageInfo> images)
            {
                ListedAt = listedAt;
                Images = images;
            }

            public DateTime ListedAt { get; }

            public IReadOnlyList<ImageInfo> Images { get; }
        }
    }
}
