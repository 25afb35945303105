using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace AmiShare.Emulator;

/// <summary>The world as the control API shows it (GET /_emulator/state). Serialized in camelCase.</summary>
public sealed record EmulatorState(
    IReadOnlyList<EmulatorImage> Images,
    IReadOnlyList<EmulatorSnapshot> Snapshots,
    IReadOnlyList<EmulatorKey> Keys,
    IReadOnlyList<EmulatorBlockPublicAccess> BlockPublicAccess,
    IReadOnlyList<EmulatorEbsEncryption> EbsEncryption,
    IReadOnlyList<EmulatorParameter> Parameters,
    IReadOnlyList<EmulatorParameterValidationFailure> ParameterValidationFailures,
    IReadOnlyList<EmulatorSnapshotBlockPublicAccess> SnapshotBlockPublicAccess);

/// <summary>Block public access for snapshots of one account in one region: block-all-sharing, block-new-sharing or unblocked.</summary>
public sealed record EmulatorSnapshotBlockPublicAccess(string AccountId, string Region, string State);

/// <summary>An SSM parameter; DataType is text or aws:ec2:image.</summary>
public sealed record EmulatorParameter(string AccountId, string Region, string Name, string Type, string Value, string DataType, long Version);

/// <summary>An aws:ec2:image write whose asynchronous validation failed: the parameter was not created or updated.</summary>
public sealed record EmulatorParameterValidationFailure(string AccountId, string Region, string Name, string Value, string Reason);

/// <summary>EBS encryption by default of one account in one region; KmsKeyId is the configured default key (null = alias/aws/ebs).</summary>
public sealed record EmulatorEbsEncryption(string AccountId, string Region, bool EncryptionByDefault, string? KmsKeyId);

/// <summary>One share. Type is Account | Public | Organization | OrganizationalUnit; Principal is a 12-digit id, "all", an org ARN or an OU ARN.</summary>
public sealed record EmulatorPermission(string Type, string Principal);

public sealed record EmulatorImage(string ImageId, string Region, string OwnerId, string Name, string State, bool Public,
    IReadOnlyList<EmulatorPermission> LaunchPermissions, IReadOnlyList<string> SnapshotIds,
    string? SourceImageId = null, string? SourceImageRegion = null, IReadOnlyList<string>? WatermarkKeys = null);

public sealed record EmulatorSnapshot(string SnapshotId, string Region, string OwnerId, bool Encrypted, string? KmsKeyId,
    IReadOnlyList<EmulatorPermission> CreateVolumePermissions);

/// <summary>A KMS key; Policy is the key policy JSON text exactly as stored.</summary>
public sealed record EmulatorKey(string KeyId, string Arn, string Region, string OwnerId, string Policy, IReadOnlyList<EmulatorGrant> Grants);

public sealed record EmulatorGrant(string GrantId, string GranteePrincipal, IReadOnlyList<string> Operations);

/// <summary>Image block public access of one account in one region: State is block-new-sharing or unblocked.</summary>
public sealed record EmulatorBlockPublicAccess(string AccountId, string Region, string State);

/// <summary>
/// The local control API beside the AWS protocols (like moto's /moto-api/): requests under /_emulator/ are not AWS
/// calls, are never faulted, and are not recorded in the request log.
/// </summary>
internal static class ControlApi
{
    public const string Prefix = "/_emulator";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = false,
        // Policies and ARNs stay readable in curl output (this is a local test API, never embedded in HTML).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private const string FaultShape =
        "{\"action\":\"ModifyImageAttribute\"|\"*\", \"kind\":\"throttle\"|\"error\"|\"drop\"|\"drop-after\", \"code\":\"InternalError\", \"status\":500, \"message\":\"...\", \"times\":3 | \"rate\":0.25}";

    private static readonly string[] Endpoints =
        { "GET /_emulator/health", "GET /_emulator/state", "GET|DELETE /_emulator/log", "GET|POST|DELETE /_emulator/faults", "DELETE /_emulator/faults/{id}", "POST /_emulator/reset" };

