using System;
using System.Globalization;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// The knobs of AmiShare's own retry policy (docs/performance.md, about_AmiShare "Retries"): throttling is retried
    /// with full-jitter exponential backoff for as long as <see cref="ThrottleBudget"/> allows, counted from a call's
    /// first attempt; 5xx answers and dropped connections at most <see cref="MaxTransientRetries"/> times.
    /// </summary>
    public sealed class RetrySettings
    {
        /// <summary>Environment variable: how many seconds one call may keep retrying while throttled (default 300).</summary>
        public const string BudgetVariable = "AMISHARE_RETRY_BUDGET_SECONDS";

        /// <summary>Environment variable: how many times one call is retried after a 5xx answer or a dropped connection (default 4).</summary>
        public const string TransientVariable = "AMISHARE_RETRY_MAX_TRANSIENT";

        /// <summary>Environment variable: the first backoff delay in milliseconds (default 250); each retry doubles the ceiling, up to 20 s.</summary>
        public const string BaseDelayVariable = "AMISHARE_RETRY_BASE_DELAY_MS";

        /// <summary>How long one call keeps retrying while throttled, by default (5 minutes).</summary>
        public static readonly TimeSpan DefaultBudget = TimeSpan.FromMinutes(5);

        /// <summary>Retries of one call after 5xx answers and lost connections, by default.</summary>
        public const int DefaultMaxTransientRetries = 4;

        /// <summary>The ceiling of the first backoff wait, by default.</summary>
        public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(250);

        /// <summary>The longest backoff wait between two attempts.</summary>
        public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(20);

        /// <summary>How long one call keeps retrying while the service throttles it, from its first attempt.</summary>
        public TimeSpan ThrottleBudget { get; set; } = DefaultBudget;

        /// <summary>How many retries one call gets after 5xx answers and dropped connections (throttling retries do not count).</summary>
        public int MaxTransientRetries { get; set; } = DefaultMaxTransientRetries;

        /// <summary>The ceiling of the first backoff; the n-th retry waits a uniformly random time below min(MaxDelay, BaseDelay·2^(n-1)).</summary>
        public TimeSpan BaseDelay { get; set; } = DefaultBaseDelay;

        /// <summary>The largest ceiling a backoff can reach.</summary>
        public TimeSpan MaxDelay { get; set; } = DefaultMaxDelay;

        /// <summary>The clock behind budgets and backoff waits (tests use a fake one).</summary>
        public TimeProvider Clock { get; set; } = TimeProvider.System;

        /// <summary>The random source of the jitter.</summary>
        public Func<double> NextRandom { get; set; } = SharedRandom;

        /// <summary>The defaults, with any of <see cref="BudgetVariable"/>, <see cref="TransientVariable"/> and <see cref="BaseDelayVariable"/> applied.</summary>
        /// <exception cref="AmiShareException">A variable is set to something that is not a number in range; the message names it and the fix.</exception>
        public static RetrySettings FromEnvironment() => FromValues(
            Environment.GetEnvironmentVariable(BudgetVariable),
            Environment.GetEnvironmentVariable(TransientVariable),
            Environment.GetEnvironmentVariable(BaseDelayVariable));

        internal static RetrySettings FromValues(string budgetSeconds, string maxTransient, string baseDelayMs)
        {
            var settings = new RetrySettings();
            if (!string.IsNullOrWhiteSpace(budgetSeconds))
            {
                settings.ThrottleBudget = TimeSpan.FromSeconds(Parse(BudgetVariable, budgetSeconds, 0, 86400, "a number of seconds from 0 to 86400, e.g. 600 for ten minutes"));
            }

            if (!string.IsNullOrWhiteSpace(maxTransient))
            {
                settings.MaxTransientRetries = (int)Parse(TransientVariable, maxTransient, 0, 100, "a whole number of retries from 0 to 100, e.g. 4", wholeNumber: true);
            }

            if (!string.IsNullOrWhiteSpace(baseDelayMs))
            {
                settings.BaseDelay = TimeSpan.FromMilliseconds(Parse(BaseDelayVariable, baseDelayMs, 0, 60000, "a number of milliseconds from 0 to 60000, e.g. 250"));
            }

            return settings;
        }

        private static double Parse(string variable, string value, double min, double max, string expected, bool wholeNumber = false)
        {
            bool ok = double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                && !double.IsNaN(number) && number >= min && number <= max && (!wholeNumber || Math.Floor(number) == number);
            if (!ok)
            {
                throw new AmiShareException(
                    ErrorIds.InvalidRetrySetting,
                    AmiShareErrorKind.InvalidArgument,
                    $"The environment variable {variable} is '{value}', which is not {expected}.",
                    value,
                    $"Set {variable} to {expected}, or remove it ($env:{variable} = $null) to use the default.");
            }

            return number;
        }

        private static readonly object RandomLock = new object();
        private static readonly Random Random = new Random();

        private static double SharedRandom()
        {
            lock (RandomLock)
            {
                return Random.NextDouble();
            }
        }

        /// <summary>The wait before retry number <paramref name="retry"/> (1-based): full jitter below min(MaxDelay, BaseDelay·2^(retry-1)).</summary>
        internal TimeSpan Backoff(int retry)
        {
            double ceiling = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(30, Math.Max(0, retry - 1)));
            ceiling = Math.Min(ceiling, MaxDelay.TotalMilliseconds);
            return TimeSpan.FromMilliseconds(ceiling * NextRandom());
        }
    }

}
