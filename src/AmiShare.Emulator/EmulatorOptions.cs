using System.Collections.Concurrent;

namespace AmiShare.Emulator;

/// <summary>Knobs: latency, throttling buckets, time scale and fault injection. Safe to change while running.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Delay added before every response.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Speed-up factor for time-based behaviour: throttle bucket refill and CopyImage pending time.</summary>
    public double TimeScale { get; set; } = 1.0;

    /// <summary>Model EC2's (and SSM Parameter Store's) per account/region/API token buckets (anchors.md §8). Default off.</summary>
    public bool Throttling { get; set; }

    /// <summary>How long a CopyImage result stays "pending" (divided by TimeScale). Zero = available at once.</summary>
    public TimeSpan CopyImagePendingTime { get; set; } = TimeSpan.Zero;

    /// <summary>How long a CreateImageUsageReport report stays "pending" (divided by TimeScale). Zero = available at once.</summary>
    public TimeSpan ImageUsageReportPendingTime { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The emulator's clock for time-based behaviour (throttle bucket refill, CopyImage pending time). Tests
    /// substitute a clock they advance by hand, so nothing they assert depends on wall-clock time.
    /// </summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>How <see cref="Latency"/> is waited (Task.Delay on <see cref="Clock"/> by default); tests may record it instead.</summary>
    public Func<TimeSpan, Task>? Delay { get; set; }

    internal Task WaitLatencyAsync() => Delay != null ? Delay(Latency) : Task.Delay(Latency, Clock);

    internal DateTime UtcNow => Clock.GetUtcNow().UtcDateTime;

    private readonly object _faultLock = new();
    private readonly List<InjectedFault> _faults = new();
    private int _nextFaultId;
    private Random _random = Random.Shared;
    private readonly ConcurrentDictionary<string, (double Burst, double RefillPerSecond)> _bucketOverrides = new(StringComparer.Ordinal);

    /// <summary>
    /// The random source behind rate faults (<see cref="FaultRule.Rate"/>). Tests set a seeded <see cref="System.Random"/>
    /// so which requests fail is repeatable; it is only used under a lock, so a plain Random is safe.
    /// </summary>
    public Random Random
    {
        get { lock (_faultLock) return _random; }
        set { ArgumentNullException.ThrowIfNull(value); lock (_faultLock) _random = value; }
    }

    /// <summary>
    /// Adds a fault rule (validated: see <see cref="FaultRule.Validate"/>) and returns it as stored, with its id.
    /// Count rules are consumed in the order they were added; a rate rule fails that fraction of matching requests
    /// until the faults are cleared.
    /// </summary>
    public InjectedFault AddFault(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        lock (_faultLock)
        {
            var f = new InjectedFault(++_nextFaultId, rule.Action, rule.Kind, rule.Kind == FaultKind.Error ? rule.Code ?? "InternalError" : null,
                rule.Kind == FaultKind.Error ? rule.Status ?? 500 : null, rule.Kind == FaultKind.Error ? rule.Message : null,
                rule.Rate == null ? rule.Times ?? 1 : null, rule.Rate);
            _faults.Add(f);
            return f;
        }
    }

    /// <summary>
    /// The next <paramref name="times"/> requests for <paramref name="action"/> ("*" = any action) fail with this
    /// error code and HTTP status, in the calling service's error format. Queued faults are consumed in order.
    /// </summary>
    public void FailNext(string action, string errorCode, int httpStatus, int times = 1, string? message = null) =>
        AddFault(new FaultRule(action, FaultKind.Error, errorCode, httpStatus, times, null, message));

    /// <summary>The next <paramref name="times"/> requests for <paramref name="action"/> ("*" = any) get the calling service's own throttling error.</summary>
    public void ThrottleNext(string action, int times = 1) => AddFault(new FaultRule(action, FaultKind.Throttle, Times: times));

    /// <summary>The next <paramref name="times"/> requests for <paramref name="action"/> ("*" = any) get their connection aborted without a response.</summary>
    public void DropNext(string action, int times = 1) => AddFault(new FaultRule(action, FaultKind.Drop, Times: times));

    /// <summary>The next <paramref name="times"/> requests for <paramref name="action"/> ("*" = any) are handled (a write is applied), then their connection is aborted mid-answer.</summary>
    public void DropAfterApplyNext(string action, int times = 1) => AddFault(new FaultRule(action, FaultKind.DropAfterApply, Times: times));

    /// <summary>Removes all pending injected faults.</summary>
    public void ClearFaults() { lock (_faultLock) _faults.Clear(); }

    /// <summary>Removes one fault by id; false when there is no such pending fault.</summary>
    public bool RemoveFault(int id) { lock (_faultLock) return _faults.RemoveAll(f => f.Id == id) > 0; }

    /// <summary>Number of injected count-fault responses still pending (rate faults are not counted: they never run out).</summary>
    public int PendingFaults { get { lock (_faultLock) return _faults.Sum(f => f.Remaining ?? 0); } }

    /// <summary>The pending fault rules in the order they apply (copies; count rules show what remains).</summary>
    public IReadOnlyList<InjectedFault> Faults { get { lock (_faultLock) return _faults.Select(f => f with { }).ToList(); } }

    /// <summary>Overrides the token bucket of one EC2 action, or of an SSM bucket ("ssm:GetParameters" for GetParameter and GetParameters, "ssm:PutParameter", …) (burst size and refill per second, before TimeScale).</summary>
    public void SetThrottleBucket(string action, double burst, double refillPerSecond) => _bucketOverrides[action] = (burst, refillPerSecond);

    /// <summary>The fault that applies to this request, if any (count rules are consumed; rate rules draw from <see cref="Random"/>).</summary>
    internal InjectedFault? TakeFault(string action)
    {
        lock (_faultLock)
        {
            foreach (var f in _faults)
            {
                if (f.Action != "*" && !string.Equals(f.Action, action, StringComparison.Ordinal)) continue;
                if (f.Rate is { } rate)
                {
                    if (_random.NextDouble() < rate) return f with { };
                    continue;
                }
                f.Remaining--;
                if (f.Remaining <= 0) _faults.Remove(f);
                return f with { };
            }
            return null;
        }
    }

    internal (double Burst, double Refill) BucketFor(string action, bool unfilteredDescribe)
    {
        if (_bucketOverrides.TryGetValue(action, out var o)) return o;
        return action switch
        {
            "ModifyImageAttribute" or "ModifySnapshotAttribute" or "DeregisterImage" => (100, 5),
            "CopyImage" => (100, 1),
            "CreateTags" or "DeleteTags" => (100, 10),
            "EnableImageBlockPublicAccess" or "DisableImageBlockPublicAccess" => (1, 0.1),
            // [DOC] Parameter Store default throughput 40 TPS, shared by GetParameter and GetParameters (burst = one second's worth [INFERRED]).
            "ssm:GetParameters" => (40, 40),
            // [INFERRED] SSM writes: no published per-second figure here; the generic write bucket.
            _ when action.StartsWith("ssm:", StringComparison.Ordinal) => (50, 5),
            _ when unfilteredDescribe => (50, 10),
            _ when action.StartsWith("Describe", StringComparison.Ordinal) || action.StartsWith("Get", StringComparison.Ordinal) => (100, 20),
            _ => (50, 5),
        };
    }
}

