using System.Reflection;
using System.Text;
using System.Text.Json;
using AmiShare.TestSupport;

namespace AmiShare.Pester.Tests;

/// <summary>Where the build put the module and the emulator (AssemblyMetadata written by the project file at build time).</summary>
public static class BuildPaths
{
    /// <summary>The assembled module's AmiShare.psd1 ($(AmiShareModuleOut) of Directory.Build.props).</summary>
    public static string ModuleManifest { get; } = Metadata("AmiShareModule");

    /// <summary>The built AmiShare.Emulator.dll (the emulator project's TargetPath).</summary>
    public static string EmulatorDll { get; } = Metadata("AmiShareEmulator");

    private static string Metadata(string key) =>
        typeof(BuildPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"AssemblyMetadata '{key}' is missing: build AmiShare.Pester.Tests with dotnet build (its AmiSharePesterPaths target writes it).");
}

/// <summary>One failed Pester test, block or file: its full name and error text.</summary>
public sealed record PesterFailure(string Name, string Message);

/// <summary>What one Pester file gave in real pwsh: Pester's counts (from the runner's JSON) and what the process printed.</summary>
public sealed record PesterFileResult(
    string File,
    string PwshVersion,
    string PesterVersion,
    string Result,
    int Passed,
    int Failed,
    int Skipped,
    int NotRun,
    int Total,
    double Seconds,
    IReadOnlyList<PesterFailure> Failures,
    PwshResult Process,
    string JsonPath)
{
    /// <summary>What reached stdout or stderr: the runner itself prints nothing, so this is output the tests leaked (warnings, What if: lines, Write-Host) or a crash.</summary>
    public string Leaked => (Process.StdOut + Process.StdErr).Trim();

    /// <summary>Every test passed, at least one ran, none was left unrun, and nothing leaked to the console.</summary>
    public bool Succeeded =>
        Process.ExitCode == 0 && Result == "Passed" && Failed == 0 && NotRun == 0 && Total > 0 && Leaked.Length == 0;

    public string Summary =>
        $"{File}: {Passed} passed, {Failed} failed, {Skipped} skipped, {NotRun} not run, {Total} total in {Seconds:0.0} s (pwsh {PwshVersion}, Pester {PesterVersion})";

    /// <summary>The assertion message: counts, each failure with its message, leaked output and where the results are.</summary>
    public string Report()
    {
        var sb = new StringBuilder().AppendLine(Summary);
        foreach (var f in Failures)
        {
            sb.Append("FAILED ").AppendLine(f.Name);
            foreach (var line in f.Message.Split('\n')) sb.Append("    ").AppendLine(line.TrimEnd('\r'));
        }
        if (Total == 0) sb.AppendLine("No test ran: a Pester file must contain at least one It.");
        if (NotRun > 0) sb.AppendLine($"{NotRun} test(s) did not run.");
        if (Process.ExitCode != 0 || Process.TimedOut) sb.AppendLine($"pwsh exit code {Process.ExitCode}{(Process.TimedOut ? " (timed out)" : "")}.");
        if (Leaked.Length > 0)
        {
            sb.AppendLine("Output that reached the console (capture it in the test: -WarningVariable, -WarningAction SilentlyContinue, Invoke-CapturingHost for -WhatIf):");
            sb.AppendLine(Leaked);
        }
        sb.Append("Results: ").Append(JsonPath).Append(" and ").AppendLine(Path.ChangeExtension(JsonPath, ".xml"));
        return sb.ToString();
    }
}

/// <summary>
/// Runs Pester files in real pwsh (tests/AmiShare.Pester.Tests/Invoke-PesterFile.ps1), at most
/// <see cref="Parallelism"/> at a time over the whole test assembly.
/// </summary>
public static class PesterRunner
{
    public static string PesterDirectory { get; } = Path.Combine(RealPwsh.RepoRoot, "tests", "Pester");

    /// <summary>out/TestResults/pester: one &lt;file&gt;.json and &lt;file&gt;.xml per suite file (.ci/run sums the JSON files).</summary>
    public static string ResultDirectory { get; } = Path.Combine(RealPwsh.RepoRoot, "out", "TestResults", "pester");

    private static string Script { get; } = Path.Combine(RealPwsh.RepoRoot, "tests", "AmiShare.Pester.Tests", "Invoke-PesterFile.ps1");

