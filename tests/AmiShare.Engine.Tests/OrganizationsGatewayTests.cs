using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>A handler that answers from a queue and records what was sent.</summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpResponseMessage>> _answers = new();

    public List<(string Method, Uri Uri, Dictionary<string, string> Headers, string Body)> Requests { get; } = new();

    public RecordingHandler Answer(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        _answers.Enqueue(() =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1") };
            foreach (var (name, value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return response;
        });
        return this;
    }

    public RecordingHandler Fail(Exception error)
    {
        _answers.Enqueue(() => throw error);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in request.Headers)
        {
            headers[h.Key] = string.Join(",", h.Value);
        }

        string body = string.Empty;
        if (request.Content != null)
        {
            foreach (var h in request.Content.Headers)
            {
                headers[h.Key] = string.Join(",", h.Value);
            }

            body = await request.Content.ReadAsStringAsync(cancellationToken);
        }

        Requests.Add((request.Method.Method, request.RequestUri!, headers, body));
        if (_answers.Count == 0)
        {
            throw new InvalidOperationException("No answer queued for " + headers.GetValueOrDefault("X-Amz-Target"));
        }

        return _answers.Dequeue()();
    }
}

public sealed class OrganizationsGatewayTests
{
    private const string Endpoint = "https://organizations.us-east-1.amazonaws.com";
    private static readonly DateTime SignedAt = new(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    private readonly ListReporter _reporter = new();
    private readonly RecordingHandler _handler = new();

    private static AwsSession Session(string region = "eu-west-1", string? endpoint = null, string? token = null) =>
        new(token == null ? new BasicAWSCredentials("AKIDEXAMPLE", "secret/key") : new SessionAWSCredentials("ASIAEXAMPLE", "secret/key", token),
            "the supplied key parameters", region, "region parameter", endpoint);

    private OrganizationsGateway Gateway(string region = "eu-west-1", string? endpoint = null, string? token = null) =>
        new(Session(region, endpoint, token), _reporter, _handler) { RetryDelay = TimeSpan.Zero, Clock = () => SignedAt };

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    /// <summary>An independent SigV4 computation over the headers the signer says it signed.</summary>
    private static string ExpectedSignature(IDictionary<string, string> headers, string path, string body, string secret, string region)
    {
        string auth = headers["Authorization"];
        string signedHeaders = auth.Split("SignedHeaders=")[1].Split(',')[0];
        string amzDate = headers["X-Amz-Date"];
        var canonical = new StringBuilder();
        canonical.Append("POST\n").Append(path).Append("\n\n");
        foreach (string name in signedHeaders.Split(';'))
        {
            string value = headers.First(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Hex(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
        string scope = $"{amzDate[..8]}/{region}/organizations/aws4_request";
        string toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
        byte[] key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), amzDate[..8]), region), "organizations"), "aws4_request");
        return Hex(Hmac(key, toSign));
    }

    [Fact]
    public void Sign_JsonRequest_AuthorizationHeaderShapeAndSignedHeaders()
    {
        var headers = OrganizationsRequestSigner.Sign(new Uri(Endpoint), "ListParents", Encoding.UTF8.GetBytes("{\"ChildId\":\"111122223333\"}"),
            new ImmutableCredentials("AKIDEXAMPLE", "secret/key", null), "us-east-1", SignedAt);

        string auth = headers["Authorization"];
        Assert.Matches(@"^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250304/us-east-1/organizations/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$", auth);
        string[] signed = auth.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        Assert.Contains("host", signed);
        Assert.Contains("x-amz-date", signed);
        Assert.Contains("x-amz-target", signed);
        Assert.Contains("content-type", signed);
        Assert.DoesNotContain("x-amz-security-token", signed);
        Assert.Equal("20250304T050607Z", headers["X-Amz-Date"]);
        Assert.Equal("AWSOrganizationsV20161128.ListParents", headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", headers["Content-Type"]);
        Assert.Equal("organizations.us-east-1.amazonaws.com", headers["host"]);
        Assert.False(headers.ContainsKey("X-Amz-Security-Token"));
    }

    [Fact]
    public void Sign_SameInputs_SignatureMatchesIndependentSigV4Computation()
    {
        const string body = "{\"OrganizationalUnitId\":\"ou-ab12-11111111\"}";
        var headers = OrganizationsRequestSigner.Sign(new Uri("http://127.0.0.1:5123"), "DescribeOrganizationalUnit", Encoding.UTF8.GetBytes(body),
            new ImmutableCredentials("AKIDEXAMPLE", "secret/key", "the-token"), "us-east-1", SignedAt);

        string signature = headers["Authorization"].Split("Signature=")[1];
        Assert.Equal(ExpectedSignature(headers, "/", body, "secret/key", "us-east-1"), signature);
        Assert.Equal("127.0.0.1:5123", headers["host"]);
    }

    [Fact]
    public void Sign_SessionCredentials_SignsSecurityToken()
    {
        var headers = OrganizationsRequestSigner.Sign(new Uri(Endpoint), "DescribeOrganization", Encoding.UTF8.GetBytes("{}"),
            new ImmutableCredentials("ASIAEXAMPLE", "secret/key", "FwoGZXIvYXdzEJr//token"), "us-east-1", SignedAt);

        Assert.Equal("FwoGZXIvYXdzEJr//token", headers["X-Amz-Security-Token"]);
        Assert.Contains("x-amz-security-token", headers["Authorization"].Split("SignedHeaders=")[1].Split(',')[0].Split(';'));
        Assert.Contains("Credential=ASIAEXAMPLE/", headers["Authorization"]);
    }

    [Fact]
    public void Sign_DifferentTarget_DifferentSignature()
    {
        var creds = new ImmutableCredentials("AKIDEXAMPLE", "secret/key", null);
        byte[] body = Encoding.UTF8.GetBytes("{}");
        string a = OrganizationsRequestSigner.Sign(new Uri(Endpoint), "DescribeOrganization", body, creds, "us-east-1", SignedAt)["Authorization"];
        string b = OrganizationsRequestSigner.Sign(new Uri(Endpoint), "ListRoots", body, creds, "us-east-1", SignedAt)["Authorization"];
        Assert.NotEqual(a.Split("Signature=")[1], b.Split("Signature=")[1]);
    }

    [Theory]
    [InlineData("eu-west-1", "us-east-1")]
    [InlineData("us-east-1", "us-east-1")]
    [InlineData("cn-north-1", "cn-northwest-1")]
    [InlineData("us-gov-east-1", "us-gov-west-1")]
    public void SigningRegionFor_SessionRegion_PartitionOrganizationsRegion(string region, string expected) =>
        Assert.Equal(expected, OrganizationsJsonClient.SigningRegionFor(region));

    [Fact]
    public async Task DescribeOrganizationAsync_RealEndpoint_SendsSignedJson11RequestAndParsesAnswer()
    {
        _handler.Answer(HttpStatusCode.OK,
            "{\"Organization\":{\"Id\":\"o-exampleorgid\",\"Arn\":\"arn:aws:organizations::111111111111:organization/o-exampleorgid\",\"FeatureSet\":\"ALL\",\"MasterAccountId\":\"111111111111\"}}",
            ("x-amzn-RequestId", "req-1"));
        using var gateway = Gateway(token: "tok");

        var org = await gateway.DescribeOrganizationAsync(default);

        Assert.Equal("o-exampleorgid", org.Id);
        Assert.Equal("arn:aws:organizations::111111111111:organization/o-exampleorgid", org.Arn);
        Assert.Equal("111111111111", org.ManagementAccountId);
        var sent = Assert.Single(_handler.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal(new Uri(Endpoint + "/"), sent.Uri);
        Assert.Equal("AWSOrganizationsV20161128.DescribeOrganization", sent.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", sent.Headers["Content-Type"]);
        Assert.Equal("tok", sent.Headers["X-Amz-Security-Token"]);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20250304/us-east-1/organizations/aws4_request", sent.Headers["Authorization"]);
        Assert.Equal("{}", sent.Body);
        Assert.Contains($"Invoking Organizations DescribeOrganization on endpoint '{Endpoint}'", _reporter.VerboseLines);
        Assert.Contains("Organizations DescribeOrganization request id req-1", _reporter.DebugLines);
    }

    [Fact]
    public async Task ListParentsAsync_Paginated_FollowsNextTokenAndNamesChildInVerbose()
    {
        _handler
            .Answer(HttpStatusCode.OK, "{\"Parents\":[],\"NextToken\":\"t1\"}")
            .Answer(HttpStatusCode.OK, "{\"Parents\":[{\"Id\":\"ou-ab12-11111111\",\"Type\":\"ORGANIZATIONAL_UNIT\"}]}");
        using var gateway = Gateway(endpoint: "http://127.0.0.1:5999");

        var parents = await gateway.ListParentsAsync("111122223333", default);

        var parent = Assert.Single(parents);
        Assert.Equal("ou-ab12-11111111", parent.Id);
        Assert.Equal("ORGANIZATIONAL_UNIT", parent.Type);
        Assert.Equal(2, _handler.Requests.Count);
        Assert.Equal("111122223333", JsonDocument.Parse(_handler.Requests[0].Body).RootElement.GetProperty("ChildId").GetString());
        Assert.Equal("t1", JsonDocument.Parse(_handler.Requests[1].Body).RootElement.GetProperty("NextToken").GetString());
        Assert.Equal("http://127.0.0.1:5999/", _handler.Requests[0].Uri.ToString());
        Assert.Contains("Invoking Organizations ListParents for 111122223333 on endpoint 'http://127.0.0.1:5999'", _reporter.VerboseLines);
    }

    [Fact]
    public async Task DescribeOrganizationalUnitAsync_ThrottledThenOk_RetriesAndSucceeds()
    {
        _handler
            .Answer(HttpStatusCode.BadRequest, "{\"__type\":\"TooManyRequestsException\",\"Type\":\"x\",\"Message\":\"AWS Organizations can't complete your request.\"}")
            .Answer(HttpStatusCode.InternalServerError, "{\"__type\":\"ServiceException\",\"Message\":\"boom\"}")
            .Answer(HttpStatusCode.OK, "{\"OrganizationalUnit\":{\"Id\":\"ou-ab12-11111111\",\"Arn\":\"arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111\",\"Name\":\"Engineering\"}}");
        using var gateway = Gateway();

        var ou = await gateway.DescribeOrganizationalUnitAsync("ou-ab12-11111111", default);

        Assert.Equal("Engineering", ou.Name);
        Assert.Equal(3, _handler.Requests.Count);
    }

    [Fact]
    public async Task ListParentsAsync_AlwaysThrottled_ThrottledAfterMaxAttempts()
    {
        for (int i = 0; i < OrganizationsJsonClient.MaxAttempts; i++)
        {
            _handler.Answer(HttpStatusCode.BadRequest, "{\"__type\":\"TooManyRequestsException\",\"Message\":\"slow down\"}");
        }

        using var gateway = Gateway();
        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.ListParentsAsync("111122223333", default));

        Assert.Equal(ErrorIds.Throttled, e.ErrorId);
        Assert.Equal("TooManyRequestsException", e.AwsErrorCode);
        Assert.Equal(OrganizationsJsonClient.MaxAttempts, _handler.Requests.Count);
    }

    [Fact]
    public async Task DescribeOrganizationAsync_NotInUseWithNamespacedType_OrganizationUnresolvedNoRetry()
    {
        _handler.Answer(HttpStatusCode.BadRequest,
            "{\"__type\":\"com.amazonaws.organizations.v20161128#AWSOrganizationsNotInUseException\",\"Message\":\"Your account is not a member of an organization.\"}",
            ("x-amzn-RequestId", "req-9"));
        using var gateway = Gateway();

        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.DescribeOrganizationAsync(default));

        Assert.Equal(ErrorIds.OrganizationUnresolved, e.ErrorId);
        Assert.Equal("AWSOrganizationsNotInUseException", e.AwsErrorCode);
        Assert.Equal("req-9", e.AwsRequestId);
        Assert.Contains("not a member of an organization", e.Message);
        Assert.Contains("arn:aws:organizations::<management-account-id>:organization/o-", e.Message);
        Assert.Single(_handler.Requests);
    }

    [Fact]
    public async Task ListParentsAsync_EndpointDown_EndpointUnreachableAfterRetries()
    {
        for (int i = 0; i < OrganizationsJsonClient.MaxAttempts; i++)
        {
            _handler.Fail(new HttpRequestException("Connection refused"));
        }

        using var gateway = Gateway(endpoint: "http://127.0.0.1:1");
        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.ListParentsAsync("111122223333", default));

        Assert.Equal(ErrorIds.EndpointUnreachable, e.ErrorId);
        Assert.Contains("http://127.0.0.1:1", e.Message);
    }

    [Fact]
    public async Task ListParentsAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var gateway = Gateway();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gateway.ListParentsAsync("111122223333", cts.Token));
        Assert.Empty(_handler.Requests);
    }

    [Theory]
    [InlineData("AWSOrganizationsNotInUseException", ErrorIds.OrganizationUnresolved, AmiShareErrorKind.InvalidOperation)]
    [InlineData("AccessDeniedException", ErrorIds.OrganizationUnresolved, AmiShareErrorKind.PermissionDenied)]
    [InlineData("OrganizationalUnitNotFoundException", ErrorIds.InvalidPrincipal, AmiShareErrorKind.ObjectNotFound)]
    [InlineData("AccountNotFoundException", ErrorIds.InvalidPrincipal, AmiShareErrorKind.ObjectNotFound)]
    [InlineData("ChildNotFoundException", ErrorIds.InvalidPrincipal, AmiShareErrorKind.ObjectNotFound)]
    [InlineData("ParentNotFoundException", ErrorIds.InvalidPrincipal, AmiShareErrorKind.ObjectNotFound)]
    [InlineData("TooManyRequestsException", ErrorIds.Throttled, AmiShareErrorKind.LimitsExceeded)]
    [InlineData("UnrecognizedClientException", ErrorIds.CredentialsRejected, AmiShareErrorKind.AuthenticationError)]
    [InlineData("InvalidInputException", ErrorIds.AwsServiceError, AmiShareErrorKind.NotSpecified)]
    [InlineData("ServiceException", ErrorIds.AwsServiceError, AmiShareErrorKind.NotSpecified)]
    public void MapError_Code_ErrorIdAndKind(string code, string errorId, AmiShareErrorKind kind)
    {
        var e = OrganizationsErrorCatalog.Map("ListParents", "ou-ab12-11111111", 400, code, "The text.");
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(kind, e.Kind);
        Assert.Contains(code, e.Message);
        Assert.False(string.IsNullOrEmpty(e.Remedy));
    }

    [Theory]
    [InlineData("InvalidInputException")]
    [InlineData("ServiceException")]
    public void MapError_OtherCodes_AdviseVerboseAndDebugPreference_NotDebugWhichPrompts(string code)
    {
        var e = OrganizationsErrorCatalog.Map("ListParents", "ou-ab12-11111111", 400, code, "The text.");
        Assert.DoesNotContain("-Debug", e.Remedy);
        Assert.Contains("-Verbose", e.Remedy);
        Assert.Contains("$DebugPreference = 'Continue'", e.Remedy);
    }

    [Fact]
    public void MapError_AccessDenied_RemedyNamesCredentialsAndArnFormat()
    {
        var e = OrganizationsErrorCatalog.Map("DescribeOrganizationalUnit", "ou-ab12-11111111", 400, "AccessDeniedException", "You don't have permissions to access this resource.");
        Assert.Contains("management account or a delegated administrator", e.Message);
        Assert.Contains("arn:aws:organizations::<management-account-id>:ou/o-…/ou-…", e.Remedy);
        Assert.Equal("ou-ab12-11111111", e.Target);
    }

    [Fact]
    public void MapError_OuNotFound_NamesTheId()
    {
        var e = OrganizationsErrorCatalog.Map("DescribeOrganizationalUnit", "ou-ab12-99999999", 400, "OrganizationalUnitNotFoundException", "You specified an organizational unit that doesn't exist.");
        Assert.Contains("'ou-ab12-99999999'", e.Message);
        Assert.Contains("organizational unit", e.Message);
    }

    [Theory]
    [InlineData("{\"__type\":\"AccessDeniedException\",\"Message\":\"Capital.\"}", null, "AccessDeniedException", "Capital.")]
    [InlineData("{\"__type\":\"ns.v1#ChildNotFoundException\",\"message\":\"lower.\"}", null, "ChildNotFoundException", "lower.")]
    [InlineData("", "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/", "AccessDeniedException", null)]
    [InlineData("not json", null, null, "not json")]
    public void ParseError_Body_CodeAndMessage(string body, string? header, string? code, string? message)
    {
        var (c, m) = OrganizationsJsonClient.ParseError(body, header!);
        Assert.Equal(code, c);
        Assert.Equal(message, m);
    }

    [Theory]
    [InlineData("TooManyRequestsException", 400, true)]
    [InlineData("ServiceException", 500, true)]
    [InlineData(null, 503, true)]
    [InlineData("AccessDeniedException", 400, false)]
    [InlineData("AWSOrganizationsNotInUseException", 400, false)]
    public void IsRetryable_CodeAndStatus_Expected(string? code, int status, bool expected) =>
        Assert.Equal(expected, OrganizationsJsonClient.IsRetryable(code!, status));

    [Fact]
    public async Task DescribeOrganizationAsync_EndpointNotHttp_InvalidEndpointUrlOnFirstCall()
    {
        using var gateway = Gateway(endpoint: "ftp://example.com");
        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.DescribeOrganizationAsync(default));
        Assert.Equal(ErrorIds.InvalidEndpointUrl, e.ErrorId);
        Assert.Empty(_handler.Requests);
    }
}
