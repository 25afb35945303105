using System.Management.Automation;
using AmiShare.Sandbox;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>Issue 6: the console as users see it, in a 120-column window and an 80-column CI log.</summary>
public sealed class ConsoleOutputTests
{
    private const string CmkKeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string CmkKeyArn = "arn:aws:kms:us-east-1:123456789012:key/" + CmkKeyId;
    private const string CmkSnapshot = "snap-0a1b2c3d4e5f60002";
    private const string FinanceOu = "arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-22222222";

    /// <summary>What the console shows for a script at a window width (Out-Default through the host), line by line.</summary>
    private static string[] Shown(ModuleTestContext t, int width, string script, params object[] args)
    {
        t.Run("$Host.UI.RawUI.BufferSize = [System.Management.Automation.Host.Size]::new($args[0], 9999)", width).ThrowIfErrors();
        var host = (StringWriter)t.Ps.HostOutput;
        host.GetStringBuilder().Clear();
        t.Run(script + " | Out-Default", args).ThrowIfErrors();
        return host.ToString().Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToArray();
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task Get_AmiSharedWithTwoOus_ShowsBothOuIdsWhole_AtTheWidth(int width)
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -OrganizationalUnitArn $args[1], $args[2] -AccountId 444455556666", Web, EngineeringOu, FinanceOu).ThrowIfErrors();

        string[] lines = Shown(t, width, "Get-AmiLaunchPermission $args[0]", Web);

        Assert.Contains(lines, l => l.Trim() == $"Image: {Web} (us-east-1)");
        Assert.Contains(lines, l => l == "OrganizationalUnit o-abc1234567/ou-ab12-11111111");
        Assert.Contains(lines, l => l == "OrganizationalUnit o-abc1234567/ou-ab12-22222222");
        Assert.Contains(lines, l => l == "Account            444455556666");
        Assert.All(lines, l => Assert.True(l.Length <= width, l));
        Assert.DoesNotContain(lines, l => l.Contains('…'));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task TestAmiShareable_AtTheWidth_EachFindingIsACheckStatusLine_ThenDetailAndRemedyWithNoWordSplit(int width)
    {
        await using var t = await StartAsync();
        const string script = "& { Test-AmiShareable $args[0] -AccountId 444455556666; Test-AmiShareable $args[1] -Public } $args[0] $args[1]";
        PSObject[] findings = t.Run(script, Cmk, Web).ThrowIfErrors().Output.ToArray();
        Assert.Contains(findings, f => (string)f.Properties["Check"].Value == "KmsKeyAccess" && (string)f.Properties["Status"].Value == "Warn");
        Assert.Contains(findings, f => (string)f.Properties["Check"].Value == "Deprecation" && (string)f.Properties["Status"].Value == "Warn");

        string[] lines = Shown(t, width, script, Cmk, Web);
        string shown = string.Join("\n", lines);

        Assert.Contains(lines, l => l.Trim() == $"Image: {Cmk} (us-east-1)");
        Assert.Contains(lines, l => l.Trim() == $"Image: {Web} (us-east-1)");
        Assert.All(lines, l => Assert.True(l.Length < width, $"{l.Length} columns: {l}"));
        string[] shownWords = lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        foreach (PSObject f in findings)
        {
            string check = (string)f.Properties["Check"].Value;
            string status = (string)f.Properties["Status"].Value;
            string detail = (string)f.Properties["Detail"].Value;
            string remedy = (string)f.Properties["Remedy"].Value;
            int group = Array.FindIndex(lines, l => l.Trim() == $"Image: {f.Properties["ImageId"].Value} (us-east-1)");
            int at = Array.IndexOf(lines, $"{check,-18} {status}", group);
            Assert.True(at >= 0, $"no '{check} {status}' line in:\n{shown}");
            Assert.StartsWith("  " + detail.Split(' ')[0] + " ", lines[at + 1] + " ");
            foreach (string word in (detail + " " + remedy).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.True(shownWords.Contains(word), $"'{word}' of {check} is not shown whole at {width} columns:\n{shown}");
            }

            if (remedy.Length > 0)
            {
                Assert.Contains(lines.Skip(at + 1).TakeWhile(l => l.StartsWith("  ")), l => l.StartsWith("  Remedy: " + remedy.Split(' ')[0] + " "));
            }
        }
    }

    [Fact]
    public async Task TestAmiShareable_At80Columns_KmsKeyArnStaysOnOneLine_AndTheObjectKeepsEveryProperty()
    {
        await using var t = await StartAsync();

        string[] lines = Shown(t, 80, "Test-AmiShareable $args[0] -AccountId 444455556666", Cmk);

        Assert.Contains(lines, l => l == $"  {CmkKeyArn},");
        Assert.Contains(lines, l => l == "KmsKeyAccess       Warn");
        string[] names = t.Run("(Test-AmiShareable $args[0] -AccountId 444455556666)[0].PSObject.Properties.Name", Cmk).ThrowIfErrors().Output.Select(o => o.ToString()).ToArray();
        Assert.Equal(new[] { "ImageId", "Region", "Check", "Status", "Detail", "Remedy", "Principal", "Resource", "ErrorId" }, names);
        PSObject access = t.Run("Test-AmiShareable $args[0] -AccountId 444455556666 | Where-Object Check -eq KmsKeyAccess", Cmk).ThrowIfErrors().Output.Single();
        Assert.Equal("444455556666", access.Properties["Principal"].Value);
        Assert.Equal(CmkKeyArn, access.Properties["Resource"].Value);
    }

    [Fact]
    public async Task TestAmiLaunchAccess_At80Columns_ShowsThePrincipalWhole_AndTheObjectKeepsArnAndPath()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -OrganizationalUnitArn $args[1], $args[2]", Web, EngineeringOu, FinanceOu).ThrowIfErrors();

        string[] lines = Shown(t, 80, "Test-AmiLaunchAccess $args[0] -AccountId 444455556666, 555566667777, 999988887777", Web);

        Assert.Contains(lines, l => l.Trim() == $"Image: {Web} (us-east-1)");
        Assert.Contains(lines, l => l == "444455556666 True      OrganizationalUnit o-abc1234567/ou-ab12-11111111");
        Assert.Contains(lines, l => l == "555566667777 True      OrganizationalUnit o-abc1234567/ou-ab12-22222222");
        Assert.Contains(lines, l => l == "999988887777 False     None");
        Assert.All(lines, l => Assert.True(l.Length <= 80, l));

        PSObject row = t.Run("Test-AmiLaunchAccess $args[0] -AccountId 444455556666", Web).ThrowIfErrors().Output.Single();
        Assert.Equal(EngineeringOu, row.Properties["Principal"].Value);
        Assert.Equal("o-abc1234567/r-ab12/ou-ab12-11111111/ou-ab12-33333333/", row.Properties["OuPath"].Value);
    }

