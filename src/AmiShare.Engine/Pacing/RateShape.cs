using System;
using System.Globalization;

namespace AmiShare.Engine.Pacing
{
    /// <summary>The shape of one token bucket: how many calls it holds (burst) and how many it gets back per second.</summary>
    public readonly struct RateShape : IEquatable<RateShape>
    {
        /// <summary>A bucket of <paramref name="burst"/> tokens refilled at <paramref name="refillPerSecond"/> tokens a second.</summary>
        public RateShape(int burst, double refillPerSecond)
        {
            if (burst < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(burst), burst, "A bucket holds at least one token.");
            }

            if (!(refillPerSecond > 0) || double.IsInfinity(refillPerSecond))
            {
                throw new ArgumentOutOfRangeException(nameof(refillPerSecond), refillPerSecond, "A bucket refills at a positive, finite rate.");
            }

            Burst = burst;
            RefillPerSecond = refillPerSecond;
        }

        /// <summary>The bucket's size: how many calls can go at once after a quiet spell.</summary>
        public int Burst { get; }

        /// <summary>Tokens added per second (the sustained call rate).</summary>
        public double RefillPerSecond { get; }

        /// <summary>The same burst, refilled <paramref name="factor"/> times faster (AMISHARE_RATE_LIMITS=&lt;number&gt;).</summary>
        public RateShape Faster(double factor) => new RateShape(Burst, RefillPerSecond * factor);

        /// <inheritdoc />
        public bool Equals(RateShape other) => Burst == other.Burst && RefillPerSecond.Equals(other.RefillPerSecond);

        /// <inheritdoc />
        public override bool Equals(object obj) => obj is RateShape other && Equals(other);

        /// <summary>True when both shapes have the same burst and refill rate.</summary>
        public static bool operator ==(RateShape left, RateShape right) => left.Equals(right);

        /// <summary>True when the shapes differ in burst or refill rate.</summary>
        public static bool operator !=(RateShape left, RateShape right) => !left.Equals(right);

        /// <inheritdoc />
        public override int GetHashCode() => (Burst * 397) ^ RefillPerSecond.GetHashCode();

        /// <summary>e.g. "100/5" (burst / refill per second).</summary>
        public override string ToString() => Burst.ToString(CultureInfo.InvariantCulture) + "/" + RefillPerSecond.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
