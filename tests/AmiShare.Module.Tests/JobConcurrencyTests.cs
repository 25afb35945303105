using AmiShare.Emulator;
using AmiShare.Sandbox;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// One engine job per invocation (issue 8 Build 1): what hits the wire for many AMIs, counted from the emulator's log, and
/// how many requests are in flight at once, counted at the emulator (overlaps, never time).
/// </summary>
public sealed class JobConcurrencyTests
{
    private const string Accounts = "111111111111,222222222222,333333333333,444444444444,555555555555";
    private static readonly string[] Regions = { "us-east-1", "us-west-2", "eu-west-1" };

    private static string Ami(int i) => $"ami-{i + 0x100000:x17}";

    /// <summary>Adds <paramref name="count"/> unencrypted AMIs of the owner, region by region in turn from <paramref name="regions"/>.</summary>
    private static List<(string ImageId, string Region)> AddImages(ModuleTestContext t, int count, params string[] regions)
    {
        var images = new List<(string, string)>();
        for (int i = 0; i < count; i++)
        {
            string region = regions[i % regions.Length];
            t.World.AddImage(new ImageSpec { ImageId = Ami(i), Region = region, Owner = Owner, Name = $"app-{i}" });
            images.Add((Ami(i), region));
        }

        return images;
    }

    /// <summary>Counts requests waiting out their latency at the same time (all of them, across regions).</summary>
    private sealed class InFlightCounter
    {
        private int _now;
        private int _max;

        public int Max => Volatile.Read(ref _max);

        public void Attach(EmulatorHost emulator, TimeSpan latency)
        {
            emulator.Options.Latency = latency;
            emulator.Options.Delay = async d =>
            {
                int now = Interlocked.Increment(ref _now);
                int seen;
                while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
                {
                }

                try
                {
                    await Task.Delay(d);
                }
                finally
                {
                    Interlocked.Decrement(ref _now);
                }
            };
        }
    }

