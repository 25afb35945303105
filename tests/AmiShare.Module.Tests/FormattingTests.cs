using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

public sealed class FormattingTests
{
    [Fact]
    public async Task GetAmiLaunchPermission_DefaultOutput_IsTheFormatFilesTable()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -Principal 111122223333, $args[1]", Agent, OrgArn).ThrowIfErrors();

        t.Run("Get-AmiLaunchPermission $args[0] | Out-Default", Agent).ThrowIfErrors();

        string[] lines = t.Ps.HostOutput.ToString()!.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
        int header = Array.FindIndex(lines, l => l.StartsWith("ImageId") && l.Contains("Region") && l.Contains("Type") && l.Contains("Principal"));
        Assert.True(header >= 0, "table header missing in:\n" + string.Join("\n", lines));
        Assert.StartsWith("-------", lines[header + 1]);
        Assert.Contains(lines, l => l.StartsWith(Agent) && l.Contains("us-east-1") && l.Contains("Account") && l.Contains("111122223333"));
        Assert.Contains(lines, l => l.StartsWith(Agent) && l.Contains("Organization") && l.Contains(OrgArn));
    }

    [Fact]
    public async Task ShareResult_DefaultOutput_IsATableWithJoinedPrincipals()
    {
        await using var t = await StartAsync();

        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333,444455556666 -PassThru | Out-Default", Agent).ThrowIfErrors();

        string text = t.Ps.HostOutput.ToString()!;
        Assert.Contains("Operation", text);
        Assert.Contains("Changed", text);
        Assert.Contains("111122223333, 444455556666", text);
    }
}
