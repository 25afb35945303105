using System.Text.Json;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>Issue 3: preflight, -IncludeKmsKey, -IncludeSnapshot, bare organization ids, launch access.</summary>
public sealed class EncryptedAndOrganizationTests
{
    private const string CmkKeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string PlatformAccount = "444455556666";
    private const string EngineeringPath = "o-abc1234567/r-ab12/ou-ab12-11111111/";

    [Fact]
    public async Task Grant_AwsManagedKeyAmi_StopsBeforeAnyWrite_WithRemedy()
    {
        await using var t = await StartAsync();
        var r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey -IncludeSnapshot", AwsEbs);

        var error = Assert.Single(r.Errors);
        Assert.Equal("EncryptedWithAwsManagedKey,AmiShare.Commands.GrantAmiLaunchPermissionCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Copy-EC2Image", error.Exception.Message);
        Assert.Equal(0, t.Log.MutatingCount);
        Assert.Equal(0, t.Log.Count("ModifyImageAttribute"));
    }

    [Fact]
    public async Task Grant_CmkAmiToOu_WithIncludeKmsKey_WritesOneOrgPathsStatement_Idempotently_AndRevokeRemovesOnlyIt()
    {
        await using var t = await StartAsync();
        string before = t.World.KeyPolicyOf("us-east-1", CmkKeyId);
        var foreignBefore = ForeignStatements(before);

        t.Run("Grant-AmiLaunchPermission $args[0] -OrganizationalUnitArn $args[1] -IncludeKmsKey", Cmk, EngineeringOu).ThrowIfErrors();

        string after = t.World.KeyPolicyOf("us-east-1", CmkKeyId);
        var managed = ManagedStatements(after);
        var withPaths = managed.Where(s => s.GetRawText().Contains("aws:PrincipalOrgPaths")).ToList();
        var statement = Assert.Single(withPaths);
        Assert.Contains("o-abc1234567/r-ab12/ou-ab12-11111111/*", statement.GetRawText());
        Assert.Contains("kms:CreateGrant", statement.GetRawText());
        Assert.Equal(foreignBefore, ForeignStatements(after));
        Assert.Equal(new[] { "OrganizationalUnitArn:" + EngineeringOu }, t.PermissionsOf(Cmk));

        int writes = t.Log.MutatingCount;
        t.Run("Grant-AmiLaunchPermission $args[0] -OrganizationalUnitArn $args[1] -IncludeKmsKey", Cmk, EngineeringOu).ThrowIfErrors();
        Assert.Equal(writes, t.Log.MutatingCount);
        Assert.Equal(after, t.World.KeyPolicyOf("us-east-1", CmkKeyId));

        t.Run("Revoke-AmiLaunchPermission $args[0] -OrganizationalUnitArn $args[1] -IncludeKmsKey", Cmk, EngineeringOu).ThrowIfErrors();
        string revoked = t.World.KeyPolicyOf("us-east-1", CmkKeyId);
        Assert.DoesNotContain("ou-ab12-11111111", revoked);
        Assert.Equal(foreignBefore, ForeignStatements(revoked));
        Assert.Empty(t.PermissionsOf(Cmk));
    }

    [Fact]
    public async Task Grant_IncludeKmsKey_WhatIf_ShowsStatementBeforeAndAfter_AndChangesNothing()
    {
        await using var t = await StartAsync();
        string before = t.World.KeyPolicyOf("us-east-1", CmkKeyId);

        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey -WhatIf", Cmk).ThrowIfErrors();

        string shown = t.Ps.HostOutput.ToString()!;
        Assert.Contains("What if:", shown);
        Assert.Contains("AmiShareAccounts", shown);
        Assert.Contains("arn:aws:iam::111122223333:root", shown);
        Assert.Equal(before, t.World.KeyPolicyOf("us-east-1", CmkKeyId));
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Grant_IncludeSnapshot_TwoAccounts_DescribeSnapshotAttributeListsBothOnEverySnapshot()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333, 444455556666 -IncludeSnapshot", Agent).ThrowIfErrors();

        foreach (string snapshot in new[] { "snap-0a1b2c3d4e5f60005", "snap-0a1b2c3d4e5f60015" })
        {
            string xml = await DescribeSnapshotAttributeAsync(t, snapshot);
            Assert.Contains("<userId>111122223333</userId>", xml);
            Assert.Contains("<userId>444455556666</userId>", xml);
        }
    }

