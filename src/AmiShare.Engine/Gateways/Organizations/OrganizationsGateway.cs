using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using AmiShare.Engine.Aws;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// IOrganizationsGateway over a small AWS JSON 1.1 client signed with AWSSDK.Core's SigV4 signer
    /// (<see cref="OrganizationsRequestSigner"/>). AWSSDK.Organizations is not served by this project's package
    /// source (design.md §2), so this client stands in for it behind <see cref="IOrganizationsGateway"/> and can be
    /// swapped for the SDK client with no other change. It speaks wire-spec.md §5: POST /, Content-Type
    /// application/x-amz-json-1.1, X-Amz-Target AWSOrganizationsV20161128.&lt;Op&gt;, JSON in and out; errors are
    /// <c>{"__type":"…#Code","Message":"…"}</c>. Organizations is a global service: it is signed for us-east-1 on
    /// aws (cn-northwest-1 on aws-cn, us-gov-west-1 on aws-us-gov) whatever the session's region, and an
    /// endpoint override (-EndpointUrl) is used as is, since one emulator endpoint serves every service.
    /// </summary>
    public sealed class OrganizationsGateway : IOrganizationsGateway
    {
        /// <summary>Attempts per call for throttling and 5xx answers (the first try included).</summary>
        internal const int MaxAttempts = 3;

        private readonly AwsSession _session;
        private readonly IShareReporter _reporter;
        private readonly HttpClient _http;
        private readonly Uri _url;
        private readonly string _endpointText;

        public OrganizationsGateway(AwsSession session, IShareReporter reporter)
            : this(session, reporter, null)
        {
        }

        /// <summary>A gateway over <paramref name="handler"/> (tests); null = a default HttpClientHandler.</summary>
        internal OrganizationsGateway(AwsSession session, IShareReporter reporter, HttpMessageHandler handler)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _reporter = reporter ?? NullShareReporter.Instance;
            SigningRegion = SigningRegionFor(session.Region);
            _endpointText = string.IsNullOrEmpty(session.EndpointUrl) ? DefaultEndpointFor(SigningRegion) : session.EndpointUrl;
            // A bad URL is reported on the first Organizations call, so that EC2-only commands are not refused for it here.
            _url = Uri.TryCreate(_endpointText, UriKind.Absolute, out Uri url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) ? url : null;
            System.Net.IWebProxy proxy = session.Proxy?.ToWebProxy();
            _http = handler != null ? new HttpClient(handler, true)
                : proxy != null ? new HttpClient(new HttpClientHandler { Proxy = proxy, UseProxy = true }, true)
                : new HttpClient();
        }

        /// <summary>The SigV4 region requests are signed for (the partition's Organizations region).</summary>
        public string SigningRegion { get; }

        /// <summary>The URL requests go to.</summary>
        public string Endpoint => _endpointText;

        /// <summary>Base delay before a retry; doubled per attempt (tests set it to zero).</summary>
        internal TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

        /// <summary>The signing time source (tests pin it).</summary>
        internal Func<DateTime> Clock { get; set; } = () => DateTime.UtcNow;

        /// <summary>The Organizations region of the session region's partition.</summary>
        internal static string SigningRegionFor(string region)
        {
            if (!string.IsNullOrEmpty(region))
            {
                if (region.StartsWith("cn-", StringComparison.OrdinalIgnoreCase))
                {
                    return "cn-northwest-1";
                }

                if (region.StartsWith("us-gov-", StringComparison.OrdinalIgnoreCase))
                {
                    return "us-gov-west-1";
                }
            }

            return "us-east-1";
        }

        internal static string DefaultEndpointFor(string signingRegion) =>
            signingRegion == "cn-northwest-1"
                ? "https://organizations.cn-northwest-1.amazonaws.com.cn"
                : "https://organizations." + signingRegion + ".amazonaws.com";

        public async Task<OrganizationInfo> DescribeOrganizationAsync(CancellationToken cancellationToken)
        {
            using (JsonDocument doc = await CallAsync("DescribeOrganization", null, new Dictionary<string, object>(), cancellationToken).ConfigureAwait(false))
            {
                JsonElement org = Member(doc.RootElement, "Organization");
                return new OrganizationInfo
                {
                    Id = Text(org, "Id"),
                    Arn = Text(org, "Arn"),
                    ManagementAccountId = Text(org, "MasterAccountId"),
                };
            }
        }

        public async Task<OrganizationalUnitInfo> DescribeOrganizationalUnitAsync(string ouId, CancellationToken cancellationToken)
        {
            var body = new Dictionary<string, object> { ["OrganizationalUnitId"] = ouId };
            using (JsonDocument doc = await CallAsync("DescribeOrganizationalUnit", ouId, body, cancellationToken).ConfigureAwait(false))
            {
                JsonElement ou = Member(doc.RootElement, "OrganizationalUnit");
                return new OrganizationalUnitInfo { Id = Text(ou, "Id"), Arn = Text(ou, "Arn"), Name = Text(ou, "Name") };
            }
        }

        public async Task<IReadOnlyList<OrganizationParent>> ListParentsAsync(string childId, CancellationToken cancellationToken)
        {
            var parents = new List<OrganizationParent>();
            await PageAsync("ListParents", childId, new Dictionary<string, object> { ["ChildId"] = childId }, "Parents", item =>
                parents.Add(new OrganizationParent { Id = Text(item, "Id"), Type = Text(item, "Type") }), cancellationToken).ConfigureAwait(false);
            return parents;
        }

        /// <summary>ListRoots: the root ids of the organization (one in practice). Management account or delegated administrator only.</summary>
        public async Task<IReadOnlyList<string>> ListRootsAsync(CancellationToken cancellationToken)
        {
            var roots = new List<string>();
            await PageAsync("ListRoots", null, new Dictionary<string, object>(), "Roots", item => roots.Add(Text(item, "Id")), cancellationToken).ConfigureAwait(false);
            return roots;
        }

        /// <summary>DescribeAccount: the account's name and organization ARN (proves membership). Management account or delegated administrator only.</summary>
        public async Task<(string Id, string Arn, string Name)> DescribeAccountAsync(string accountId, CancellationToken cancellationToken)
        {
            var body = new Dictionary<string, object> { ["AccountId"] = accountId };
            using (JsonDocument doc = await CallAsync("DescribeAccount", accountId, body, cancellationToken).ConfigureAwait(false))
            {
                JsonElement account = Member(doc.RootElement, "Account");
                return (Text(account, "Id"), Text(account, "Arn"), Text(account, "Name"));
            }
        }

        public void Dispose() => _http.Dispose();

        /// <summary>The verbose line for one call.</summary>
        internal string DescribeCall(string operation, string subject) =>
            "Invoking Organizations " + operation + (subject != null ? " for " + subject : string.Empty) + " on endpoint '" + _endpointText + "'";

        private async Task PageAsync(string operation, string subject, Dictionary<string, object> body, string listName, Action<JsonElement> onItem, CancellationToken cancellationToken)
        {
            string next = null;
            var seenTokens = new HashSet<string>(StringComparer.Ordinal);
            do
            {
                if (next != null)
                {
                    body["NextToken"] = next;
                }

                using (JsonDocument doc = await CallAsync(operation, subject, body, cancellationToken).ConfigureAwait(false))
                {
                    JsonElement root = doc.RootElement;
                    if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(listName, out JsonElement list) && list.ValueKind == JsonValueKind.Array)
                    {
                        foreach (JsonElement item in list.EnumerateArray())
                        {
                            onItem(item);
                        }
                    }

                    // "Always check NextToken, even on an empty page" (wire-spec §5); a repeated token would loop forever.
                    string token = Text(root, "NextToken");
                    next = string.IsNullOrEmpty(token) || !seenTokens.Add(token) ? null : token;
                }
            }
            while (next != null);
        }

        private async Task<JsonDocument> CallAsync(string operation, string subject, Dictionary<string, object> body, CancellationToken cancellationToken)
        {
            if (_url == null)
            {
                throw new AmiShareException(
                    ErrorIds.InvalidEndpointUrl,
                    AmiShareErrorKind.InvalidArgument,
                    $"The endpoint '{_endpointText}' is not an absolute http or https URL.",
                    _endpointText,
                    "Give -EndpointUrl as http://host:port or https://host.");
            }

            byte[] payload = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
            for (int attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _reporter.Verbose(DescribeCall(operation, subject));
                ImmutableCredentials credentials = await GetCredentialsAsync().ConfigureAwait(false);
                IDictionary<string, string> headers = OrganizationsRequestSigner.Sign(_url, operation, payload, credentials, SigningRegion, Clock());

                using (var message = new HttpRequestMessage(HttpMethod.Post, _url))
                {
                    message.Content = new ByteArrayContent(payload);
                    foreach (KeyValuePair<string, string> header in headers)
                    {
                        if (string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase))
                        {
                            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(header.Value);
                        }
                        else if (string.Equals(header.Key, "Host", StringComparison.OrdinalIgnoreCase))
                        {
                            // HttpClient sends the URL's host (and non-default port) itself: the same value that was signed.
                        }
                        else if (string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
                        {
                            message.Headers.TryAddWithoutValidation("Authorization", header.Value);
                        }
                        else
                        {
                            message.Headers.TryAddWithoutValidation(header.Key, header.Value);
                        }
                    }

                    HttpResponseMessage response;
                    try
                    {
                        response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException || e is System.IO.IOException)
                    {
                        if (attempt < MaxAttempts)
                        {
                            _reporter.Debug($"Organizations {operation} attempt {attempt} could not reach '{_endpointText}' ({e.Message}); retrying");
                            await Backoff(attempt, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        throw new AmiShareException(
                            ErrorIds.EndpointUnreachable,
                            AmiShareErrorKind.ConnectionError,
                            $"Organizations {operation} could not reach the endpoint '{_endpointText}': {Innermost(e).Message}",
                            (object)subject ?? _endpointText,
                            string.IsNullOrEmpty(_session.EndpointUrl)
                                ? "Check the network connection and proxy settings (HTTPS_PROXY)."
                                : "Check that the endpoint is running and the URL (host, port, http/https) is right.",
                            e);
                    }

                    using (response)
                    {
                        string text = response.Content != null ? await response.Content.ReadAsStringAsync().ConfigureAwait(false) : string.Empty;
                        string requestId = Header(response, "x-amzn-RequestId");
                        if (response.IsSuccessStatusCode)
                        {
                            if (requestId != null)
                            {
                                _reporter.Debug($"Organizations {operation} request id {requestId}");
                            }

                            try
                            {
                                return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
                            }
                            catch (JsonException e)
                            {
                                throw new AmiShareException(
                                    ErrorIds.AwsServiceError,
                                    AmiShareErrorKind.NotSpecified,
                                    $"Organizations {operation} answered with a body that is not JSON ({e.Message}).",
                                    subject,
                                    "Check that the endpoint is AWS Organizations (or an emulator of it); run the command again with -Verbose to see the endpoint called.",
                                    e);
                            }
                        }

                        (string code, string errorMessage) = ParseError(text, Header(response, "X-Amzn-ErrorType"));
                        int status = (int)response.StatusCode;
                        if (IsRetryable(code, status) && attempt < MaxAttempts)
                        {
                            _reporter.Debug($"Organizations {operation} attempt {attempt} failed with {code ?? status.ToString()}; retrying");
                            await Backoff(attempt, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        AmiShareException mapped = MapError(operation, subject, status, code, errorMessage);
                        mapped.AwsRequestId = requestId;
                        if (requestId != null)
                        {
                            _reporter.Debug($"Organizations {operation} failed with {code}, request id {requestId}");
                        }

                        throw mapped;
                    }
                }
            }
        }

        private async Task<ImmutableCredentials> GetCredentialsAsync()
        {
            AWSCredentials source = _session.Credentials;
            if (source == null)
            {
                throw new AmiShareException(
                    ErrorIds.NoCredentials,
                    AmiShareErrorKind.AuthenticationError,
                    "No AWS credentials were found for the AWS Organizations call.",
                    null,
                    "Pass -ProfileName, -AccessKey/-SecretKey or -Credential, or run Set-AWSCredential.");
            }

            // Per request: refreshing credentials (assumed roles, SSO) renew themselves here.
            return await source.GetCredentialsAsync().ConfigureAwait(false);
        }

        private Task Backoff(int attempt, CancellationToken cancellationToken)
        {
            if (RetryDelay <= TimeSpan.Zero)
            {
                return Task.CompletedTask;
            }

            return Task.Delay(TimeSpan.FromMilliseconds(RetryDelay.TotalMilliseconds * (1 << (attempt - 1))), cancellationToken);
        }

        internal static bool IsRetryable(string code, int status) =>
            status >= 500
            || code == "TooManyRequestsException"
            || code == "ServiceException"
            || code == "ThrottlingException"
            || code == "ConcurrentModificationException";

        /// <summary>The error code (after any '#' namespace) and message of a JSON 1.1 error answer.</summary>
        internal static (string Code, string Message) ParseError(string body, string errorTypeHeader)
        {
            string code = null;
            string message = null;
            if (!string.IsNullOrWhiteSpace(body))
            {
                try
                {
                    using (JsonDocument doc = JsonDocument.Parse(body))
                    {
                        JsonElement root = doc.RootElement;
                        code = Text(root, "__type") ?? Text(root, "code") ?? Text(root, "Code");
                        message = Text(root, "Message") ?? Text(root, "message");
                    }
                }
                catch (JsonException)
                {
                    message = body.Length > 200 ? body.Substring(0, 200) : body;
                }
            }

            if (string.IsNullOrEmpty(code) && !string.IsNullOrEmpty(errorTypeHeader))
            {
                // X-Amzn-ErrorType: Code:http://internal.amazon.com/coral/...
                int colon = errorTypeHeader.IndexOf(':');
                code = colon >= 0 ? errorTypeHeader.Substring(0, colon) : errorTypeHeader;
            }

            if (code != null)
            {
                int hash = code.LastIndexOf('#');
                if (hash >= 0)
                {
                    code = code.Substring(hash + 1);
                }

                int colon = code.IndexOf(':');
                if (colon >= 0)
                {
                    code = code.Substring(0, colon);
                }
            }

            return (string.IsNullOrEmpty(code) ? null : code, message);
        }

        /// <summary>Maps one Organizations error answer to the engine's exception (wire-spec.md §5 error table).</summary>
        internal static AmiShareException MapError(string operation, string subject, int status, string code, string message)
        {
            AmiShareException mapped = MapErrorCore(operation, subject, status, code, message);
            mapped.AwsErrorCode = code;
            return mapped;
        }

        private static AmiShareException MapErrorCore(string operation, string subject, int status, string code, string message)
        {
            string text = string.IsNullOrEmpty(message) ? code ?? ("HTTP " + status) : message;
            string detail = code != null ? code + ": " + text.TrimEnd('.') : text.TrimEnd('.');
            string about = subject != null ? " for " + subject : string.Empty;
            switch (code)
            {
                case "AWSOrganizationsNotInUseException":
                    return new AmiShareException(
                        ErrorIds.OrganizationUnresolved,
                        AmiShareErrorKind.InvalidOperation,
                        $"AWS Organizations could not be read{about}: the calling account is not a member of an organization ({detail}).",
                        subject,
                        OrganizationRemedy);

                case "AccessDeniedException":
                    return new AmiShareException(
                        ErrorIds.OrganizationUnresolved,
                        AmiShareErrorKind.PermissionDenied,
                        $"AWS Organizations could not be read{about}: the caller may not call {operation}, which only the management account or a delegated administrator can ({detail}).",
                        subject,
                        OrganizationRemedy);

                case "OrganizationalUnitNotFoundException":
                    return NotFound(subject, "organizational unit", detail);

                case "AccountNotFoundException":
                    return NotFound(subject, "account", detail);

                case "ChildNotFoundException":
                    return NotFound(subject, IsOu(subject) ? "organizational unit" : "account", detail);

                case "ParentNotFoundException":
                    return NotFound(subject, "parent (root or OU)", detail);

                case "TooManyRequestsException":
                case "ThrottlingException":
                    return new AmiShareException(
                        ErrorIds.Throttled,
                        AmiShareErrorKind.LimitsExceeded,
                        $"AWS Organizations throttled {operation}{about} after {MaxAttempts} attempts ({detail}).",
                        subject,
                        "Wait a minute and run the command again; fewer parallel runs against the same organization help.");

                case "UnrecognizedClientException":
                case "InvalidSignatureException":
                case "IncompleteSignatureException":
                case "ExpiredTokenException":
                case "InvalidClientTokenId":
                case "MissingAuthenticationTokenException":
                    return new AmiShareException(
                        ErrorIds.CredentialsRejected,
                        AmiShareErrorKind.AuthenticationError,
                        $"AWS rejected the credentials used for Organizations {operation} ({detail}).",
                        null,
                        "Check that the access key is active and the secret key matches, refresh expired temporary credentials (session token, SSO login, assumed role), and check the system clock.");

                default:
                    return new AmiShareException(
                        ErrorIds.AwsServiceError,
                        AmiShareErrorKind.NotSpecified,
                        $"AWS Organizations {operation} failed{about} (HTTP {status}, {detail}).",
                        subject,
                        "Retry the command; if it keeps failing, run it again with -Verbose to see each AWS call ($DebugPreference = 'Continue' also shows request ids).");
            }
        }

        /// <summary>What to do when Organizations can't be read: other credentials, or the full ARN.</summary>
        internal const string OrganizationRemedy =
            "Run the command with credentials of the organization's management account or of a delegated administrator, " +
            "or give the full ARN instead of the bare id: arn:aws:organizations::<management-account-id>:organization/o-… " +
            "or arn:aws:organizations::<management-account-id>:ou/o-…/ou-….";

        private static AmiShareException NotFound(string subject, string what, string detail) =>
            new AmiShareException(
                ErrorIds.InvalidPrincipal,
                AmiShareErrorKind.ObjectNotFound,
                $"AWS Organizations does not know the {what} '{subject}' in the caller's organization ({detail}).",
                subject,
                "Check the id (Get-ORGOrganizationalUnit / the Organizations console list them) and that the credentials belong to the right organization.");

        private static bool IsOu(string id) => id != null && id.StartsWith("ou-", StringComparison.Ordinal);

        private static string Header(HttpResponseMessage response, string name)
        {
            if (response.Headers.TryGetValues(name, out IEnumerable<string> values))
            {
                return values.FirstOrDefault();
            }

            return response.Content != null && response.Content.Headers.TryGetValues(name, out values) ? values.FirstOrDefault() : null;
        }

        private static JsonElement Member(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) ? value : default;

        private static string Text(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null)
            {
                e = e.InnerException;
            }

            return e;
        }
    }
}
