using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;

namespace AmiShare.Engine.Pacing
{
    /// <summary>
    /// Client-side token buckets (System.Threading.RateLimiting's <see cref="TokenBucketRateLimiter"/>), one per
    /// <see cref="RateLimitKey"/>, shaped like the service's own (<see cref="RateShapes"/>). <see cref="For(RateLimitSettings)"/>
    /// gives the process-wide registry of a setting, so every job in the process draws from the same buckets, as EC2
    /// counts every caller of the account. A call takes one token before each attempt (retries included) and waits,
    /// FIFO, while its bucket is empty: a long run then stays just under EC2's bucket instead of bouncing off
    /// RequestLimitExceeded.
    /// </summary>
    public sealed class RateLimiterRegistry : IDisposable
    {
        /// <summary>Waits longer than this are reported with one debug line.</summary>
        public static readonly TimeSpan LongWait = TimeSpan.FromSeconds(1);

        private static readonly ConcurrentDictionary<RateLimitSettings, RateLimiterRegistry> s_shared = new ConcurrentDictionary<RateLimitSettings, RateLimiterRegistry>();

        private readonly Func<string, string, RateShape> _shapes;
        private readonly ConcurrentDictionary<RateLimitKey, TokenBucketRateLimiter> _buckets = new ConcurrentDictionary<RateLimitKey, TokenBucketRateLimiter>();
        private bool _disposed;

        /// <summary>A registry of its own (tests; the product uses <see cref="For(RateLimitSettings)"/>).</summary>
        /// <param name="settings">On, off or faster.</param>
        /// <param name="shapes">(service, action) → documented shape; null = <see cref="RateShapes.For"/>.</param>
        public RateLimiterRegistry(RateLimitSettings settings, Func<string, string, RateShape> shapes = null)
        {
            Settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _shapes = shapes ?? ((service, action) => RateShapes.For(service, action));
        }

        /// <summary>Whether and how fast the buckets refill.</summary>
        public RateLimitSettings Settings { get; }

        /// <summary>How many buckets have been made (one per key seen).</summary>
        public int BucketCount => _buckets.Count;

        /// <summary>The process-wide registry for the current value of <see cref="RateLimitSettings.Variable"/>.</summary>
        /// <exception cref="AmiShareException">InvalidRateLimitSetting.</exception>
        public static RateLimiterRegistry FromEnvironment() => For(RateLimitSettings.FromEnvironment());

        /// <summary>The process-wide registry for <paramref name="settings"/>: every caller with the same settings shares its buckets.</summary>
        public static RateLimiterRegistry For(RateLimitSettings settings) =>
            s_shared.GetOrAdd(settings ?? throw new ArgumentNullException(nameof(settings)), s => new RateLimiterRegistry(s));

        /// <summary>The shape the bucket of <paramref name="key"/> has under these settings.</summary>
        public RateShape ShapeOf(RateLimitKey key) => Settings.Apply(_shapes(key.Service, key.Action));

        /// <summary>
        /// Takes one token from the bucket of <paramref name="key"/>, waiting (in arrival order) while it is empty.
        /// Returns how long it waited. Waiting is not throttling: nothing is written per call.
        /// </summary>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
        public async ValueTask<TimeSpan> AcquireAsync(RateLimitKey key, CancellationToken cancellationToken)
        {
            if (key == null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!Settings.Enabled)
            {
                return TimeSpan.Zero;
            }

            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(RateLimiterRegistry));
            }

            TokenBucketRateLimiter bucket = _buckets.GetOrAdd(key, k => Create(ShapeOf(k)));
            using (RateLimitLease fast = bucket.AttemptAcquire(1))
            {
                if (fast.IsAcquired)
                {
                    return TimeSpan.Zero;
                }
            }

            var waited = Stopwatch.StartNew();
            while (true)
            {
                using (RateLimitLease lease = await bucket.AcquireAsync(1, cancellationToken).ConfigureAwait(false))
                {
                    if (lease.IsAcquired)
                    {
                        return waited.Elapsed;
                    }
                }

                // Only a full queue refuses a lease (the queue is unbounded): try again.
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        /// <summary>Disposes every bucket (their refill timers). The process-wide registries are never disposed.</summary>
        public void Dispose()
        {
            _disposed = true;
            foreach (TokenBucketRateLimiter bucket in _buckets.Values)
            {
                bucket.Dispose();
            }

            _buckets.Clear();
        }

        /// <summary>
        /// A bucket of <paramref name="shape"/>: refilled by a timer every period of at least 50 ms with a whole number of
        /// tokens, so the sustained rate is exactly the shape's (e.g. 20/s: 1 token every 50 ms; 0.1/s: 1 every 10 s).
        /// It holds one refill less than the shape's burst (at least 1): a timer refill can land just after a burst has
        /// emptied the bucket, before the service's continuously refilled bucket has earned as much, and this margin keeps
        /// the client from ever being ahead of the service (e.g. 100/5: 99 at once, then 5 a second).
        /// </summary>
        internal static TokenBucketRateLimiter Create(RateShape shape)
        {
            const double minPeriodSeconds = 0.05;
            int tokensPerPeriod = (int)Math.Max(1, Math.Ceiling(shape.RefillPerSecond * minPeriodSeconds));
            TimeSpan period = TimeSpan.FromTicks((long)Math.Round(tokensPerPeriod / shape.RefillPerSecond * TimeSpan.TicksPerSecond));
            return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, shape.Burst - tokensPerPeriod),
                TokensPerPeriod = tokensPerPeriod,
                ReplenishmentPeriod = period,
                AutoReplenishment = true,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }
    }
}
