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

        // The distribution chapter: two copies, a rerun that finds them and writes nothing, the refusal and the re-encrypt remedy.
        Assert.Contains("Source: ami-0a1b2c3d4e5f60001 (us-east-1)", text);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(text, @"(us-west-2|eu-west-1) +ami-[0-9a-f]{17} available Created 2027-11-02").Count);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(text, @"(us-west-2|eu-west-1): ami-[0-9a-f]{17} Reused, 0 writes, SSM /golden/web/latest").Count);
        Assert.Contains("111122223333 True      OrganizationalUnit o-abc1234567/ou-ab12-11111111", text);
        Assert.Contains("What if: Performing the operation \"Publish AMI (copy, share, tag, deprecate, SSM parameter)\" on target \"ami-0a1b2c3d4e5f60005 (us-east-1) to eu-west-1\"", text);
        Assert.Contains("The copy in region 'us-west-2' would be encrypted with the AWS managed key aws/ebs", text);
        Assert.Matches(@"us-east-1 +ami-[0-9a-f]{17} available Created +1234abcd-12ab-34cd-56ef-1234567890ab", text);
        Assert.Contains("Launch permissions of the aws/ebs source: 0", text);

        // The audit chapter: the report across regions names the outside account; usage; -CheckUsage refuses, -Force removes.
        Assert.Matches(@"us-east-1 +ami-0a1b2c3d4e5f60005 False +999988887777", text);
        Assert.Matches(@"us-east-1 +ami-0a1b2c3d4e5f60005 999988887777 999988887777: 1 inst, 0 LT", text);
        // (Error views wrap long messages onto "| " continuation lines; join them before matching a sentence.)
        string flat = System.Text.RegularExpressions.Regex.Replace(text, @"\s*\n\s*\|\s", " ");
        Assert.Contains("999988887777 has 1 instance and 0 launch templates using ami-0a1b2c3d4e5f60005. Nothing was changed on this AMI.", flat);
        Assert.Contains("WARNING: -Force: removing launch access to ami-0a1b2c3d4e5f60005", text);

        // The consumers chapter: the member's view, the refusal naming the owner's snapshot grant, two copies, a rerun that reuses them.
        // The table shows Via DirectOrOrganization as Direct/Org, so at 80 columns the name keeps 24 characters.
        Assert.Matches(@"ami-0a1b2c3d4e5f60002 123456789012 Direct/Org yes +NO +app-server-cmk", text);
        Assert.Contains("legacy-aws-ebs (re-encrypted)", text);
        Assert.Contains("Grant-AmiLaunchPermission -ImageId ami-0a1b2c3d4e5f60002 -AccountId 111122223333 -IncludeSnapshot -Region us-east-1", flat);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(text, @"(us-east-1|us-west-2) +ami-[0-9a-f]{17} available Created c0c0c0c0-").Count);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(text, @"(us-east-1|us-west-2): ami-[0-9a-f]{17} Reused\r?\n").Count);
    }

    [Fact]
    public async Task ScriptStoppingOnATerminatingError_ExitsWith1_AndShowsTheErrorIdAndFix()
    {
        string script = Path.Combine(Path.GetTempPath(), "amishare-sandbox-" + Guid.NewGuid().ToString("N") + ".ps1");
        File.WriteAllText(script, "$ErrorActionPreference = 'Stop'\nGrant-AmiLaunchPermission ami-0a1b2c3d4e5f60001 -AccountId 12345\n'not reached'\n");
        try
        {
            var output = new StringWriter();
            int exit = await SandboxRunner.RunAsync(script, output, plainText: true);
            string text = output.ToString();

            Assert.Equal(1, exit);
            Assert.Contains("The principal '12345' is not a valid account id", text);
            Assert.Single(text.Split('\n'), l => l.Contains("Recommendation: An account id has exactly 12 ASCII digits"));
            Assert.Contains("The script stopped on a terminating error (InvalidPrincipal,AmiShare.Commands.GrantAmiLaunchPermissionCommand).", text);
            Assert.DoesNotContain("not reached", text);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task ScriptThatRunsToTheEnd_ExitsWith0_EvenAfterNonTerminatingErrors()
    {
        string script = Path.Combine(Path.GetTempPath(), "amishare-sandbox-" + Guid.NewGuid().ToString("N") + ".ps1");
        File.WriteAllText(script, "Grant-AmiLaunchPermission ami-0f0f0f0f0f0f0f0f0 -AccountId 111122223333\n'reached the end'\n");
        try
        {
            var output = new StringWriter();
            int exit = await SandboxRunner.RunAsync(script, output, plainText: true);

            Assert.Equal(0, exit);
            Assert.Contains("failed the Ownership check", output.ToString());
            Assert.Contains("reached the end", output.ToString());
        }
        finally
        {
            File.Delete(script);
        }
    }
}
