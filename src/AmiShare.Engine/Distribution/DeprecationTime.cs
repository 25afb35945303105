using System;
using System.Globalization;

namespace AmiShare.Engine.Distribution
{
    /// <summary>Deprecation times as EC2 keeps them: UTC, rounded to the nearest minute, in the future and at most 10 years away.</summary>
    public static class DeprecationTime
    {
        /// <summary>Rounds <paramref name="value"/> to the nearest whole minute in UTC, as EnableImageDeprecation does with seconds.</summary>
        public static DateTime Round(DateTime value)
        {
            DateTime utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
            var minute = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, DateTimeKind.Utc);
            return utc - minute >= TimeSpan.FromSeconds(30) ? minute.AddMinutes(1) : minute;
        }

        /// <summary>Throws InvalidDeprecationTime when <paramref name="at"/> is not in the future or more than 10 years away.</summary>
        public static void Check(DateTime at, DateTime utcNow, string parameter, string basis)
        {
            if (at <= utcNow)
            {
                throw new AmiShareException(
                    ErrorIds.InvalidDeprecationTime,
                    AmiShareErrorKind.InvalidArgument,
                    $"The deprecation time {Text(at)} from {parameter}{basis} is in the past (now: {Text(utcNow)}).",
                    Text(at),
                    "Give a time in the future: -DeprecateAt (Get-Date).AddDays(365), or a longer -DeprecateAfter (it counts from the source AMI's creation).");
            }

            if (at - utcNow > PublishInput.MaxDeprecationDistance)
            {
                throw new AmiShareException(
                    ErrorIds.InvalidDeprecationTime,
                    AmiShareErrorKind.InvalidArgument,
                    $"The deprecation time {Text(at)} from {parameter}{basis} is more than 10 years away, which EC2 does not accept.",
                    Text(at),
                    "Give a time at most 10 years from now.");
            }
        }

        /// <summary>The time as EC2 writes it: yyyy-MM-ddTHH:mm:ssZ.</summary>
        public static string Text(DateTime value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        /// <summary>Reads EC2's DeprecationTime / CreationDate text; null when absent or unreadable.</summary>
        public static DateTime? ParseEc2(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime t)
                ? DateTime.SpecifyKind(t, DateTimeKind.Utc)
                : (DateTime?)null;
        }
    }
}
