using System.Globalization;
using System.Text;

namespace AmiShare.Emulator;

/// <summary>Parsed console arguments.</summary>
public sealed record EmulatorCommandLine(int Port, string? WorldPath, bool LogRequests, bool Throttling, TimeSpan Latency, double TimeScale, bool ShowHelp)
{
    public const string Usage =
        "Usage: AmiShare.Emulator [--port N] [--world PATH | --seed PATH] [--log] [--throttling] [--latency-ms N] [--time-scale X]\n" +
        "  --port N         TCP port on 127.0.0.1 (default 4566; 0 = any free port)\n" +
        "  --world PATH     world JSON (alias --seed); default: the built-in demo world\n" +
        "  --log            print one line per request\n" +
        "  --throttling     model EC2 request token buckets (RequestLimitExceeded)\n" +
        "  --latency-ms N   delay every response by N milliseconds\n" +
        "  --time-scale X   speed up throttle refill and CopyImage pending time by X\n" +
        "  --help           show this text";

    /// <summary>Parses arguments; throws ArgumentException with a readable message on bad input.</summary>
    public static EmulatorCommandLine Parse(IReadOnlyList<string> args)
    {
        var r = new EmulatorCommandLine(4566, null, false, false, TimeSpan.Zero, 1.0, false);
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"Option {a} needs a value.");
            switch (a.ToLowerInvariant())
            {
                case "--port" or "-p":
                    var p = Next();
                    if (!int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) || port < 0 || port > 65535)
                        throw new ArgumentException($"Invalid port '{p}'.");
                    r = r with { Port = port };
                    break;
                case "--world" or "--seed" or "-w":
                    r = r with { WorldPath = Next() };
                    break;
                case "--log": r = r with { LogRequests = true }; break;
                case "--throttling": r = r with { Throttling = true }; break;
                case "--latency-ms":
                    var l = Next();
                    if (!int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) || ms < 0) throw new ArgumentException($"Invalid latency '{l}'.");
                    r = r with { Latency = TimeSpan.FromMilliseconds(ms) };
                    break;
                case "--time-scale":
                    var t = Next();
                    if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var ts) || ts <= 0) throw new ArgumentException($"Invalid time scale '{t}'.");
                    r = r with { TimeScale = ts };
                    break;
                case "--help" or "-h" or "-?": r = r with { ShowHelp = true }; break;
                default: throw new ArgumentException($"Unknown argument '{a}'.");
            }
        }
        return r;
    }

    public World LoadWorld() => WorldPath == null ? World.Demo() : World.Load(WorldPath);

    public EmulatorOptions ToOptions() => new() { Throttling = Throttling, Latency = Latency, TimeScale = TimeScale };

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
        sb.Append("Press Ctrl+C to stop.");
        return sb.ToString();
    }
}
