using AmiShare.Engine.Gateways;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Principals;
using Xunit;

namespace AmiShare.Engine.Tests;

public class KeyAccessEvaluatorTests
{
    private const string LaunchActions = "[\"kms:DescribeKey\",\"kms:CreateGrant\",\"kms:Decrypt\",\"kms:GenerateDataKey*\",\"kms:ReEncrypt*\"]";

    private static readonly KeyAccessSubject Consumer = new() { Type = PrincipalType.Account, Principal = "111122223333", AccountId = "111122223333" };

    private static readonly KeyAccessSubject ConsumerInOrg = new()
    {
        Type = PrincipalType.Account, Principal = "111122223333", AccountId = "111122223333", OrganizationId = "o-abc1234567", OrgPath = "o-abc1234567/r-ab12/ou-ab12-11111111/",
    };

    private static readonly KeyAccessSubject Org = new() { Type = PrincipalType.Organization, Principal = "arn:aws:organizations::123456789012:organization/o-abc1234567", OrganizationId = "o-abc1234567" };

    private static readonly KeyAccessSubject Engineering = new()
    {
        Type = PrincipalType.OrganizationalUnit, Principal = "arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111",
        OrganizationId = "o-abc1234567", OrganizationalUnitId = "ou-ab12-11111111", OrgPath = "o-abc1234567/r-ab12/ou-ab12-11111111/",
    };

    private static readonly KeyAccessSubject EngineeringPathUnknown = new()
    {
        Type = PrincipalType.OrganizationalUnit, Principal = Engineering.Principal, OrganizationId = "o-abc1234567", OrganizationalUnitId = "ou-ab12-11111111",
    };

    private static KeyAccessResult Eval(KeyAccessSubject subject, IReadOnlyList<KmsGrantInfo>? grants, params string[] statements) =>
        KeyAccessEvaluator.Evaluate(statements, grants ?? Array.Empty<KmsGrantInfo>(), subject, "us-east-1");

    private static string Allow(string principal, string actions = LaunchActions, string condition = "") =>
        "{\"Sid\":\"S\",\"Effect\":\"Allow\",\"Principal\":" + principal + ",\"Action\":" + actions + ",\"Resource\":\"*\"" + (condition.Length > 0 ? ",\"Condition\":" + condition : "") + "}";

    [Fact]
    public void Evaluate_RootArnPrincipal_HasAccess()
    {
        var r = Eval(Consumer, null, Allow("{\"AWS\":\"arn:aws:iam::111122223333:root\"}"));
        Assert.True(r.HasAccess);
        Assert.Equal(new[] { "statement 'S'" }, r.Sources);
    }

    [Fact]
    public void Evaluate_BareAccountIdInList_HasAccess()
    {
        Assert.True(Eval(Consumer, null, Allow("{\"AWS\":[\"444455556666\",\"111122223333\"]}")).HasAccess);
    }

    [Fact]
    public void Evaluate_OtherAccountOrRoleOnly_MissesEverything()
    {
        var r = Eval(Consumer, null, Allow("{\"AWS\":[\"arn:aws:iam::111122223333:role/Builder\",\"arn:aws:iam::444455556666:root\"]}"));
        Assert.Equal(KeyAccessEvaluator.RequiredActions, r.Missing);
    }

    [Fact]
    public void Evaluate_KmsStarAction_CoversWildcardRequirements()
    {
        Assert.True(Eval(Consumer, null, Allow("{\"AWS\":\"111122223333\"}", "\"kms:*\"")).HasAccess);
    }

    [Fact]
    public void Evaluate_ExactGenerateDataKeyOnly_MissesGenerateDataKeyWildcardAndReEncrypt()
    {
        var r = Eval(Consumer, null, Allow("{\"AWS\":\"111122223333\"}", "[\"kms:Decrypt\",\"kms:DescribeKey\",\"kms:CreateGrant\",\"kms:GenerateDataKey\"]"));
        Assert.Equal(new[] { "kms:GenerateDataKey*", "kms:ReEncrypt*" }, r.Missing);
    }

    [Fact]
    public void Evaluate_StarPrincipalWithMatchingOrgId_CoversAccountOrgAndOu()
    {
        string s = Allow("\"*\"", condition: "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc1234567\"}}");
        Assert.True(Eval(ConsumerInOrg, null, s).HasAccess);
        Assert.True(Eval(Org, null, s).HasAccess);
        Assert.True(Eval(Engineering, null, s).HasAccess);
    }

    [Fact]
    public void Evaluate_StarPrincipalWithOtherOrgId_NoAccess()
    {
        string s = Allow("{\"AWS\":\"*\"}", condition: "{\"StringEquals\":{\"aws:PrincipalOrgID\":[\"o-zzzz999999\"]}}");
        Assert.False(Eval(Org, null, s).HasAccess);
        Assert.False(Eval(ConsumerInOrg, null, s).HasAccess);
    }

    [Fact]
    public void Evaluate_OrgIdConditionWithAccountOrgUnknown_NotCountedAndSaysWhy()
    {
        var r = Eval(Consumer, null, Allow("\"*\"", condition: "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc1234567\"}}"));
        Assert.False(r.HasAccess);
        Assert.Contains(r.Notes, n => n.Contains("aws:PrincipalOrgID"));
    }

