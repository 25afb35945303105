using System.Diagnostics;
using System.Globalization;
using AmiShare.TestSupport;

namespace AmiShare.Benchmarks;

/// <summary>
/// Import-Module and first-call time of the built module in real pwsh (`dotnet pwsh.dll -NoProfile -NonInteractive
/// -Command …`), from whole process starts: pwsh alone, pwsh + Import-Module, pwsh + Import-Module + one
/// Get-AmiLaunchPermission against the emulator. Medians of <c>starts</c> each; the differences are the figures.
/// </summary>
public static class PwshStartup
{
    public sealed record Figures(int Starts, string Version, double PwshAlone, double Import, double FirstCall, double InsideImport, double InsideFirstCall);

    public static Figures Measure(string manifest, string endpoint, string imageId, int starts)
    {
        string quoted = "'" + manifest.Replace("'", "''", StringComparison.Ordinal) + "'";
        string import = $"$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Module {quoted} -ErrorAction Stop; $i = $sw.Elapsed.TotalSeconds";
        string call = $"$null = Get-AmiLaunchPermission {imageId} -Region us-east-1 -EndpointUrl '{endpoint}' -ErrorAction Stop; $c = $sw.Elapsed.TotalSeconds - $i";
        var alone = new List<double>();
        var imported = new List<double>();
        var called = new List<double>();
        var insideImport = new List<double>();
        var insideCall = new List<double>();
        Run(import); // unmeasured: the first start reads pwsh and the module from disk into the page cache
        for (int s = 0; s < starts; s++)
        {
            alone.Add(Run("$null = 1").Wall);
            imported.Add(Run(import).Wall);
            var (wall, text) = Run($"{import}; {call}; \"$i $c\"");
            called.Add(wall);
            var parts = text.Trim().Split(' ');
            insideImport.Add(double.Parse(parts[0], CultureInfo.InvariantCulture));
            insideCall.Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
        }

        double a = Stats.Median(alone), m = Stats.Median(imported), c = Stats.Median(called);
        return new Figures(starts, RealPwsh.Version, a, m - a, c - m, Stats.Median(insideImport), Stats.Median(insideCall));
    }

    private static (double Wall, string Output) Run(string script)
    {
        var psi = RealPwsh.StartInfo("-Command", script);
        psi.Environment["AWS_ACCESS_KEY_ID"] = "AKIAAMISHAREOWNER001";
        psi.Environment["AWS_SECRET_ACCESS_KEY"] = "owner-secret";
        psi.Environment["AWS_REGION"] = "us-east-1";
        psi.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        var clock = Stopwatch.StartNew();
        var result = RealPwsh.RunAsync(psi, TimeSpan.FromMinutes(2)).GetAwaiter().GetResult();
        clock.Stop();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("pwsh failed: " + result);
        }

        return (clock.Elapsed.TotalSeconds, result.StdOut);
    }
}
