using System.Management.Automation;
using System.Text.Json.Nodes;
using AmiShare.Emulator;
using AmiShare.Sandbox;
using Xunit;
using Xunit.Abstractions;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// Fault drills (issue 7): many AMIs granted through the module while the emulator throttles, fails and cuts
/// connections, and several jobs share EC2's token buckets. Exact counts come from the emulator's request log.
/// Backoff waits are kept to milliseconds with AMISHARE_RETRY_BASE_DELAY_MS so a drill takes seconds, not minutes.
/// </summary>
public sealed class FaultDrillTests
{
    private static readonly string[] Accounts = { "111122223333", "444455556666", "777788889999" };
    private readonly ITestOutputHelper _output;

    public FaultDrillTests(ITestOutputHelper output) => _output = output;

    /// <summary>The demo world plus <paramref name="count"/> unencrypted AMIs of the demo owner in us-east-1 (as tests/AmiShare.Benchmarks builds it).</summary>
    private static (World World, string[] Ids) WorldWith(int count)
    {
        var doc = JsonNode.Parse(World.DemoJson())!;
        var images = doc["images"]!.AsArray();
        var snapshots = doc["snapshots"]!.AsArray();
        var ids = new string[count];
        for (int n = 0; n < count; n++)
        {
            ids[n] = $"ami-{n:x17}";
            string snap = $"snap-{n:x17}";
            snapshots.Add(new JsonObject { ["snapshotId"] = snap, ["region"] = "us-east-1", ["owner"] = Owner });
            images.Add(new JsonObject
            {
                ["imageId"] = ids[n], ["region"] = "us-east-1", ["owner"] = Owner, ["name"] = $"drill-{n}",
                ["blockDeviceMappings"] = new JsonArray(new JsonObject { ["deviceName"] = "/dev/xvda", ["snapshotId"] = snap }),
            });
        }

        return (World.FromJson(doc.ToJsonString()), ids);
    }

    private static async Task<T> WithFastBackoff<T>(Func<Task<T>> drill)
    {
        string? before = Environment.GetEnvironmentVariable("AMISHARE_RETRY_BASE_DELAY_MS");
        Environment.SetEnvironmentVariable("AMISHARE_RETRY_BASE_DELAY_MS", "1");
        try
        {
            return await drill();
        }
        finally
        {
            Environment.SetEnvironmentVariable("AMISHARE_RETRY_BASE_DELAY_MS", before);
        }
    }

    /// <summary>Every AMI: exactly the three accounts in the emulator's state, and exactly one ModifyImageAttribute that EC2 applied.</summary>
    private static void AssertConverged(ModuleTestContext t, IEnumerable<string> ids)
    {
        var applied = t.Log.Entries
            .Where(e => e.Action == "ModifyImageAttribute" && e.Succeeded)
            .GroupBy(e => e.Parameters["ImageId"])
            .ToDictionary(g => g.Key, g => g.Count());
        foreach (string id in ids)
        {
            Assert.Equal(Accounts.Select(a => "UserId:" + a).OrderBy(s => s, StringComparer.Ordinal), t.PermissionsOf(id));
            Assert.True(applied.TryGetValue(id, out int n) && n == 1, $"{id}: {(applied.TryGetValue(id, out int m) ? m : 0)} applied ModifyImageAttribute calls, expected exactly 1");
        }

        Assert.Equal(ids.Count(), applied.Values.Sum());
    }

    private static void AssertOneChangedRowPerAmi(IEnumerable<PSObject> rows, IReadOnlyCollection<string> ids)
    {
        var byImage = rows.GroupBy(r => (string)r.Properties["ImageId"].Value).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(ids.Count, byImage.Count);
        foreach (string id in ids)
        {
            var row = Assert.Single(byImage[id]);
            Assert.Equal(true, row.Properties["Changed"].Value);
            Assert.Equal(Accounts, ((IEnumerable<string>)row.Properties["Added"].Value).ToArray());
        }
    }

