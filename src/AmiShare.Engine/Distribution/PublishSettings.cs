using System;
using System.Globalization;
using AmiShare.Engine.Aws;

namespace AmiShare.Engine.Distribution
{
    /// <summary>How Publish-Ami waits for copies: the poll interval (AMISHARE_COPY_POLL_SECONDS) and the clock.</summary>
    public sealed class PublishSettings
    {
        /// <summary>The environment variable that sets <see cref="PollInterval"/> in seconds (0.01–300; default 15, as AWS's image_available waiter).</summary>
        public const string PollVariable = "AMISHARE_COPY_POLL_SECONDS";

        /// <summary>Gets or sets the time between two DescribeImages polls of a region's pending copies.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>Gets or sets the clock (UTC now).</summary>
        public Func<DateTime> UtcNow { get; set; } = () => DateTime.UtcNow;

        /// <summary>The settings from the environment; a bad <see cref="PollVariable"/> throws InvalidRetrySetting naming it (before any call).</summary>
        public static PublishSettings FromEnvironment(IEnvironment environment)
        {
            var settings = new PublishSettings();
            string text = environment?.GetVariable(PollVariable);
            if (string.IsNullOrWhiteSpace(text))
            {
                return settings;
            }

            if (!double.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) || seconds < 0.01 || seconds > 300)
            {
                throw new AmiShareException(
                    ErrorIds.InvalidRetrySetting,
                    AmiShareErrorKind.InvalidArgument,
                    $"{PollVariable} is '{text}', which is not a number of seconds from 0.01 to 300.",
                    text,
                    $"Set {PollVariable} to how often to check pending copies, e.g. $env:{PollVariable} = '15', or remove it.");
            }

            settings.PollInterval = TimeSpan.FromSeconds(seconds);
            return settings;
        }
    }
}