    [Fact]
    public async Task Grant_IncludeSnapshot_WithOu_WarnsThatSnapshotsCannotGoToOrganizations()
    {
        await using var t = await StartAsync();
        var r = t.Run("Grant-AmiLaunchPermission $args[0] -Principal 111122223333, $args[1] -IncludeSnapshot", Agent, EngineeringOu).ThrowIfErrors();

        Assert.Contains(r.Warnings, w => w.Contains(EngineeringOu));
        Assert.Equal(new[] { "111122223333" }, t.World.CreateVolumePermissionsOf("us-east-1", "snap-0a1b2c3d4e5f60005"));
    }

    [Fact]
    public async Task Grant_BareOuId_SharesWithTheFullOuArn()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -Principal ou-ab12-11111111", Agent).ThrowIfErrors();

        Assert.Equal(new[] { "OrganizationalUnitArn:" + EngineeringOu }, t.PermissionsOf(Agent));
    }

    [Fact]
    public async Task Grant_BareOrgId_AsAccountOutsideAnyOrganization_IsRefusedWithArnFormat_AndNoEc2Call()
    {
        await using var t = await StartAsync();
        var r = t.Run("Grant-AmiLaunchPermission $args[0] -Principal o-abc1234567 -AccessKey AKIAAMISHARETHIRD0001 -SecretKey third-secret", ThirdParty);

        Assert.Contains("InvalidPrincipal,AmiShare.Commands.GrantAmiLaunchPermissionCommand", r.ErrorIds);
        Assert.Contains("o-abc1234567", r.FirstErrorText);
        Assert.Contains("arn:aws:organizations::", r.FirstErrorText + r.AllErrors[0].ErrorDetails?.RecommendedAction);
        Assert.Equal(0, t.Log.Entries.Count(e => e.Service == "ec2"));
    }

    [Fact]
    public async Task TestAmiLaunchAccess_AccountInNestedOu_ReportsOrganizationalUnitWithPath()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -OrganizationalUnitArn $args[1]", Agent, EngineeringOu).ThrowIfErrors();

        var r = t.Run("Test-AmiLaunchAccess $args[0] -AccountId 111122223333, 444455556666, 555566667777", Agent).ThrowIfErrors();

        var rows = r.Output.ToDictionary(o => (string)o.Properties["AccountId"].Value, o => o);
        Assert.Equal("OrganizationalUnit", rows[Consumer].Properties["Via"].Value);
        Assert.Equal(EngineeringPath, rows[Consumer].Properties["OuPath"].Value);
        Assert.Equal("OrganizationalUnit", rows[PlatformAccount].Properties["Via"].Value);
        Assert.Equal(EngineeringOu, rows[PlatformAccount].Properties["Principal"].Value);
        Assert.StartsWith(EngineeringPath, (string)rows[PlatformAccount].Properties["OuPath"].Value);
        Assert.Equal(false, rows["555566667777"].Properties["CanLaunch"].Value);
        Assert.Equal("None", rows["555566667777"].Properties["Via"].Value);
    }

    [Fact]
    public async Task TestAmiLaunchAccess_Quiet_ReturnsBooleans()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333", Agent).ThrowIfErrors();

        var r = t.Run("Test-AmiLaunchAccess $args[0] -AccountId 111122223333, 555566667777 -Quiet", Agent).ThrowIfErrors();

        Assert.Equal(new object[] { true, false }, r.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public async Task Revoke_AccountStillInSharedOu_WarnsExactlyThroughThatOu()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -Principal 111122223333, $args[1]", Agent, EngineeringOu).ThrowIfErrors();

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333", Agent).ThrowIfErrors();

        var warning = Assert.Single(r.Warnings);
        Assert.Contains("111122223333", warning);
        Assert.Contains("keeps", warning);
        Assert.Contains("ou-ab12-11111111", warning);
        Assert.Contains(EngineeringPath, warning);
    }

    [Fact]
    public async Task Revoke_AccountWithoutDirectPermissionButInSharedOu_WarnsItKeepsAccess_AndWritesNothing()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -OrganizationalUnitArn $args[1]", Agent, EngineeringOu).ThrowIfErrors();
        int writes = t.Log.MutatingCount;

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 444455556666", Agent).ThrowIfErrors();

        var warning = Assert.Single(r.Warnings);
        Assert.Contains("444455556666 has no launch permission of its own", warning);
        Assert.Contains("ou-ab12-11111111", warning);
        Assert.Equal(writes, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Revoke_AccountOutsideTheSharedOu_GetsNoWarning()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -Principal 555566667777, $args[1]", Agent, EngineeringOu).ThrowIfErrors();

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 555566667777", Agent).ThrowIfErrors();

        Assert.Empty(r.Warnings);
    }

    [Theory]
    [InlineData(Market, "us-east-1", "ProductCodesCannotBePublic")]
    [InlineData(Cmk, "us-east-1", "EncryptedSnapshotsCannotBePublic")]
    [InlineData(EuWeb, "eu-west-1", "PublicSharingBlocked")]
    public async Task TestAmiShareable_Public_ReportsTheFailingCheck_AndQuietIsFalse(string imageId, string region, string errorId)
    {
        await using var t = await StartAsync();
        var r = t.Run("Test-AmiShareable $args[0] -Public -Region $args[1]", imageId, region).ThrowIfErrors();

        var failed = r.Output.Where(o => (string)o.Properties["Status"].Value == "Fail").ToList();
        Assert.Contains(failed, o => (string)o.Properties["ErrorId"].Value == errorId && !string.IsNullOrEmpty((string)o.Properties["Remedy"].Value));
        Assert.Equal(0, t.Log.MutatingCount);

        var quiet = t.Run("Test-AmiShareable $args[0] -Public -Region $args[1] -Quiet", imageId, region).ThrowIfErrors();
        Assert.Equal(false, quiet.Output.Single().BaseObject);
    }

    [Fact]
    public async Task TestAmiShareable_CmkAmiForAccount_WarnsAboutKmsAccess_UnlessIncludeKmsKey()
    {
        await using var t = await StartAsync();
        var r = t.Run("Test-AmiShareable $args[0] -AccountId 111122223333", Cmk).ThrowIfErrors();
        var access = r.Output.Where(o => (string)o.Properties["Check"].Value == "KmsKeyAccess").ToList();
        Assert.Contains(access, o => (string)o.Properties["Status"].Value == "Warn" && ((string)o.Properties["Remedy"].Value).Contains("-IncludeKmsKey"));

        var quiet = t.Run("Test-AmiShareable $args[0] -AccountId 111122223333 -Quiet", Cmk).ThrowIfErrors();
        Assert.Equal(true, quiet.Output.Single().BaseObject);

        var fixable = t.Run("Test-AmiShareable $args[0] -AccountId 111122223333 -IncludeKmsKey", Cmk).ThrowIfErrors();
        Assert.DoesNotContain(fixable.Output, o => (string)o.Properties["Check"].Value == "KmsKeyAccess" && (string)o.Properties["Status"].Value != "Pass");
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Grant_CmkAmiWithoutIncludeKmsKey_SharesButWarnsAboutKmsAccess()
    {
        await using var t = await StartAsync();
        var r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333", Cmk).ThrowIfErrors();

        Assert.Contains(r.Warnings, w => w.Contains("111122223333") && w.Contains("-IncludeKmsKey"));
        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Cmk));
    }

    private static List<string> ForeignStatements(string policy)
        => Statements(policy).Where(s => !IsManaged(s)).Select(s => s.GetRawText()).ToList();

    private static List<JsonElement> ManagedStatements(string policy) => Statements(policy).Where(IsManaged).ToList();

    private static bool IsManaged(JsonElement s)
        => s.TryGetProperty("Sid", out var sid) && (sid.GetString() ?? string.Empty).StartsWith("AmiShare", StringComparison.Ordinal);

    private static List<JsonElement> Statements(string policy)
    {
        using var doc = JsonDocument.Parse(policy);
        var statement = doc.RootElement.GetProperty("Statement");
        var list = statement.ValueKind == JsonValueKind.Array ? statement.EnumerateArray().Select(e => e.Clone()).ToList() : new List<JsonElement> { statement.Clone() };
        return list;
    }

    /// <summary>Calls DescribeSnapshotAttribute on the emulator as the owner (GET form; the emulator reads the access key from the SigV4 header).</summary>
    private static async Task<string> DescribeSnapshotAttributeAsync(ModuleTestContext t, string snapshotId)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get,
            $"{t.Emulator.Endpoint}/?Action=DescribeSnapshotAttribute&Version=2016-11-15&Attribute=createVolumePermission&SnapshotId={snapshotId}");
        string date = DateTime.UtcNow.ToString("yyyyMMdd");
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={OwnerKey}/{date}/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=00");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'"));
        using var response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }
}