    [Fact]
    public async Task Grant1000Amis_ThrottledFailingAndDroppingAfterApply_EveryAmiConvergesOnce_NoError()
    {
        var (world, ids) = WorldWith(1000);
        await WithFastBackoff(async () =>
        {
            await using var t = await StartAsync(world);
            var options = t.Emulator.Options;
            options.Random = new Random(7);

            // Per EC2 action the grant uses: 1% of writes applied then cut off mid-answer, 30% throttled,
            // 2.5% InternalError 500 and 2.5% Unavailable 503 (rules are tried in this order).
            string[] actions = { "DescribeImages", "DescribeImageAttribute", "ModifyImageAttribute" };
            options.AddFault(new FaultRule("ModifyImageAttribute", FaultKind.DropAfterApply, Rate: 0.01));
            foreach (string action in actions)
            {
                options.AddFault(new FaultRule(action, FaultKind.Throttle, Rate: 0.30));
                options.AddFault(new FaultRule(action, FaultKind.Error, "InternalError", 500, Rate: 0.025));
                options.AddFault(new FaultRule(action, FaultKind.Error, "Unavailable", 503, Rate: 0.025));
            }

            t.Ps.SetVariable("Ids", ids);
            t.Ps.SetVariable("Accounts", Accounts);
            var started = DateTime.UtcNow;
            var r = t.Run("$Ids | Grant-AmiLaunchPermission -AccountId $Accounts -PassThru -Verbose");
            var took = DateTime.UtcNow - started;

            Assert.Empty(r.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e));
            Assert.Empty(r.Warnings);
            AssertOneChangedRowPerAmi(r.Output, ids);
            AssertConverged(t, ids);

            // The faults really happened, and each one was answered as the policy says, one verbose line per retry.
            var entries = t.Log.Entries.Where(e => actions.Contains(e.Action)).ToList();
            int throttled = entries.Count(e => e.ErrorCode == "RequestLimitExceeded");
            int serverErrors = entries.Count(e => e.ErrorCode is "InternalError" or "Unavailable");
            int cutOff = entries.Count(e => e.ErrorCode == "ConnectionDroppedAfterApply");
            Assert.True(throttled > 300 && serverErrors > 30 && cutOff > 0, $"drill too mild: {throttled} throttled, {serverErrors} 5xx, {cutOff} cut off");
            Assert.Equal(throttled, r.Verbose.Count(l => l.StartsWith("EC2 throttled ", StringComparison.Ordinal)));
            Assert.Equal(serverErrors + cutOff, r.Verbose.Count(l => l.Contains(" after server errors and lost connections).", StringComparison.Ordinal)));
            Assert.Equal(cutOff, r.Verbose.Count(l => l.EndsWith("a re-read shows it was applied; not sending it again.", StringComparison.Ordinal)));

            _output.WriteLine($"1000 AMIs x 3 accounts: {entries.Count} EC2 calls ({entries.Count(e => e.Action == "ModifyImageAttribute")} ModifyImageAttribute), "
                + $"{throttled} throttled, {serverErrors} 500/503, {cutOff} cut off after apply; {took.TotalSeconds:0.0} s");
            return 0;
        });
    }

    [Fact]
    public async Task FourJobsOf75Amis_SharingEc2Buckets_ZeroFailures_OneWritePerAmi()
    {
        var (world, ids) = WorldWith(300);
        await WithFastBackoff(async () =>
        {
            // EC2's buckets on, ten times faster than real time; ModifyImageAttribute's bucket shrunk to a burst of 10
            // (refill 5/s, so 50/s here) so four jobs at full speed really contend for it.
            await using var t = await StartAsync(world);
            var emulator = t.Emulator;
            emulator.Options.Throttling = true;
            emulator.Options.TimeScale = 10;
            emulator.Options.SetThrottleBucket("ModifyImageAttribute", 10, 5);
            var jobs = new List<ModuleSession>();
            try
            {
                for (int j = 0; j < 4; j++)
                {
                    var ps = new ModuleSession(new StringWriter());
                    ps.SetVariable("Endpoint", emulator.Endpoint);
                    ps.SetVariable("Ids", ids.Skip(j * 75).Take(75).ToArray());
                    ps.SetVariable("Accounts", Accounts);
                    ps.Invoke($@"$global:PSDefaultParameterValues['*-Ami*:EndpointUrl'] = $Endpoint
$global:PSDefaultParameterValues['*-Ami*:AccessKey'] = '{OwnerKey}'
$global:PSDefaultParameterValues['*-Ami*:SecretKey'] = '{OwnerSecret}'").ThrowIfErrors();
                    ps.SetVariable("StoredAWSRegion", "us-east-1");
                    jobs.Add(ps);
                }

                var started = DateTime.UtcNow;
                PsResult[] results = await Task.WhenAll(jobs.Select(ps => Task.Run(() => ps.Invoke("$Ids | Grant-AmiLaunchPermission -AccountId $Accounts -PassThru -Verbose"))));
                var took = DateTime.UtcNow - started;

                foreach (PsResult r in results)
                {
                    Assert.Empty(r.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e));
                }

                AssertOneChangedRowPerAmi(results.SelectMany(r => r.Output), ids);
                var applied = emulator.Log.Entries.Where(e => e.Action == "ModifyImageAttribute" && e.Succeeded).GroupBy(e => e.Parameters["ImageId"]).ToDictionary(g => g.Key, g => g.Count());
                foreach (string id in ids)
                {
                    Assert.Equal(Accounts.OrderBy(s => s, StringComparer.Ordinal), emulator.World.LaunchPermissionsOf("us-east-1", id).Select(p => p.Value).OrderBy(s => s, StringComparer.Ordinal));
                    Assert.Equal(1, applied.GetValueOrDefault(id));
                }

                int throttled = emulator.Log.Entries.Count(e => e.ErrorCode == "RequestLimitExceeded");
                Assert.True(throttled > 0, "the jobs never contended for the bucket: the drill proves nothing");
                Assert.Equal(throttled, results.Sum(r => r.Verbose.Count(l => l.StartsWith("EC2 throttled ", StringComparison.Ordinal))));
                _output.WriteLine($"4 jobs x 75 AMIs: {emulator.Log.Total} calls, {throttled} throttled and retried, 0 failed; {took.TotalSeconds:0.0} s");
            }
            finally
            {
                foreach (var ps in jobs)
                {
                    ps.Dispose();
                }
            }

            return 0;
        });
    }
}

