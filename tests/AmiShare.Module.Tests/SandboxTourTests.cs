using AmiShare.Sandbox;
using Xunit;

namespace AmiShare.Module.Tests;

/// <summary>The README's first command: the sandbox runs the tour and shows what the issue promises.</summary>
public sealed class SandboxTourTests
{
    [Fact]
    public async Task Tour_PrintsTablesRefusalsAndWarnings()
    {
        var output = new StringWriter();
        int exit = await SandboxRunner.RunAsync(RepoPaths.Tour, output, plainText: true);
        string text = output.ToString();

        Assert.Equal(0, exit);
        Assert.Contains("ImageId                Region         Type               Principal", text);
        Assert.Contains("cannot be made public because it has encrypted snapshots", text);
        Assert.Contains("Recommendation:", text);
        Assert.Contains("WARNING: Account 444455556666", text);
        Assert.Contains("keeps launch access", text);
        Assert.Contains("organization o-abc1234567", text);
        Assert.Contains("encrypted with the AWS managed key aws/ebs", text);
        Assert.Contains("Caught: AmiNotFound,AmiShare.Commands.GrantAmiLaunchPermissionCommand", text);
        Assert.DoesNotContain("owner-secret", text);
    }
}
