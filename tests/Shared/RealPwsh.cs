using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace AmiShare.TestSupport;

/// <summary>
/// Real pwsh 7.6.9 (the `PowerShell` .NET tool of .config/dotnet-tools.json) and Pester 5.9.1 (a NuGet
/// PackageDownload), as restored by tests/Shared/RealPwsh.targets. Runs pwsh as a child process.
/// </summary>
public static class RealPwsh
{
    public const string PesterVersion = "5.9.1";

    /// <summary>The repository root (the folder holding AmiShareModule.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>NuGet's global packages folder (NUGET_PACKAGES, else ~/.nuget/packages).</summary>
    public static string PackagesFolder { get; } =
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The pinned PowerShell tool version, read from .config/dotnet-tools.json.</summary>
    public static string Version { get; } = ReadToolVersion();

    /// <summary>pwsh.dll of the restored tool; run it with `dotnet`.</summary>
    public static string PwshDll { get; } = FindPwshDll();

    /// <summary>The Pester module manifest (the package's tools/ folder).</summary>
    public static string PesterManifest =>
        Path.Combine(PackagesFolder, "pester", PesterVersion, "tools", "Pester.psd1");

    /// <summary>A start info for `dotnet pwsh.dll -NoProfile -NonInteractive &lt;args&gt;` with redirected output.</summary>
    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(PwshDll);
        psi.ArgumentList.Add("-NoProfile");
        psi.ArgumentList.Add("-NonInteractive");
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        // A user's own module folders must not leak into tests.
        psi.Environment["PSModulePath"] = "";
        psi.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        return psi;
    }

    /// <summary>Runs pwsh to completion (or kills it after <paramref name="timeout"/>) and returns exit code and output.</summary>
    public static async Task<PwshResult> RunAsync(ProcessStartInfo psi, TimeSpan timeout)
    {
        using var process = new Process { StartInfo = psi };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
            return new PwshResult(-1, stdout.ToString(), stderr + $"\n[killed after {timeout.TotalSeconds:0} s]", TimedOut: true);
        }
        process.WaitForExit(); // flush the async readers
        return new PwshResult(process.ExitCode, stdout.ToString(), stderr.ToString(), TimedOut: false);
    }

    /// <summary>Runs a script text with -Command.</summary>
    public static Task<PwshResult> RunCommandAsync(string script, TimeSpan timeout) =>
        RunAsync(StartInfo("-Command", script), timeout);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AmiShareModule.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("AmiShareModule.sln not found above " + AppContext.BaseDirectory);
    }

    private static string ReadToolVersion()
    {
        var manifest = Path.Combine(RepoRoot, ".config", "dotnet-tools.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
        return doc.RootElement.GetProperty("tools").GetProperty("powershell").GetProperty("version").GetString()!;
    }

    private static string FindPwshDll()
    {
        var tools = Path.Combine(PackagesFolder, "powershell", Version, "tools");
        var platform = OperatingSystem.IsWindows() ? "win" : "unix";
        if (Directory.Exists(tools))
        {
            foreach (var tfm in Directory.GetDirectories(tools).OrderByDescending(d => d, StringComparer.Ordinal))
            {
                var dll = Path.Combine(tfm, "any", platform, "pwsh.dll");
                if (File.Exists(dll)) return dll;
            }
        }
        throw new InvalidOperationException(
            $"pwsh {Version} is not restored under {tools}. Run `dotnet tool restore` in {RepoRoot} (the test build does it).");
    }
}

/// <summary>What a pwsh child process printed and returned.</summary>
public sealed record PwshResult(int ExitCode, string StdOut, string StdErr, bool TimedOut)
{
    public override string ToString() =>
        $"exit {ExitCode}{(TimedOut ? " (timed out)" : "")}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}
