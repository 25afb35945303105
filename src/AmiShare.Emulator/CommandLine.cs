using System.Globalization;
using System.Text;

namespace AmiShare.Emulator;

/// <summary>Parsed console arguments.</summary>
public sealed record EmulatorCommandLine(int Port, string? WorldPath, bool LogRequests, bool Throttling, TimeSpan Latency, double TimeScale, bool ShowHelp)
{
    /// <summary>Process exit codes of the console program.</summary>
    public const int ExitOk = 0, ExitUnexpected = 1, ExitBadArguments = 2, ExitWorldNotLoaded = 3, ExitPortUnavailable = 4;

    public const string FaultSyntax = "ACTION=throttle[:N|@RATE], ACTION=drop[:N|@RATE], ACTION=drop-after[:N|@RATE] or ACTION=error[:CODE[:STATUS[:N]]][@RATE]";

    public const string Usage =
        "Usage: AmiShare.Emulator [--port N] [--world PATH | --seed PATH] [--log] [--throttling] [--latency-ms N] [--time-scale X]\n" +
        "                         [--copy-pending-seconds N] [--usage-report-pending-seconds N] [--fault SPEC]... [--fault-seed N]\n" +
        "  --port N         TCP port on 127.0.0.1 (default 4566; 0 = any free port)\n" +
        "  --world PATH     world JSON (alias --seed); default: the built-in demo world\n" +
        "  --log            print one line per request\n" +
        "  --throttling     model EC2 and SSM request token buckets (RequestLimitExceeded, ThrottlingException)\n" +
        "  --latency-ms N   delay every response by N milliseconds\n" +
        "  --time-scale X   speed up throttle refill and CopyImage pending time by X\n" +
        "  --copy-pending-seconds N\n" +
        "                   a CopyImage result stays pending N seconds (divided by the time scale) before it is\n" +
        "                   available (default 0: available at once)\n" +
        "  --usage-report-pending-seconds N\n" +
        "                   an image usage report stays pending N seconds (divided by the time scale) before it is\n" +
        "                   available (default 0: available at once)\n" +
        "  --fault SPEC     inject a fault (repeatable); SPEC is " + FaultSyntax + "\n" +
        "                   ACTION: an AWS action such as ModifyImageAttribute, or * for any action\n" +
        "                   throttle: the service's own throttling error (EC2 RequestLimitExceeded 503, KMS ThrottlingException,\n" +
        "                             Organizations TooManyRequestsException, STS Throttling, SSM ThrottlingException)\n" +
        "                   error:    CODE (default InternalError) with HTTP STATUS 400-599 (default 500)\n" +
        "                   drop:     abort the connection without a response\n" +
        "                   drop-after: handle the request (apply a write), then abort mid-answer\n" +
        "                   :N = the next N matching requests (default 1); @RATE = that fraction (0-1] of them until cleared\n" +
        "                   e.g. --fault ModifyImageAttribute=throttle:3   --fault '*=error:InternalError:500@0.1'\n" +
        "  --fault-seed N   seed the random choice of rate faults (repeatable runs)\n" +
        "  --help           show this text\n" +
        "Control API: GET /_emulator/health, GET /_emulator/state, GET|DELETE /_emulator/log,\n" +
        "             GET|POST|DELETE /_emulator/faults, POST /_emulator/reset (see docs/emulator.md)\n" +
        "Stops on Ctrl+C or SIGTERM (prints \"Stopping.\").\n" +
        "Exit codes: 0 stopped normally (or --help), 1 unexpected failure, 2 bad arguments,\n" +
        "            3 world file cannot be loaded, 4 port in use or not permitted";

    /// <summary>Faults to inject from the start (--fault), in order.</summary>
    public IReadOnlyList<FaultRule> Faults { get; init; } = Array.Empty<FaultRule>();

    /// <summary>How long a CopyImage result stays pending (--copy-pending-seconds), before the time scale.</summary>
    public TimeSpan CopyPending { get; init; } = TimeSpan.Zero;

