using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace AmiShare.Engine.Aws
{
    /// <summary>
    /// Checks of the session parameters that need nothing but the values themselves: run before any profile
    /// store is read and before any AWS call, so bad input can never send a call elsewhere. A parameter that
    /// was given (even blank or $null, which the cmdlets pass as "") must hold a usable value: a blank
    /// -EndpointUrl, -Region or -ProfileName would otherwise fall through silently to AWS_ENDPOINT_URL, the
    /// public endpoint, or another profile. Uses no AWSSDK type (safe before the SDK conflict check).
    /// </summary>
    public static class SessionInput
    {
        // us-east-1, cn-north-1, us-gov-west-1, us-isob-east-1, eusc-de-east-1, ap-southeast-4 …
        private static readonly Regex s_regionName = new Regex(
            @"^[a-z]{2,4}(-[a-z]{2,5})?-[a-z]+-[0-9]{1,2}\z", RegexOptions.CultureInvariant);

        /// <summary>True when <paramref name="name"/> has the shape of a region system name (us-east-1, cn-north-1, us-gov-west-1).</summary>
        public static bool IsRegionName(string name) => name != null && s_regionName.IsMatch(name);

        /// <summary>
        /// Validates every session parameter that was given: blank values, the key/profile/credential
        /// combinations, the -Region and -EndpointUrl formats. Throws <see cref="AmiShareException"/>.
        /// </summary>
        public static void Validate(SessionParameters p)
        {
            if (p == null)
            {
                return;
            }

            if (p.EndpointUrl != null)
            {
                ParseEndpoint(p.EndpointUrl, "-EndpointUrl");
            }

            if (p.Region is string region)
            {
                ParseRegion(region, "the -Region parameter");
            }

            if (p.ProfileName != null && string.IsNullOrWhiteSpace(p.ProfileName))
            {
                throw new AmiShareException(
                    ErrorIds.InvalidProfileName,
                    AmiShareErrorKind.InvalidArgument,
                    $"The value of -ProfileName {Shown(p.ProfileName)} is blank; without a name another credential source (AWS_PROFILE, the 'default' profile) could be used instead.",
                    p.ProfileName,
                    "Give the name of a profile (Get-AWSCredential -ListProfileDetail lists them), or leave -ProfileName out.");
            }

            RefuseBlank(p.ProfileLocation, "ProfileLocation", "Give the path of a shared credentials file (for example ~/.aws/credentials), or leave -ProfileLocation out.");
            RefuseBlank(p.AccessKey, "AccessKey", "Give the access key id (AKIA… or ASIA…) together with -SecretKey, or leave -AccessKey and -SecretKey out.");
            RefuseBlank(p.SecretKey, "SecretKey", "Give the secret access key together with -AccessKey, or leave -SecretKey and -AccessKey out.");
            RefuseBlank(p.SessionToken, "SessionToken", "Give the session token of the temporary credentials, or leave -SessionToken out.");
        }

        /// <summary>
        /// Trims and checks a region system name, lower-casing ASCII letters only (a non-ASCII look-alike such
        /// as the Kelvin sign is refused, not folded). Throws InvalidRegion naming the value and its origin.
        /// </summary>
        public static string ParseRegion(string region, string origin)
        {
            if (string.IsNullOrWhiteSpace(region))
            {
                throw new AmiShareException(
                    ErrorIds.InvalidRegion,
                    AmiShareErrorKind.InvalidArgument,
                    $"The value of {origin} {Shown(region)} is empty or blank.",
                    region,
                    "Give a region system name such as us-east-1, cn-north-1 or us-gov-west-1, or leave -Region out to use $StoredAWSRegion, the profile's region or AWS_REGION.");
            }

            string value = AsciiLower(region.Trim());
            if (!IsRegionName(value))
            {
                throw new AmiShareException(
                    ErrorIds.InvalidRegion,
                    AmiShareErrorKind.InvalidArgument,
                    $"The region '{region}' from {origin} is not a region system name.",
                    region,
                    "Give a region system name such as us-east-1, cn-north-1 or us-gov-west-1 (Get-AWSRegion lists them).");
            }

            return value;
        }

        /// <summary>
        /// A region list (such as a cmdlet's -Region string[]) checked as <see cref="ParseRegion"/> checks one name, every
        /// name before any call, in order and without repeats: us-east-1 and US-EAST-1 are one region. Throws InvalidRegion
        /// for the first bad name.
        /// </summary>
        public static IReadOnlyList<string> ParseRegions(IEnumerable<string> regions, string origin)
        {
            var names = new List<string>();
            foreach (string region in regions ?? Array.Empty<string>())
            {
                string name = ParseRegion(region, origin);
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }

            return names;
        }

        /// <summary>
        /// Trims and checks an endpoint URL: an absolute http or https URL with a host, written in printable
        /// ASCII only (the URL is used exactly as given; nothing is stripped or folded). Throws InvalidEndpointUrl.
        /// </summary>
        public static string ParseEndpoint(string endpointUrl, string origin)
        {
            if (string.IsNullOrWhiteSpace(endpointUrl))
            {
                throw new AmiShareException(
                    ErrorIds.InvalidEndpointUrl,
                    AmiShareErrorKind.InvalidArgument,
                    $"The value of {origin} {Shown(endpointUrl)} is empty or blank; it would otherwise be ignored and the call sent to AWS_ENDPOINT_URL or the public AWS endpoint.",
                    endpointUrl,
                    "Give a full URL such as http://127.0.0.1:4566 or https://ec2.us-east-1.amazonaws.com, or leave -EndpointUrl out to use the public endpoint.");
            }

            string value = endpointUrl.Trim();
            bool printable = true;
            foreach (char c in value)
            {
                if (c <= ' ' || c > '~')
                {
                    printable = false;
                    break;
                }
            }

            if (!printable
                || !Uri.TryCreate(value, UriKind.Absolute, out Uri uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || string.IsNullOrEmpty(uri.Host)
                || !value.StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase))
            {
                throw new AmiShareException(
                    ErrorIds.InvalidEndpointUrl,
                    AmiShareErrorKind.InvalidArgument,
                    $"The endpoint URL '{value}' from {origin} is not an absolute http or https URL"
                        + (printable ? "." : " (it holds spaces, control or non-ASCII characters)."),
                    value,
                    "Give a full URL such as http://127.0.0.1:4566 or https://ec2.us-east-1.amazonaws.com (percent-encode or punycode anything else).");
            }

            return value;
        }

        private static void RefuseBlank(string value, string parameter, string remedy)
        {
            if (value != null && string.IsNullOrWhiteSpace(value))
            {
                throw new AmiShareException(
                    ErrorIds.InvalidCredentialParameter,
                    AmiShareErrorKind.InvalidArgument,
                    $"The value of -{parameter} {Shown(value)} is blank; it would otherwise be ignored and credentials taken from another source.",
                    parameter,
                    remedy);
            }
        }

        private static string Shown(string value) => value == null ? "<null>" : "'" + value + "'";

        private static string AsciiLower(string value)
        {
            char[] chars = value.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (chars[i] >= 'A' && chars[i] <= 'Z')
                {
                    chars[i] = (char)(chars[i] + 32);
                }
            }

            return new string(chars);
        }
    }
}
