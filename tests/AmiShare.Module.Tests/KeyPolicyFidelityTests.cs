using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmiShare.Emulator;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>Issue 7, build 6: a key policy stays the user's document through Grant and Revoke/Reset -IncludeKmsKey.</summary>
public sealed class KeyPolicyFidelityTests
{
    private const string CmkKeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";

    // "Statement" as one object, laid out by hand: odd spacing, CRLF, a tab, escaped and raw non-ASCII, an escaped slash,
    // a number written as 3.6e3, members in an unusual order. System.Text.Json would rewrite every one of these.
    private const string LoneObjectPolicy =
        "{\r\n  \"Statement\" : {\r\n\t\"Sid\": \"Enable IAM User Permissions \\u2013 caf\u00e9\",\r\n    \"Principal\": { \"AWS\": \"arn:aws:iam::123456789012:root\" },\r\n"
        + "    \"Effect\":\"Allow\",   \"Action\" : \"kms:*\",\r\n    \"Resource\": \"*\",\r\n"
        + "    \"Condition\": {\"NumericLessThanEquals\": {\"aws:MultiFactorAuthAge\": 3.6e3}, \"StringLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::123456789012:*\\/*\"}}\r\n  },\r\n"
        + "  \"Version\" : \"2012-10-17\",\r\n  \"Id\": \"key-by-hand\"\r\n}\r\n";

    private static World WorldWithKeyPolicy(string policy)
    {
        JsonNode world = JsonNode.Parse(World.DemoJson())!;
        JsonNode key = world["keys"]!.AsArray().Single(k => (string?)k!["keyId"] == CmkKeyId)!;
        key["policy"] = policy;
        return World.FromJson(world.ToJsonString());
    }

    /// <summary>The key policy as the emulator's own state endpoint shows it.</summary>
    private static async Task<string> StoredPolicyAsync(ModuleTestContext t)
    {
        using var http = new HttpClient();
        string state = await http.GetStringAsync(t.Emulator.Endpoint.TrimEnd('/') + "/_emulator/state");
        using var doc = JsonDocument.Parse(state);
        JsonElement key = doc.RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("keyId").GetString() == CmkKeyId);
        return key.GetProperty("policy").GetString()!;
    }

    [Fact]
    public async Task GrantThenRevoke_IncludeKmsKey_LoneStatementObjectPolicy_ComesBackByteForByte()
    {
        await using var t = await StartAsync(WorldWithKeyPolicy(LoneObjectPolicy));
        Assert.Equal(LoneObjectPolicy, await StoredPolicyAsync(t));

        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey", Cmk).ThrowIfErrors();
        string granted = t.World.KeyPolicyOf("us-east-1", CmkKeyId);
        using (var doc = JsonDocument.Parse(granted))
        {
            JsonElement statements = doc.RootElement.GetProperty("Statement");
            Assert.Equal(JsonValueKind.Array, statements.ValueKind);
            Assert.Equal("arn:aws:iam::111122223333:root", statements[1].GetProperty("Principal").GetProperty("AWS")[0].GetString());
        }

        string loneStatement = LoneObjectPolicy.Substring(LoneObjectPolicy.IndexOf("{\r\n\t", StringComparison.Ordinal), LoneObjectPolicy.IndexOf("\r\n  },", StringComparison.Ordinal) + 5 - LoneObjectPolicy.IndexOf("{\r\n\t", StringComparison.Ordinal));
        Assert.Contains(loneStatement, granted, StringComparison.Ordinal);
        Assert.Equal(1, t.Log.Count("PutKeyPolicy"));

        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey", Cmk).ThrowIfErrors();

        Assert.Equal(2, t.Log.Count("PutKeyPolicy"));
        Assert.Equal(LoneObjectPolicy, t.World.KeyPolicyOf("us-east-1", CmkKeyId));
        Assert.Equal(LoneObjectPolicy, await StoredPolicyAsync(t));
        Assert.Empty(t.PermissionsOf(Cmk));
    }

    [Fact]
    public async Task GrantTwoAccountsAndOrganization_ThenRevokeThemInTwoRuns_ListPolicyComesBackByteForByte()
    {
        const string Policy = "{ \"Version\":\"2012-10-17\",\n\"Statement\" : [\n      {\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::123456789012:root\"]},\"Action\":\"kms:*\",\"Resource\":\"*\"},\n"
            + "      { \"Sid\" : \"Allow admins \\u00e9\", \"Effect\":\"Allow\", \"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/KeyAdmin\"}, \"Action\":[\"kms:Describe*\",\"kms:Put*\"], \"Resource\":\"*\" }\n   ]\n}";
        await using var t = await StartAsync(WorldWithKeyPolicy(Policy));

        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333,444455556666 -OrganizationArn $args[1] -IncludeKmsKey", Cmk, OrgArn).ThrowIfErrors();
        string granted = t.World.KeyPolicyOf("us-east-1", CmkKeyId);
        Assert.Contains("AmiShareAccounts", granted);
        Assert.Contains("AmiShareOrganizations", granted);
        Assert.StartsWith(Policy.Substring(0, Policy.LastIndexOf('}', Policy.Length - 2) + 1), granted, StringComparison.Ordinal);

        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 444455556666 -IncludeKmsKey", Cmk).ThrowIfErrors();
        Assert.NotEqual(Policy, t.World.KeyPolicyOf("us-east-1", CmkKeyId));
        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333 -OrganizationArn $args[1] -IncludeKmsKey", Cmk, OrgArn).ThrowIfErrors();

        Assert.Equal(Policy, t.World.KeyPolicyOf("us-east-1", CmkKeyId));
    }

    [Fact]
    public async Task GrantThenReset_IncludeKmsKey_LoneStatementObjectPolicy_ComesBackByteForByte()
    {
        await using var t = await StartAsync(WorldWithKeyPolicy(LoneObjectPolicy));

        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333,444455556666 -IncludeKmsKey", Cmk).ThrowIfErrors();
        Assert.NotEqual(LoneObjectPolicy, t.World.KeyPolicyOf("us-east-1", CmkKeyId));

        t.Run("Reset-AmiLaunchPermission $args[0] -IncludeKmsKey -Force", Cmk).ThrowIfErrors();

        Assert.Equal(LoneObjectPolicy, t.World.KeyPolicyOf("us-east-1", CmkKeyId));
        Assert.Empty(t.PermissionsOf(Cmk));
    }
}
