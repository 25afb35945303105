using System.Globalization;

namespace AmiShare.Benchmarks;

/// <summary>Command-line options of the benchmark program (see <see cref="Usage"/>).</summary>
public sealed class BenchOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/AmiShare.Benchmarks -- [options]
          --amis N             AMIs per side-by-side job (default 200)
          --accounts M         accounts to share with (default 5)
          --latency-ms L       emulator latency per round trip for the side-by-side jobs (default 50)
          --reps R             repetitions of each in-process job; the median is shown (default 3)
          --cli-sample N       AMIs the AWS CLI jobs really run; the rest is extrapolated (default 20)
          --full               run the AWS CLI jobs on all AMIs (1,000 processes: ~10 min)
          --aws PATH           the AWS CLI to run (default: aws on PATH)
          --concurrency C      in-flight calls assumed by the 'ideal' column (default 10)
          --throttled-amis N   AMIs of the throttled run (default 1000)
          --skip-cli           no AWS CLI jobs
          --skip-loop          no naive PowerShell loop jobs
          --skip-throttled     no throttled run (it takes ~3 min)
          --skip-pwsh          no real-pwsh Import-Module timing
          --pwsh-starts N      process starts per real-pwsh figure; the median is shown (default 3)
          --quick              40 AMIs, 10 ms latency, 1 rep, CLI sample 2, 1 pwsh start, no throttled run
        Environment: AMISHARE_RATE_LIMITS is removed for the run, so the module's client-side rate limits
        are at their default.
        """;

    public int Amis { get; private set; } = 200;
    public int Accounts { get; private set; } = 5;
    public int LatencyMs { get; private set; } = 50;
    public int Reps { get; private set; } = 3;
    public int CliSample { get; private set; } = 20;
    public bool Full { get; private set; }
    public string? Aws { get; private set; }
    public int Concurrency { get; private set; } = 10;
    public int ThrottledAmis { get; private set; } = 1000;
    public bool SkipCli { get; private set; }

    /// <summary>No naive PowerShell loop jobs (each takes minutes at 50 ms).</summary>
    public bool SkipLoop { get; private set; }
    public bool SkipThrottled { get; private set; }
    public bool SkipPwsh { get; private set; }
    public int PwshStarts { get; private set; } = 3;
    public bool Quick { get; private set; }

    /// <summary>AMIs the CLI jobs run for real.</summary>
    public int CliAmis => Full ? Amis : Math.Min(CliSample, Amis);

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        // --quick first, so that explicit options after or before it still win.
        if (args.Contains("--quick"))
        {
            o.Quick = true;
            o.Amis = 40;
            o.LatencyMs = 10;
            o.Reps = 1;
            o.CliSample = 2;
            o.PwshStarts = 1;
            o.SkipThrottled = true;
        }

        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            switch (a)
            {
                case "--quick": break;
                case "--amis": o.Amis = Int(args, ref i, 1); break;
                case "--accounts": o.Accounts = Int(args, ref i, 1); break;
                case "--latency-ms": o.LatencyMs = Int(args, ref i, 0); break;
                case "--reps": o.Reps = Int(args, ref i, 1); break;
                case "--cli-sample": o.CliSample = Int(args, ref i, 1); break;
                case "--full": o.Full = true; break;
                case "--aws": o.Aws = Value(args, ref i); break;
                case "--concurrency": o.Concurrency = Int(args, ref i, 1); break;
                case "--throttled-amis": o.ThrottledAmis = Int(args, ref i, 1); break;
                case "--skip-cli": o.SkipCli = true; break;
                case "--skip-loop": o.SkipLoop = true; break;
                case "--skip-throttled": o.SkipThrottled = true; break;
                case "--skip-pwsh": o.SkipPwsh = true; break;
                case "--pwsh-starts": o.PwshStarts = Int(args, ref i, 1); break;
                default: throw new ArgumentException($"Unknown argument '{a}'.");
            }
        }

        return o;
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new ArgumentException($"{args[i]} needs a value.");
        }

        return args[++i];
    }

    private static int Int(string[] args, ref int i, int min)
    {
        string name = args[i];
        string v = Value(args, ref i);
        if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < min)
        {
            throw new ArgumentException($"{name} '{v}' is not valid: give a whole number, {min} or more.");
        }

        return n;
    }
}
