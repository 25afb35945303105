using System;
using System.Globalization;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Preflight
{
    /// <summary>Finding constructors and the text helpers the preflight rules share.</summary>
    internal static class Findings
    {
        internal static string Describe(Principal p)
        {
            switch (p.Type)
            {
                case PrincipalType.Organization:
                    return "Organization " + p.Value;
                case PrincipalType.OrganizationalUnit:
                    return "OU " + p.Value;
                default:
                    return "Account " + p.Value;
            }
        }

        internal static string KeyText(string keyId) => string.IsNullOrEmpty(keyId) ? string.Empty : " with KMS key " + keyId;

        internal static DateTime? ParseTime(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime t) ? t : (DateTime?)null;
        }

        internal static string Date(DateTime t) => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        internal static ShareFinding Pass(string check, string detail) =>
            new ShareFinding { Check = check, Status = FindingStatus.Pass, Detail = detail, Remedy = string.Empty };

        internal static ShareFinding Warn(string check, string detail, string remedy, string resource = null) =>
            new ShareFinding { Check = check, Status = FindingStatus.Warn, Detail = detail, Remedy = remedy, Resource = resource };

        internal static ShareFinding Fail(string check, string detail, string remedy, string errorId, AmiShareErrorKind kind) =>
            new ShareFinding { Check = check, Status = FindingStatus.Fail, Detail = detail, Remedy = remedy, ErrorId = errorId, ErrorKind = kind };
    }
}