    /// <summary>How long an image usage report stays pending (--usage-report-pending-seconds), before the time scale.</summary>
    public TimeSpan UsageReportPending { get; init; } = TimeSpan.Zero;

    /// <summary>Seed for the random source of rate faults (--fault-seed); null = unseeded.</summary>
    public int? FaultSeed { get; init; }

    /// <summary>Parses arguments; throws ArgumentException with a readable message on bad input.</summary>
    public static EmulatorCommandLine Parse(IReadOnlyList<string> args)
    {
        var r = new EmulatorCommandLine(4566, null, false, false, TimeSpan.Zero, 1.0, false);
        var faults = new List<FaultRule>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"Option {a} needs a value.");
            switch (a.ToLowerInvariant())
            {
                case "--port" or "-p":
                    var p = Next();
                    if (!int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) || port < 0 || port > 65535)
                        throw new ArgumentException($"Invalid port '{p}': give a number from 0 to 65535 (0 = any free port).");
                    r = r with { Port = port };
                    break;
                case "--world" or "--seed" or "-w":
                    r = r with { WorldPath = Next() };
                    break;
                case "--log": r = r with { LogRequests = true }; break;
                case "--throttling": r = r with { Throttling = true }; break;
                case "--latency-ms":
                    var l = Next();
                    if (!int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) || ms < 0) throw new ArgumentException($"Invalid latency '{l}': give whole milliseconds, 0 or more.");
                    r = r with { Latency = TimeSpan.FromMilliseconds(ms) };
                    break;
                case "--time-scale":
                    var t = Next();
                    if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var ts) || ts <= 0) throw new ArgumentException($"Invalid time scale '{t}': give a number greater than 0.");
                    r = r with { TimeScale = ts };
                    break;
                case "--copy-pending-seconds":
                    var cp = Next();
                    if (!double.TryParse(cp, NumberStyles.Float, CultureInfo.InvariantCulture, out var pendingSeconds) || pendingSeconds < 0 || pendingSeconds > 86400)
                        throw new ArgumentException($"Invalid copy pending time '{cp}': give seconds from 0 to 86400.");
                    r = r with { CopyPending = TimeSpan.FromSeconds(pendingSeconds) };
                    break;
                case "--usage-report-pending-seconds":
                    var up = Next();
                    if (!double.TryParse(up, NumberStyles.Float, CultureInfo.InvariantCulture, out var reportSeconds) || reportSeconds < 0 || reportSeconds > 86400)
                        throw new ArgumentException($"Invalid usage report pending time '{up}': give seconds from 0 to 86400.");
                    r = r with { UsageReportPending = TimeSpan.FromSeconds(reportSeconds) };
                    break;
                case "--fault":
                    faults.Add(ParseFault(Next()));
                    break;
                case "--fault-seed":
                    var fs = Next();
                    if (!int.TryParse(fs, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)) throw new ArgumentException($"Invalid fault seed '{fs}': give a whole number.");
                    r = r with { FaultSeed = seed };
                    break;
                case "--help" or "-h" or "-?": r = r with { ShowHelp = true }; break;
                default: throw new ArgumentException($"Unknown argument '{a}'.");
            }
        }
        return faults.Count == 0 ? r : r with { Faults = faults };
    }

    /// <summary>Parses one --fault SPEC (see <see cref="FaultSyntax"/>); throws ArgumentException naming the bad value.</summary>
    public static FaultRule ParseFault(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException Bad(string why) => new($"Invalid --fault '{spec}': {why}. Syntax: {FaultSyntax}.");
        var eq = spec.IndexOf('=');
        if (eq <= 0) throw Bad(eq == 0 ? "the action before '=' is missing" : "expected ACTION=KIND");
        var action = spec[..eq];
        var rest = spec[(eq + 1)..];
        double? rate = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var rt = rest[(at + 1)..];
            if (!double.TryParse(rt, NumberStyles.Float, CultureInfo.InvariantCulture, out var rv) || !(rv > 0 && rv <= 1))
                throw Bad($"rate '{rt}' is not a fraction greater than 0 and at most 1 (e.g. @0.25)");
            rate = rv;
            rest = rest[..at];
        }
        var parts = rest.Split(':');
        var kind = ControlApi.ParseKind(parts[0]) ?? throw Bad($"kind '{parts[0]}' is not one of throttle, error, drop, drop-after");
        string? code = null;
        int? status = null, times = null;
        int TimesOf(string v) =>
            int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
                : throw Bad($"count '{v}' is not a whole number of requests, 1 or more");
        if (kind == FaultKind.Error)
        {
            if (parts.Length > 4) throw Bad($"'{rest}' has too many ':' parts for error (error:CODE:STATUS:N)");
            if (parts.Length > 1)
            {
                code = parts[1];
                if (code.Length == 0 || !char.IsAsciiLetter(code[0]))
                    throw Bad($"error code '{code}' is not an AWS error code such as InternalError (to repeat, use error:InternalError:500:N)");
            }
            if (parts.Length > 2)
                status = int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var st) && st is >= 400 and <= 599 ? st
                    : throw Bad($"status '{parts[2]}' is not an HTTP error status from 400 to 599");
            if (parts.Length > 3) times = TimesOf(parts[3]);
        }
        else
        {
            if (parts.Length > 2) throw Bad($"'{rest}' has too many ':' parts for {parts[0]} ({parts[0]}:N)");
            if (parts.Length > 1) times = TimesOf(parts[1]);
        }
        if (times != null && rate != null) throw Bad("give either a count (:N) or a rate (@RATE), not both");
        var rule = new FaultRule(action, kind, code, status, times, rate);
        try { rule.Validate(); }
        catch (ArgumentException e) { throw Bad(e.Message.TrimEnd('.')); }
        return rule;
    }

    public World LoadWorld() => WorldPath == null ? World.Demo() : World.Load(WorldPath);

    public EmulatorOptions ToOptions()
    {
        var o = new EmulatorOptions { Throttling = Throttling, Latency = Latency, TimeScale = TimeScale, CopyImagePendingTime = CopyPending,
                                     ImageUsageReportPendingTime = UsageReportPending };
        if (FaultSeed is { } seed) o.Random = new Random(seed);
        foreach (var f in Faults) o.AddFault(f);
        return o;
    }

    /// <summary>The startup text: endpoint, accounts and their access keys.</summary>
    public static string Banner(EmulatorHost host, string? worldPath)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"AmiShare emulator listening on {host.Endpoint}");
        sb.AppendLine($"World: {worldPath ?? "built-in demo world"}");
        sb.AppendLine($"Regions: {string.Join(", ", host.World.Regions)}");
        sb.AppendLine("Accounts:");
        var keys = host.World.AccessKeys;
        foreach (var id in host.World.AccountIds)
        {
            var mine = keys.Where(k => k.AccountId == id).ToList();
            if (mine.Count == 0) sb.AppendLine($"  {id}  (no access keys)");
            foreach (var k in mine) sb.AppendLine($"  {id}  AccessKeyId={k.AccessKeyId}  SecretAccessKey={k.SecretAccessKey ?? "(any)"}");
        }
        sb.AppendLine($"Use: ServiceURL={host.Endpoint} with AuthenticationRegion=<region>, or AWS_ENDPOINT_URL={host.Endpoint}");
        sb.AppendLine($"Control API: {host.Endpoint}/_emulator/state, /_emulator/log, /_emulator/faults, /_emulator/reset");
        foreach (var f in host.Options.Faults)
            sb.AppendLine($"Fault {f.Id}: {f.Action} -> {FaultKindNames.Of(f.Kind)}"
                          + (f.Code != null ? $" {f.Code} {f.Status}" : "")
                          + (f.Rate is { } rate ? $" for {rate.ToString(CultureInfo.InvariantCulture)} of requests" : $" for the next {f.Remaining} request(s)"));
        sb.Append("Press Ctrl+C (or send SIGTERM) to stop.");
        return sb.ToString();
    }
}
