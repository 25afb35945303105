using System;
using System.Globalization;

namespace AmiShare
{
    /// <summary>EC2's ISO 8601 times (creationDate, deprecationTime, lastLaunchedTime) as UTC DateTimes for output rows.</summary>
    internal static class Ec2Time
    {
        /// <summary>The UTC time <paramref name="iso"/> names, or null when it is empty or not a time.</summary>
        internal static DateTime? Parse(string iso) =>
            DateTime.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime value)
                ? DateTime.SpecifyKind(value, DateTimeKind.Utc)
                : (DateTime?)null;
    }
}
