using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Aws;

namespace AmiShare.Engine.Usage
{
    /// <summary>
    /// How the usage reader waits for image usage reports: the poll interval (AMISHARE_USAGE_POLL_SECONDS), the most it
    /// waits (AMISHARE_USAGE_TIMEOUT_SECONDS), the clock and the delay.
    /// </summary>
    public sealed class ImageUsageSettings
    {
        /// <summary>The environment variable that sets <see cref="PollInterval"/> in seconds (0.01–300; default 5).</summary>
        public const string PollVariable = "AMISHARE_USAGE_POLL_SECONDS";

        /// <summary>The environment variable that sets <see cref="Timeout"/> in seconds (1–86400; default 900).</summary>
        public const string TimeoutVariable = "AMISHARE_USAGE_TIMEOUT_SECONDS";

        /// <summary>Gets or sets the time between two DescribeImageUsageReports polls of a region's pending reports.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>Gets or sets how long the reader waits for the reports to become available before it gives up.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(15);

        /// <summary>Gets or sets the clock (UTC now).</summary>
        public Func<DateTime> UtcNow { get; set; } = () => DateTime.UtcNow;

        /// <summary>Gets or sets the wait between polls (tests replace it).</summary>
        public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = Task.Delay;

        /// <summary>The settings from the environment; a bad value throws InvalidRetrySetting naming the variable (before any call).</summary>
        public static ImageUsageSettings FromEnvironment(IEnvironment environment)
        {
            var settings = new ImageUsageSettings();
            settings.PollInterval = Read(environment, PollVariable, 0.01, 300, "how often to check pending usage reports, e.g. '5'") ?? settings.PollInterval;
            settings.Timeout = Read(environment, TimeoutVariable, 1, 86400, "how long to wait for usage reports, e.g. '900'") ?? settings.Timeout;
            return settings;
        }

        private static TimeSpan? Read(IEnvironment environment, string variable, double min, double max, string what)
        {
            string text = environment?.GetVariable(variable);
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (!double.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) || seconds < min || seconds > max)
            {
                throw new AmiShareException(
                    ErrorIds.InvalidRetrySetting,
                    AmiShareErrorKind.InvalidArgument,
                    $"{variable} is '{text}', which is not a number of seconds from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.",
                    text,
                    $"Set {variable} to {what} ($env:{variable} = '...'), or remove it.");
            }

            return TimeSpan.FromSeconds(seconds);
        }
    }
}
