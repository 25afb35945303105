using System.Diagnostics;
using AmiShare.Benchmarks;
using AmiShare.Emulator;
using AmiShare.Sandbox;
using static AmiShare.Benchmarks.Stats;

// AmiShare side by side (issue 8): the seed guide's per-account AWS CLI loop, the AWS CLI with one call per AMI, a
// naive PowerShell loop of one Grant per AMI per account, and AmiShare's pipeline, in one run against the emulator;
// then calls per AMI by action, real-pwsh Import-Module time and a throttled run. It prints figures; nothing here
// asserts (benchmarks are not tests). Usage: see BenchOptions.Usage (--help).
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions o;
try
{
    o = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var total = Stopwatch.StartNew();
string? rateLimits = Environment.GetEnvironmentVariable("AMISHARE_RATE_LIMITS");
Environment.SetEnvironmentVariable("AMISHARE_RATE_LIMITS", null);
Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIAAMISHAREOWNER001");
Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "owner-secret");
Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");

string[] accounts = BenchWorld.Accounts(o.Accounts);
string[] idsA = Enumerable.Range(0, o.Amis).Select(n => BenchWorld.ImageId('a', n)).ToArray();
string[] idsC = Enumerable.Range(0, o.Amis).Select(n => BenchWorld.ImageId('c', n)).ToArray();
var itemsB = Enumerable.Range(0, o.Amis)
    .Select(n => new System.Management.Automation.PSObject(new { ImageId = BenchWorld.ImageId('b', n), Region = BenchWorld.SpreadRegion(n) }))
    .ToArray();

