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
        Assert.Contains("Type               Principal", text);
        Assert.Contains("Account            444455556666", text);
        Assert.Contains("Image: ami-0a1b2c3d4e5f60001 (us-east-1)", text);
        Assert.Contains("failed the SnapshotEncryption check", text);
        Assert.Contains("an AMI with encrypted snapshots can never be public", text);

        // pwsh 7 shows the fix once, as the error's recommendation, not again inside the message.
        Assert.Contains("Recommendation: Share it with specific accounts", text);
        int error = text.IndexOf("failed the SnapshotEncryption check", StringComparison.Ordinal);
        int recommendation = text.IndexOf("Recommendation: Share it with specific accounts", error, StringComparison.Ordinal);
        Assert.True(error > 0 && recommendation > error);
        Assert.DoesNotContain("EC2 cannot make an unencrypted copy", text.Substring(error, recommendation - error));
        Assert.Contains("EC2 cannot make an unencrypted copy of an encrypted AMI", text.Substring(recommendation));
        Assert.DoesNotContain("or create an unencrypted copy", text);
        Assert.Contains("WARNING: Account 444455556666", text);
        Assert.Contains("keeps launch access", text);
        Assert.Contains("organization o-abc1234567", text);
        Assert.Contains("encrypted with the AWS managed key aws/ebs", text);
        Assert.Contains("Caught: AmiNotFound,AmiShare.Commands.GrantAmiLaunchPermissionCommand", text);
        Assert.DoesNotContain("owner-secret", text);
    }
}