    [Fact]
    public void Evaluate_OrgPathsStringLike_MatchesOuAndNestedAccountsNotSiblings()
    {
        string s = Allow("\"*\"", condition: "{\"ForAnyValue:StringLike\":{\"aws:PrincipalOrgPaths\":[\"o-abc1234567/r-ab12/ou-ab12-11111111/*\"]}}");
        Assert.True(Eval(Engineering, null, s).HasAccess);
        Assert.True(Eval(ConsumerInOrg, null, s).HasAccess);
        var finance = new KeyAccessSubject { Type = PrincipalType.OrganizationalUnit, Principal = "ou-fin", OrganizationId = "o-abc1234567", OrganizationalUnitId = "ou-ab12-22222222", OrgPath = "o-abc1234567/r-ab12/ou-ab12-22222222/" };
        Assert.False(Eval(finance, null, s).HasAccess);
        Assert.False(Eval(Org, null, s).HasAccess);
    }

    [Fact]
    public void Evaluate_OrgPathsWithOuPathUnknown_AcceptsPatternEndingAtOu()
    {
        Assert.True(Eval(EngineeringPathUnknown, null, Allow("\"*\"", condition: "{\"ForAnyValue:StringLike\":{\"aws:PrincipalOrgPaths\":\"o-abc1234567/*/ou-ab12-11111111/*\"}}")).HasAccess);
        Assert.False(Eval(EngineeringPathUnknown, null, Allow("\"*\"", condition: "{\"ForAnyValue:StringLike\":{\"aws:PrincipalOrgPaths\":\"o-abc1234567/*/ou-ab12-22222222/*\"}}")).HasAccess);
    }

    [Fact]
    public void Evaluate_DenyMatchingPrincipal_IsHonoured()
    {
        var r = Eval(Consumer, null,
            Allow("{\"AWS\":\"111122223333\"}", "\"kms:*\""),
            "{\"Sid\":\"NoDecrypt\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");
        Assert.Equal(new[] { "kms:Decrypt" }, r.Missing);
        Assert.Contains(r.Notes, n => n.Contains("NoDecrypt"));
    }

    [Fact]
    public void Evaluate_DenyForOtherAccount_Ignored()
    {
        var r = Eval(Consumer, null,
            Allow("{\"AWS\":\"111122223333\"}", "\"kms:*\""),
            "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"444455556666\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}");
        Assert.True(r.HasAccess);
    }

    [Fact]
    public void Evaluate_CreateGrantOnlyForAwsResourceAndViaEc2_CountsForLaunch()
    {
        var r = Eval(Consumer, null,
            Allow("{\"AWS\":\"111122223333\"}", "[\"kms:Decrypt\",\"kms:DescribeKey\",\"kms:GenerateDataKey*\",\"kms:ReEncrypt*\"]", "{\"StringEquals\":{\"kms:ViaService\":\"ec2.us-east-1.amazonaws.com\"}}"),
            Allow("{\"AWS\":\"111122223333\"}", "\"kms:CreateGrant\"", "{\"Bool\":{\"kms:GrantIsForAWSResource\":true}}"));
        Assert.True(r.HasAccess);
    }

    [Fact]
    public void Evaluate_UnknownConditionKey_NotCounted()
    {
        var r = Eval(Consumer, null, Allow("{\"AWS\":\"111122223333\"}", condition: "{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-1\"}}"));
        Assert.False(r.HasAccess);
        Assert.Contains(r.Notes, n => n.Contains("aws:sourcevpce"));
    }

    [Fact]
    public void Evaluate_GrantToAccountRoot_Counts()
    {
        var grants = new[]
        {
            new KmsGrantInfo { GrantId = "g1", GranteePrincipal = "arn:aws:iam::111122223333:root", Operations = new[] { "Decrypt", "DescribeKey", "CreateGrant", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom" } },
            new KmsGrantInfo { GrantId = "g2", GranteePrincipal = "arn:aws:iam::444455556666:root", Operations = new[] { "Decrypt" } },
        };
        var r = Eval(Consumer, grants);
        Assert.True(r.HasAccess);
        Assert.Equal(new[] { "grant g1" }, r.Sources);
        Assert.False(Eval(Org, grants).HasAccess);
    }

    [Fact]
    public void Evaluate_NotActionAllow_CoversWhatItDoesNotExclude()
    {
        var r = Eval(Consumer, null, "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"NotAction\":\"kms:ReEncrypt*\",\"Resource\":\"*\"}");
        Assert.Equal(new[] { "kms:ReEncrypt*" }, r.Missing);
    }

    [Fact]
    public void Evaluate_AmiShareManagedStatements_GiveTheAccessTheyPromise()
    {
        var change = KeyPolicyPlanner.PlanGrant("arn:aws:kms:us-east-1:123456789012:key/k", "{\"Statement\":[]}", "aws", new[] { Consumer, Org, Engineering })!;
        var doc = KeyPolicyDocument.Parse(change.NewPolicy);
        Assert.True(KeyAccessEvaluator.Evaluate(doc.StatementTexts, null!, Consumer, "us-east-1").HasAccess);
        Assert.True(KeyAccessEvaluator.Evaluate(doc.StatementTexts, null!, Org, "us-east-1").HasAccess);
        Assert.True(KeyAccessEvaluator.Evaluate(doc.StatementTexts, null!, Engineering, "us-east-1").HasAccess);
    }
}