Console.WriteLine($"AmiShare side by side, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, " +
                  $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {RepoPaths.Configuration} build");
Console.WriteLine($"{o.Amis} AMIs x {o.Accounts} accounts, emulator latency {o.LatencyMs} ms per round trip, " +
                  $"medians of {o.Reps}{(o.Quick ? " (--quick)" : "")}");
Console.WriteLine($"Load average at start: {LoadAverage()} (other work slows the CPU-bound parts, the CLI most)");
if (rateLimits != null)
{
    Console.WriteLine($"AMISHARE_RATE_LIMITS was '{rateLimits}': ignored for this run.");
}

// The side-by-side and per-action jobs run against an emulator without EC2's token buckets, like the concurrent
// client they are compared with, so the module's client-side buckets are off for them (otherwise the buckets, shared
// by every job of this process, would pace later jobs at EC2's 5 ModifyImageAttribute a second once earlier jobs had
// drained them). The throttled run turns the emulator's buckets on and the module's back to their default (ec2).
Environment.SetEnvironmentVariable("AMISHARE_RATE_LIMITS", "off");
Console.WriteLine("Client-side token buckets: off for the jobs against the unthrottled emulator; the default (ec2) for the throttled run.");

await using var host = await EmulatorHost.StartAsync(BenchWorld.Latency(o.Amis), new EmulatorOptions { Latency = TimeSpan.FromMilliseconds(o.LatencyMs) });
var importClock = Stopwatch.StartNew();
using var session = new ModuleSession();
importClock.Stop();
session.SetVariable("IdsA", idsA);
session.SetVariable("IdsC", idsC);
session.SetVariable("ItemsB", itemsB);
session.SetVariable("Accounts", accounts);
PointAt(host);
session.Invoke("$null = Get-AmiLaunchPermission $IdsA[0]").ThrowIfErrors(); // warm-up: first SDK client and connection
// Warm-up of the measured paths (JIT): one untimed grant of 20 AMIs in one and in three regions, then a fresh world.
session.Invoke("$null = $IdsA[0..19] | Grant-AmiLaunchPermission -AccountId $Accounts; $null = $ItemsB[0..19] | Grant-AmiLaunchPermission -AccountId $Accounts").ThrowIfErrors();
host.Reset();

// ------------------------------------------------------------------ side by side, 50 ms latency
var rows = new List<Row>();
// AmiShare's jobs run first (they take seconds and are the most sensitive to other load on the machine); the table
// lists them in the issue's order.
Row amiShareOne = InProcess("AmiShare: $ids | Grant -AccountId $accts", 1, "$IdsA | Grant-AmiLaunchPermission -AccountId $Accounts");
Row amiShareThree = InProcess("AmiShare, 3 regions (ImageId+Region objects)", 3, "$ItemsB | Grant-AmiLaunchPermission -AccountId $Accounts");
if (!o.SkipCli)
{
    var cli = AwsCli.Find(o.Aws, out string why);
    if (cli == null)
    {
        Console.WriteLine($"AWS CLI jobs skipped: {why}");
    }
    else
    {
        Console.WriteLine($"AWS CLI: {cli.Version}");
        var sample = idsA.Take(o.CliAmis).ToArray();
        rows.Add(CliRow("AWS CLI, per-account loop (seed guide)", () => cli.PerAccountLoop(host.Endpoint, sample, accounts), sample.Length * o.Accounts));
        rows.Add(CliRow("AWS CLI, one call per AMI, all accounts", () => cli.OneCallPerAmi(host.Endpoint, sample, accounts), sample.Length));
    }
}

if (!o.SkipLoop)
{
    rows.Add(InProcess("PowerShell loop, Grant per AMI per account", 1,
        "foreach ($id in $IdsA) { foreach ($a in $Accounts) { Grant-AmiLaunchPermission $id -AccountId $a } }"));
}

rows.Add(amiShareOne);
if (!o.SkipLoop)
{
    rows.Add(InProcess("PowerShell loop, 3 regions", 3,
        "foreach ($i in $ItemsB) { foreach ($a in $Accounts) { Grant-AmiLaunchPermission $i.ImageId -Region $i.Region -AccountId $a } }"));
}

rows.Add(amiShareThree);
PrintSideBySide(rows);

// ------------------------------------------------------------------ calls per AMI by action, no latency
host.Options.Latency = TimeSpan.Zero;
Console.WriteLine();
Console.WriteLine($"Calls per AMI by action ({o.Amis} AMIs, {o.Accounts} accounts, no latency; from the emulator's log)");
Breakdown("unencrypted grant", null, "$IdsA | Grant-AmiLaunchPermission -AccountId $Accounts");
Breakdown("encrypted grant, one CMK, -IncludeKmsKey -IncludeSnapshot", null,
    "$IdsC | Grant-AmiLaunchPermission -AccountId $Accounts -IncludeKmsKey -IncludeSnapshot");
Breakdown("revoke (all accounts granted before)", "$IdsA | Grant-AmiLaunchPermission -AccountId $Accounts",
    "$IdsA | Revoke-AmiLaunchPermission -AccountId $Accounts");
Breakdown("revoke (nothing to remove)", null, "$IdsA | Revoke-AmiLaunchPermission -AccountId $Accounts");
Breakdown("Set-AmiPublic -WhatIf", null, "$IdsA | Set-AmiPublic -WhatIf");

// ------------------------------------------------------------------ real pwsh
Console.WriteLine();
Console.WriteLine($"Module import into a new in-process runspace (this program): {F(importClock.Elapsed.TotalSeconds, "0.00")} s");
if (!o.SkipPwsh)
{
    host.Reset();
    var p = PwshStartup.Measure(RepoPaths.ModuleManifest, host.Endpoint, idsA[0], o.PwshStarts);
    Console.WriteLine($"Real pwsh {p.Version} (dotnet pwsh -NoProfile -Command, median of {p.Starts} process starts):");
    Console.WriteLine($"  pwsh start-up alone {F(p.PwshAlone, "0.00")} s; Import-Module +{F(p.Import, "0.00")} s; " +
                      $"first call (Get-AmiLaunchPermission) +{F(p.FirstCall, "0.00")} s");
    Console.WriteLine($"  (inside pwsh, by Stopwatch: Import-Module {F(p.InsideImport, "0.00")} s, first call {F(p.InsideFirstCall, "0.00")} s)");
}

// ------------------------------------------------------------------ throttled run
if (!o.SkipThrottled)
{
    Throttled();
}

Console.WriteLine();
Console.WriteLine($"Whole run: {F(total.Elapsed.TotalSeconds, "0")} s; load average at the end: {LoadAverage()}");
return 0;

void PointAt(EmulatorHost h)
{
    session.SetVariable("Endpoint", h.Endpoint);
    session.Invoke("$global:PSDefaultParameterValues['*-Ami*:EndpointUrl'] = $Endpoint").ThrowIfErrors();
}

Row CliRow(string job, Func<TimeSpan> run, int expectedCalls)
{
    Progress($"{job}: {o.CliAmis} AMIs");
    host.Reset();
    double wall = run().TotalSeconds;
    var log = host.Log.Entries;
    int ok = log.Count(e => e.Succeeded && e.Action == "ModifyImageAttribute");
    if (ok != expectedCalls || log.Count != expectedCalls)
    {
        Console.WriteLine($"  note: {job} made {log.Count} calls, {ok} of them successful writes (expected {expectedCalls})");
    }

    double k = o.Amis / (double)o.CliAmis;
    return new Row(job, wall * k, (long)Math.Round(log.Count * k), 1, null, o.CliAmis, k, new[] { wall }, 0);
}

Row InProcess(string job, int regions, string script)
{
    var walls = new List<double>();
    var calls = new List<long>();
    int errors = 0;
    for (int r = 0; r < o.Reps; r++)
    {
        Progress($"{job}: rep {r + 1} of {o.Reps}");
        host.Reset();
        var clock = Stopwatch.StartNew();
        var result = session.Invoke(script);
        clock.Stop();
        walls.Add(clock.Elapsed.TotalSeconds);
        calls.Add(host.Log.Total);
        errors = Math.Max(errors, result.AllErrors.Count);
        if (result.AllErrors.Count > 0)
        {
            Console.WriteLine($"  note: {job}: {result.AllErrors.Count} errors, first: {result.FirstErrorText}");
        }
    }

    int median = walls.IndexOf(walls.OrderBy(w => w).ElementAt(walls.Count / 2));
    double ideal = calls[median] / (double)o.Concurrency * o.LatencyMs / 1000.0;
    return new Row(job, Median(walls), calls[median], regions, ideal, o.Amis, 1, walls, errors);
}

void PrintSideBySide(List<Row> all)
{
    Console.WriteLine();
    Console.WriteLine($"Side by side: {o.Amis} AMIs x {o.Accounts} accounts, {o.LatencyMs} ms per round trip");
    Console.WriteLine($"{"job",-44} {"wall s",8} {"calls",7} {"/AMI",5} {"vs loop",8} {"ideal s",8} {"÷ideal",7}");
    Console.WriteLine(new string('-', 93));
    double? loop = all.FirstOrDefault(r => r.Job.StartsWith("AWS CLI, per-account", StringComparison.Ordinal))?.Wall;
    foreach (var r in all)
    {
        string mark = r.Extrapolation > 1 ? "*" : " ";
        string vs = loop is { } l ? F(l / r.Wall, "0.0") + "x" : "-";
        string ideal = r.Ideal is { } i ? F(i, "0.0") : "-";
        string ratio = r.Ideal is { } j && j > 0 ? F(r.Wall / j, "0.0") + "x" : "-";
        Console.WriteLine($"{r.Job,-44} {F(r.Wall, "0.0") + mark,8} {N(r.Calls) + mark,7} {F(r.Calls / (double)o.Amis, "0.0"),5} {vs,8} {ideal,8} {ratio,7}");
    }

    Console.WriteLine(new string('-', 93));
    if (all.FirstOrDefault(r => r.Extrapolation > 1) is { } x)
    {
        Console.WriteLine($"* measured on {x.MeasuredAmis} AMIs ({N((long)Math.Round(x.Calls / x.Extrapolation))} calls for the per-account loop), " +
                          $"x{F(x.Extrapolation, "0.##")} extrapolated; --full runs all.");
    }

    Console.WriteLine($"ideal s = calls ÷ {o.Concurrency} in flight × {o.LatencyMs} ms (the same formula for 3 regions); ÷ideal = wall ÷ ideal;");
    Console.WriteLine("vs loop = the per-account CLI loop's wall ÷ this wall.");
    foreach (var r in all.Where(r => r.Walls.Count > 1))
    {
        Console.WriteLine($"  {r.Job}: reps {string.Join(" ", r.Walls.Select(w => F(w, "0.0")))} s");
    }
}

void Breakdown(string job, string? setup, string script)
{
    Progress(job);
    host.Reset();
    if (setup != null)
    {
        session.Invoke(setup).ThrowIfErrors();
        host.Log.Clear();
    }

    var result = session.Invoke(script);
    var entries = host.Log.Entries;
    Console.WriteLine($"  {job}: {N(entries.Count)} calls, {F(entries.Count / (double)o.Amis, "0.00")} per AMI" +
                      (result.AllErrors.Count > 0 ? $", {result.AllErrors.Count} errors (first: {result.FirstErrorText})" : ""));
    foreach (var (action, calls) in ByAction(entries))
    {
        Console.WriteLine($"      {action,-40} {N(calls),7} {F(calls / (double)o.Amis, "0.00"),7} per AMI");
    }
}

void Throttled()
{
    Environment.SetEnvironmentVariable("AMISHARE_RATE_LIMITS", null); // the module's default: EC2's shapes
    int n = o.ThrottledAmis;
    Console.WriteLine();
    Console.WriteLine($"Throttled run: {N(n)} AMIs x {o.Accounts} accounts, EC2's token buckets on (real-time refill), no latency");
    var th = EmulatorHost.StartAsync(BenchWorld.Throttled(n), new EmulatorOptions { Throttling = true }).GetAwaiter().GetResult();
    try
    {
        PointAt(th);
        session.SetVariable("IdsD", Enumerable.Range(0, n).Select(i => BenchWorld.ImageId('d', i)).ToArray());
        session.Invoke("$null = Get-AmiLaunchPermission $IdsD[0]").ThrowIfErrors();
        th.Reset(); // full buckets, empty log
        Progress($"throttled run: {N(n)} AMIs");
        var clock = Stopwatch.StartNew();
        var result = session.Invoke("$IdsD | Grant-AmiLaunchPermission -AccountId $Accounts");
        clock.Stop();
        var log = th.Log.Entries;
        var ec2 = log.Where(e => e.Service == "ec2").ToList();
        var floors = ec2.Where(e => e.Succeeded).GroupBy(e => e.Action)
            .Select(g => (Action: g.Key, Ok: g.Count(), Floor: Math.Max(0, (g.Count() - Ec2Bucket(g.Key).Burst) / Ec2Bucket(g.Key).Refill)))
            .OrderByDescending(f => f.Floor).ToList();
        double floor = floors.Count > 0 ? floors[0].Floor : 0;
        int limited = log.Count(e => e.ErrorCode == "RequestLimitExceeded");
        int throttleErrors = result.AllErrors.Count(e => e.FullyQualifiedErrorId.Contains("Throttl", StringComparison.OrdinalIgnoreCase));
        int writes = log.Count(e => e.Succeeded && e.Action == "ModifyImageAttribute");
        double wall = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  wall {F(wall, "0.0")} s; bucket floor {F(floor, "0.0")} s ({floors.FirstOrDefault().Action}); " +
                          $"{F(floor > 0 ? wall / floor : 0, "0.00")}x the floor");
        Console.WriteLine($"  calls {N(log.Count)} ({F(log.Count / (double)n, "0.00")} per AMI); RequestLimitExceeded answers {N(limited)} " +
                          $"({F(100.0 * limited / Math.Max(1, log.Count), "0.0")}% of calls)");
        Console.WriteLine($"  errors surfaced: {result.AllErrors.Count} ({throttleErrors} throttling); writes applied: {N(writes)} of {N(n)} AMIs");
        foreach (var f in floors)
        {
            var (burst, refill) = Ec2Bucket(f.Action);
            int denied = ec2.Count(e => e.Action == f.Action && e.ErrorCode == "RequestLimitExceeded");
            Console.WriteLine($"      {f.Action,-28} {N(f.Ok),6} ok {N(denied),5} limited  bucket {burst:0}/{F(refill, "0.#")} per s" +
                              $"  floor {F(f.Floor, "0.0")} s");
        }

        foreach (var (action, calls) in ByAction(log.Where(e => e.Service != "ec2")))
        {
            Console.WriteLine($"      {action,-28} {N(calls),6}");
        }
    }
    finally
    {
        PointAt(host);
        th.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static void Progress(string text) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {text}");

/// <summary>One line of the side-by-side table. Wall and calls are extrapolated when <see cref="Extrapolation"/> &gt; 1.</summary>
internal sealed record Row(string Job, double Wall, long Calls, int Regions, double? Ideal, int MeasuredAmis, double Extrapolation,
    IReadOnlyList<double> Walls, int Errors);