    public static bool IsControlPath(HttpContext http) => http.Request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public static async Task HandleAsync(EmulatorHost host, HttpContext http, string body)
    {
        var path = http.Request.Path.Value!.Substring(Prefix.Length).TrimEnd('/');
        var method = http.Request.Method.ToUpperInvariant();
        try
        {
            switch (path)
            {
                case "/health":
                    Require(method, "GET");
                    await Write(http, 200, new { status = "ok" }).ConfigureAwait(false);
                    return;
                case "/state":
                    Require(method, "GET");
                    await Write(http, 200, host.State(Query(http, "imageId"), Query(http, "region"))).ConfigureAwait(false);
                    return;
                case "/log":
                    Require(method, "GET", "DELETE");
                    if (method == "DELETE") { host.Log.Clear(); http.Response.StatusCode = 204; return; }
                    await Write(http, 200, LogView(host.Log)).ConfigureAwait(false);
                    return;
                case "/faults":
                    Require(method, "GET", "POST", "DELETE");
                    if (method == "DELETE") { host.Options.ClearFaults(); http.Response.StatusCode = 204; return; }
                    if (method == "GET") { await Write(http, 200, host.Options.Faults.Select(FaultView).ToList()).ConfigureAwait(false); return; }
                    var stored = host.Options.AddFault(ParseFault(body));
                    await Write(http, 201, FaultView(stored)).ConfigureAwait(false);
                    return;
                case "/reset":
                    Require(method, "POST");
                    host.Reset();
                    await Write(http, 200, new { status = "reset" }).ConfigureAwait(false);
                    return;
            }
            if (path.StartsWith("/faults/", StringComparison.Ordinal))
            {
                Require(method, "DELETE");
                var idText = path.Substring("/faults/".Length);
                if (!int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                    throw new ControlError(400, $"Fault id '{idText}' is not valid: give the numeric id that POST /_emulator/faults or GET /_emulator/faults returned.");
                if (!host.Options.RemoveFault(id))
                    throw new ControlError(404, $"No pending fault with id {id}; GET /_emulator/faults lists the pending ones.");
                http.Response.StatusCode = 204;
                return;
            }
            throw new ControlError(404, $"Unknown control endpoint '{http.Request.Path}'. Known: {string.Join(", ", Endpoints)}.");
        }
        catch (ControlError e)
        {
            if (e.Allow != null) http.Response.Headers.Allow = e.Allow;
            await Write(http, e.Status, new { error = e.Message }).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            await Write(http, 400, new { error = e.Message }).ConfigureAwait(false);
        }
    }

    private static string? Query(HttpContext http, string name)
    {
        foreach (var q in http.Request.Query)
            if (string.Equals(q.Key, name, StringComparison.OrdinalIgnoreCase)) return q.Value.ToString();
        return null;
    }

    private static void Require(string method, params string[] allowed)
    {
        if (!allowed.Contains(method))
            throw new ControlError(405, $"Method {method} is not allowed here; use {string.Join(" or ", allowed)}.") { Allow = string.Join(", ", allowed) };
    }

    private static async Task Write(HttpContext http, int status, object value)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Json);
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }

    internal static object LogView(RequestLog log)
    {
        var entries = log.Entries;
        return new
        {
            total = entries.Count,
            counts = entries.GroupBy(e => e.Action, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            entries = entries.Select(e => new
            {
                time = e.TimestampUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                service = e.Service,
                action = e.Action,
                accountId = e.Account,
                region = e.Region,
                status = e.HttpStatus,
                error = e.ErrorCode,
            }).ToList(),
        };
    }

    internal static object FaultView(InjectedFault f) => new
    {
        id = f.Id,
        action = f.Action,
        kind = FaultKindNames.Of(f.Kind),
        code = f.Code,
        status = f.Status,
        message = f.Message,
        times = f.Remaining,
        rate = f.Rate,
    };

    private static readonly string[] FaultProperties = { "action", "kind", "code", "status", "message", "times", "rate" };

    /// <summary>Reads a POST /_emulator/faults body; throws ArgumentException naming the bad value and the accepted ones.</summary>
    internal static FaultRule ParseFault(string body)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "null" : body); }
        catch (JsonException e) { throw new ArgumentException($"The body is not valid JSON ({e.Message}); send {FaultShape}."); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ArgumentException($"The body must be a JSON object: {FaultShape}.");
            string? action = null, kind = null, code = null, message = null;
            int? status = null, times = null;
            double? rate = null;
            foreach (var p in root.EnumerateObject())
            {
                var name = p.Name.ToLowerInvariant();
                switch (name)
                {
                    case "action": action = Str(p); break;
                    case "kind": kind = Str(p); break;
                    case "code": code = Str(p); break;
                    case "message": message = Str(p); break;
                    case "status": status = Int(p); break;
                    case "times": times = Int(p); break;
                    case "rate":
                        if (p.Value.ValueKind == JsonValueKind.Null) break;
                        if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDouble(out var r))
                            throw new ArgumentException($"'rate' must be a number greater than 0 and at most 1, not {p.Value.GetRawText()}.");
                        rate = r;
                        break;
                    default:
                        throw new ArgumentException($"Unknown property '{p.Name}'; accepted: {string.Join(", ", FaultProperties)}.");
                }
            }
            if (string.IsNullOrEmpty(action))
                throw new ArgumentException("'action' is required: an AWS action name such as ModifyImageAttribute, or '*' for any action.");
            if (string.IsNullOrEmpty(kind)) throw new ArgumentException("'kind' is required: one of throttle, error, drop, drop-after.");
            var k = ParseKind(kind) ?? throw new ArgumentException($"'kind' '{kind}' is not valid: use one of throttle, error, drop, drop-after.");
            return new FaultRule(action, k, code, status, times, rate, message);
        }
    }

    internal static FaultKind? ParseKind(string kind) => kind.ToLowerInvariant() switch
    {
        "throttle" => FaultKind.Throttle,
        "error" => FaultKind.Error,
        "drop" => FaultKind.Drop,
        "drop-after" => FaultKind.DropAfterApply,
        _ => null,
    };

    private static string? Str(JsonProperty p) => p.Value.ValueKind switch
    {
        JsonValueKind.String => p.Value.GetString(),
        JsonValueKind.Null => null,
        _ => throw new ArgumentException($"'{p.Name}' must be a string, not {p.Value.GetRawText()}."),
    };

    private static int? Int(JsonProperty p)
    {
        if (p.Value.ValueKind == JsonValueKind.Null) return null;
        if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var v)) return v;
        throw new ArgumentException($"'{p.Name}' must be a whole number, not {p.Value.GetRawText()}.");
    }

    private sealed class ControlError : Exception
    {
        public ControlError(int status, string message) : base(message) => Status = status;
        public int Status { get; }
        public string? Allow { get; init; }
    }

    // ------------------------------------------------------------------------------------------ state

    internal static EmulatorState StateOf(World world, string? imageId, string? region)
    {
        lock (world.Sync)
        {
            var d = world.Doc;
            var images = d.Images.Where(i => (imageId == null || i.ImageId == imageId) && (region == null || i.Region == region)).ToList();
            foreach (var i in images) world.RefreshPending(i);
            var filtered = imageId != null || region != null;
            var snapIds = new HashSet<(string, string)>(images.SelectMany(i => i.BlockDeviceMappings.Where(b => b.SnapshotId != null).Select(b => (i.Region, b.SnapshotId!))));
            var snaps = d.Snapshots.Where(s => imageId != null ? snapIds.Contains((s.Region, s.SnapshotId)) : region == null || s.Region == region);
            return new EmulatorState(
                images.Select(i => new EmulatorImage(i.ImageId, i.Region, i.Owner, i.Name, i.State, i.IsPublic,
                    i.LaunchPermissions.Select(Permission).ToList(),
                    i.BlockDeviceMappings.Where(b => b.SnapshotId != null).Select(b => b.SnapshotId!).ToList(),
                    i.SourceImageId, i.SourceImageRegion, i.Watermarks.Select(m => m.WatermarkKey).ToList())).ToList(),
                snaps.Select(s => new EmulatorSnapshot(s.SnapshotId, s.Region, s.Owner, s.Encrypted, s.KmsKeyId,
                    s.CreateVolumePermissions.Select(p => p == "all" ? new EmulatorPermission("Public", "all") : new EmulatorPermission("Account", p)).ToList())).ToList(),
                d.Keys.Where(k => !filtered || region == null || k.Region == region).Select(k => new EmulatorKey(k.KeyId, k.Arn, k.Region, k.Account, k.Policy ?? "",
                    k.Grants.Select(g => new EmulatorGrant(g.GrantId, g.GranteePrincipal, g.Operations.ToList())).ToList())).ToList(),
                d.BlockPublicAccess.Where(b => region == null || b.Region == region).Select(b => new EmulatorBlockPublicAccess(b.Account, b.Region, b.State)).ToList(),
                d.EbsEncryption.Where(e => region == null || e.Region == region).Select(e => new EmulatorEbsEncryption(e.Account, e.Region, e.EncryptionByDefault, e.KmsKeyId)).ToList(),
                d.Parameters.Where(p => region == null || p.Region == region).Select(p => new EmulatorParameter(p.Account, p.Region, p.Name, p.Type, p.Value, p.DataType, p.Version)).ToList(),
                d.ParameterValidationFailures.Where(f => region == null || f.Region == region).Select(f => new EmulatorParameterValidationFailure(f.Account, f.Region, f.Name, f.Value, f.Reason)).ToList(),
                d.SnapshotBlockPublicAccess.Where(b => region == null || b.Region == region).Select(b => new EmulatorSnapshotBlockPublicAccess(b.Account, b.Region, b.State)).ToList());
        }
    }

    private static EmulatorPermission Permission(LaunchPermissionSpec p) =>
        p.UserId != null ? new("Account", p.UserId)
        : p.Group != null ? new("Public", p.Group)
        : p.OrganizationArn != null ? new("Organization", p.OrganizationArn)
        : new("OrganizationalUnit", p.OrganizationalUnitArn ?? "");
}