/// <summary>The retry knobs as a user sets them.</summary>
public sealed class RetrySettingTests
{
    [Fact]
    public async Task BadRetryBudget_RefusedNamingTheVariable_NoCall()
    {
        await using var t = await StartAsync();
        Environment.SetEnvironmentVariable("AMISHARE_RETRY_BUDGET_SECONDS", "ten");
        try
        {
            var r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333", Web);

            Assert.True(r.ErrorIds.Any(id => id.StartsWith("InvalidRetrySetting,", StringComparison.Ordinal)), string.Join(" | ", r.ErrorIds) + " :: " + r.FirstErrorText);
            Assert.Contains("AMISHARE_RETRY_BUDGET_SECONDS is 'ten'", r.FirstErrorText);
            Assert.Equal(0, t.Log.Count("ModifyImageAttribute"));
            Assert.Empty(t.PermissionsOf(Web));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AMISHARE_RETRY_BUDGET_SECONDS", null);
        }
    }

    [Fact]
    public async Task ZeroRetryBudget_ThrottledOnce_ThrottledErrorNamesTheKnob()
    {
        await using var t = await StartAsync();
        Environment.SetEnvironmentVariable("AMISHARE_RETRY_BUDGET_SECONDS", "0");
        try
        {
            t.Emulator.Options.ThrottleNext("ModifyImageAttribute");
            var r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333", Web);

            Assert.Contains(r.ErrorIds, id => id.StartsWith("Throttled,", StringComparison.Ordinal));
            Assert.Contains("AMISHARE_RETRY_BUDGET_SECONDS", r.FirstErrorText);
            Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AMISHARE_RETRY_BUDGET_SECONDS", null);
        }
    }

    [Fact]
    public async Task Throttled_DefaultBudget_RetriedWithOneVerboseLinePerRetry()
    {
        await using var t = await StartAsync();
        Environment.SetEnvironmentVariable("AMISHARE_RETRY_BASE_DELAY_MS", "1");
        try
        {
            t.Emulator.Options.ThrottleNext("ModifyImageAttribute", 5);
            var r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -Verbose", Web).ThrowIfErrors();

            Assert.Equal(5, r.Verbose.Count(l => l.StartsWith($"EC2 throttled ModifyImageAttribute for {Web} (RequestLimitExceeded (HTTP 503)); retrying in ", StringComparison.Ordinal)));
            Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Web));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AMISHARE_RETRY_BASE_DELAY_MS", null);
        }
    }
}
