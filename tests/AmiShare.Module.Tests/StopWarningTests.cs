using System.Management.Automation;
using System.Text.RegularExpressions;
using AmiShare.Emulator;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// Ctrl+C while a slower command further down the pipeline is busy with an earlier row (found by helper "try" in real
/// pwsh: `$ids | Grant-AmiLaunchPermission -PassThru | % { Start-Sleep -m 300; … }`, ^C after 20 rows: 130 AMIs
/// changed, 20 rows written, no warning). The stop then surfaces as a PipelineStoppedException out of WriteObject,
/// not out of the job's TryTake, and the "Stopped: N AMIs had already been changed" warning must still be shown.
/// </summary>
public sealed class StopWarningTests
{
    private static string Ami(int i) => $"ami-{i + 0x200000:x17}";

    [Fact]
    public async Task Stop_WhileADownstreamCommandIsBusy_StillWarnsAboutChangedAmisWhoseRowsWereNotWritten()
    {
        await using var t = await StartAsync();
        var ids = Enumerable.Range(0, 200).Select(Ami).ToArray();
        foreach (string id in ids)
        {
            t.World.AddImage(new ImageSpec { ImageId = id, Region = "us-east-1", Owner = Owner, Name = "app-" + id });
        }

        t.Emulator.Options.Latency = TimeSpan.FromMilliseconds(10);
        t.Ps.SetVariable("ids", ids);

        using var ps = PowerShell.Create();
        ps.Runspace = t.Ps.Runspace;
        ps.AddScript("$ids | Grant-AmiLaunchPermission -AccountId 111111111111 -PassThru | ForEach-Object { Start-Sleep -Milliseconds 200; $_ }");
        var output = new PSDataCollection<PSObject>();
        IAsyncResult running = ps.BeginInvoke<PSObject, PSObject>(null, output);

        // The engine runs ahead of the slow consumer: wait until clearly more AMIs are changed than rows came out.
        Assert.True(
            SpinWait.SpinUntil(() => t.Log.Count("ModifyImageAttribute") >= output.Count + 30, TimeSpan.FromSeconds(60)),
            "the engine never got ahead of the consumer");

        ps.Stop();
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
        Thread.Sleep(300); // writes still waiting out their latency have answered by now

        int changed = ids.Count(id => t.PermissionsOf(id).Count > 0);
        int written = output.Count;
        Assert.True(changed - written >= 30, $"changed {changed}, written {written}");

        var warning = Regex.Match(t.Ps.HostOutput.ToString() ?? string.Empty, @"Stopped: (\d+) AMIs? had already been changed");
        Assert.True(warning.Success, $"no Stopped warning although {changed} AMIs were changed and {written} rows written; host output: {t.Ps.HostOutput}");
        Assert.InRange(int.Parse(warning.Groups[1].Value), changed - written - 10, changed - written); // at most the 10 in flight unknown
    }
}
