using System.Text.Json;
using AmiShare.Engine;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Principals;
using Xunit;

namespace AmiShare.Engine.Tests;

public class KeyPolicyDocumentTests
{
    private const string KeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    // Pretty-printed the way a person writes it, with odd spacing and a non-ASCII character that must survive.
    private const string Foreign1 = "{\n      \"Sid\" : \"Enable IAM User Permissions\",\n      \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"},\n      \"Action\": \"kms:*\", \"Resource\": \"*\"\n    }";
    private const string Foreign2 = "{ \"Sid\": \"Allow key admins – ops\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": [\"arn:aws:iam::123456789012:role/KeyAdmin\"]}, \"Action\": [\"kms:Create*\",\"kms:Describe*\"], \"Resource\": \"*\" }";
    private static readonly string Policy = "{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"key-consolepolicy-3\",\n  \"Statement\": [\n    " + Foreign1 + ",\n    " + Foreign2 + "\n  ]\n}";

    private static KeyAccessSubject Account(string id) => new() { Type = PrincipalType.Account, Principal = id, AccountId = id };

    private static KeyAccessSubject Org(string org) => new() { Type = PrincipalType.Organization, Principal = $"arn:aws:organizations::123456789012:organization/{org}", OrganizationId = org };

    private static KeyAccessSubject Ou(string org, string ou, string? path) => new()
    {
        Type = PrincipalType.OrganizationalUnit, Principal = $"arn:aws:organizations::123456789012:ou/{org}/{ou}", OrganizationId = org, OrganizationalUnitId = ou, OrgPath = path,
    };

    private static List<JsonElement> Statements(string policy)
    {
        using var doc = JsonDocument.Parse(policy);
        return doc.RootElement.GetProperty("Statement").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Fact]
    public void PlanGrant_OrgOuAndAccount_AddsThreeManagedStatementsAfterForeignOnes()
    {
        var change = KeyPolicyPlanner.PlanGrant(KeyArn, Policy, "aws", new[]
        {
            Org("o-abc1234567"), Ou("o-abc1234567", "ou-ab12-11111111", "o-abc1234567/r-ab12/ou-ab12-11111111/"), Account("111122223333"),
        })!;

        var statements = Statements(change.NewPolicy);
        Assert.Equal(5, statements.Count);
        Assert.Equal(new[] { "Enable IAM User Permissions", "Allow key admins – ops", "AmiShareOrganizations", "AmiShareOrganizationalUnits", "AmiShareAccounts" },
            statements.Select(s => s.GetProperty("Sid").GetString()));
        var org = statements[2];
        Assert.Equal("*", org.GetProperty("Principal").GetString());
        Assert.Equal("o-abc1234567", org.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:PrincipalOrgID")[0].GetString());
        Assert.Equal(KeyPolicyDocument.ManagedActions, org.GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("kms:CreateGrant", KeyPolicyDocument.ManagedActions);
        Assert.Equal("*", org.GetProperty("Resource").GetString());
        Assert.Equal("o-abc1234567/r-ab12/ou-ab12-11111111/*", statements[3].GetProperty("Condition").GetProperty("ForAnyValue:StringLike").GetProperty("aws:PrincipalOrgPaths")[0].GetString());
        Assert.Equal("arn:aws:iam::111122223333:root", statements[4].GetProperty("Principal").GetProperty("AWS")[0].GetString());
        Assert.Null(change.StatementsBefore);
        Assert.DoesNotContain("\n", change.StatementsAfter); // one line: -WhatIf and -Verbose print it as one line
        Assert.Equal(new[] { "AmiShareOrganizations", "AmiShareOrganizationalUnits", "AmiShareAccounts" },
            Statements("{\"Statement\":" + change.StatementsAfter + "}").Select(s => s.GetProperty("Sid").GetString()));
    }

    [Fact]
    public void PlanGrant_ForeignStatements_KeptByteForByte()
    {
        var change = KeyPolicyPlanner.PlanGrant(KeyArn, Policy, "aws", new[] { Account("111122223333") })!;
        Assert.Contains(Foreign1 + ",\n    " + Foreign2, change.NewPolicy, StringComparison.Ordinal);
        Assert.StartsWith("{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"key-consolepolicy-3\",\n  \"Statement\": [\n    " + Foreign1, change.NewPolicy, StringComparison.Ordinal);
        Assert.EndsWith("\n  ]\n}", change.NewPolicy, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanGrant_AlreadyPresent_ReturnsNull()
    {
        var first = KeyPolicyPlanner.PlanGrant(KeyArn, Policy, "aws", new[] { Org("o-abc1234567"), Account("111122223333") })!;
        Assert.Null(KeyPolicyPlanner.PlanGrant(KeyArn, first.NewPolicy, "aws", new[] { Account("111122223333"), Org("o-abc1234567") }));
    }

    [Fact]
    public void PlanGrant_SecondAccount_AddedToExistingStatementInPlace()
    {
        var first = KeyPolicyPlanner.PlanGrant(KeyArn, Policy, "aws", new[] { Account("111122223333") })!;
        var second = KeyPolicyPlanner.PlanGrant(KeyArn, first.NewPolicy, "aws-cn", new[] { Account("444455556666") })!;

        var statements = Statements(second.NewPolicy);
        Assert.Equal(3, statements.Count);
        Assert.Equal(new[] { "arn:aws:iam::111122223333:root", "arn:aws-cn:iam::444455556666:root" },
            statements[2].GetProperty("Principal").GetProperty("AWS").EnumerateArray().Select(x => x.GetString()));
        Assert.Contains("111122223333", second.StatementsBefore);
        Assert.DoesNotContain("444455556666", second.StatementsBefore);
        Assert.Contains("444455556666", second.StatementsAfter);
    }

    [Fact]
    public void PlanGrant_OuPathUnknown_UsesWildcardRootPattern()
    {
        var change = KeyPolicyPlanner.PlanGrant(KeyArn, Policy, "aws", new[] { Ou("o-abc1234567", "ou-ab12-33333333", null) })!;
        Assert.Contains("\"o-abc1234567/*/ou-ab12-33333333/*\"", change.NewPolicy);
    }

    [Fact]
    public void PlanRevoke_OneOfTwoAccounts_RemovesOnlyThatAccount()
    {
        var granted = KeyPolicyPlanner.PlanGrant(KeyArn, Policy, "aws", new[] { Account("111122223333"), Account("444455556666"), Org("o-abc1234567") })!;
        var revoke = KeyPolicyPlanner.PlanRevoke(KeyArn, granted.NewPolicy, new[] { PrincipalParser.Parse("444455556666") })!;

        var statements = Statements(revoke.NewPolicy);
        Assert.Equal(4, statements.Count);
        Assert.Equal(new[] { "arn:aws:iam::111122223333:root" }, statements[3].GetProperty("Principal").GetProperty("AWS").EnumerateArray().Select(x => x.GetString()));
        Assert.Contains("o-abc1234567", statements[2].GetRawText());
        Assert.StartsWith(Policy.Substring(0, Policy.IndexOf(Foreign2, StringComparison.Ordinal) + Foreign2.Length), revoke.NewPolicy, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanRevoke_LastOuOfStatement_DropsStatementAndRestoresOriginal()
    {
        var granted = KeyPolicyPlanner.PlanGrant(KeyArn, Policy, "aws", new[] { Ou("o-abc1234567", "ou-ab12-11111111", "o-abc1234567/r-ab12/ou-ab12-11111111/") })!;
        var revoke = KeyPolicyPlanner.PlanRevoke(KeyArn, granted.NewPolicy, new[] { PrincipalParser.Parse("arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111") })!;

        Assert.Equal(Policy, revoke.NewPolicy);
        Assert.Null(revoke.StatementsAfter);
        Assert.NotNull(revoke.StatementsBefore);
    }

    [Fact]
    public void PlanRevoke_OuWithWildcardPattern_RemovedToo()
    {
        var granted = KeyPolicyPlanner.PlanGrant(KeyArn, Policy, "aws", new[] { Ou("o-abc1234567", "ou-ab12-33333333", null), Account("111122223333") })!;
        var revoke = KeyPolicyPlanner.PlanRevoke(KeyArn, granted.NewPolicy, new[] { PrincipalParser.Parse("arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-33333333") })!;
        Assert.DoesNotContain("ou-ab12-33333333", revoke.NewPolicy);
        Assert.Contains("AmiShareAccounts", revoke.NewPolicy);
    }

    [Fact]
    public void PlanRevoke_PrincipalNotInManagedStatements_ReturnsNullEvenIfForeignStatementNamesIt()
    {
        string policy = "{\"Statement\":[{\"Sid\":\"Theirs\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
        Assert.Null(KeyPolicyPlanner.PlanRevoke(KeyArn, policy, new[] { PrincipalParser.Parse("111122223333") }));
    }

    [Fact]
    public void PlanGrant_LoneStatementObject_BecomesListKeepingIt()
    {
        string lone = "{\"Sid\":\"Only\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
        var change = KeyPolicyPlanner.PlanGrant(KeyArn, "{\"Version\":\"2012-10-17\",\"Statement\":" + lone + "}", "aws", new[] { Account("111122223333") })!;
        Assert.StartsWith("{\"Version\":\"2012-10-17\",\"Statement\":[" + lone + ", {\"Sid\":\"AmiShareAccounts\"", change.NewPolicy, StringComparison.Ordinal);
        Assert.Equal(2, Statements(change.NewPolicy).Count);
    }

    [Fact]
    public void PlanGrant_ResultOver32KB_ThrowsKmsPolicyTooLarge()
    {
        static string Make(int n) => "{\"Statement\":[{\"Sid\":\"Big\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:SourceVpce\":\"" + new string('v', n) + "\"}}}]}";
        string policy = Make(1000);
        policy = Make(1000 + KeyPolicyDocument.MaxPolicyBytes - 100 - KeyPolicyDocument.SizeOf(policy));
        Assert.True(KeyPolicyDocument.SizeOf(policy) < KeyPolicyDocument.MaxPolicyBytes);

        var e = Assert.Throws<AmiShareException>(() => KeyPolicyPlanner.PlanGrant(KeyArn, policy, "aws", new[] { Account("111122223333") }));
        Assert.Equal(ErrorIds.KmsPolicyTooLarge, e.ErrorId);
        Assert.Equal(AmiShareErrorKind.LimitsExceeded, e.Kind);
        Assert.Contains("32768", e.Message);
    }

    [Fact]
    public void Parse_NotJson_ThrowsKmsKeyNotUsable()
    {
        var e = Assert.Throws<AmiShareException>(() => KeyPolicyDocument.Parse("{\"Statement\":[", KeyArn));
        Assert.Equal(ErrorIds.KmsKeyNotUsable, e.ErrorId);
        Assert.Contains(KeyArn, e.Message);
    }

    [Fact]
    public void Reapply_PolicyEditedAfterPlan_AppliesSameEditToNewText()
    {
        var change = KeyPolicyPlanner.PlanGrant(KeyArn, Policy, "aws", new[] { Account("111122223333") })!;
        string edited = Policy.Replace(Foreign2, Foreign2 + ", {\"Sid\":\"Added meanwhile\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");

        string result = KeyPolicyPlanner.Reapply(change, edited)!;
        Assert.Equal(new[] { "Enable IAM User Permissions", "Allow key admins – ops", "Added meanwhile", "AmiShareAccounts" },
            Statements(result).Select(s => s.GetProperty("Sid").GetString()));
        Assert.Equal(change.NewPolicy, KeyPolicyPlanner.Reapply(change, Policy));
        Assert.Null(KeyPolicyPlanner.Reapply(change, change.NewPolicy + " "));
    }

    // Issue 7, build 6: the policy is the user's document.
    private const string Lone = "{\n    \"Sid\" : \"Only\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"\n  }";
    private const string LonePolicy = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": " + Lone + "\n}\n";

    [Fact]
    public void GrantThenRevoke_LoneStatementObject_ComesBackAsTheSameObjectByteForByte()
    {
        var grant = KeyPolicyPlanner.PlanGrant(KeyArn, LonePolicy, "aws", new[] { Account("111122223333") })!;
        var revoke = KeyPolicyPlanner.PlanRevoke(KeyArn, grant.NewPolicy, new[] { PrincipalParser.Parse("111122223333") })!;

        Assert.Equal(LonePolicy, revoke.NewPolicy);
        using var doc = JsonDocument.Parse(revoke.NewPolicy);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("Statement").ValueKind);
    }

    [Fact]
    public void LoneStatementObject_StaysAListWhileAnyManagedStatementRemains_ThenComesBack()
    {
        string policy = KeyPolicyPlanner.PlanGrant(KeyArn, LonePolicy, "aws", new[] { Account("111122223333") })!.NewPolicy;
        policy = KeyPolicyPlanner.PlanGrant(KeyArn, policy, "aws", new[] { Org("o-abc1234567") })!.NewPolicy;
        Assert.Contains("\"Statement\": [" + Lone + ", {\"Sid\":\"AmiShareAccounts\"", policy, StringComparison.Ordinal);

        policy = KeyPolicyPlanner.PlanRevoke(KeyArn, policy, new[] { PrincipalParser.Parse("111122223333") })!.NewPolicy;
        Assert.Equal(new[] { "Only", "AmiShareOrganizations" }, Statements(policy).Select(s => s.GetProperty("Sid").GetString()));

        policy = KeyPolicyPlanner.PlanRevoke(KeyArn, policy, new[] { PrincipalParser.Parse("arn:aws:organizations::123456789012:organization/o-abc1234567") })!.NewPolicy;
        Assert.Equal(LonePolicy, policy);
    }

    [Fact]
    public void GrantThenRevoke_OneStatementList_StaysAList()
    {
        string policy = "{\"Statement\":[" + Lone + "]}";
        var grant = KeyPolicyPlanner.PlanGrant(KeyArn, policy, "aws", new[] { Account("111122223333") })!;
        Assert.StartsWith("{\"Statement\":[" + Lone + ",{\"Sid\":\"AmiShareAccounts\"", grant.NewPolicy, StringComparison.Ordinal);

        Assert.Equal(policy, KeyPolicyPlanner.PlanRevoke(KeyArn, grant.NewPolicy, new[] { PrincipalParser.Parse("111122223333") })!.NewPolicy);
    }

    [Fact]
    public void Grant_OneStatementListLaidOutOnLines_NewStatementFollowsThatLayout()
    {
        string policy = "{\n  \"Statement\": [\n    " + Lone + "\n  ]\n}";
        var grant = KeyPolicyPlanner.PlanGrant(KeyArn, policy, "aws", new[] { Account("111122223333") })!;
        Assert.StartsWith("{\n  \"Statement\": [\n    " + Lone + ",\n    {\"Sid\":\"AmiShareAccounts\"", grant.NewPolicy, StringComparison.Ordinal);
        Assert.EndsWith("}\n  ]\n}", grant.NewPolicy, StringComparison.Ordinal);
        Assert.Equal(policy, KeyPolicyPlanner.PlanRevoke(KeyArn, grant.NewPolicy, new[] { PrincipalParser.Parse("111122223333") })!.NewPolicy);
    }

    [Fact]
    public void Grant_ManagedStatementWhoseValuesDoNotChange_KeepsItsOwnText()
    {
        // An AmiShareOrganizations statement laid out by hand; the grant adds an account only.
        const string Orgs = "{ \"Sid\": \"AmiShareOrganizations\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [\"kms:Decrypt\"], \"Resource\": \"*\",\n  \"Condition\": { \"StringEquals\": { \"aws:PrincipalOrgID\": \"o-abc1234567\" } } }";
        string policy = "{\"Statement\": [" + Foreign1 + ",\n" + Orgs + "]}";
        var grant = KeyPolicyPlanner.PlanGrant(KeyArn, policy, "aws", new[] { Account("111122223333"), Org("o-abc1234567") })!;

        Assert.StartsWith("{\"Statement\": [" + Foreign1 + ",\n" + Orgs + ",\n{\"Sid\":\"AmiShareAccounts\"", grant.NewPolicy, StringComparison.Ordinal);
        Assert.Equal(policy, KeyPolicyPlanner.PlanRevoke(KeyArn, grant.NewPolicy, new[] { PrincipalParser.Parse("111122223333") })!.NewPolicy);
    }

    [Fact]
    public void Revoke_LoneManagedStatementObject_StaysAnObjectWhileItHasPrincipals()
    {
        string policy = "{\"Statement\":{\"Sid\":\"AmiShareAccounts\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::111122223333:root\",\"arn:aws:iam::444455556666:root\"]},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}}";
        string revoked = KeyPolicyPlanner.PlanRevoke(KeyArn, policy, new[] { PrincipalParser.Parse("444455556666") })!.NewPolicy;

        using var doc = JsonDocument.Parse(revoked);
        JsonElement statement = doc.RootElement.GetProperty("Statement");
        Assert.Equal(JsonValueKind.Object, statement.ValueKind);
        Assert.Equal("arn:aws:iam::111122223333:root", Assert.Single(statement.GetProperty("Principal").GetProperty("AWS").EnumerateArray()).GetString());
    }
}
