using AmiShare.Engine.Jobs;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>The "Stopped:" warning counts AMIs in proper English (1 AMI, 2 AMIs), names the first ten, and says nothing for none.</summary>
public sealed class StoppedWarningTests
{
    [Fact]
    public void OneAmi_Singular()
    {
        Assert.StartsWith("Stopped: 1 AMI had already been changed when the command stopped, and their results were not written: ami-1.", StoppedWarning.Text(["ami-1"]));
    }

    [Fact]
    public void ElevenAmis_PluralTenNamedAndTheRestCounted()
    {
        string text = StoppedWarning.Text(Enumerable.Range(1, 11).Select(i => $"ami-{i}").ToList());

        Assert.StartsWith("Stopped: 11 AMIs had already been changed", text);
        Assert.Contains("ami-10 and 1 more. Run Get-AmiLaunchPermission", text);
        Assert.DoesNotContain("ami-11", text);
    }

    [Fact]
    public void NoAmi_NoWarning() => Assert.Null(StoppedWarning.Text([]));
}
