using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace AmiShare.Engine.Principals
{
    /// <summary>
    /// Turns user input into <see cref="Principal"/> values (design.md §4). Input is trimmed; anything
    /// that is not exactly one accepted form is refused with <see cref="ErrorIds.InvalidPrincipal"/>,
    /// naming the value and showing the accepted forms. No AWS call is ever made here.
    /// </summary>
    public static class PrincipalParser
    {
        /// <summary>The accepted forms, for error remedies.</summary>
        public const string AcceptedForms =
            "Accepted forms: a 12-digit account id (111122223333); " +
            "an organization ARN (arn:aws:organizations::111122223333:organization/o-abcd123456); " +
            "an OU ARN (arn:aws:organizations::111122223333:ou/o-abcd123456/ou-ab12-abcd1234). " +
            "Partitions: aws, aws-cn, aws-us-gov.";

        // [0-9], not \d: \d would also match Arabic-Indic or full-width digits, which EC2 refuses.
        private static readonly Regex s_account = new Regex(@"^[0-9]{12}\z", RegexOptions.CultureInvariant);
        private static readonly Regex s_orgArn = new Regex(
            @"^arn:(aws|aws-cn|aws-us-gov):organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}\z", RegexOptions.CultureInvariant);
        private static readonly Regex s_ouArn = new Regex(
            @"^arn:(aws|aws-cn|aws-us-gov):organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}\z", RegexOptions.CultureInvariant);
        private static readonly Regex s_bareOrg = new Regex(@"^o-[a-z0-9]{10,32}\z", RegexOptions.CultureInvariant);
        private static readonly Regex s_bareOu = new Regex(@"^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}\z", RegexOptions.CultureInvariant);

        /// <summary>Parses any accepted form; <c>all</c>/<c>public</c> only when <paramref name="allowPublic"/>.</summary>
        public static Principal Parse(string input, bool allowPublic = false) => ParseAs(input, null, allowPublic, false);

        /// <summary>
        /// Parses any accepted form; with <paramref name="allowBareIds"/> a bare o-…/ou-… id is accepted as an
        /// unresolved principal (<see cref="Principal.IsUnresolved"/>) for the caller to resolve through Organizations.
        /// </summary>
        public static Principal Parse(string input, bool allowPublic, bool allowBareIds) => ParseAs(input, null, allowPublic, allowBareIds);

        /// <summary>Parses a value given to -AccountId: only 12-digit account ids.</summary>
        public static Principal ParseAccount(string input) => ParseAs(input, PrincipalType.Account, false, false);

        /// <summary>Parses a value given to -OrganizationArn.</summary>
        public static Principal ParseOrganizationArn(string input) => ParseAs(input, PrincipalType.Organization, false, false);

        /// <summary>Parses a value given to -OrganizationalUnitArn.</summary>
        public static Principal ParseOrganizationalUnitArn(string input) => ParseAs(input, PrincipalType.OrganizationalUnit, false, false);

        /// <summary>Non-throwing form of <see cref="Parse(string, bool)"/>.</summary>
        public static bool TryParse(string input, bool allowPublic, out Principal principal, out AmiShareException error)
        {
            try
            {
                principal = Parse(input, allowPublic);
                error = null;
                return true;
            }
            catch (AmiShareException e)
            {
                principal = null;
                error = e;
                return false;
            }
        }

        /// <summary>Parses and de-duplicates a list, keeping first-seen order.</summary>
        public static IReadOnlyList<Principal> ParseMany(IEnumerable<string> inputs, PrincipalType? expected, bool allowPublic)
            => ParseMany(inputs, expected, allowPublic, false);

        /// <summary>Parses and de-duplicates a list; with <paramref name="allowBareIds"/> bare o-…/ou-… ids come back unresolved.</summary>
        public static IReadOnlyList<Principal> ParseMany(IEnumerable<string> inputs, PrincipalType? expected, bool allowPublic, bool allowBareIds)
        {
            var result = new List<Principal>();
            var seen = new HashSet<Principal>();
            if (inputs == null)
            {
                return result;
            }

            foreach (var input in inputs)
            {
                var p = ParseAs(input, expected, allowPublic, allowBareIds);
                if (seen.Add(p))
                {
                    result.Add(p);
                }
            }

            return result;
        }

        private static Principal ParseAs(string input, PrincipalType? expected, bool allowPublic, bool allowBareIds)
        {
            string shown = input == null ? "<null>" : "'" + input + "'";
            if (string.IsNullOrWhiteSpace(input))
            {
                throw Invalid(input, $"The principal {shown} is empty.", null);
            }

            string value = input.Trim();
            Principal parsed = null;
            if (s_account.IsMatch(value))
            {
                parsed = new Principal(PrincipalType.Account, value);
            }
            else if (s_orgArn.IsMatch(value))
            {
                parsed = new Principal(PrincipalType.Organization, value);
            }
            else if (s_ouArn.IsMatch(value))
            {
                parsed = new Principal(PrincipalType.OrganizationalUnit, value);
            }
            else if (string.Equals(value, "all", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "public", StringComparison.OrdinalIgnoreCase))
            {
                if (!allowPublic)
                {
                    throw new AmiShareException(
                        ErrorIds.PublicNotAllowedHere,
                        AmiShareErrorKind.InvalidArgument,
                        $"The principal {shown} would make the AMI public, which this command does not do.",
                        input,
                        "Use Set-AmiPublic to make an AMI public (it checks first that the AMI can be public).");
                }

                parsed = Principal.Everyone;
            }
            else if (allowBareIds && s_bareOrg.IsMatch(value))
            {
                parsed = Principal.Unresolved(PrincipalType.Organization, value);
            }
            else if (allowBareIds && s_bareOu.IsMatch(value))
            {
                parsed = Principal.Unresolved(PrincipalType.OrganizationalUnit, value);
            }
            else if (s_bareOrg.IsMatch(value))
            {
                throw Invalid(input, $"The principal {shown} is a bare organization id.",
                    $"Give the full organization ARN instead, e.g. arn:aws:organizations::<management-account-id>:organization/{value}.");
            }
            else if (s_bareOu.IsMatch(value))
            {
                throw Invalid(input, $"The principal {shown} is a bare organizational unit id.",
                    $"Give the full OU ARN instead, e.g. arn:aws:organizations::<management-account-id>:ou/o-<org-id>/{value}.");
            }
            else
            {
                throw Invalid(input, $"The principal {shown} is not a valid account id, organization ARN or OU ARN.", Explain(value));
            }

            if (expected.HasValue && parsed.Type != expected.Value && parsed.Type != PrincipalType.Public)
            {
                throw Invalid(input, $"The value {shown} is {Describe(parsed.Type)}, not {Describe(expected.Value)}.",
                    $"Pass it with -{ParameterFor(parsed.Type)} (or -Principal) instead.");
            }

            return parsed;
        }

        private static string Explain(string value)
        {
            if (value.StartsWith("arn:", StringComparison.OrdinalIgnoreCase))
            {
                return "Only organization and OU ARNs can receive launch permissions (an account is given by its 12-digit id, not an ARN).";
            }

            // 1111-2222-3333 (as the console shows account ids) or 1111 2222 3333: EC2 takes the 12 digits alone.
            string compact = value.Replace("-", string.Empty).Replace(" ", string.Empty);
            if (compact.Length != value.Length && s_account.IsMatch(compact))
            {
                return $"Write the account id as 12 digits without dashes or spaces: {compact}.";
            }

            int digits = 0;
            foreach (char c in value)
            {
                if (char.IsDigit(c))
                {
                    digits++;
                }
            }

            if (digits == value.Length)
            {
                foreach (char c in value)
                {
                    if (c < '0' || c > '9')
                    {
                        // Arabic-Indic, full-width and other Unicode digits look right but EC2 refuses them.
                        return "An account id has exactly 12 ASCII digits (0-9); this one contains other digit characters (for example Arabic-Indic or full-width digits).";
                    }
                }

                return $"An account id has exactly 12 ASCII digits; this has {value.Length} characters.";
            }

            return null;
        }

        /// <summary>
        /// The distinguishing part of a launch-permission value, for narrow displays: an account id and <c>all</c> as they
        /// are, an organization ARN as its id (o-…), an OU ARN as its organization and OU ids (o-…/ou-…). Anything else
        /// comes back unchanged.
        /// </summary>
        public static string ShortForm(string value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return value;
            }

            if (s_orgArn.IsMatch(value) || s_ouArn.IsMatch(value))
            {
                // arn:<partition>:organizations::<account>:organization/o-… or …:ou/o-…/ou-…
                string resource = value.Substring(value.LastIndexOf(':') + 1);
                return resource.Substring(resource.IndexOf('/') + 1);
            }

            return value;
        }

        private static AmiShareException Invalid(string input, string message, string hint)
        {
            string remedy = string.IsNullOrEmpty(hint) ? AcceptedForms : hint + " " + AcceptedForms;
            return new AmiShareException(ErrorIds.InvalidPrincipal, AmiShareErrorKind.InvalidArgument, message, input, remedy);
        }

        private static string Describe(PrincipalType t)
        {
            switch (t)
            {
                case PrincipalType.Account: return "an account id";
                case PrincipalType.Organization: return "an organization ARN";
                case PrincipalType.OrganizationalUnit: return "an OU ARN";
                default: return "the public group";
            }
        }

        private static string ParameterFor(PrincipalType t)
        {
            switch (t)
            {
                case PrincipalType.Account: return "AccountId";
                case PrincipalType.Organization: return "OrganizationArn";
                case PrincipalType.OrganizationalUnit: return "OrganizationalUnitArn";
                default: return "Principal";
            }
        }
    }
}
