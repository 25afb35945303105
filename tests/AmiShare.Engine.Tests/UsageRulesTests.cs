using AmiShare.Engine.Access;
using AmiShare.Engine.Planning;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>-CheckUsage's rules: which accounts a usage report asks about, and the refusal / -Force warning. Pure: no gateway, no call.</summary>
public sealed class UsageRulesTests
{
    private const string Ami = "ami-0a1b2c3d4e5f60001";
    private const string Consumer = "111122223333";
    private const string Member = "444455556666";
    private const string Third = "999988887777";
    private const string OuArn = "arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111";

    private static Principal P(string value) => PrincipalParser.Parse(value, allowPublic: true);

    private static UsageFacts Facts(params AccountUsageFact[] accounts) => new() { ImageId = Ami, Region = "us-east-1", Accounts = accounts };

    private static AccountUsageFact Uses(string account, long instances, long templates, AccessChange access = AccessChange.Loses, string? detail = null) =>
        new() { AccountId = account, Instances = instances, LaunchTemplates = templates, Access = access, Detail = detail };

    [Fact]
    public void QueryFor_OnlyAccountsRemoved_AsksAboutThoseAccounts()
    {
        UsageQuery query = UsageRules.QueryFor(new[] { P(Consumer), P(Member), P(Consumer) })!;

        Assert.Equal(new[] { Consumer, Member }, query.AccountIds);
        Assert.Equal($"{Consumer}, {Member}", query.Removes);
    }

    [Theory]
    [InlineData(OuArn, "OU o-abc1234567/ou-ab12-11111111")]
    [InlineData("arn:aws:organizations::123456789012:organization/o-abc1234567", "organization o-abc1234567")]
    [InlineData("all", "group 'all'")]
    public void QueryFor_OrganizationOuOrPublicRemoved_AsksAboutEveryAccount(string removed, string described)
    {
        UsageQuery query = UsageRules.QueryFor(new[] { P(Consumer), P(removed) })!;

        Assert.Null(query.AccountIds);
        Assert.Equal($"{Consumer}, {described}", query.Removes);
    }

    [Fact]
    public void QueryFor_NothingRemoved_NoReport()
    {
        Assert.Null(UsageRules.QueryFor(Array.Empty<Principal>()));
    }

