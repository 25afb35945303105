using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

public sealed class FormattingTests
{
    [Fact]
    public async Task GetAmiLaunchPermission_DefaultOutput_IsTheFormatFilesTable_GroupedByAmi_WithShortPrincipals()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -Principal 111122223333, $args[1]", Agent, OrgArn).ThrowIfErrors();

        t.Run("Get-AmiLaunchPermission $args[0] | Out-Default", Agent).ThrowIfErrors();

        string[] lines = t.Ps.HostOutput.ToString()!.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
        int group = Array.FindIndex(lines, l => l.Trim() == $"Image: {Agent} (us-east-1)");
        Assert.True(group >= 0, "group header missing in:\n" + string.Join("\n", lines));
        Assert.Equal("Type               Principal", lines[group + 1]);
        Assert.StartsWith("----", lines[group + 2]);
        Assert.Contains(lines, l => l == "Account            111122223333");
        Assert.Contains(lines, l => l == "Organization       o-abc1234567");
    }

    [Fact]
    public async Task ShareResult_DefaultOutput_IsATableWithOneChangePerLine()
    {
        await using var t = await StartAsync();

        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333,444455556666 -PassThru | Out-Default", Agent).ThrowIfErrors();

        string[] lines = t.Ps.HostOutput.ToString()!.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
        Assert.Contains("ImageId               Operation  Changes", lines);
        Assert.Contains($"{Agent} Grant      + 111122223333", lines);
        Assert.Contains("                                 + 444455556666", lines);
    }
}
