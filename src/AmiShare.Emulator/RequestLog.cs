namespace AmiShare.Emulator;

/// <summary>One handled request.</summary>
public sealed record RequestLogEntry(
    DateTime TimestampUtc,
    string Service,
    string Action,
    string? AccessKeyId,
    string? Account,
    string? Region,
    int HttpStatus,
    string? ErrorCode,
    IReadOnlyDictionary<string, string> Parameters,
    string RequestId)
{
    public bool Succeeded => HttpStatus is >= 200 and < 300;

    public override string ToString() =>
        $"{TimestampUtc:HH:mm:ss.fff} {Service}:{Action} account={Account ?? "-"} region={Region ?? "-"} -> {HttpStatus}{(ErrorCode != null ? " " + ErrorCode : "")}";
}

/// <summary>Thread-safe log of every request the emulator handled.</summary>
public sealed class RequestLog
{
    private readonly object _lock = new();
    private readonly List<RequestLogEntry> _entries = new();

    private static readonly HashSet<string> Mutating = new(StringComparer.Ordinal)
    {
        "ModifyImageAttribute", "ResetImageAttribute", "ModifySnapshotAttribute", "ResetSnapshotAttribute",
        "CreateTags", "DeleteTags", "CopyImage", "DeregisterImage", "EnableImageBlockPublicAccess", "DisableImageBlockPublicAccess",
        "EnableImageDeprecation", "DisableImageDeprecation",
        "PutKeyPolicy", "CreateGrant", "RetireGrant", "RevokeGrant",
        "EnableEbsEncryptionByDefault", "DisableEbsEncryptionByDefault", "ModifyEbsDefaultKmsKeyId", "ResetEbsDefaultKmsKeyId",
        "PutParameter", "DeleteParameter",
        "AttachImageWatermark", "DetachImageWatermark", "EnableSnapshotBlockPublicAccess", "DisableSnapshotBlockPublicAccess",
        "CreateImageUsageReport", "DeleteImageUsageReport",
    };

    /// <summary>Raised after each entry is added (on the request thread).</summary>
    public event Action<RequestLogEntry>? EntryAdded;

    internal void Add(RequestLogEntry e)
    {
        lock (_lock) _entries.Add(e);
        EntryAdded?.Invoke(e);
    }

    public static bool IsMutating(string action) => Mutating.Contains(action);

    public int Count(string action) { lock (_lock) return _entries.Count(e => e.Action == action); }

    public int Count(string service, string action) { lock (_lock) return _entries.Count(e => e.Service == service && e.Action == action); }

    public int Total { get { lock (_lock) return _entries.Count; } }

    /// <summary>Requests to write operations (EC2/KMS), whatever their outcome.</summary>
    public int MutatingCount { get { lock (_lock) return _entries.Count(e => Mutating.Contains(e.Action)); } }

    /// <summary>Successful write requests only.</summary>
    public int SuccessfulMutatingCount { get { lock (_lock) return _entries.Count(e => e.Succeeded && Mutating.Contains(e.Action)); } }

    public IReadOnlyList<RequestLogEntry> Entries { get { lock (_lock) return _entries.ToList(); } }

    public void Clear() { lock (_lock) _entries.Clear(); }
}