    [Fact]
    public async Task Grant_200Amis_OneRegion_OneWriteAndOneAttributeReadPerAmi_AndDescribeImagesBatched()
    {
        const int n = 200;
        await using var t = await StartAsync();
        var images = AddImages(t, n, "us-east-1");
        t.Ps.SetVariable("ids", images.Select(i => i.ImageId).ToArray());
        t.Log.Clear();

        t.Run($"$ids | Grant-AmiLaunchPermission -AccountId {Accounts}").ThrowIfErrors();

        Assert.All(images, i => Assert.Equal(5, t.PermissionsOf(i.ImageId).Count));
        Assert.Equal(n, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(n, t.Log.Count("DescribeImageAttribute"));
        // The target of the batching gateway (helper "pace"): ⌈N/200⌉ DescribeImages pages plus a few per run.
        Assert.InRange(t.Log.Count("DescribeImages"), 1, ((n + 199) / 200) + 3);
    }

    [Fact]
    public async Task Grant_200Amis_ThreeRegions_SameCallsPerAmi_AndDescribeImagesBatchedPerRegion()
    {
        const int n = 200;
        await using var t = await StartAsync();
        var images = AddImages(t, n, Regions);
        t.Ps.SetVariable("rows", images.Select(i => new { ImageId = i.ImageId, Region = i.Region }).ToArray());
        t.Log.Clear();

        t.Run($"$rows | Grant-AmiLaunchPermission -AccountId {Accounts}").ThrowIfErrors();

        Assert.All(images, i => Assert.Equal(5, t.PermissionsOf(i.ImageId, i.Region).Count));
        foreach (string region in Regions)
        {
            int inRegion = images.Count(i => i.Region == region);
            Assert.Equal(inRegion, t.Log.Entries.Count(e => e.Action == "ModifyImageAttribute" && e.Region == region));
            Assert.Equal(inRegion, t.Log.Entries.Count(e => e.Action == "DescribeImageAttribute" && e.Region == region));
        }

        Assert.InRange(t.Log.Count("DescribeImages"), Regions.Length, Regions.Length * (((n + 199) / 200) + 3));
    }

    [Fact]
    public async Task Grant_OneRegion_KeepsTenRequestsInFlight_NotMore()
    {
        await using var t = await StartAsync();
        var images = AddImages(t, 40, "us-east-1");
        var counter = new InFlightCounter();
        counter.Attach(t.Emulator, TimeSpan.FromMilliseconds(30));
        t.Ps.SetVariable("ids", images.Select(i => i.ImageId).ToArray());

        t.Run("$ids | Grant-AmiLaunchPermission -AccountId 111111111111").ThrowIfErrors();

        Assert.Equal(40, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(10, counter.Max);
    }

    [Fact]
    public async Task Grant_ConcurrencyFromTheEnvironment_BoundsRequestsInFlight()
    {
        await using var t = await StartAsync();
        var images = AddImages(t, 20, "us-east-1");
        var counter = new InFlightCounter();
        counter.Attach(t.Emulator, TimeSpan.FromMilliseconds(30));
        t.Ps.SetVariable("ids", images.Select(i => i.ImageId).ToArray());
        Environment.SetEnvironmentVariable("AMISHARE_CONCURRENCY", "3");
        try
        {
            t.Run("$ids | Grant-AmiLaunchPermission -AccountId 111111111111").ThrowIfErrors();
        }
        finally
        {
            Environment.SetEnvironmentVariable("AMISHARE_CONCURRENCY", null);
        }

        Assert.Equal(20, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(3, counter.Max);
    }

    [Fact]
    public async Task Grant_ThreeRegions_RunTogether_EachWithItsOwnBound()
    {
        await using var t = await StartAsync();
        var images = AddImages(t, 90, Regions);
        var counter = new InFlightCounter();
        counter.Attach(t.Emulator, TimeSpan.FromMilliseconds(30));
        t.Ps.SetVariable("rows", images.Select(i => new { ImageId = i.ImageId, Region = i.Region }).ToArray());

        t.Run("$rows | Grant-AmiLaunchPermission -AccountId 111111111111").ThrowIfErrors();

        Assert.Equal(90, t.Log.Count("ModifyImageAttribute"));
        Assert.InRange(counter.Max, 11, 30); // more than one region's 10 at once, never more than 3 × 10
    }

    [Fact]
    public async Task BadConcurrencySetting_StopsBeforeAnyCall_NamingTheValue()
    {
        await using var t = await StartAsync();
        Environment.SetEnvironmentVariable("AMISHARE_CONCURRENCY", "lots");
        PsResult r;
        try
        {
            r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333", Web);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AMISHARE_CONCURRENCY", null);
        }

        Assert.Equal(new[] { "InvalidConcurrency,AmiShare.Commands.GrantAmiLaunchPermissionCommand" }, r.ErrorIds);
        Assert.Contains("'lots'", r.FirstErrorText);
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task Grant_SameAmiTwice_NotAdjacent_WritesOnce_AndOutputStaysInInputOrder()
    {
        await using var t = await StartAsync();
        var counter = new InFlightCounter();
        counter.Attach(t.Emulator, TimeSpan.FromMilliseconds(10));
        var r = t.Run("$args | Grant-AmiLaunchPermission -AccountId 111122223333 -PassThru", Web, Agent, Web, Missing, Agent);

        Assert.Equal(new[] { "AmiNotFound,AmiShare.Commands.GrantAmiLaunchPermissionCommand" }, r.ErrorIds);
        Assert.Equal(2, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(new object[] { Web, Agent, Web, Agent }, r.Output.Select(o => o.Properties["ImageId"].Value).ToArray());
        Assert.Equal(new object[] { true, true, false, false }, r.Output.Select(o => o.Properties["Changed"].Value).ToArray());
    }

    [Fact]
    public async Task Stop_EndsTheCommand_ResultsWrittenAreExact_AndNoWriteStartsAfterwards()
    {
        await using var t = await StartAsync();
        var images = AddImages(t, 200, "us-east-1");
        t.Emulator.Options.Latency = TimeSpan.FromMilliseconds(40);
        t.Ps.SetVariable("ids", images.Select(i => i.ImageId).ToArray());

        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = t.Ps.Runspace;
        ps.AddScript("$ids | Grant-AmiLaunchPermission -AccountId 111111111111 -PassThru");
        var output = new System.Management.Automation.PSDataCollection<System.Management.Automation.PSObject>();
        IAsyncResult running = ps.BeginInvoke<System.Management.Automation.PSObject, System.Management.Automation.PSObject>(null, output);
        Assert.True(SpinWait.SpinUntil(() => t.Log.Count("ModifyImageAttribute") >= 20, TimeSpan.FromSeconds(60)), "no writes started");

        ps.Stop();
        Assert.Throws<System.Management.Automation.PipelineStoppedException>(() => ps.EndInvoke(running));
        int writesAtStop = t.Log.Count("ModifyImageAttribute");
        Thread.Sleep(300); // anything still waiting out its latency has answered by now
        var changed = images.Where(i => t.PermissionsOf(i.ImageId).Count > 0).Select(i => i.ImageId).ToList();

        Assert.InRange(changed.Count, 20, 199); // stopped part-way
        Assert.Equal(changed.Count, t.Log.Count("ModifyImageAttribute")); // every write that reached EC2 is one changed AMI
        Assert.InRange(t.Log.Count("ModifyImageAttribute") - writesAtStop, 0, 10); // at most the ones in flight finished
        // Every result written is an AMI that really changed, in input order, and none twice.
        var written = output.Select(o => (string)o.Properties["ImageId"].Value).ToList();
        Assert.Equal(changed.Take(written.Count), written);
        // AMIs whose write was answered but whose result could not be written any more are counted in a warning; a write
        // cancelled in flight may still have reached EC2 without an answer, so the warning names at most the rest.
        var warning = System.Text.RegularExpressions.Regex.Match(t.Ps.HostOutput.ToString() ?? string.Empty, @"Stopped: (\d+) AMI\(s\) had already been changed");
        if (changed.Count - written.Count > 10)
        {
            // More unreported changes than could have been in flight: some were answered, so the warning must be there.
            Assert.True(warning.Success, $"no Stopped warning although {changed.Count} AMIs changed and {written.Count} rows were written");
        }

        if (warning.Success)
        {
            Assert.InRange(int.Parse(warning.Groups[1].Value), 1, changed.Count - written.Count);
        }
    }
}
