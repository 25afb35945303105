using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AmiShare.Engine.Distribution
{
    /// <summary>Reads a duration the way users write one: 365d, 12h, 90m, 52w, or a TimeSpan text such as 30.00:00:00.</summary>
    public static class DurationText
    {
        private static readonly Regex s_short = new Regex(@"^\s*(\d{1,6})\s*([wdhm])\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>Parses <paramref name="text"/>; throws InvalidDeprecationTime naming the value when it is not a positive duration.</summary>
        public static TimeSpan Parse(string text, string parameter)
        {
            if (text != null)
            {
                Match m = s_short.Match(text);
                if (m.Success)
                {
                    int n = int.Parse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
                    switch (char.ToLowerInvariant(m.Groups[2].Value[0]))
                    {
                        case 'w': return Positive(TimeSpan.FromDays(n * 7.0), text, parameter);
                        case 'd': return Positive(TimeSpan.FromDays(n), text, parameter);
                        case 'h': return Positive(TimeSpan.FromHours(n), text, parameter);
                        default: return Positive(TimeSpan.FromMinutes(n), text, parameter);
                    }
                }

                if (TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out TimeSpan span))
                {
                    return Positive(span, text, parameter);
                }
            }

            throw Invalid(text, parameter);
        }

        private static TimeSpan Positive(TimeSpan span, string text, string parameter) => span > TimeSpan.Zero ? span : throw Invalid(text, parameter);

        private static AmiShareException Invalid(string text, string parameter) => new AmiShareException(
            ErrorIds.InvalidDeprecationTime,
            AmiShareErrorKind.InvalidArgument,
            $"The value '{text}' of {parameter} is not a positive duration.",
            text,
            $"Give {parameter} as a number and a unit (365d, 52w, 12h, 90m) or a TimeSpan such as 30.00:00:00 or (New-TimeSpan -Days 365).");
    }
}
