using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AmiShare.Emulator;

/// <summary>The emulator web server (Kestrel on 127.0.0.1). One port serves EC2, STS, KMS, Organizations and SSM.</summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TokenBuckets _buckets;

    /// <summary>Cancelled when the host stops, so requests still waiting out their latency end at once.</summary>
    private readonly CancellationTokenSource _stopping = new();
    private string _startWorld = "";

    public World World { get; }
    public RequestLog Log { get; }
    public EmulatorOptions Options { get; }
    /// <summary>e.g. http://127.0.0.1:54321 (no trailing slash).</summary>
    public string Endpoint { get; private set; } = "";
    public int Port { get; private set; }

    private EmulatorHost(WebApplication app, World world, EmulatorOptions options)
    {
        _app = app; World = world; Options = options; Log = new RequestLog(); _buckets = new TokenBuckets(options);
        world.UtcNow = () => options.UtcNow;
    }

    public static async Task<EmulatorHost> StartAsync(World world, EmulatorOptions? options = null, int port = 0, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(world);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(EmulatorHost).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            k.Listen(IPAddress.Loopback, port);
        });
        // The host never handles Ctrl+C / SIGTERM itself: in a test process that is the runner's business, and the
        // console program registers its own handlers (Program.cs).
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        var app = builder.Build();
        var host = new EmulatorHost(app, world, options ?? new EmulatorOptions());
        host._startWorld = world.ToJson();
        app.Run(host.HandleAsync);
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (BindFailure(e) is { } inUse)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new EmulatorPortException(port, inUse, e);
        }
        var addr = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.Port = new Uri(addr).Port;
        host.Endpoint = "http://127.0.0.1:" + host.Port.ToString(CultureInfo.InvariantCulture);
        return host;
    }

    /// <summary>True when the exception chain says the address is in use, false when binding was refused, null otherwise.</summary>
    private static bool? BindFailure(Exception? e)
    {
        for (; e != null; e = e.InnerException)
        {
            if (e is Microsoft.AspNetCore.Connections.AddressInUseException) return true;
            if (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse }) return true;
            if (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AccessDenied }) return false;
        }
        return null;
    }

    /// <summary>
    /// Returns the emulator to the state it was started with: the world as it was when <see cref="StartAsync"/> ran,
    /// an empty request log, no pending faults and full throttle buckets. Options such as latency are kept.
    /// </summary>
    public void Reset()
    {
        World.ResetTo(_startWorld);
        Log.Clear();
        Options.ClearFaults();
        _buckets.Clear();
    }

    /// <summary>
    /// The live world as GET /_emulator/state shows it; <paramref name="imageId"/> and <paramref name="region"/> narrow
    /// the images (and the snapshots to those images' snapshots); a region also narrows keys and block public access.
    /// </summary>
    public EmulatorState State(string? imageId = null, string? region = null) => ControlApi.StateOf(World, imageId, region);

    public async ValueTask DisposeAsync()
    {
        // Requests in their latency wait are dropped rather than waited for: the console must stop within 2 s.
        try { _stopping.Cancel(); } catch (ObjectDisposedException) { }
        try { using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1)); await _app.StopAsync(cts.Token).ConfigureAwait(false); } catch { /* already stopped */ }
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    // ------------------------------------------------------------------------------------------ pipeline

    private static readonly Regex CredentialRx = new(@"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request", RegexOptions.Compiled);

    private async Task HandleAsync(HttpContext http)
    {
        var requestId = Guid.NewGuid().ToString();
        string body;
        using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
            body = await reader.ReadToEndAsync().ConfigureAwait(false);
        if (ControlApi.IsControlPath(http))
        {
            await ControlApi.HandleAsync(this, http, body).ConfigureAwait(false);
            return;
        }

        var target = http.Request.Headers["X-Amz-Target"].ToString();
        var auth = http.Request.Headers.Authorization.ToString();
        string? akid = null, scopeRegion = null, scopeService = null;
        var m = CredentialRx.Match(auth.StartsWith("AWS4-HMAC-SHA256", StringComparison.Ordinal) ? auth : http.Request.Query["X-Amz-Credential"].ToString().Replace("%2F", "/"));
        if (m.Success) { akid = m.Groups[1].Value; scopeRegion = m.Groups[3].Value; scopeService = m.Groups[4].Value; }

        var ctx = new CallContext { RequestId = requestId, Service = "ec2", Action = "", Params = new Dictionary<string, string>(StringComparer.Ordinal) };
        ctx.AccessKeyId = akid;
        ctx.Region = scopeRegion;
        bool json = target.Length > 0;
        if (json)
        {
            var dot = target.IndexOf('.');
            var prefix = dot > 0 ? target[..dot] : target;
            ctx.Action = dot > 0 ? target[(dot + 1)..] : "";
            ctx.Service = prefix switch
            {
                "TrentService" => "kms",
                "AWSOrganizationsV20161128" => "organizations",
                "AmazonSSM" => "ssm",
                _ => scopeService ?? "unknown",
            };
            ctx.JsonBody = string.IsNullOrWhiteSpace(body) ? "{}" : body;
            try
            {
                using var doc = JsonDocument.Parse(ctx.JsonBody);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                    foreach (var p in doc.RootElement.EnumerateObject())
                        ctx.Params[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
            catch (JsonException) { ctx.JsonBody = "{}"; ctx.Params["__invalidJson"] = "true"; }
        }
        else
        {
            foreach (var q in http.Request.Query) ctx.Params[q.Key] = q.Value.ToString();
            if (body.Length > 0) foreach (var kv in ParseForm(body)) ctx.Params[kv.Key] = kv.Value;
            ctx.Action = ctx.Get("Action") ?? "";
            ctx.Service = ctx.Get("Version") == "2011-06-15" || scopeService == "sts" || ctx.Action == "GetCallerIdentity" ? "sts" : "ec2";
        }

        if (Options.Latency > TimeSpan.Zero)
        {
            var latency = Options.WaitLatencyAsync();
            await Task.WhenAny(latency, Task.Delay(Timeout.Infinite, _stopping.Token)).ConfigureAwait(false);
            if (!latency.IsCompleted)
            {
                // The host is stopping: no answer, as when a real endpoint goes away.
                http.Abort();
                return;
            }
        }

        int status = 200;
        string? errorCode = null;
        string? responseBody = null;
        bool dropAfterApply = false;
        try
        {
            var fault = Options.TakeFault(ctx.Action);
            dropAfterApply = fault is { Kind: FaultKind.DropAfterApply };
            if (dropAfterApply) fault = null;
            if (fault != null) IdentifyForLog(ctx);
            if (fault is { Kind: FaultKind.Drop })
            {
                Record(ctx, 0, "ConnectionDropped");
                http.Abort();
                return;
            }
            if (fault is { Kind: FaultKind.Throttle }) throw ThrottlingError(ctx.Service);
            if (fault != null)
            {
                var code = fault.Code ?? "InternalError";
                throw new ApiException(fault.Status ?? 500, code, fault.Message ?? DefaultFaultMessage(code));
            }

            Authenticate(ctx, m.Success);
            if (ctx.Service is "ec2" or "ssm" && Options.Throttling && !_buckets.TryTake(ctx))
                throw ThrottlingError(ctx.Service);

            if (json && ctx.Params.ContainsKey("__invalidJson"))
                throw new ApiException(400, "SerializationException", "Start of structure or map found where not expected.");
            responseBody = ctx.Service switch
            {
                "ec2" => Ec2Api.Handle(World, Options, ctx),
                "sts" => StsApi.Handle(World, ctx),
                "kms" => KmsApi.Handle(World, ctx),
                "organizations" => OrganizationsApi.Handle(World, ctx),
                "ssm" => SsmApi.Handle(World, ctx),
                _ => throw new ApiException(400, "UnknownOperationException", ""),
            };
        }
        catch (ApiException e)
        {
            status = e.Status;
            errorCode = e.Code;
            responseBody = RenderError(ctx, e);
        }
        catch (Exception e)
        {
            status = 500;
            errorCode = ctx.Service switch { "kms" => "KMSInternalException", "organizations" => "ServiceException", "ssm" => "InternalServerError", _ => "InternalError" };
            responseBody = RenderError(ctx, new ApiException(500, errorCode, "An internal error has occurred: " + e.Message));
        }

        var res = http.Response;
        res.StatusCode = status;
        res.Headers["x-amzn-RequestId"] = requestId;
        res.Headers.Date = DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        if (json)
        {
            res.ContentType = "application/x-amz-json-1.1";
            if (errorCode != null) res.Headers["X-Amzn-ErrorType"] = errorCode;
        }
        else
        {
            res.ContentType = "text/xml;charset=UTF-8";
            if (ctx.Service == "ec2") res.Headers.Server = "AmazonEC2";
        }
        var bytes = Encoding.UTF8.GetBytes(responseBody ?? "");
        res.ContentLength = bytes.Length;
        if (dropAfterApply)
        {
            // The service acted; the answer is lost on the way: headers and part of the body, then the connection goes.
            // (Cutting it after the first bytes, not before, is what a client cannot silently re-send.)
            Record(ctx, status, errorCode ?? "ConnectionDroppedAfterApply");
            await res.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2)).ConfigureAwait(false);
            await res.Body.FlushAsync().ConfigureAwait(false);
            // Abort resets the socket and discards what Kestrel has not sent yet: give the flushed bytes time to leave,
            // or the client sees a reset with no answer at all, which SocketsHttpHandler silently re-sends.
            await Task.Delay(50).ConfigureAwait(false);
            http.Abort();
            return;
        }

        Record(ctx, status, errorCode);
        await res.Body.WriteAsync(bytes).ConfigureAwait(false);
    }

    private void Record(CallContext ctx, int status, string? error) =>
        Log.Add(new RequestLogEntry(DateTime.UtcNow, ctx.Service, ctx.Action, ctx.AccessKeyId, ctx.Account?.Id, ctx.Region, status, error,
            new Dictionary<string, string>(ctx.Params), ctx.RequestId));

    /// <summary>Each service's own throttling error, as AWS documents it (EC2 RequestLimitExceeded 503, KMS ThrottlingException, Organizations TooManyRequestsException, STS Throttling, SSM ThrottlingException "Rate exceeded").</summary>
    internal static ApiException ThrottlingError(string service) => service switch
    {
        "ec2" => new ApiException(503, "RequestLimitExceeded", DefaultFaultMessage("RequestLimitExceeded")),
        "kms" => new ApiException(400, "ThrottlingException", DefaultFaultMessage("ThrottlingException")),
        "organizations" => new ApiException(400, "TooManyRequestsException", DefaultFaultMessage("TooManyRequestsException")),
        // [REAL] AWS Knowledge Center "ssm-parameter-store-rate-exceeded": "An error occurred (ThrottlingException) when calling the GetParameter operation (reached max retries: 4): Rate exceeded".
        "ssm" => new ApiException(400, "ThrottlingException", "Rate exceeded"),
        _ => new ApiException(400, "Throttling", DefaultFaultMessage("Throttling")),
    };

    private static string DefaultFaultMessage(string code) => code switch
    {
        "RequestLimitExceeded" => "Request limit exceeded.",
        "InternalError" => "An internal error has occurred",
        "Unavailable" => "The service is unavailable. Please try again shortly.",
        // KMS's own text (seen in aws/aws-dynamodb-encryption-java#6 and hyperlane-xyz/hyperlane-monorepo#2391); STS/IAM say "Rate exceeded".
        "ThrottlingException" => "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.",
        "Throttling" => "Rate exceeded",
        "TooManyRequestsException" => "AWS Organizations can't complete your request because another request is already in progress. Try again later.",
        _ => "Injected fault: " + code,
    };

    /// <summary>Fills in the caller's account (when the key is known) so a faulted request is logged with it; never throws.</summary>
    private void IdentifyForLog(CallContext ctx)
    {
        if (ctx.AccessKeyId == null) return;
        lock (World.Sync)
            if (World.FindAccessKey(ctx.AccessKeyId) is { } found) (ctx.Account, ctx.Key) = found;
    }

    private void Authenticate(CallContext ctx, bool hasCredential)
    {
        if (!hasCredential || ctx.AccessKeyId == null)
            throw ctx.Service switch
            {
                "ec2" => new ApiException(401, "AuthFailure", "AWS was not able to validate the provided access credentials"),
                "sts" => new ApiException(403, "MissingAuthenticationToken", "Request is missing Authentication Token"),
                _ => new ApiException(403, "MissingAuthenticationTokenException", "Missing Authentication Token"),
            };
        (AccountSpec, AccessKeySpec)? found;
        lock (World.Sync) found = World.FindAccessKey(ctx.AccessKeyId);
        if (found == null)
            throw ctx.Service switch
            {
                "ec2" => new ApiException(401, "AuthFailure", "AWS was not able to validate the provided access credentials"),
                "sts" => new ApiException(403, "InvalidClientTokenId", "The security token included in the request is invalid."),
                _ => new ApiException(400, "UnrecognizedClientException", "The security token included in the request is invalid."),
            };
        (ctx.Account, ctx.Key) = found.Value;
        if (ctx.Service == "organizations") ctx.Region ??= "us-east-1";
        if (string.IsNullOrEmpty(ctx.Region)) ctx.Region = "us-east-1";
        var denied = ctx.Account.DeniedActions.Any(a => a == ctx.Action || a == ctx.Service + ":" + ctx.Action || a == ctx.Service + ":*" || a == "*");
        if (denied)
        {
            var principal = ctx.Key.Arn ?? $"arn:aws:iam::{ctx.Account.Id}:user/emulator-{ctx.Account.Id}";
            throw ctx.Service switch
            {
                "ec2" => new ApiException(403, "UnauthorizedOperation", "You are not authorized to perform this operation."),
                _ => new ApiException(400, "AccessDeniedException", $"User: {principal} is not authorized to perform: {ctx.Service}:{ctx.Action}"),
            };
        }
    }

    private static string RenderError(CallContext ctx, ApiException e)
    {
        switch (ctx.Service)
        {
            case "ec2":
                return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + Xml.Esc(e.Code) + "</Code><Message>" + Xml.Esc(e.Message)
                       + "</Message></Error></Errors><RequestID>" + ctx.RequestId + "</RequestID></Response>";
            case "sts":
                return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>" + (e.Status >= 500 ? "Receiver" : "Sender")
                       + "</Type>\n    <Code>" + Xml.Esc(e.Code) + "</Code>\n    <Message>" + Xml.Esc(e.Message) + "</Message>\n  </Error>\n  <RequestId>"
                       + ctx.RequestId + "</RequestId>\n</ErrorResponse>\n";
            default:
            {
                var d = new Dictionary<string, object?> { ["__type"] = e.Code };
                d[ctx.Service == "organizations" ? "Message" : "message"] = e.Message;
                if (e.Reason != null) d["Reason"] = e.Reason;
                return JsonSerializer.Serialize(d);
            }
        }
    }

    internal static IEnumerable<KeyValuePair<string, string>> ParseForm(string body)
    {
        foreach (var part in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var k = eq < 0 ? part : part[..eq];
            var v = eq < 0 ? "" : part[(eq + 1)..];
            yield return new(Uri.UnescapeDataString(k.Replace('+', ' ')), Uri.UnescapeDataString(v.Replace('+', ' ')));
        }
    }

    /// <summary>EC2 and SSM token buckets per account × region × action (SSM reads share one).</summary>
    private sealed class TokenBuckets
    {
        private readonly EmulatorOptions _options;
        private readonly Dictionary<(string, string, string), (double Tokens, long Ticks)> _state = new();
        public TokenBuckets(EmulatorOptions o) => _options = o;

        public void Clear() { lock (_state) _state.Clear(); }

        public bool TryTake(CallContext ctx)
        {
            var unfiltered = ctx.Action == "DescribeSnapshots" && !ctx.HasPrefix("Filter.") && ctx.Get("MaxResults") == null && !ctx.HasPrefix("SnapshotId.");
            // SSM's GetParameter and GetParameters share one bucket ([DOC] Parameter Store quotas: "Default throughput: 40 (Shared by
            // the following API actions: GetParameter, GetParameters, GetParametersByPath)").
            var bucket = ctx.Service == "ssm" ? (ctx.Action is "GetParameter" or "GetParameters" ? "ssm:GetParameters" : "ssm:" + ctx.Action) : ctx.Action;
            var (burst, refill) = _options.BucketFor(bucket, unfiltered);
            refill *= Math.Max(_options.TimeScale, 0.000001);
            var key = (ctx.AccountId, ctx.RegionName, bucket);
            lock (_state)
            {
                // A monotonic clock, as a token bucket is: a wall-clock adjustment must not refill or drain it.
                var now = _options.Clock.GetTimestamp();
                var (tokens, last) = _state.TryGetValue(key, out var s) ? s : (burst, now);
                tokens = Math.Min(burst, tokens + (now - last) / (double)_options.Clock.TimestampFrequency * refill);
                if (tokens < 1) { _state[key] = (tokens, now); return false; }
                _state[key] = (tokens - 1, now);
                return true;
            }
        }
    }
}

/// <summary>An <see cref="IHostLifetime"/> that leaves process signals alone.</summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The emulator could not listen on its port (taken by another process, or not permitted).</summary>
public sealed class EmulatorPortException : IOException
{
    public EmulatorPortException(int port, bool inUse, Exception inner)
        : base(inUse
            ? $"Port {port} on 127.0.0.1 is already in use; stop the other process or pass --port N (0 = any free port)."
            : $"Port {port} on 127.0.0.1 cannot be opened (permission denied); pass --port N with N above 1023 (0 = any free port).", inner)
    {
        Port = port;
        InUse = inUse;
    }

    public int Port { get; }
    public bool InUse { get; }
}