    [Fact]
    public void Check_AccountThatLosesAccessHasARunningInstance_RefusesNamingAccountCountsAndFix()
    {
        var warnings = new List<string>();
        AmiShareException refusal = UsageRules.Check(Facts(Uses(Consumer, 1, 0)), force: false, warnings, null)!;

        Assert.Equal(ErrorIds.AmiInUse, refusal.ErrorId);
        Assert.Equal(AmiShareErrorKind.InvalidOperation, refusal.Kind);
        Assert.Equal(Ami, refusal.Target);
        Assert.Contains($"{Consumer} has 1 instance and 0 launch templates using {Ami}", refusal.Message);
        Assert.Contains("Nothing was changed on this AMI. Ask that account", refusal.Message);
        Assert.Contains("-Force", refusal.Remedy);
        Assert.Contains("move off the AMI first", refusal.Remedy);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Check_SeveralAccounts_EachNamedWithItsCounts_InAccountOrder()
    {
        AmiShareException refusal = UsageRules.Check(Facts(Uses(Third, 0, 1), Uses(Consumer, 2, 3)), force: false, null, null)!;

        Assert.Contains($"{Consumer} has 2 instances and 3 launch templates using {Ami}; {Third} has 0 instances and 1 launch template using {Ami}", refusal.Message);
        Assert.Contains("Ask those accounts", refusal.Remedy);
    }

    [Fact]
    public void Check_Force_NoRefusal_SameFactsAsOneWarning()
    {
        var warnings = new List<string>();
        Assert.Null(UsageRules.Check(Facts(Uses(Consumer, 1, 0)), force: true, warnings, null));

        string warning = Assert.Single(warnings);
        Assert.StartsWith($"-Force: removing launch access to {Ami} in us-east-1 from an account that still uses it: ", warning);
        Assert.Contains($"{Consumer} has 1 instance and 0 launch templates using {Ami}", warning);
    }

    [Fact]
    public void Check_ForceWhatIf_WarningSaysWouldRemove()
    {
        var warnings = new List<string>();
        Assert.Null(UsageRules.Check(Facts(Uses(Consumer, 1, 0)), force: true, warnings, null, whatIf: true));

        string warning = Assert.Single(warnings);
        Assert.StartsWith($"-Force: would remove launch access to {Ami} in us-east-1 from an account that still uses it: ", warning);
        Assert.Contains("launches from those launch templates would fail", warning);
        Assert.DoesNotContain("removing", warning);
    }

    [Fact]
    public void Check_AccountKeepsAccess_NotARefusal_SaidInVerbose()
    {
        var verbose = new List<string>();
        Assert.Null(UsageRules.Check(Facts(Uses(Member, 4, 0, AccessChange.Keeps, "OU ou-ab12-11111111 (path o-abc1234567/r-ab12/ou-ab12-11111111/)")), force: false, null, verbose));

        Assert.Contains(verbose, v => v.Contains($"{Member} has 4 instances and 0 launch templates using {Ami}, and keeps launch access through OU ou-ab12-11111111"));
    }

    [Fact]
    public void Check_MembershipUnknown_RefusesAndSaysItMayKeepAccess()
    {
        AmiShareException refusal = UsageRules.Check(Facts(Uses(Member, 1, 0, AccessChange.MayLose, "whether it is in o-abc1234567, which stays, could not be checked: access denied")), force: false, null, null)!;

        Assert.Contains($"{Member} has 1 instance and 0 launch templates using {Ami} (it may keep access: whether it is in o-abc1234567, which stays, could not be checked: access denied)", refusal.Message);
    }

    [Fact]
    public void Check_NoUsageOrUsageWithoutAccessBefore_NoRefusal()
    {
        Assert.Null(UsageRules.Check(Facts(Uses(Consumer, 0, 0), Uses(Third, 1, 0, AccessChange.HadNone)), force: false, null, null));
        Assert.Null(UsageRules.Check(Facts(), force: false, null, null));
    }

    private static LaunchAccessEvaluator.Evaluation Evaluation(params AccessGrant[] grants)
    {
        var e = new LaunchAccessEvaluator.Evaluation();
        e.Grants.AddRange(grants);
        return e;
    }

    [Fact]
    public void Classify_AccessAfterTheChange_Keeps_WithWhatGivesIt()
    {
        var fact = Uses(Consumer, 1, 0);
        UsageCheck.Classify(fact, null, Evaluation(new AccessGrant { Via = AccessPath.OrganizationalUnit, Principal = OuArn, OuPath = "o-abc1234567/r-ab12/ou-ab12-11111111/" }));
        Assert.Equal(AccessChange.Keeps, fact.Access);
        Assert.Equal("OU ou-ab12-11111111 (path o-abc1234567/r-ab12/ou-ab12-11111111/)", fact.Detail);

        var direct = Uses(Consumer, 1, 0);
        UsageCheck.Classify(direct, null, Evaluation(new AccessGrant { Via = AccessPath.Direct, Principal = Consumer }));
        Assert.Equal("its own launch permission", direct.Detail);
    }

    [Fact]
    public void Classify_NothingAfter_LosesWhenItHadAccess_HadNoneOtherwise()
    {
        var lost = Uses(Consumer, 1, 0);
        UsageCheck.Classify(lost, Evaluation(new AccessGrant { Via = AccessPath.Public, Principal = "all" }), Evaluation());
        Assert.Equal(AccessChange.Loses, lost.Access);

        var never = Uses(Third, 1, 0);
        UsageCheck.Classify(never, Evaluation(), Evaluation());
        Assert.Equal(AccessChange.HadNone, never.Access);
    }

    [Fact]
    public void Classify_MembershipOfWhatStaysUnknown_MayLose_WithTheReason()
    {
        var after = Evaluation();
        after.Unchecked.Add(P("arn:aws:organizations::123456789012:organization/o-abc1234567"));
        after.Reason = "AccessDenied on ListParents.";
        var fact = Uses(Member, 1, 0);

        UsageCheck.Classify(fact, null, after);

        Assert.Equal(AccessChange.MayLose, fact.Access);
        Assert.Equal("whether it is in o-abc1234567, which stays, could not be checked: AccessDenied on ListParents", fact.Detail);
    }
}
