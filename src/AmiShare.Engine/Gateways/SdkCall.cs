using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using AmiShare.Engine.Pacing;
using Polly;
using Polly.Retry;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// How every AWSSDK call of a gateway is made: one verbose line naming the service, operation, target,
    /// region and endpoint (as AWS.Tools words it, never a secret), the request id at debug level, AmiShare's
    /// retry policy (a Polly.Core retry strategy, <see cref="RetrySettings"/>; the SDK's own retries are off, see
    /// <see cref="UseOwnRetries"/>), and SDK exceptions mapped to <see cref="AmiShareException"/> by the service's own mapper.
    /// </summary>
    /// <remarks>
    /// Before each attempt (retries included) the call takes one token from its client-side bucket
    /// (<see cref="RateLimiterRegistry"/>, keyed by account, region, endpoint, service and action; AMISHARE_RATE_LIMITS):
    /// waiting for a token is not throttling and writes no line, except one debug line when the wait was long.
    /// Throttling is retried with full-jitter backoff until the call's throttle budget is spent, one verbose line per
    /// retry; 5xx answers and dropped connections at most <see cref="RetrySettings.MaxTransientRetries"/> times. A write
    /// whose answer was lost (5xx or no answer: it may have been applied) is re-read with its verify function before it
    /// is sent again: if the re-read shows the intended state, the write is done and is not sent a second time.
    /// </remarks>
    internal sealed class SdkCall
    {
        private readonly string _service;
        private readonly string _region;
        private readonly string _endpoint;
        private readonly IShareReporter _reporter;
        private readonly Func<Exception, string, string, AmiShareException> _map;
        private readonly string _accountKey;

        /// <param name="service">"EC2" or "KMS".</param>
        /// <param name="region">The region the client calls.</param>
        /// <param name="endpoint">The endpoint override, or null.</param>
        /// <param name="reporter">Where verbose and debug lines go.</param>
        /// <param name="map">Maps an SDK exception for (operation, target) to the engine's error.</param>
        /// <param name="settings">The retry policy's knobs; null reads them from the environment (<see cref="RetrySettings.FromEnvironment"/>).</param>
        /// <param name="accountKey">Whose buckets the calls draw from (<see cref="RateLimitKey.AccountKeyOf"/>); null = unknown.</param>
        /// <param name="pacing">The buckets; null = the process-wide registry of AMISHARE_RATE_LIMITS (<see cref="RateLimiterRegistry.FromEnvironment"/>).</param>
        public SdkCall(string service, string region, string endpoint, IShareReporter reporter, Func<Exception, string, string, AmiShareException> map, RetrySettings settings = null, string accountKey = null, RateLimiterRegistry pacing = null)
        {
            _service = service;
            _region = region;
            _endpoint = endpoint;
            _reporter = reporter ?? NullShareReporter.Instance;
            _map = map;
            _accountKey = accountKey;
            Settings = settings ?? RetrySettings.FromEnvironment();
            Pacing = pacing ?? RateLimiterRegistry.FromEnvironment();
        }

        /// <summary>The retry policy's knobs (tests replace them).</summary>
        internal RetrySettings Settings { get; set; }

        /// <summary>The client-side buckets every attempt draws a token from (tests replace them).</summary>
        internal RateLimiterRegistry Pacing { get; set; }

        /// <summary>
        /// Turns the SDK's own retries off for a client whose calls go through <see cref="SdkCall"/>: one SDK attempt per
        /// AmiShare attempt, so a write whose answer was lost is never resent by the SDK before AmiShare has re-read it.
        /// </summary>
        public static void UseOwnRetries(ClientConfig config)
        {
            config.RetryMode = RequestRetryMode.Standard;
            config.MaxErrorRetry = 0;

            // The SDK also re-sends, at once and outside MaxErrorRetry, a request whose connection was reset ("stale
            // connection" retries): for a write whose answer was cut off after it was applied, that is a second write.
            config.MaxStaleConnectionRetries = 0;
        }

        /// <summary>The verbose line for one call, e.g. "Invoking EC2 ModifyImageAttribute for ami-… in region 'us-east-1'".</summary>
        public string Describe(string operation, string target) => CallLog.Describe(_service, operation, target, _region, _endpoint);

        /// <summary>A read, or a write that may simply be sent again: retried as the policy says.</summary>
        public Task<T> InvokeAsync<T>(string operation, string target, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
            where T : AmazonWebServiceResponse
            => InvokeCoreAsync(operation, target, call, null, cancellationToken);

        /// <summary>
        /// A write: as <see cref="InvokeAsync{T}"/>, but after a lost answer (5xx or dropped connection) <paramref name="isApplied"/>
        /// re-reads the resource first; when it says the write took effect, the write is not sent again and this returns null.
        /// </summary>
        public Task<T> InvokeWriteAsync<T>(string operation, string target, Func<CancellationToken, Task<T>> call, Func<CancellationToken, Task<bool>> isApplied, CancellationToken cancellationToken)
            where T : AmazonWebServiceResponse
            => InvokeCoreAsync(operation, target, call, isApplied ?? throw new ArgumentNullException(nameof(isApplied)), cancellationToken);

        /// <summary>One token from this call's bucket; a long wait gets one debug line (a wait is not a throttle).</summary>
        private async Task TakeTokenAsync(string operation, CancellationToken cancellationToken)
        {
            var key = new RateLimitKey(_accountKey, _region, _endpoint, _service, operation);
            RateLimiterRegistry pacing = Pacing;
            TimeSpan waited = await pacing.AcquireAsync(key, cancellationToken).ConfigureAwait(false);
            if (waited >= RateLimiterRegistry.LongWait)
            {
                _reporter.Debug($"{_service} {operation}: waited {waited.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s for the client-side {pacing.ShapeOf(key)} bucket (AMISHARE_RATE_LIMITS={pacing.Settings}).");
            }
        }

        private async Task<T> InvokeCoreAsync<T>(string operation, string target, Func<CancellationToken, Task<T>> call, Func<CancellationToken, Task<bool>> isApplied, CancellationToken cancellationToken)
            where T : AmazonWebServiceResponse
        {
            cancellationToken.ThrowIfCancellationRequested();
            RetrySettings settings = Settings;
            long started = settings.Clock.GetTimestamp();
            int transientRetries = 0;
            bool answerLost = false;
            string what = CallLog.Subject(_service, operation, target);

            var options = new RetryStrategyOptions<T>
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args =>
                {
                    Exception e = args.Outcome.Exception;
                    switch (RetryClassifier.Classify(e, cancellationToken))
                    {
                        case FailureKind.Throttled:
                            return new ValueTask<bool>(settings.Clock.GetElapsedTime(started) < settings.ThrottleBudget);
                        case FailureKind.Transient:
                            answerLost = true;
                            return new ValueTask<bool>(transientRetries < settings.MaxTransientRetries);
                        default:
                            return new ValueTask<bool>(false);
                    }
                },
                DelayGenerator = args =>
                {
                    TimeSpan delay = settings.Backoff(args.AttemptNumber + 1);
                    if (RetryClassifier.Classify(args.Outcome.Exception, cancellationToken) == FailureKind.Throttled)
                    {
                        TimeSpan left = settings.ThrottleBudget - settings.Clock.GetElapsedTime(started);
                        if (delay > left)
                        {
                            delay = left > TimeSpan.Zero ? left : TimeSpan.Zero;
                        }
                    }

                    return new ValueTask<TimeSpan?>(delay);
                },
                OnRetry = args =>
                {
                    Exception e = args.Outcome.Exception;
                    string wait = args.RetryDelay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
                    if (RetryClassifier.Classify(e, cancellationToken) == FailureKind.Throttled)
                    {
                        string used = settings.Clock.GetElapsedTime(started).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
                        string budget = settings.ThrottleBudget.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
                        _reporter.Verbose($"{_service} throttled {operation}{(target != null ? " for " + target : string.Empty)} ({RetryClassifier.Describe(e)}); retrying in {wait} (retry {args.AttemptNumber + 1}; {used} s of the {budget} s retry budget used).");
                    }
                    else
                    {
                        transientRetries++;
                        _reporter.Verbose($"{what} got {RetryClassifier.Describe(e)}; retrying in {wait} (retry {transientRetries} of {settings.MaxTransientRetries} after server errors and lost connections).");
                    }

                    return default;
                },
            };

            ResiliencePipeline<T> pipeline = new ResiliencePipelineBuilder<T> { TimeProvider = settings.Clock }.AddRetry(options).Build();
            try
            {
                T response = await pipeline.ExecuteAsync(
                    async ct =>
                    {
                        if (answerLost && isApplied != null)
                        {
                            // The last answer was lost: the write may have been applied. Read before writing again.
                            if (await isApplied(ct).ConfigureAwait(false))
                            {
                                _reporter.Verbose($"{what}: the answer to the last attempt was lost, and a re-read shows it was applied; not sending it again.");
                                return null;
                            }

                            _reporter.Verbose($"{what}: the answer to the last attempt was lost, and a re-read shows it was not applied; sending it again.");
                        }

                        answerLost = false;
                        await TakeTokenAsync(operation, ct).ConfigureAwait(false);
                        _reporter.Verbose(Describe(operation, target));
                        return await call(ct).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
                if (response?.ResponseMetadata?.RequestId != null)
                {
                    _reporter.Debug($"{_service} {operation} request id {response.ResponseMetadata.RequestId}");
                }

                return response;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (!(e is AmiShareException))
            {
                AmiShareException mapped = _map(e, operation, target);
                if (mapped.AwsRequestId != null)
                {
                    _reporter.Debug($"{_service} {operation} failed with {mapped.AwsErrorCode}, request id {mapped.AwsRequestId}");
                }

                throw mapped;
            }
        }
    }
}
