using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using AmiShare.Emulator;
using Xunit;
using Xunit.Abstractions;

namespace AmiShare.Emulator.Tests;

/// <summary>The console program, run as a child process from the built AmiShare.Emulator.dll.</summary>
public sealed class ConsoleTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(15);
    private readonly ITestOutputHelper _out;

    public ConsoleTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public async Task PortAlreadyTaken_ExitCode4AndOneStderrLineNamingThePort()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        await using var p = EmulatorProcess.Start("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var code = await p.WaitForExitAsync(HangGuard);

        Assert.Equal(EmulatorCommandLine.ExitPortUnavailable, code);
        Assert.Equal(4, code);
        var line = Assert.Single(p.Stderr);
        Assert.Equal($"Port {port} on 127.0.0.1 is already in use; stop the other process or pass --port N (0 = any free port).", line);
        Assert.Empty(p.Stdout);
    }

    [PosixTheory]
    [InlineData("SIGTERM", 15)]
    [InlineData("SIGINT", 2)]
    public async Task Signal_StopsCleanlyWithExitCode0AndSaysStopping(string name, int signal)
    {
        await using var p = EmulatorProcess.Start("--port", "0");
        var endpoint = await p.WaitForEndpointAsync(HangGuard);
        using (var http = new HttpClient())
            Assert.Equal("{\"status\":\"ok\"}", await http.GetStringAsync(endpoint + "/_emulator/health"));

        var watch = Stopwatch.StartNew();
        Assert.Equal(0, Posix.kill(p.Id, signal));
        var code = await p.WaitForExitAsync(HangGuard);
        watch.Stop();
        _out.WriteLine($"{name}: exited with {code} after {watch.ElapsedMilliseconds} ms");

        Assert.Equal(0, code);
        Assert.Equal("Stopping.", p.Stdout.Last());
        Assert.Empty(p.Stderr);
    }

    [PosixFact]
    public async Task Sigterm_WithARequestWaitingOutItsLatency_DropsItAndStopsCleanly()
    {
        await using var p = EmulatorProcess.Start("--port", "0", "--latency-ms", "600000");
        var endpoint = await p.WaitForEndpointAsync(HangGuard);
        using var http = new HttpClient { Timeout = HangGuard };
        var req = new HttpRequestMessage(HttpMethod.Get, endpoint + "/?Action=DescribeRegions&Version=2016-11-15");
        req.Headers.TryAddWithoutValidation("Authorization", Clients.AuthHeader(Demo.OwnerKey, "us-east-1", "ec2"));
        var inFlight = http.SendAsync(req);
        await Task.Delay(300); // let the request reach its latency wait (not a timing assertion)

        var watch = Stopwatch.StartNew();
        Assert.Equal(0, Posix.kill(p.Id, 15));
        var code = await p.WaitForExitAsync(HangGuard);
        watch.Stop();
        _out.WriteLine($"SIGTERM with a request in flight: exited with {code} after {watch.ElapsedMilliseconds} ms");

        Assert.Equal(0, code);
        Assert.Equal("Stopping.", p.Stdout.Last());
        Assert.Empty(p.Stderr);
        // The waiting request got no answer: the connection went away, as when a real endpoint stops.
        await Assert.ThrowsAsync<HttpRequestException>(() => inFlight);
    }

    [Fact]
    public async Task FaultOption_IsInjectedFromTheStart()
    {
        await using var p = EmulatorProcess.Start("--port", "0", "--fault", "DescribeRegions=error:Unavailable:503:1", "--fault", "*=throttle@0.5", "--fault-seed", "7");
        var endpoint = await p.WaitForEndpointAsync(HangGuard);
        Assert.Contains("Fault 1: DescribeRegions -> error Unavailable 503 for the next 1 request(s)", p.Stdout);
        Assert.Contains("Fault 2: * -> throttle for 0.5 of requests", p.Stdout);

        using var http = new HttpClient();
        var faults = await http.GetStringAsync(endpoint + "/_emulator/faults");
        Assert.Equal("[{\"id\":1,\"action\":\"DescribeRegions\",\"kind\":\"error\",\"code\":\"Unavailable\",\"status\":503,\"message\":null,\"times\":1,\"rate\":null},"
                     + "{\"id\":2,\"action\":\"*\",\"kind\":\"throttle\",\"code\":null,\"status\":null,\"message\":null,\"times\":null,\"rate\":0.5}]", faults);
        var req = new HttpRequestMessage(HttpMethod.Get, endpoint + "/?Action=DescribeRegions&Version=2016-11-15");
        req.Headers.TryAddWithoutValidation("Authorization", Clients.AuthHeader(Demo.OwnerKey, "us-east-1", "ec2"));
        var res = await http.SendAsync(req);
        Assert.Equal(503, (int)res.StatusCode);
        Assert.Contains("<Code>Unavailable</Code>", await res.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BadFaultOption_ExitCode2NamingTheBadValue()
    {
        await using var p = EmulatorProcess.Start("--fault", "ModifyImageAttribute=explode:3");
        var code = await p.WaitForExitAsync(HangGuard);

        Assert.Equal(EmulatorCommandLine.ExitBadArguments, code);
        Assert.Equal("Invalid --fault 'ModifyImageAttribute=explode:3': kind 'explode' is not one of throttle, error, drop, drop-after. Syntax: "
                     + EmulatorCommandLine.FaultSyntax + ".", p.Stderr[0]);
        Assert.Contains(p.Stderr, l => l.StartsWith("Usage:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_DocumentsFaultsSignalsAndEveryExitCode()
    {
        await using var p = EmulatorProcess.Start("--help");
        Assert.Equal(0, await p.WaitForExitAsync(HangGuard));
        var text = string.Join("\n", p.Stdout);
        Assert.Contains("--fault SPEC", text);
        Assert.Contains("--fault-seed N", text);
        Assert.Contains("SIGTERM", text);
        Assert.Contains("Exit codes: 0 stopped normally (or --help), 1 unexpected failure, 2 bad arguments,", text);
        Assert.Contains("3 world file cannot be loaded, 4 port in use or not permitted", text);
    }
}

public sealed class FaultSpecTests
{
    [Theory]
    [InlineData("ModifyImageAttribute=throttle:3", "ModifyImageAttribute", FaultKind.Throttle, null, null, 3, null)]
    [InlineData("ModifyImageAttribute=throttle", "ModifyImageAttribute", FaultKind.Throttle, null, null, null, null)]
    [InlineData("*=error:InternalError:500@0.1", "*", FaultKind.Error, "InternalError", 500, null, 0.1)]
    [InlineData("CopyImage=error:Unavailable:503:2", "CopyImage", FaultKind.Error, "Unavailable", 503, 2, null)]
    [InlineData("CopyImage=error", "CopyImage", FaultKind.Error, null, null, null, null)]
    [InlineData("DescribeKey=ERROR:ThrottlingException:400", "DescribeKey", FaultKind.Error, "ThrottlingException", 400, null, null)]
    [InlineData("*=drop@1", "*", FaultKind.Drop, null, null, null, 1.0)]
    [InlineData("DescribeImages=drop:20", "DescribeImages", FaultKind.Drop, null, null, 20, null)]
    public void ParseFault_ValidSpecs(string spec, string action, FaultKind kind, string? code, int? status, int? times, double? rate)
    {
        Assert.Equal(new FaultRule(action, kind, code, status, times, rate), EmulatorCommandLine.ParseFault(spec));
    }

    [Theory]
    [InlineData("ModifyImageAttribute", "expected ACTION=KIND")]
    [InlineData("=throttle", "the action before '=' is missing")]
    [InlineData("Modify-Image=throttle", "Fault action 'Modify-Image' is not valid")]
    [InlineData("X=explode", "kind 'explode' is not one of throttle, error, drop")]
    [InlineData("X=throttle:0", "count '0' is not a whole number of requests, 1 or more")]
    [InlineData("X=throttle:two", "count 'two' is not a whole number")]
    [InlineData("X=throttle:3:4", "too many ':' parts for throttle")]
    [InlineData("X=drop@0", "rate '0' is not a fraction greater than 0 and at most 1")]
    [InlineData("X=drop@1.5", "rate '1.5' is not a fraction")]
    [InlineData("X=drop:2@0.5", "either a count (:N) or a rate (@RATE), not both")]
    [InlineData("X=error:3", "error code '3' is not an AWS error code")]
    [InlineData("X=error:InternalError:200", "status '200' is not an HTTP error status from 400 to 599")]
    [InlineData("X=error:InternalError:500:1:2", "too many ':' parts for error")]
    public void ParseFault_BadSpecs_NameTheValueAndTheSyntax(string spec, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => EmulatorCommandLine.ParseFault(spec));
        Assert.StartsWith($"Invalid --fault '{spec}': ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.EndsWith("Syntax: " + EmulatorCommandLine.FaultSyntax + ".", e.Message);
    }

    [Fact]
    public void Parse_RepeatedFaultsAndSeed_GoIntoTheOptions()
    {
        var cl = EmulatorCommandLine.Parse(new[] { "--fault", "A=throttle:2", "--fault", "B=drop", "--fault-seed", "42" });
        Assert.Equal(42, cl.FaultSeed);
        var o = cl.ToOptions();
        Assert.Equal(new[] { ("A", FaultKind.Throttle, (int?)2), ("B", FaultKind.Drop, (int?)1) }, o.Faults.Select(f => (f.Action, f.Kind, f.Remaining)));
        var seeded = new Random(42);
        Assert.Equal(seeded.NextDouble(), o.Random.NextDouble());
    }

    [Theory]
    [InlineData("--fault")]
    [InlineData("--fault-seed", "x")]
    public void Parse_FaultOptionsWithoutGoodValues_Throw(params string[] args)
    {
        Assert.Throws<ArgumentException>(() => EmulatorCommandLine.Parse(args));
    }
}

/// <summary>A theory that only runs where POSIX signals can be sent (not Windows).</summary>
public sealed class PosixTheoryAttribute : TheoryAttribute
{
    public PosixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "POSIX signals (kill) do not exist on Windows.";
    }
}

/// <summary>A fact that only runs where POSIX signals can be sent (not Windows).</summary>
public sealed class PosixFactAttribute : FactAttribute
{
    public PosixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "POSIX signals (kill) do not exist on Windows.";
    }
}

internal static class Posix
{
    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int sig);
}

/// <summary>The emulator console as a child process: `dotnet AmiShare.Emulator.dll ARGS`, output captured line by line.</summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process _p;
    private readonly List<string> _stdout = new(), _stderr = new();
    private readonly TaskCompletionSource<string> _endpoint = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EmulatorProcess(Process p) => _p = p;

    public int Id => _p.Id;
    public IReadOnlyList<string> Stdout { get { lock (_stdout) return _stdout.ToList(); } }
    public IReadOnlyList<string> Stderr { get { lock (_stderr) return _stderr.ToList(); } }

    public static EmulatorProcess Start(params string[] args)
    {
        var dll = typeof(EmulatorHost).Assembly.Location;
        var psi = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var ep = new EmulatorProcess(new Process { StartInfo = psi, EnableRaisingEvents = true });
        ep._p.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            lock (ep._stdout) ep._stdout.Add(e.Data);
            var m = Regex.Match(e.Data, @"listening on (http://127\.0\.0\.1:\d+)");
            if (m.Success) ep._endpoint.TrySetResult(m.Groups[1].Value);
        };
        ep._p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (ep._stderr) ep._stderr.Add(e.Data); };
        ep._p.Start();
        ep._p.BeginOutputReadLine();
        ep._p.BeginErrorReadLine();
        return ep;
    }

    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var self = Environment.ProcessPath;
        return self != null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>Waits until the banner (ending in "Press Ctrl+C …") is printed and returns the endpoint.</summary>
    public async Task<string> WaitForEndpointAsync(TimeSpan guard)
    {
        var endpoint = await _endpoint.Task.WaitAsync(guard);
        using var cts = new CancellationTokenSource(guard);
        while (!Stdout.Any(l => l.StartsWith("Press Ctrl+C", StringComparison.Ordinal)))
        {
            if (_p.HasExited) throw new InvalidOperationException("The emulator exited early: " + string.Join(" | ", Stderr));
            await Task.Delay(20, cts.Token);
        }
        return endpoint;
    }

    /// <summary>Waits for exit (failing after <paramref name="guard"/>, so a hang cannot stall the run) and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan guard)
    {
        using var cts = new CancellationTokenSource(guard);
        try { await _p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"The emulator did not exit within {guard.TotalSeconds} s. Output: " + string.Join(" | ", Stdout)); }
        _p.WaitForExit();   // drains the redirected output
        return _p.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        try { if (!_p.HasExited) _p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _p.Dispose();
        return ValueTask.CompletedTask;
    }
}
