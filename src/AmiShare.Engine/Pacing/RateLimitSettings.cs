using System;
using System.Globalization;

namespace AmiShare.Engine.Pacing
{
    /// <summary>
    /// Whether and how fast AmiShare paces its own calls: environment variable <see cref="Variable"/> =
    /// <c>ec2</c> (default: EC2's documented bucket shapes, <see cref="RateShapes"/>), <c>off</c> (no client-side
    /// pacing; EC2's throttling is then met by the retry policy alone), or a number N &gt; 0: the same shapes with buckets
    /// refilled N times faster and the same burst (tests drive the emulator's time-scaled buckets at the same factor).
    /// </summary>
    public sealed class RateLimitSettings : IEquatable<RateLimitSettings>
    {
        /// <summary>The environment variable: ec2 | off | a speed factor such as 20.</summary>
        public const string Variable = "AMISHARE_RATE_LIMITS";

        private const string Choices = "'ec2' (EC2's documented buckets, the default), 'off' (no client-side pacing) or a speed factor above 0 and up to 1000000, e.g. 20";

        private RateLimitSettings(bool enabled, double speedFactor)
        {
            Enabled = enabled;
            SpeedFactor = speedFactor;
        }

        /// <summary>EC2's shapes at their documented rates (the default).</summary>
        public static RateLimitSettings Ec2 { get; } = new RateLimitSettings(true, 1);

        /// <summary>No client-side pacing.</summary>
        public static RateLimitSettings Off { get; } = new RateLimitSettings(false, 1);

        /// <summary>False when pacing is off: a call never waits for a token.</summary>
        public bool Enabled { get; }

        /// <summary>How many times faster than documented the buckets refill (1 for <see cref="Ec2"/>).</summary>
        public double SpeedFactor { get; }

        /// <summary>EC2's shapes with refills <paramref name="factor"/> times faster and the same burst.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The factor is not above 0 (and finite).</exception>
        public static RateLimitSettings WithSpeedFactor(double factor)
        {
            if (!(factor > 0) || double.IsInfinity(factor))
            {
                throw new ArgumentOutOfRangeException(nameof(factor), factor, "The speed factor is a number above 0.");
            }

            return factor == 1 ? Ec2 : new RateLimitSettings(true, factor);
        }

        /// <summary>The settings <see cref="Variable"/> asks for (unset or empty: <see cref="Ec2"/>).</summary>
        /// <exception cref="AmiShareException">InvalidRateLimitSetting: the value is none of the choices; the message names it and them.</exception>
        public static RateLimitSettings FromEnvironment() => FromValue(Environment.GetEnvironmentVariable(Variable));

        /// <summary>Parses a value of <see cref="Variable"/>: ec2 | off | a speed factor (case and surrounding blanks ignored).</summary>
        /// <exception cref="AmiShareException">InvalidRateLimitSetting: the value is none of the choices; the message names it and them.</exception>
        public static RateLimitSettings FromValue(string value)
        {
            string text = value?.Trim();
            if (string.IsNullOrEmpty(text) || string.Equals(text, "ec2", StringComparison.OrdinalIgnoreCase))
            {
                return Ec2;
            }

            if (string.Equals(text, "off", StringComparison.OrdinalIgnoreCase))
            {
                return Off;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double factor)
                && factor > 0 && factor <= 1000000 && !double.IsNaN(factor))
            {
                return WithSpeedFactor(factor);
            }

            throw new AmiShareException(
                ErrorIds.InvalidRateLimitSetting,
                AmiShareErrorKind.InvalidArgument,
                $"The environment variable {Variable} is '{value}', which is not ec2, off or a speed factor.",
                value,
                $"Set {Variable} to {Choices}, or remove it ($env:{Variable} = $null) to use EC2's buckets.");
        }

        /// <summary>The shape a bucket gets under these settings: <paramref name="documented"/> refilled <see cref="SpeedFactor"/> times faster.</summary>
        public RateShape Apply(RateShape documented) => SpeedFactor == 1 ? documented : documented.Faster(SpeedFactor);

        /// <inheritdoc />
        public bool Equals(RateLimitSettings other) => other != null && Enabled == other.Enabled && SpeedFactor.Equals(other.SpeedFactor);

        /// <inheritdoc />
        public override bool Equals(object obj) => Equals(obj as RateLimitSettings);

        /// <inheritdoc />
        public override int GetHashCode() => (Enabled ? 1 : 0) ^ SpeedFactor.GetHashCode();

        /// <summary>"ec2", "off" or "ec2 x20".</summary>
        public override string ToString() => !Enabled ? "off" : SpeedFactor == 1 ? "ec2" : "ec2 x" + SpeedFactor.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