    /// <summary>pwsh processes at once (each Pester file also runs one emulator): AMISHARE_PESTER_PARALLEL, else 2.</summary>
    public static int Parallelism { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("AMISHARE_PESTER_PARALLEL"), out var n) && n > 0 ? n : 2;

    private static readonly SemaphoreSlim Gate = new(Parallelism);
    private static readonly TimeSpan FileTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The suite: tests/Pester/*.Tests.ps1 file names, in order.</summary>
    public static IReadOnlyList<string> SuiteFiles() =>
        Directory.GetFiles(PesterDirectory, "*.Tests.ps1").Select(f => Path.GetFileName(f)!).OrderBy(f => f, StringComparer.Ordinal).ToList();

    // All suite files start together on the first request (the gate bounds them), so the xunit cases, which run one
    // after another, wait on work that is already going on in parallel.
    private static readonly Lazy<IReadOnlyDictionary<string, Task<PesterFileResult>>> Suite = new(() =>
        SuiteFiles().ToDictionary(f => f, f => Task.Run(() => RunAsync(Path.Combine(PesterDirectory, f), ResultDirectory)), StringComparer.Ordinal));

    /// <summary>The result of one suite file (started with all the others on first use).</summary>
    public static Task<PesterFileResult> SuiteResultAsync(string file) =>
        Suite.Value.TryGetValue(file, out var run) ? run : throw new ArgumentException($"'{file}' is not a file in {PesterDirectory}.", nameof(file));

    /// <summary>Runs one Pester file in real pwsh and reads the JSON the runner wrote to <paramref name="resultDirectory"/>.</summary>
    public static async Task<PesterFileResult> RunAsync(string path, string resultDirectory)
    {
        var json = Path.Combine(resultDirectory, Path.GetFileNameWithoutExtension(path) + ".json");
        await Gate.WaitAsync().ConfigureAwait(false);
        PwshResult process;
        try
        {
            var psi = RealPwsh.StartInfo("-File", Script, "-Path", path, "-PesterManifest", RealPwsh.PesterManifest, "-ResultDirectory", resultDirectory);
            psi.Environment["AMISHARE_MODULE"] = BuildPaths.ModuleManifest;
            psi.Environment["AMISHARE_EMULATOR"] = BuildPaths.EmulatorDll;
            Directory.CreateDirectory(resultDirectory);
            File.Delete(json); // a crashed run must not leave an older result behind
            process = await RealPwsh.RunAsync(psi, FileTimeout).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
        return Read(path, json, process);
    }

    private static PesterFileResult Read(string path, string json, PwshResult process)
    {
        var file = Path.GetFileName(path);
        if (!File.Exists(json))
        {
            // The runner died before Pester finished: count the file as one failure, never as "0 tests", and write
            // that down so the .ci/run summary counts it too.
            var failure = new PesterFailure(file + " (runner)", $"Invoke-PesterFile.ps1 wrote no {json}.\n{process}");
            Directory.CreateDirectory(Path.GetDirectoryName(json)!);
            File.WriteAllText(json, JsonSerializer.Serialize(new
            {
                file, pwsh = RealPwsh.Version, pester = RealPwsh.PesterVersion, result = "Failed",
                passed = 0, failed = 1, skipped = 0, notRun = 0, total = 1, seconds = 0.0,
                failures = new[] { new { name = failure.Name, message = failure.Message } },
            }, new JsonSerializerOptions { WriteIndented = true }));
            return new PesterFileResult(file, RealPwsh.Version, RealPwsh.PesterVersion, "Failed", 0, 1, 0, 0, 1, 0,
                new[] { failure }, process, json);
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var r = doc.RootElement;
        var failures = r.GetProperty("failures").EnumerateArray()
            .Select(f => new PesterFailure(f.GetProperty("name").GetString() ?? "", f.GetProperty("message").GetString() ?? ""))
            .ToList();
        return new PesterFileResult(
            file,
            r.GetProperty("pwsh").GetString()!,
            r.GetProperty("pester").GetString()!,
            r.GetProperty("result").GetString()!,
            r.GetProperty("passed").GetInt32(),
            r.GetProperty("failed").GetInt32(),
            r.GetProperty("skipped").GetInt32(),
            r.GetProperty("notRun").GetInt32(),
            r.GetProperty("total").GetInt32(),
            r.GetProperty("seconds").GetDouble(),
            failures,
            process,
            json);
    }
}
