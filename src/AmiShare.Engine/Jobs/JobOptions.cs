using System.Globalization;
using AmiShare.Engine.Aws;

namespace AmiShare.Engine.Jobs
{
    /// <summary>How an <see cref="EngineJob"/> runs its items.</summary>
    public sealed class JobOptions
    {
        /// <summary>The environment variable that sets <see cref="MaxInFlightPerLane"/> (1–100; default 10).</summary>
        public const string ConcurrencyVariable = "AMISHARE_CONCURRENCY";

        /// <summary>The error id of a bad <see cref="ConcurrencyVariable"/> value.</summary>
        public const string InvalidConcurrencyErrorId = ErrorIds.InvalidConcurrency;

        /// <summary>Items in flight per lane (account and region) when nothing else is said.</summary>
        public const int DefaultMaxInFlightPerLane = 10;

        /// <summary>The highest accepted <see cref="MaxInFlightPerLane"/>.</summary>
        public const int MaxAccepted = 100;

        /// <summary>At most this many items of one lane (one service: account and region) run at the same time.</summary>
        public int MaxInFlightPerLane { get; set; } = DefaultMaxInFlightPerLane;

        /// <summary>
        /// When true, an item's approval request is answered "approved" at once (the caller knows it would not ask the
        /// user and would not refuse, e.g. no -WhatIf and no prompt), and the request still goes out, in input order,
        /// so the caller can write what it says about the change. When false, the item waits for the caller's answer.
        /// </summary>
        public bool ApproveWithoutWaiting { get; set; }

        /// <summary>
        /// The options from the environment: <see cref="ConcurrencyVariable"/> when set (blank counts as unset). A value that is not a whole number
        /// from 1 to <see cref="MaxAccepted"/> throws <see cref="AmiShareException"/> InvalidConcurrency (before any call).
        /// </summary>
        public static JobOptions FromEnvironment(IEnvironment environment)
        {
            var options = new JobOptions();
            string text = environment?.GetVariable(ConcurrencyVariable);
            if (string.IsNullOrWhiteSpace(text))
            {
                // Unset, or blank as CI systems set unset variables: the default, as for the AMISHARE_RETRY_* knobs.
                return options;
            }

            if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1 || value > MaxAccepted)
            {
                throw new AmiShareException(
                    InvalidConcurrencyErrorId,
                    AmiShareErrorKind.InvalidArgument,
                    $"{ConcurrencyVariable} is '{text}', which is not a whole number from 1 to {MaxAccepted}.",
                    text,
                    $"Set {ConcurrencyVariable} to how many AMIs to handle at the same time per account and region (default {DefaultMaxInFlightPerLane}), e.g. $env:{ConcurrencyVariable} = '10', or remove it.");
            }

            options.MaxInFlightPerLane = value;
            return options;
        }
    }
}
