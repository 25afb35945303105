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
        Assert.Contains("failed the SnapshotEncryption check", text);
        Assert.Contains("an AMI with encrypted snapshots can never be public", text);

        // pwsh 7 shows the fix once, as the error's recommendation, not again inside the message.
        int fix = text.IndexOf("or create an unencrypted copy", StringComparison.Ordinal);
        Assert.True(fix > 0);
        Assert.Contains("Recommendation: Share it with specific accounts", text);
        Assert.Equal(1, CountOf(text, "or create an unencrypted copy"));
        Assert.Contains("WARNING: Account 444455556666", text);
        Assert.Contains("keeps launch access", text);
        Assert.Contains("organization o-abc1234567", text);
        Assert.Contains("encrypted with the AWS managed key aws/ebs", text);
        Assert.Contains("Caught: AmiNotFound,AmiShare.Commands.GrantAmiLaunchPermissionCommand", text);
        Assert.DoesNotContain("owner-secret", text);
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