    [Fact]
    public async Task Get_ShortFormIsDisplayOnly_PropertiesAndRevokeKeepTheFullArns()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -OrganizationalUnitArn $args[1], $args[2]", Web, EngineeringOu, FinanceOu).ThrowIfErrors();

        var rows = t.Run("Get-AmiLaunchPermission $args[0]", Web).ThrowIfErrors().Output;
        Assert.Equal(new[] { EngineeringOu, FinanceOu }, rows.Select(o => (string)o.Properties["Principal"].Value).OrderBy(v => v, StringComparer.Ordinal));
        string[] names = t.Run("(Get-AmiLaunchPermission $args[0])[0].PSObject.Properties.Name", Web).ThrowIfErrors().Output.Select(o => o.ToString()).ToArray();
        Assert.Equal(new[] { "ImageId", "Region", "Type", "Principal" }, names); // what Export-Csv / ConvertTo-Json write

        t.Log.Clear();
        t.Run("Get-AmiLaunchPermission $args[0] | ForEach-Object { [pscustomobject]@{ ImageId = $_.ImageId; Principal = $_.Principal } } | Revoke-AmiLaunchPermission", Web).ThrowIfErrors();
        Assert.Empty(t.PermissionsOf(Web));
        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
    }

    [Fact]
    public async Task PassThru_IncludeKmsKeyAndSnapshot_RowShowsTheKeyPolicyAndSnapshotChanges_InAn80ColumnLog()
    {
        await using var t = await StartAsync();
        var r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey -IncludeSnapshot -PassThru", Cmk).ThrowIfErrors();

        PSObject row = r.Output.Single();
        Assert.Equal(new[] { CmkKeyArn }, ((IEnumerable<string>)row.Properties["KeyPoliciesChanged"].Value).ToArray());
        Assert.Equal(new[] { CmkSnapshot }, ((IEnumerable<string>)row.Properties["SnapshotsChanged"].Value).ToArray());

        string[] lines = Shown(t, 80, "$args[0]", row);
        Assert.Contains(lines, l => l == $"{Cmk} Grant      + 111122223333");
        Assert.Contains(lines, l => l.Trim() == $"KMS key {CmkKeyId}");
        Assert.Contains(lines, l => l.Trim() == $"snapshot {CmkSnapshot}");
        Assert.All(lines, l => Assert.True(l.Length <= 80, l));

        string[] again = Shown(t, 80, "Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey -IncludeSnapshot -PassThru", Cmk);
        Assert.Contains(again, l => l == $"{Cmk} Grant      no change");
    }

    [Fact]
    public async Task PassThru_KeyPolicyAndSnapshotLists_TurnIntoReadableTextForCsv()
    {
        await using var t = await StartAsync();
        var r = t.Run("$r = Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey -IncludeSnapshot -PassThru; \"$($r.KeyPoliciesChanged)|$($r.SnapshotsChanged)|$($r.KeyPoliciesChanged.ToString())\"", Cmk).ThrowIfErrors();

        Assert.Equal($"{CmkKeyArn}|{CmkSnapshot}|{CmkKeyArn}", r.Output.Single().ToString());
    }

    [Fact]
    public async Task Reset_IncludeKmsKeyAndSnapshot_TakesAmiShareStatementsAndSnapshotPermissionToo_WithoutWarnings()
    {
        await using var t = await StartAsync();
        string original = t.World.KeyPolicyOf("us-east-1", CmkKeyId);
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey -IncludeSnapshot", Cmk).ThrowIfErrors();
        Assert.Contains("111122223333", t.World.KeyPolicyOf("us-east-1", CmkKeyId));

        var r = t.Run("Reset-AmiLaunchPermission $args[0] -IncludeKmsKey -IncludeSnapshot -Force -PassThru", Cmk).ThrowIfErrors();

        Assert.Empty(t.PermissionsOf(Cmk));
        Assert.DoesNotContain("111122223333", t.World.KeyPolicyOf("us-east-1", CmkKeyId));
        Assert.DoesNotContain("AmiShare", t.World.KeyPolicyOf("us-east-1", CmkKeyId));
        Assert.Equal(original.Replace(" ", string.Empty).Replace("\n", string.Empty), t.World.KeyPolicyOf("us-east-1", CmkKeyId).Replace(" ", string.Empty).Replace("\n", string.Empty));
        Assert.Empty(t.World.CreateVolumePermissionsOf("us-east-1", CmkSnapshot));
        Assert.Empty(r.Warnings);
        PSObject row = r.Output.Single();
        Assert.Equal("app-server-cmk", row.Properties["ImageName"].Value);
        Assert.Equal(new[] { CmkKeyArn }, ((IEnumerable<string>)row.Properties["KeyPoliciesChanged"].Value).ToArray());
        Assert.Equal(new[] { CmkSnapshot }, ((IEnumerable<string>)row.Properties["SnapshotsChanged"].Value).ToArray());
    }

    [Fact]
    public async Task Reset_IncludeKmsKeyAndSnapshot_WhatIf_ShowsEveryChange_OneLineEach_AndChangesNothing()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey -IncludeSnapshot", Cmk).ThrowIfErrors();
        int writes = t.Log.MutatingCount;
        ((StringWriter)t.Ps.HostOutput).GetStringBuilder().Clear();

        t.Run("Reset-AmiLaunchPermission $args[0] -IncludeKmsKey -IncludeSnapshot -WhatIf", Cmk).ThrowIfErrors();

        string[] lines = t.Ps.HostOutput.ToString()!.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("What if: Performing the operation \"Reset launch permissions (remove all 1: 111122223333); " +
            $"Update the AmiShare statements of KMS key policy {CmkKeyArn}; Remove createVolumePermission on {CmkSnapshot} from 111122223333\"", lines[0]);
        Assert.StartsWith($"KMS key {CmkKeyArn}: AmiShare statements before: [{{", lines[1]);
        Assert.Equal($"KMS key {CmkKeyArn}: AmiShare statements after: (none)", lines[2]);
        Assert.Equal(writes, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Reset_WithoutOptions_WarnsThatKeyStatementsAndSnapshotSharingRemain_AndLeavesThem()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey -IncludeSnapshot", Cmk).ThrowIfErrors();
        string policy = t.World.KeyPolicyOf("us-east-1", CmkKeyId);

        var r = t.Run("Reset-AmiLaunchPermission $args[0] -Force", Cmk).ThrowIfErrors();

        Assert.Empty(t.PermissionsOf(Cmk));
        Assert.Equal(policy, t.World.KeyPolicyOf("us-east-1", CmkKeyId));
        Assert.Equal(new[] { "111122223333" }, t.World.CreateVolumePermissionsOf("us-east-1", CmkSnapshot));
        Assert.Contains(r.Warnings, w => w.StartsWith($"AmiShare's statements in the key policy of {CmkKeyArn} still give 111122223333 access to the key after the reset.") && w.Contains("-IncludeKmsKey"));
        Assert.Contains(r.Warnings, w => w.StartsWith($"Snapshot {CmkSnapshot} stays shared with 111122223333 (createVolumePermission)") && w.Contains("-IncludeSnapshot"));
        Assert.Equal(1, t.Log.Count("PutKeyPolicy")); // the grant's; the reset wrote no key policy
    }

    [Fact]
    public async Task Reset_AfterAPlainRevoke_NamesTheLeftoverKeyAccess_AndTheSuggestedRevokeRemovesIt()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey", Cmk).ThrowIfErrors();
        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333", Cmk).ThrowIfErrors();

        var r = t.Run("Reset-AmiLaunchPermission $args[0] -IncludeKmsKey -Force", Cmk).ThrowIfErrors();

        string warning = Assert.Single(r.Warnings);
        string advice = $"Revoke-AmiLaunchPermission {Cmk} -Principal 111122223333 -IncludeKmsKey";
        Assert.EndsWith($"run {advice}.", warning);
        t.Run(advice).ThrowIfErrors();
        Assert.DoesNotContain("111122223333", t.World.KeyPolicyOf("us-east-1", CmkKeyId));
    }

    [Fact]
    public async Task Reset_SnapshotSharedWithAnAccountWithoutLaunchPermission_WarnsItStaysShared()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeSnapshot", Web).ThrowIfErrors();
        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333", Web).ThrowIfErrors();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 444455556666", Web).ThrowIfErrors();

        var r = t.Run("Reset-AmiLaunchPermission $args[0] -IncludeSnapshot -Force", Web).ThrowIfErrors();

        string warning = Assert.Single(r.Warnings);
        Assert.StartsWith("Snapshot snap-0a1b2c3d4e5f60001 is shared with 111122223333 (createVolumePermission), who have no launch permission on " + Web, warning);
        Assert.Contains("Edit-EC2SnapshotAttribute -SnapshotId snap-0a1b2c3d4e5f60001 -Attribute createVolumePermission -OperationType remove -UserId 111122223333", warning);
        Assert.Equal(new[] { "111122223333" }, t.World.CreateVolumePermissionsOf("us-east-1", "snap-0a1b2c3d4e5f60001"));
    }

    [Fact]
    public async Task RevokeAndReset_PassThru_FillImageName_AsGrantDoes()
    {
        await using var t = await StartAsync();
        var grant = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333, 444455556666 -PassThru", Agent).ThrowIfErrors();
        var revoke = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333 -PassThru", Agent).ThrowIfErrors();
        var unchanged = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333 -PassThru", Agent).ThrowIfErrors();
        var reset = t.Run("Reset-AmiLaunchPermission $args[0] -Force -PassThru", Agent).ThrowIfErrors();
        var makePrivate = t.Run("Set-AmiPublic $args[0] -Public:$false -PassThru", Agent).ThrowIfErrors();

        foreach (var r in new[] { grant, revoke, unchanged, reset, makePrivate })
        {
            Assert.Equal("build-agent-2026.11", r.Output.Single().Properties["ImageName"].Value);
        }
    }

    [Fact]
    public async Task RevokeAndMakePrivate_WithoutPassThru_ReadNoImage_OneReadAndOneWritePerAmi()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333, 444455556666", Agent).ThrowIfErrors();
        t.Run("Set-AmiPublic $args[0] -Force -WarningAction SilentlyContinue", Web).ThrowIfErrors();
        t.Log.Clear();

        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333", Agent).ThrowIfErrors();
        t.Run("Set-AmiPublic $args[0] -Public:$false -Force", Web).ThrowIfErrors();

        // The name is only for -PassThru rows: without them, no DescribeImages; one read and one write per AMI.
        Assert.Equal(
            new[] { "DescribeImageAttribute", "ModifyImageAttribute", "DescribeImageAttribute", "ModifyImageAttribute" },
            t.Log.Entries.Select(e => e.Action).ToArray());
    }

    [Fact]
    public async Task Revoke_NothingToRemove_OneVerboseDecisionLine_AndNoOrganizationsCalls()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -OrganizationalUnitArn $args[1]", Agent, EngineeringOu).ThrowIfErrors();
        t.Log.Clear();

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 444455556666 -Verbose", Agent).ThrowIfErrors();

        Assert.Equal(0, t.Log.Entries.Count(e => e.Service == "Organizations"));
        Assert.Equal(0, t.Log.MutatingCount);
        string decision = Assert.Single(r.Verbose, v => v.Contains("nothing to change"));
        Assert.Equal($"{Agent}: nothing to change (444455556666 has no launch permission to revoke); no AWS write made", decision);
        Assert.All(r.Verbose.Where(v => !v.StartsWith("Invoking ")), v => Assert.Equal(decision, v));
        Assert.Equal(t.Log.Total, r.Verbose.Count(v => v.StartsWith("Invoking ")));
        string warning = Assert.Single(r.Warnings);
        Assert.Contains("OU o-abc1234567/ou-ab12-11111111", warning);
        Assert.Contains($"Test-AmiLaunchAccess {Agent} -AccountId 444455556666", warning);
    }

    [Fact]
    public async Task Grant_IncludeKmsKey_Verbose_EveryMessageIsOneLine_KeyStatementsBeforeAndAfterOnce()
    {
        await using var t = await StartAsync();

        var r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey -IncludeSnapshot -Verbose", Cmk).ThrowIfErrors();

        Assert.All(r.Verbose, v => Assert.DoesNotContain("\n", v));
        Assert.Equal($"KMS key {CmkKeyArn}: AmiShare statements before: (none)", Assert.Single(r.Verbose, v => v.Contains("AmiShare statements before")));
        string after = Assert.Single(r.Verbose, v => v.Contains("AmiShare statements after"));
        Assert.StartsWith($"KMS key {CmkKeyArn}: AmiShare statements after: [{{\"Sid\":\"AmiShareAccounts\"", after);
        Assert.Single(r.Verbose, v => v.StartsWith("Performing the operation \"Grant launch permission to 111122223333;"));
        Assert.DoesNotContain(r.Verbose, v => v.StartsWith(Cmk + ": Grant"));
        int calls = t.Log.Total;
        Assert.Equal(calls, r.Verbose.Count(v => v.StartsWith("Invoking ")));
    }

    [Fact]
    public async Task Verbose_InTheHost_EveryLineHasTheVerbosePrefix()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey", Cmk).ThrowIfErrors();
        ((StringWriter)t.Ps.HostOutput).GetStringBuilder().Clear();

        t.Ps.InvokeToHost("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey -Verbose", Cmk);

        string[] lines = t.Ps.HostOutput.ToString()!.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.StartsWith("VERBOSE: ", l));
    }

    [Fact]
    public async Task Progress_IdsByParameter_HavePercentComplete_OwnActivityId_AndNestedCommandsNameTheirParent()
    {
        await using var t = await StartAsync();
        List<ProgressRecord> grant = Progress(t, "Grant-AmiLaunchPermission $args[0], $args[1] -AccountId 111122223333", Web, Agent);

        List<ProgressRecord> running = grant.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
        Assert.Equal(new[] { 0, 50 }, running.Select(p => p.PercentComplete));
        Assert.Equal($"{Web} (0 of 2 done)", running[0].StatusDescription);
        Assert.Single(grant, p => p.RecordType == ProgressRecordType.Completed);
        int grantId = Assert.Single(grant.Select(p => p.ActivityId).Distinct());
        Assert.All(grant, p => Assert.Equal(-1, p.ParentActivityId));

        List<ProgressRecord> nested = Progress(t, "Grant-AmiLaunchPermission $args[0], $args[1] -AccountId 444455556666 -PassThru | Set-AmiPublic -Public:$false", Web, Agent);
        var ids = nested.Select(p => p.ActivityId).Distinct().ToList();
        Assert.Equal(2, ids.Count);
        Assert.DoesNotContain(grantId, ids);
        int outer = nested.First(p => p.Activity == "Granting AMI launch permissions").ActivityId;
        List<ProgressRecord> inner = nested.Where(p => p.Activity == "Making AMIs private").ToList();
        Assert.NotEmpty(inner);
        Assert.All(inner, p => Assert.Equal(outer, p.ParentActivityId));
        Assert.All(inner.Where(p => p.RecordType == ProgressRecordType.Processing), p => Assert.Equal(-1, p.PercentComplete)); // ids from the pipeline: no total
    }

    [Fact]
    public async Task Grant_AccountIdWithDashes_InvalidPrincipalNamesItAndGivesTheTwelveDigits_BeforeAnyCall()
    {
        await using var t = await StartAsync();
        var r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 1111-2222-3333", Web);

        Assert.Equal(new[] { "InvalidPrincipal,AmiShare.Commands.GrantAmiLaunchPermissionCommand" }, r.ErrorIds);
        ErrorRecord record = r.Errors.Concat(r.Terminating is IContainsErrorRecord c ? new[] { c.ErrorRecord } : Array.Empty<ErrorRecord>()).Single();
        Assert.Contains("'1111-2222-3333'", record.ErrorDetails.Message);
        Assert.Contains("without dashes or spaces: 111122223333.", record.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.Total);
    }

    private static List<ProgressRecord> Progress(ModuleTestContext t, string script, params object[] args)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = t.Ps.Runspace;
        ps.AddScript(script);
        foreach (object a in args)
        {
            ps.AddArgument(a);
        }

        ps.Invoke();
        Assert.Empty(ps.Streams.Error);
        return ps.Streams.Progress.ToList();
    }
}
