using System;
using System.Collections.Generic;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// The error catalogue of AWS Organizations (wire-spec.md §5 error table): one row per error code, each naming the
    /// ErrorId, kind, message and remedy it becomes. Its messages quote "Code: text" (<see cref="AwsErrorContext.Text"/>).
    /// </summary>
    internal static class OrganizationsErrorCatalog
    {
        /// <summary>What to do when Organizations can't be read: other credentials, or the full ARN.</summary>
        internal const string OrganizationRemedy =
            "Run the command with credentials of the organization's management account or of a delegated administrator, " +
            "or give the full ARN instead of the bare id: arn:aws:organizations::<management-account-id>:organization/o-… " +
            "or arn:aws:organizations::<management-account-id>:ou/o-…/ou-….";

        /// <summary>The calling account is not in an organization.</summary>
        internal static readonly AwsErrorTemplate NotInUse = new AwsErrorTemplate(
            ErrorIds.OrganizationUnresolved,
            AmiShareErrorKind.InvalidOperation,
            c => $"AWS Organizations could not be read{c.For}: the calling account is not a member of an organization ({c.Text}).",
            OrganizationRemedy);

        /// <summary>Only the management account or a delegated administrator may call the operation.</summary>
        internal static readonly AwsErrorTemplate AccessDenied = new AwsErrorTemplate(
            ErrorIds.OrganizationUnresolved,
            AmiShareErrorKind.PermissionDenied,
            c => $"AWS Organizations could not be read{c.For}: the caller may not call {c.Operation}, which only the management account or a delegated administrator can ({c.Text}).",
            OrganizationRemedy);

        /// <summary>The OU is not in the caller's organization.</summary>
        internal static readonly AwsErrorTemplate OuNotFound = NotFound(_ => "organizational unit");

        /// <summary>The account is not in the caller's organization.</summary>
        internal static readonly AwsErrorTemplate AccountNotFound = NotFound(_ => "account");

        /// <summary>The child (an account or, for an ou- id, an OU) is not in the caller's organization.</summary>
        internal static readonly AwsErrorTemplate ChildNotFound = NotFound(c => c.Subject != null && c.Subject.StartsWith("ou-", StringComparison.Ordinal) ? "organizational unit" : "account");

        /// <summary>The parent (root or OU) is not in the caller's organization.</summary>
        internal static readonly AwsErrorTemplate ParentNotFound = NotFound(_ => "parent (root or OU)");

        /// <summary>Organizations kept throttling the call for every attempt.</summary>
        internal static readonly AwsErrorTemplate Throttled = new AwsErrorTemplate(
            ErrorIds.Throttled,
            AmiShareErrorKind.LimitsExceeded,
            c => $"AWS Organizations throttled {c.Operation}{c.For} after {OrganizationsJsonClient.MaxAttempts} attempts ({c.Text}).",
            "Wait a minute and run the command again; fewer parallel runs against the same organization help.");

        /// <summary>AWS rejected the credentials themselves.</summary>
        internal static readonly AwsErrorTemplate CredentialsRejected = new AwsErrorTemplate(
            ErrorIds.CredentialsRejected,
            AmiShareErrorKind.AuthenticationError,
            c => $"AWS rejected the credentials used for Organizations {c.Operation} ({c.Text}).",
            Ec2ErrorCatalog.CredentialsRemedy,
            targetsSubject: false);

        /// <summary>Any code the catalogue does not list.</summary>
        internal static readonly AwsErrorTemplate Unlisted = new AwsErrorTemplate(
            ErrorIds.AwsServiceError,
            AmiShareErrorKind.NotSpecified,
            c => $"AWS Organizations {c.Operation} failed{c.For} (HTTP {c.Status}, {c.Text}).",
            "Retry the command; if it keeps failing, run it again with -Verbose to see each AWS call ($DebugPreference = 'Continue' also shows request ids).");

        /// <summary>The catalogue: code → error.</summary>
        internal static readonly IReadOnlyList<AwsErrorRow> Rows = new[]
        {
            new AwsErrorRow("AWSOrganizationsNotInUseException", NotInUse),
            new AwsErrorRow("AccessDeniedException", AccessDenied),
            new AwsErrorRow("OrganizationalUnitNotFoundException", OuNotFound),
            new AwsErrorRow("AccountNotFoundException", AccountNotFound),
            new AwsErrorRow("ChildNotFoundException", ChildNotFound),
            new AwsErrorRow("ParentNotFoundException", ParentNotFound),
            new AwsErrorRow("TooManyRequestsException", Throttled),
            new AwsErrorRow("ThrottlingException", Throttled),
            new AwsErrorRow("UnrecognizedClientException", CredentialsRejected),
            new AwsErrorRow("InvalidSignatureException", CredentialsRejected),
            new AwsErrorRow("IncompleteSignatureException", CredentialsRejected),
            new AwsErrorRow("ExpiredTokenException", CredentialsRejected),
            new AwsErrorRow("InvalidClientTokenId", CredentialsRejected),
            new AwsErrorRow("MissingAuthenticationTokenException", CredentialsRejected),
        };

        /// <summary>Maps one Organizations error answer to the engine's exception (its AwsErrorCode set).</summary>
        /// <param name="operation">The Organizations operation, e.g. ListParents.</param>
        /// <param name="subject">The account or OU id the call was about, or null.</param>
        /// <param name="status">The HTTP status of the answer.</param>
        /// <param name="code">The error code (after any '#' namespace), or null.</param>
        /// <param name="message">The error's message, or null.</param>
        internal static AmiShareException Map(string operation, string subject, int status, string code, string message)
        {
            string text = string.IsNullOrEmpty(message) ? code ?? ("HTTP " + status) : message;
            var context = new AwsErrorContext
            {
                Service = "Organizations",
                Operation = operation,
                Code = code,
                Status = status,
                Text = code != null ? code + ": " + text.TrimEnd('.') : text.TrimEnd('.'),
                Subject = subject,
                SubjectName = subject,
                Target = subject,
            };
            AmiShareException mapped = (AwsErrorRow.Find(Rows, context)?.Template ?? Unlisted).Create(context, null);
            mapped.AwsErrorCode = code;
            return mapped;
        }

        private static AwsErrorTemplate NotFound(Func<AwsErrorContext, string> what) =>
            new AwsErrorTemplate(
                ErrorIds.InvalidPrincipal,
                AmiShareErrorKind.ObjectNotFound,
                c => $"AWS Organizations does not know the {what(c)} '{c.Subject}' in the caller's organization ({c.Text}).",
                "Check the id (Get-ORGOrganizationalUnit / the Organizations console list them) and that the credentials belong to the right organization.");
    }
}
