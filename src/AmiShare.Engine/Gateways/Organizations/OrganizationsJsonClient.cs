using System;
using System.Collections.Generic;
using System.Linq;
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
    /// The AWS JSON 1.1 transport of <see cref="OrganizationsGateway"/> (wire-spec.md §5): POST /, Content-Type
    /// application/x-amz-json-1.1, X-Amz-Target AWSOrganizationsV20161128.&lt;Op&gt;, JSON in and out, signed per
    /// request by <see cref="OrganizationsRequestSigner"/>; throttling, 5xx answers and unreachable endpoints retried
    /// up to <see cref="MaxAttempts"/> times; error answers (<c>{"__type":"…#Code","Message":"…"}</c>) parsed and mapped
    /// by <see cref="OrganizationsErrorCatalog"/>. Organizations is a global service: it is signed for us-east-1 on aws
    /// (cn-northwest-1 on aws-cn, us-gov-west-1 on aws-us-gov) whatever the session's region, and an endpoint override
    /// (-EndpointUrl) is used as is, since one emulator endpoint serves every service.
    /// </summary>
    internal sealed class OrganizationsJsonClient : IDisposable
    {
        /// <summary>Attempts per call for throttling and 5xx answers (the first try included).</summary>
        internal const int MaxAttempts = 3;

        private readonly AwsSession _session;
        private readonly IShareReporter _reporter;
        private readonly HttpClient _http;
        private readonly Uri _url;

        /// <summary>Creates the transport for <paramref name="session"/>'s credentials, partition, endpoint and proxy.</summary>
        /// <param name="session">The resolved AWS session.</param>
        /// <param name="reporter">Where verbose and debug lines go; null writes nowhere.</param>
        /// <param name="handler">The HTTP handler (tests); null = a default HttpClientHandler (with the session's proxy).</param>
        public OrganizationsJsonClient(AwsSession session, IShareReporter reporter, HttpMessageHandler handler)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _reporter = reporter ?? NullShareReporter.Instance;
            SigningRegion = SigningRegionFor(session.Region);
            Endpoint = string.IsNullOrEmpty(session.EndpointUrl) ? DefaultEndpointFor(SigningRegion) : session.EndpointUrl;
            // A bad URL is reported on the first Organizations call, so that EC2-only commands are not refused for it here.
            _url = Uri.TryCreate(Endpoint, UriKind.Absolute, out Uri url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) ? url : null;
            System.Net.IWebProxy proxy = session.Proxy?.ToWebProxy();
            _http = handler != null ? new HttpClient(handler, true)
                : proxy != null ? new HttpClient(new HttpClientHandler { Proxy = proxy, UseProxy = true }, true)
                : new HttpClient();
        }

        /// <summary>Gets the SigV4 region requests are signed for (the partition's Organizations region).</summary>
        public string SigningRegion { get; }

        /// <summary>Gets the URL requests go to.</summary>
        public string Endpoint { get; }

        /// <summary>Gets or sets the base delay before a retry; doubled per attempt (tests set it to zero).</summary>
        public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

        /// <summary>Gets or sets the signing time source (tests pin it).</summary>
        public Func<DateTime> Clock { get; set; } = () => DateTime.UtcNow;

        /// <summary>The Organizations region of the session region's partition.</summary>
        /// <param name="region">The session's region, or null.</param>
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

        /// <summary>The public Organizations endpoint of a partition, from its signing region.</summary>
        /// <param name="signingRegion">The partition's Organizations region.</param>
        internal static string DefaultEndpointFor(string signingRegion) =>
            signingRegion == "cn-northwest-1"
                ? "https://organizations.cn-northwest-1.amazonaws.com.cn"
                : "https://organizations." + signingRegion + ".amazonaws.com";

        /// <summary>Whether an error answer is worth another attempt: 5xx, throttling and concurrent modification.</summary>
        /// <param name="code">The error code, or null.</param>
        /// <param name="status">The HTTP status.</param>
        internal static bool IsRetryable(string code, int status) =>
            status >= 500
            || code == "TooManyRequestsException"
            || code == "ServiceException"
            || code == "ThrottlingException"
            || code == "ConcurrentModificationException";

        /// <summary>The error code (after any '#' namespace) and message of a JSON 1.1 error answer.</summary>
        /// <param name="body">The answer's body.</param>
        /// <param name="errorTypeHeader">The X-Amzn-ErrorType header, or null.</param>
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

        /// <summary>A member of a JSON object, or an undefined element when there is none.</summary>
        /// <param name="element">The object.</param>
        /// <param name="name">The member's name.</param>
        internal static JsonElement Member(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) ? value : default;

        /// <summary>A string member of a JSON object, or null.</summary>
        /// <param name="element">The object.</param>
        /// <param name="name">The member's name.</param>
        internal static string Text(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        /// <summary>Disposes the HTTP client.</summary>
        public void Dispose() => _http.Dispose();

        /// <summary>
        /// Calls a paginated operation until its NextToken runs out, handing each item of the list member
        /// <paramref name="listName"/> to <paramref name="onItem"/>.
        /// </summary>
        /// <param name="operation">The Organizations operation, e.g. ListParents.</param>
        /// <param name="subject">The account or OU id the call is about (for the verbose line and errors), or null.</param>
        /// <param name="body">The request members; NextToken is added to it per page.</param>
        /// <param name="listName">The answer's list member, e.g. Parents.</param>
        /// <param name="onItem">Takes one item.</param>
        /// <param name="cancellationToken">Cancels the calls.</param>
        public async Task PageAsync(string operation, string subject, Dictionary<string, object> body, string listName, Action<JsonElement> onItem, CancellationToken cancellationToken)
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

        /// <summary>One call (with its retries): the answer's JSON, which the caller disposes.</summary>
        /// <param name="operation">The Organizations operation, e.g. DescribeOrganization.</param>
        /// <param name="subject">The account or OU id the call is about (for the verbose line and errors), or null.</param>
        /// <param name="body">The request members.</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        public async Task<JsonDocument> CallAsync(string operation, string subject, Dictionary<string, object> body, CancellationToken cancellationToken)
        {
            if (_url == null)
            {
                throw new AmiShareException(
                    ErrorIds.InvalidEndpointUrl,
                    AmiShareErrorKind.InvalidArgument,
                    $"The endpoint '{Endpoint}' is not an absolute http or https URL.",
                    Endpoint,
                    "Give -EndpointUrl as http://host:port or https://host.");
            }

            byte[] payload = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
            for (int attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _reporter.Verbose(CallLog.Describe("Organizations", operation, subject, null, Endpoint));
                ImmutableCredentials credentials = await GetCredentialsAsync().ConfigureAwait(false);
                IDictionary<string, string> headers = OrganizationsRequestSigner.Sign(_url, operation, payload, credentials, SigningRegion, Clock());

                using (HttpRequestMessage message = Request(_url, payload, headers))
                {
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
                            _reporter.Debug($"Organizations {operation} attempt {attempt} could not reach '{Endpoint}' ({e.Message}); retrying");
                            await Backoff(attempt, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        throw new AmiShareException(
                            ErrorIds.EndpointUnreachable,
                            AmiShareErrorKind.ConnectionError,
                            $"Organizations {operation} could not reach the endpoint '{Endpoint}': {Innermost(e).Message}",
                            (object)subject ?? Endpoint,
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
                            return Answer(operation, subject, text, requestId);
                        }

                        (string code, string errorMessage) = ParseError(text, Header(response, "X-Amzn-ErrorType"));
                        int status = (int)response.StatusCode;
                        if (IsRetryable(code, status) && attempt < MaxAttempts)
                        {
                            _reporter.Debug($"Organizations {operation} attempt {attempt} failed with {code ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture)}; retrying");
                            await Backoff(attempt, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        AmiShareException mapped = OrganizationsErrorCatalog.Map(operation, subject, status, code, errorMessage);
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

        private static HttpRequestMessage Request(Uri url, byte[] payload, IDictionary<string, string> headers)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(payload) };
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
                else
                {
                    message.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            return message;
        }

        private JsonDocument Answer(string operation, string subject, string text, string requestId)
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

        private static string Header(HttpResponseMessage response, string name)
        {
            if (response.Headers.TryGetValues(name, out IEnumerable<string> values))
            {
                return values.FirstOrDefault();
            }

            return response.Content != null && response.Content.Headers.TryGetValues(name, out values) ? values.FirstOrDefault() : null;
        }

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
