using System.Diagnostics;
using System.Globalization;
using AmiShare.Emulator;
using AmiShare.Sandbox;
using Xunit;
using Xunit.Abstractions;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// Tests that change process-wide environment variables the module reads when a cmdlet starts (AMISHARE_RATE_LIMITS):
/// they never run next to another test class.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment (AMISHARE_RATE_LIMITS)";
}

/// <summary>
/// Issue 8's acceptance list, proved through the cmdlets and counted from the emulator's log (counts only, never time):
/// an unencrypted grant costs N writes + N attribute reads + ⌈N/200⌉ DescribeImages + O(1); Set-AmiPublic reads the
/// account-level facts once per run; an encrypted grant reads each KMS key once per run; a revoke with nothing to remove
/// makes no Organizations call and no write; with EC2's buckets on, 1,000 AMIs are paced under the buckets.
/// Each test prints what it measured (action → count).
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ScaleAcceptanceTests
{
    private const string Accounts = "111111111111,222222222222,333333333333,444444444444,555555555555";
    private static readonly string[] AccountIds = Accounts.Split(',');
    private const string CmkKeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string CmkArn = "arn:aws:kms:us-east-1:123456789012:key/" + CmkKeyId;

    /// <summary>EC2's limit of values per filter: ids per batched DescribeImages.</summary>
    private const int Page = 200;

    private readonly ITestOutputHelper _output;

    public ScaleAcceptanceTests(ITestOutputHelper output) => _output = output;

    private static string Ami(int i) => $"ami-{i + 0x300000:x17}";

    private static string Snapshot(int i) => $"snap-{i + 0x300000:x17}";

    private static int Pages(int n) => (n + Page - 1) / Page;

    /// <summary>Adds <paramref name="count"/> unencrypted AMIs of the owner in us-east-1 and returns their ids.</summary>
    private static string[] AddImages(ModuleTestContext t, int count, Action<ImageSpec>? shape = null)
    {
        var ids = new string[count];
        for (int i = 0; i < count; i++)
        {
            var image = new ImageSpec { ImageId = Ami(i), Region = "us-east-1", Owner = Owner, Name = $"scale-{i}" };
            shape?.Invoke(image);
            t.World.AddImage(image);
            ids[i] = image.ImageId;
        }

        return ids;
    }

    private static int Count(IReadOnlyList<RequestLogEntry> log, string action) => log.Count(e => e.Action == action);

    /// <summary>The DescribeImages calls that count the owner's public AMIs (Owner=self, is-public=true), not reads of given ids.</summary>
    private static int PublicCountReads(IReadOnlyList<RequestLogEntry> log) =>
        log.Count(e => e.Action == "DescribeImages" && e.Parameters.Values.Contains("is-public"));

    /// <summary>Prints every action's count (with the non-2xx answers by code) and the total.</summary>
    private void Print(string label, IReadOnlyList<RequestLogEntry> log)
    {
        _output.WriteLine($"{label}: {log.Count} calls");
        foreach (var g in log.GroupBy(e => (e.Service, e.Action)).OrderBy(g => g.Key.Service, StringComparer.Ordinal).ThenBy(g => g.Key.Action, StringComparer.Ordinal))
        {
            string failed = string.Join(", ", g.Where(e => !e.Succeeded).GroupBy(e => e.ErrorCode ?? e.HttpStatus.ToString(CultureInfo.InvariantCulture)).Select(f => $"{f.Count()} {f.Key}"));
            _output.WriteLine($"  {g.Key.Service} {g.Key.Action}: {g.Count()}{(failed.Length > 0 ? " (" + failed + ")" : "")}");
        }
    }

    // ------------------------------------------------------------------ 1. unencrypted grant, one region

    [Fact]
    public async Task Grant_450UnencryptedAmis_OneRegion_NWritesNAttributeReads_BatchedDescribeImages_RestConstant()
    {
        const int n = 450;
        await using var t = await StartAsync();
        string[] ids = AddImages(t, n);
        t.Ps.SetVariable("ids", ids);
        t.Log.Clear();

        t.Run($"$ids | Grant-AmiLaunchPermission -AccountId {Accounts}").ThrowIfErrors();

        var log = t.Log.Entries;
        Print($"Grant {n} AMIs x 5 accounts", log);
        Assert.All(ids, id => Assert.Equal(AccountIds.Select(a => "UserId:" + a), t.PermissionsOf(id)));
        Assert.Equal(n, Count(log, "ModifyImageAttribute"));
        Assert.Equal(n, Count(log, "DescribeImageAttribute"));
        Assert.InRange(Count(log, "DescribeImages"), Pages(n), Pages(n) + 2);
        foreach (var other in log.Where(e => e.Action is not ("ModifyImageAttribute" or "DescribeImageAttribute" or "DescribeImages")).GroupBy(e => e.Service + " " + e.Action))
        {
            Assert.True(other.Count() <= 2, $"{other.Key} was called {other.Count()} times for {n} AMIs; a per-run read is made once.");
        }

        Assert.InRange(log.Count, 2 * n, (2 * n) + Pages(n) + 5);
    }

    // ------------------------------------------------------------------ 2. Set-AmiPublic: account-level facts once per run

    [Fact]
    public async Task SetAmiPublic_WhatIf_60Amis_AccountFactsReadOnce_OneAttributeReadPerAmi_NoWrite()
    {
        const int n = 60;
        await using var t = await StartAsync();
        string[] ids = AddImages(t, n);
        t.Ps.SetVariable("ids", ids);
        t.Log.Clear();

        t.Run("$ids | Set-AmiPublic -WhatIf").ThrowIfErrors();

        var log = t.Log.Entries;
        Print($"Set-AmiPublic -WhatIf, {n} AMIs", log);
        Assert.Equal(1, Count(log, "GetImageBlockPublicAccessState"));
        Assert.Equal(1, PublicCountReads(log));
        Assert.InRange(Count(log, "DescribeImages"), Pages(n) + 1, Pages(n) + 2); // the batch (⌈N/200⌉, one more at most) plus the public-AMI count
        Assert.Equal(n, Count(log, "DescribeImageAttribute"));
        Assert.Equal(0, t.Log.MutatingCount);
        Assert.All(ids, id => Assert.False(t.World.IsImagePublic("us-east-1", id)));
        string shown = t.Ps.HostOutput.ToString()!;
        Assert.All(ids, id => Assert.Contains(id, shown)); // every AMI got its "What if:" line
    }

    [Fact]
    public async Task SetAmiPublic_3Amis_OneAtATime_AccountFactsStillReadOnce()
    {
        const int n = 3;
        await using var t = await StartAsync();
        string[] ids = AddImages(t, n);
        t.Ps.SetVariable("ids", ids);
        t.Log.Clear();

        t.Run("$ids | Set-AmiPublic -Force -WarningAction SilentlyContinue").ThrowIfErrors();

        var log = t.Log.Entries;
        Print($"Set-AmiPublic, {n} AMIs", log);
        Assert.All(ids, id => Assert.True(t.World.IsImagePublic("us-east-1", id)));
        Assert.Equal(1, Count(log, "GetImageBlockPublicAccessState"));
        Assert.Equal(1, PublicCountReads(log));
        Assert.InRange(Count(log, "DescribeImages") - PublicCountReads(log), 1, n); // reads of the AMIs: at most one each
        Assert.Equal(n, Count(log, "DescribeImageAttribute"));
        Assert.Equal(n, Count(log, "ModifyImageAttribute"));
        Assert.Equal(n, t.Log.MutatingCount);
    }

    // ------------------------------------------------------------------ 3. encrypted grant and revoke: KMS reads once per key

    [Fact]
    public async Task Grant_40AmisBehindOneCmk_IncludeKmsKeyAndSnapshot_KmsReadOncePerKey_OnePolicyWrite_AndRevokeTheSame()
    {
        const int n = 40;
        await using var t = await StartAsync();
        for (int i = 0; i < n; i++)
        {
            t.World.AddSnapshot(new SnapshotSpec { SnapshotId = Snapshot(i), Region = "us-east-1", Owner = Owner, KmsKeyId = CmkArn, Description = $"for {Ami(i)}" });
        }

        int next = 0;
        string[] ids = AddImages(t, n, image => image.BlockDeviceMappings.Add(new BlockDeviceSpec { DeviceName = "/dev/xvda", SnapshotId = Snapshot(next++), VolumeSize = 8 }));
        string[] snapshots = Enumerable.Range(0, n).Select(Snapshot).ToArray();
        Assert.All(snapshots, s => Assert.True(t.World.SnapshotExists("us-east-1", s)));
        t.Ps.SetVariable("ids", ids);
        t.Log.Clear();

        t.Run($"$ids | Grant-AmiLaunchPermission -AccountId {Accounts} -IncludeKmsKey -IncludeSnapshot").ThrowIfErrors();

        var grant = t.Log.Entries;
        Print($"Grant {n} CMK-encrypted AMIs (one key) x 5 accounts -IncludeKmsKey -IncludeSnapshot", grant);
        Assert.All(ids, id => Assert.Equal(5, t.PermissionsOf(id).Count));
        Assert.All(snapshots, s => Assert.Equal(AccountIds, t.World.CreateVolumePermissionsOf("us-east-1", s).OrderBy(a => a, StringComparer.Ordinal)));
        string policy = t.World.KeyPolicyOf("us-east-1", CmkKeyId);
        Assert.All(AccountIds, a => Assert.Contains($"arn:aws:iam::{a}:root", policy));
        Assert.Equal(1, Count(grant, "DescribeKey"));
        Assert.Equal(1, Count(grant, "GetKeyPolicy"));
        Assert.Equal(1, Count(grant, "ListGrants"));
        Assert.Equal(1, Count(grant, "PutKeyPolicy"));
        Assert.Equal(n, Count(grant, "ModifySnapshotAttribute")); // one per snapshot
        Assert.Equal(n, Count(grant, "ModifyImageAttribute"));

        t.Log.Clear();
        t.Run($"$ids | Revoke-AmiLaunchPermission -AccountId {Accounts} -IncludeKmsKey -IncludeSnapshot").ThrowIfErrors();

        var revoke = t.Log.Entries;
        Print("Revoke the same -IncludeKmsKey -IncludeSnapshot", revoke);
        Assert.All(ids, id => Assert.Empty(t.PermissionsOf(id)));
        Assert.All(snapshots, s => Assert.Empty(t.World.CreateVolumePermissionsOf("us-east-1", s)));
        string revoked = t.World.KeyPolicyOf("us-east-1", CmkKeyId);
        Assert.All(AccountIds, a => Assert.DoesNotContain($"arn:aws:iam::{a}:root", revoked));
        Assert.Equal(1, Count(revoke, "DescribeKey"));
        Assert.Equal(1, Count(revoke, "GetKeyPolicy"));
        Assert.InRange(Count(revoke, "ListGrants"), 0, 1);
        Assert.Equal(1, Count(revoke, "PutKeyPolicy")); // the last AMI behind the key to lose the accounts removes them
        Assert.Equal(n, Count(revoke, "ModifySnapshotAttribute"));
        Assert.Equal(n, Count(revoke, "ModifyImageAttribute"));
    }

    // ------------------------------------------------------------------ 4. revoke with nothing to remove

    [Fact]
    public async Task Revoke_NothingToRemove_100Amis_NoOrganizationsCall_NoWrite_OneAttributeReadPerAmi()
    {
        const int n = 100;
        const string Other = "999999999999";
        await using var t = await StartAsync();
        // Half the AMIs are shared with another account, half with an OU (whose members would be an Organizations read away).
        int next = 0;
        string[] ids = AddImages(t, n, image => image.LaunchPermissions.Add(next++ % 2 == 0
            ? new LaunchPermissionSpec { UserId = Other }
            : new LaunchPermissionSpec { OrganizationalUnitArn = EngineeringOu }));
        t.Ps.SetVariable("ids", ids);
        t.Log.Clear();

        var r = t.Run($"$ids | Revoke-AmiLaunchPermission -AccountId {Accounts}").ThrowIfErrors();

        var log = t.Log.Entries;
        Print($"Revoke (nothing to remove), {n} AMIs x 5 accounts", log);
        Assert.Equal(0, log.Count(e => e.Service == "organizations"));
        Assert.Equal(0, t.Log.MutatingCount);
        Assert.Equal(n, Count(log, "DescribeImageAttribute"));
        Assert.InRange(log.Count, n, n + 2); // nothing else per AMI
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(new[] { i % 2 == 0 ? "UserId:" + Other : "OrganizationalUnitArn:" + EngineeringOu }, t.PermissionsOf(ids[i]));
        }

        // The OU-shared ones say the accounts may keep access through the OU, without asking Organizations who is in it.
        Assert.All(ids.Where((_, i) => i % 2 == 1), id => Assert.Contains(r.Warnings, w => w.Contains(id) && w.Contains("has no launch permission of its own")));
    }

    // ------------------------------------------------------------------ 5. EC2's buckets on

    /// <summary>
    /// 1,000 AMIs × 5 accounts against the emulator's EC2 token buckets, refilled <paramref name="factor"/> times faster than
    /// EC2's, with the module's client-side buckets (AMISHARE_RATE_LIMITS) at <paramref name="clientSetting"/>. Returns the log.
    /// </summary>
    private async Task<(IReadOnlyList<RequestLogEntry> Log, PsResult Result, string[] Ids, ModuleTestContext Context)> GrantUnderBucketsAsync(int n, double factor, string clientSetting)
    {
        var t = await StartAsync();
        string[] ids = AddImages(t, n);
        t.Ps.SetVariable("ids", ids);
        t.Emulator.Options.TimeScale = factor;
        t.Emulator.Options.Throttling = true;
        t.Log.Clear();

        // Read when the cmdlet builds its gateways (RateLimitSettings.FromEnvironment); the other test classes run with "off".
        string? before = Environment.GetEnvironmentVariable("AMISHARE_RATE_LIMITS");
        Environment.SetEnvironmentVariable("AMISHARE_RATE_LIMITS", clientSetting);
        var watch = Stopwatch.StartNew();
        PsResult r;
        try
        {
            r = t.Run($"$ids | Grant-AmiLaunchPermission -AccountId {Accounts}");
        }
        catch
        {
            await t.DisposeAsync();
            throw;
        }
        finally
        {
            Environment.SetEnvironmentVariable("AMISHARE_RATE_LIMITS", before);
        }

        watch.Stop();
        var log = t.Log.Entries;
        // ModifyImageAttribute is the bottleneck: 100 at once, then 5/s × factor.
        double floor = (n - 100) / (5 * factor);
        _output.WriteLine($"AMISHARE_RATE_LIMITS={clientSetting}, emulator TimeScale={factor}: wall {watch.Elapsed.TotalSeconds:0.0} s (printed only; floor {floor:0.0} s)");
        return (log, r, ids, t);
    }

    [Fact]
    public async Task Grant_1000Amis_WithEc2Buckets_ClientPacedAtTheSameFactor_NoErrors_UnderOnePercentThrottled_AtMost2_05CallsPerAmi()
    {
        const int n = 1000;
        const double factor = 25;
        var (log, r, ids, t) = await GrantUnderBucketsAsync(n, factor, factor.ToString(CultureInfo.InvariantCulture));
        await using (t)
        {
            Print($"Grant {n} AMIs x 5 accounts, EC2 buckets on, paced", log);
            int throttled = log.Count(e => e.ErrorCode == "RequestLimitExceeded");
            int ec2 = log.Count(e => e.Service == "ec2");
            _output.WriteLine($"RequestLimitExceeded: {throttled} of {log.Count} calls ({100.0 * throttled / log.Count:0.00}%); EC2 calls per AMI: {(double)ec2 / n:0.000}");

            Assert.Empty(r.AllErrors);
            Assert.All(ids, id => Assert.Equal(5, t.PermissionsOf(id).Count));
            Assert.Equal(n, log.Count(e => e.Action == "ModifyImageAttribute" && e.Succeeded));
            Assert.True(throttled * 100 < log.Count, $"{throttled} of {log.Count} calls were answered RequestLimitExceeded (1% or more).");
            Assert.InRange(ec2, 2 * n, (int)(2.05 * n));
        }
    }

    /// <summary>
    /// The control of the test above: the same run with the client's buckets off meets the emulator's buckets head-on, so
    /// the one-percent bound there is something an unpaced client does not meet (the setup really throttles).
    /// </summary>
    [Fact]
    public async Task Grant_1000Amis_WithEc2Buckets_WithoutClientPacing_IsThrottledOverOnePercent_AndRetriesToTheEnd()
    {
        const int n = 1000;
        const double factor = 25;
        var (log, r, ids, t) = await GrantUnderBucketsAsync(n, factor, "off");
        await using (t)
        {
            Print($"Grant {n} AMIs x 5 accounts, EC2 buckets on, client pacing off", log);
            int throttled = log.Count(e => e.ErrorCode == "RequestLimitExceeded");
            _output.WriteLine($"RequestLimitExceeded: {throttled} of {log.Count} calls ({100.0 * throttled / log.Count:0.00}%)");

            Assert.Empty(r.AllErrors); // the retry policy still gets every AMI through
            Assert.All(ids, id => Assert.Equal(5, t.PermissionsOf(id).Count));
            Assert.True(throttled * 100 >= log.Count, $"Only {throttled} of {log.Count} calls were throttled without client pacing: the emulator's buckets did not bite.");
        }
    }
}
