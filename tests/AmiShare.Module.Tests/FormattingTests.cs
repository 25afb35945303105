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

    [Fact]
    public async Task Finding_ConsoleText_UnknownWidthCountsAs80_AndAWordLongerThanTheRoomStaysWholeOnItsOwnLine()
    {
        await using var t = await StartAsync();
        const string key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const string find = "$f = Test-AmiShareable $args[0] -AccountId 444455556666 | Where-Object Check -eq KmsKeyAccess; ";

        string[] unknown = t.Run(find + "[AmiShare.AmiShareFinding]::ConsoleText($f, 0)", Cmk).ThrowIfErrors().Output.Single().ToString().Split('\n');
        string[] at80 = t.Run(find + "[AmiShare.AmiShareFinding]::ConsoleText($f, 80)", Cmk).ThrowIfErrors().Output.Single().ToString().Split('\n');
        string[] at50 = t.Run(find + "[AmiShare.AmiShareFinding]::ConsoleText($f, 50)", Cmk).ThrowIfErrors().Output.Single().ToString().Split('\n');

        Assert.Equal(at80, unknown);
        Assert.Equal("KmsKeyAccess       Warn", at50[0]);
        Assert.Contains($"  {key},", at50);
        Assert.All(at50.Where(l => !l.Contains(key)), l => Assert.True(l.Length <= 49, l));
        Assert.True(at50.Length > at80.Length);
    }
}
