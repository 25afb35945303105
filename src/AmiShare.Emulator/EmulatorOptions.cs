using System.Collections.Concurrent;

namespace AmiShare.Emulator;

/// <summary>Knobs: latency, throttling buckets, time scale and fault injection. Safe to change while running.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Delay added before every response.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Speed-up factor for time-based behaviour: throttle bucket refill and CopyImage pending time.</summary>
    public double TimeScale { get; set; } = 1.0;

    /// <summary>Model EC2's per account/region/API token buckets (anchors.md §8). Default off.</summary>
    public bool Throttling { get; set; }

    /// <summary>How long a CopyImage result stays "pending" (divided by TimeScale). Zero = available at once.</summary>
    public TimeSpan CopyImagePendingTime { get; set; } = TimeSpan.Zero;

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
    private readonly List<Fault> _faults = new();
    private readonly ConcurrentDictionary<string, (double Burst, double RefillPerSecond)> _bucketOverrides = new(StringComparer.Ordinal);

    /// <summary>
    /// The next <paramref name="times"/> requests for <paramref name="action"/> ("*" = any action) fail with this
    /// error code and HTTP status, in the calling service's error format. Queued faults are consumed in order.
    /// </summary>
    public void FailNext(string action, string errorCode, int httpStatus, int times = 1, string? message = null)
    {
        lock (_faultLock) _faults.Add(new Fault(action, errorCode, httpStatus, message, false) { Remaining = times });
    }

    /// <summary>The next <paramref name="times"/> requests for <paramref name="action"/> ("*" = any) get their connection aborted without a response.</summary>
    public void DropNext(string action, int times = 1)
    {
        lock (_faultLock) _faults.Add(new Fault(action, "", 0, null, true) { Remaining = times });
    }

    /// <summary>Removes all pending injected faults.</summary>
    public void ClearFaults() { lock (_faultLock) _faults.Clear(); }

    /// <summary>Number of injected fault responses still pending.</summary>
    public int PendingFaults { get { lock (_faultLock) return _faults.Sum(f => f.Remaining); } }

    /// <summary>Overrides the token bucket of one EC2 action (burst size and refill per second, before TimeScale).</summary>
    public void SetThrottleBucket(string action, double burst, double refillPerSecond) => _bucketOverrides[action] = (burst, refillPerSecond);

    internal Fault? TakeFault(string action)
    {
        lock (_faultLock)
        {
            var f = _faults.FirstOrDefault(x => x.Remaining > 0 && (x.Action == "*" || string.Equals(x.Action, action, StringComparison.Ordinal)));
            if (f == null) return null;
            f.Remaining--;
            if (f.Remaining <= 0) _faults.Remove(f);
            return f;
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
            _ when unfilteredDescribe => (50, 10),
            _ when action.StartsWith("Describe", StringComparison.Ordinal) || action.StartsWith("Get", StringComparison.Ordinal) => (100, 20),
            _ => (50, 5),
        };
    }

    internal sealed record Fault(string Action, string Code, int Status, string? Message, bool Drop)
    {
        public int Remaining { get; set; }
    }
}
