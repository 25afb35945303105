using System.Diagnostics;
using System.Text.Json.Nodes;
using AmiShare.Emulator;
using AmiShare.Sandbox;

// AmiShare benchmark: API calls and wall time of whole-pipeline jobs, run through the built module in an
// in-process PowerShell 7 runspace against the emulator. It prints figures; nothing here is a test.
// Usage: dotnet run -c Release --project tests/AmiShare.Benchmarks -- [--amis N] [--accounts M] [--latency-ms L] [--throttling]
int amis = 200, accounts = 5, latencyMs = 0;
bool throttling = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--amis": amis = int.Parse(args[++i]); break;
        case "--accounts": accounts = int.Parse(args[++i]); break;
        case "--latency-ms": latencyMs = int.Parse(args[++i]); break;
        case "--throttling": throttling = true; break;
        default: Console.Error.WriteLine($"Unknown argument {args[i]}"); return 2;
    }
}

// A world with the demo's accounts plus N unencrypted AMIs owned by the demo owner in us-east-1.
var doc = JsonNode.Parse(World.DemoJson())!;
var images = doc["images"]!.AsArray();
var snapshots = doc["snapshots"]!.AsArray();
var ids = new List<string>();
for (int n = 0; n < amis; n++)
{
    string id = $"ami-{n:x17}";
    string snap = $"snap-{n:x17}";
    ids.Add(id);
    snapshots.Add(new JsonObject { ["snapshotId"] = snap, ["region"] = "us-east-1", ["owner"] = "123456789012" });
    images.Add(new JsonObject
    {
        ["imageId"] = id, ["region"] = "us-east-1", ["owner"] = "123456789012", ["name"] = $"pipeline-{n}",
        ["blockDeviceMappings"] = new JsonArray(new JsonObject { ["deviceName"] = "/dev/xvda", ["snapshotId"] = snap }),
    });
}

var options = new EmulatorOptions { Latency = TimeSpan.FromMilliseconds(latencyMs), Throttling = throttling };
await using var emulator = await EmulatorHost.StartAsync(World.FromJson(doc.ToJsonString()), options);
Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIAAMISHAREOWNER001");
Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "owner-secret");
Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");

var importClock = Stopwatch.StartNew();
using var session = new ModuleSession();
importClock.Stop();
session.SetVariable("Endpoint", emulator.Endpoint);
session.SetVariable("Ids", ids.ToArray());
session.SetVariable("Accounts", Enumerable.Range(0, accounts).Select(a => (111122220000L + a).ToString("D12")).ToArray());
session.Invoke("$global:PSDefaultParameterValues['*-Ami*:EndpointUrl'] = $Endpoint").ThrowIfErrors();
session.Invoke("Get-AmiLaunchPermission $Ids[0]").ThrowIfErrors(); // warm-up: first SDK client and connection

Console.WriteLine($"AmiShare benchmark: {amis} AMIs x {accounts} accounts, emulator latency {latencyMs} ms, throttling {(throttling ? "on" : "off")}");
Console.WriteLine($"Module import (Import-Module into a new runspace): {importClock.ElapsedMilliseconds} ms");
Console.WriteLine();
Console.WriteLine($"{"job",-44} {"wall ms",8} {"calls",6} {"writes",6} {"calls/AMI",9} {"AMIs/s",7}");

Measure("Grant (pipeline of ids, all accounts)", "$Ids | Grant-AmiLaunchPermission -AccountId $Accounts");
Measure("Grant again (already in place)", "$Ids | Grant-AmiLaunchPermission -AccountId $Accounts");
Measure("Get-AmiLaunchPermission (all rows)", "$null = $Ids | Get-AmiLaunchPermission");
Measure("Revoke one account", "$Ids | Revoke-AmiLaunchPermission -AccountId $Accounts[0]");
Measure("Get | Revoke (everything listed)", "$Ids | Get-AmiLaunchPermission | Revoke-AmiLaunchPermission");
Measure("Set-AmiPublic -WhatIf (checks only)", "$Ids | Set-AmiPublic -WhatIf");
return 0;

void Measure(string job, string script)
{
    emulator.Log.Clear();
    var clock = Stopwatch.StartNew();
    var result = session.Invoke(script);
    clock.Stop();
    if (result.AllErrors.Count > 0)
    {
        Console.WriteLine($"{job}: {result.AllErrors.Count} errors, first: {result.FirstErrorText}");
    }

    int calls = emulator.Log.Total;
    Console.WriteLine($"{job,-44} {clock.ElapsedMilliseconds,8} {calls,6} {emulator.Log.MutatingCount,6} {calls / (double)amis,9:0.00} {amis / clock.Elapsed.TotalSeconds,7:0}");
}