/// <summary>What an injected fault does.</summary>
public enum FaultKind
{
    /// <summary>An error with a code and HTTP status (default InternalError / 500), in the calling service's error format.</summary>
    Error,
    /// <summary>The calling service's own throttling error: EC2 RequestLimitExceeded 503, KMS ThrottlingException, Organizations TooManyRequestsException, STS Throttling.</summary>
    Throttle,
    /// <summary>The connection is aborted without a response.</summary>
    Drop,
    /// <summary>
    /// The request is handled (a write is applied) and the connection is aborted while the answer is on its way: the
    /// status line and headers are sent, the body is cut short, so the client sees a response that ended prematurely
    /// (as when a network path fails after the service acted) and cannot know whether the write took effect.
    /// </summary>
    DropAfterApply,
}

/// <summary>
/// A fault to inject: for <paramref name="Action"/> (an AWS action name, or "*" for any), either the next
/// <paramref name="Times"/> matching requests (default 1) or, with <paramref name="Rate"/>, that fraction of them
/// until cleared. <paramref name="Code"/>, <paramref name="Status"/> and <paramref name="Message"/> apply to <see cref="FaultKind.Error"/> only.
/// </summary>
public sealed record FaultRule(string Action, FaultKind Kind, string? Code = null, int? Status = null, int? Times = null, double? Rate = null, string? Message = null)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the bad value and the accepted values.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Action) || (Action != "*" && !System.Text.RegularExpressions.Regex.IsMatch(Action, "^[A-Za-z][A-Za-z0-9]*$")))
            throw new ArgumentException($"Fault action '{Action}' is not valid: give an AWS action name such as ModifyImageAttribute, or '*' for any action.");
        if (!Enum.IsDefined(Kind))
            throw new ArgumentException($"Fault kind '{Kind}' is not valid: use throttle, error, drop or drop-after.");
        if (Kind != FaultKind.Error && (Code != null || Status != null || Message != null))
            throw new ArgumentException($"Fault code, status and message apply only to kind 'error', not to '{FaultKindNames.Of(Kind)}' (which uses {(Kind == FaultKind.Throttle ? "the service's own throttling error" : Kind == FaultKind.Drop ? "no response at all" : "a cut-off answer")}).");
        if (Code != null && !System.Text.RegularExpressions.Regex.IsMatch(Code, "^[A-Za-z][A-Za-z0-9._]*$"))
            throw new ArgumentException($"Fault code '{Code}' is not valid: give an AWS error code such as InternalError or Unavailable.");
        if (Status is { } st && (st < 400 || st > 599))
            throw new ArgumentException($"Fault status {st} is not valid: give an HTTP error status from 400 to 599.");
        if (Times != null && Rate != null)
            throw new ArgumentException("A fault takes either times (the next N requests) or rate (a fraction of requests until cleared), not both.");
        if (Times is { } t && t < 1)
            throw new ArgumentException($"Fault times {t} is not valid: give a whole number of requests, 1 or more.");
        if (Rate is { } r && !(r > 0 && r <= 1))
            throw new ArgumentException($"Fault rate {r.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not valid: give a fraction greater than 0 and at most 1 (e.g. 0.25).");
    }
}

/// <summary>The names faults go by on the command line and in the control API.</summary>
public static class FaultKindNames
{
    public static string Of(FaultKind kind) => kind == FaultKind.DropAfterApply ? "drop-after" : kind.ToString().ToLowerInvariant();
}

/// <summary>A stored fault rule. <see cref="Remaining"/> is set for count rules, <see cref="Rate"/> for rate rules.</summary>
public sealed record InjectedFault(int Id, string Action, FaultKind Kind, string? Code, int? Status, string? Message, int? Remaining, double? Rate)
{
    public int? Remaining { get; internal set; } = Remaining;
}
