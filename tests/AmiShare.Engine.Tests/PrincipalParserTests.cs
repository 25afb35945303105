using AmiShare.Engine;
using AmiShare.Engine.Principals;
using Xunit;

namespace AmiShare.Engine.Tests;

public class PrincipalParserTests
{
    private const string Org = "arn:aws:organizations::111122223333:organization/o-abcd123456";
    private const string Ou = "arn:aws:organizations::111122223333:ou/o-abcd123456/ou-ab12-abcd1234";

    [Fact]
    public void Parse_TwelveDigits_ReturnsAccount()
    {
        var p = PrincipalParser.Parse("111122223333");
        Assert.Equal(PrincipalType.Account, p.Type);
        Assert.Equal("111122223333", p.Value);
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("aws-cn")]
    [InlineData("aws-us-gov")]
    public void Parse_OrganizationArnInEachPartition_ReturnsOrganization(string partition)
    {
        string arn = $"arn:{partition}:organizations::111122223333:organization/o-abcd123456";
        var p = PrincipalParser.Parse(arn);
        Assert.Equal(PrincipalType.Organization, p.Type);
        Assert.Equal(arn, p.Value);
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("aws-cn")]
    [InlineData("aws-us-gov")]
    public void Parse_OuArnInEachPartition_ReturnsOrganizationalUnit(string partition)
    {
        string arn = $"arn:{partition}:organizations::111122223333:ou/o-abcd123456/ou-ab12-abcd1234";
        var p = PrincipalParser.Parse(arn);
        Assert.Equal(PrincipalType.OrganizationalUnit, p.Type);
        Assert.Equal(arn, p.Value);
    }

    [Fact]
    public void Parse_LongestOrgAndOuIds_Accepted()
    {
        string org = "o-" + new string('a', 32);
        string ou = "ou-" + new string('b', 32) + "-" + new string('c', 32);
        var p = PrincipalParser.Parse($"arn:aws:organizations::111122223333:ou/{org}/{ou}");
        Assert.Equal(PrincipalType.OrganizationalUnit, p.Type);
    }

    [Theory]
    [InlineData("  111122223333  ", "111122223333")]
    [InlineData("\t111122223333\n", "111122223333")]
    [InlineData(" " + Org + " ", Org)]
    public void Parse_WhitespacePadded_AcceptedAndTrimmed(string input, string expected)
    {
        Assert.Equal(expected, PrincipalParser.Parse(input).Value);
    }

    [Theory]
    [InlineData("11112222333")]
    [InlineData("1111222233334")]
    [InlineData("1111-2222-3333")]
    [InlineData("11112222333a")]
    [InlineData("١١١١٢٢٢٢٣٣٣٣")]
    [InlineData("１１１１２２２２３３３３")]
    [InlineData("111122223333x")]
    public void Parse_NotTwelveAsciiDigits_ThrowsInvalidPrincipal(string input)
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.Parse(input));
        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Equal(AmiShareErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(input, e.Message);
        Assert.Contains("12-digit account id", e.Message);
    }

    [Fact]
    public void Parse_ElevenDigits_SaysHowManyCharacters()
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.Parse("11112222333"));
        Assert.Contains("exactly 12 ASCII digits; this has 11", e.Message);
    }

    [Theory]
    [InlineData("١١١١٢٢٢٢٣٣٣٣")]
    [InlineData("１１１１２２２２３３３３")]
    [InlineData("11112222333３")]
    public void Parse_UnicodeDigits_SaysOnlyAsciiDigits(string input)
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.Parse(input));
        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Contains("other digit characters", e.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void Parse_EmptyNullOrWhitespace_ThrowsInvalidPrincipal(string? input)
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.Parse(input!));
        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Contains("empty", e.Message);
    }

    [Theory]
    [InlineData("arn:aws:organizations::123456789012:account/o-abc1234567")]
    [InlineData("arn:aws:organizations::123456789012:account/o-abc1234567/123456789012")]
    [InlineData("arn:aws:iam::123456789012:root")]
    [InlineData("arn:aws:iam::123456789012:user/alice")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/r/s")]
    [InlineData("arn:aws-iso:organizations::111122223333:organization/o-abcd123456")]
    [InlineData("arn:aws:organizations::11112222333:organization/o-abcd123456")]
    [InlineData("arn:aws:organizations::111122223333:organization/o-abc")]
    [InlineData("arn:aws:organizations::111122223333:organization/o-ABCD123456")]
    [InlineData("arn:aws:organizations::111122223333:ou/o-abcd123456/ou-ab-abcd1234")]
    [InlineData("ARN:AWS:organizations::111122223333:organization/o-abcd123456")]
    public void Parse_WrongArnKinds_ThrowsInvalidPrincipalWithAcceptedForms(string input)
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.Parse(input));
        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Equal(input, e.Target);
        Assert.Contains("Accepted forms", e.Message);
        Assert.Contains("organization/o-", e.Message);
    }

    [Fact]
    public void Parse_BareOrganizationId_ThrowsWithArnFormat()
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.Parse("o-abcd123456"));
        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Contains("bare organization id", e.Message);
        Assert.Contains("arn:aws:organizations::<management-account-id>:organization/o-abcd123456", e.Message);
    }

    [Fact]
    public void Parse_BareOuId_ThrowsWithArnFormat()
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.Parse("ou-ab12-abcd1234"));
        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Contains("bare organizational unit id", e.Message);
        Assert.Contains(":ou/o-<org-id>/ou-ab12-abcd1234", e.Message);
    }

    [Theory]
    [InlineData("all")]
    [InlineData("ALL")]
    [InlineData("public")]
    [InlineData(" Public ")]
    public void Parse_AllOrPublicWhenAllowed_ReturnsEveryone(string input)
    {
        var p = PrincipalParser.Parse(input, allowPublic: true);
        Assert.Same(Principal.Everyone, p);
        Assert.Equal(PrincipalType.Public, p.Type);
        Assert.Equal("all", p.Value);
    }

    [Theory]
    [InlineData("all")]
    [InlineData("public")]
    public void Parse_AllOrPublicNotAllowed_ThrowsPublicNotAllowedHere(string input)
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.Parse(input));
        Assert.Equal(ErrorIds.PublicNotAllowedHere, e.ErrorId);
        Assert.Contains("Set-AmiPublic", e.Message);
    }

    [Fact]
    public void ParseAccount_OrganizationArn_ThrowsNamingTheRightParameter()
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.ParseAccount(Org));
        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Contains("is an organization ARN, not an account id", e.Message);
        Assert.Contains("-OrganizationArn", e.Message);
    }

    [Fact]
    public void ParseOrganizationArn_Account_ThrowsNamingAccountId()
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.ParseOrganizationArn("111122223333"));
        Assert.Contains("-AccountId", e.Message);
    }

    [Fact]
    public void ParseOrganizationalUnitArn_OrganizationArn_Throws()
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.ParseOrganizationalUnitArn(Org));
        Assert.Contains("not an OU ARN", e.Message);
    }

    [Fact]
    public void ParseSpecific_MatchingKinds_Succeed()
    {
        Assert.Equal(PrincipalType.Account, PrincipalParser.ParseAccount("111122223333").Type);
        Assert.Equal(PrincipalType.Organization, PrincipalParser.ParseOrganizationArn(Org).Type);
        Assert.Equal(PrincipalType.OrganizationalUnit, PrincipalParser.ParseOrganizationalUnitArn(Ou).Type);
    }

    [Fact]
    public void ParseAccount_All_ThrowsPublicNotAllowedHere()
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.ParseAccount("all"));
        Assert.Equal(ErrorIds.PublicNotAllowedHere, e.ErrorId);
    }

    [Fact]
    public void ParseMany_Duplicates_KeepsFirstSeenOrderOnce()
    {
        var list = PrincipalParser.ParseMany(new[] { "444455556666", " 111122223333", "444455556666", Org, "111122223333 ", Org }, null, false);
        Assert.Equal(new[] { "444455556666", "111122223333", Org }, list.Select(p => p.Value));
    }

    [Fact]
    public void ParseMany_Null_ReturnsEmpty()
    {
        Assert.Empty(PrincipalParser.ParseMany(null!, null, false));
    }

    [Fact]
    public void ParseMany_OneBadValue_ThrowsForThatValue()
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.ParseMany(new[] { "111122223333", "bogus" }, null, false));
        Assert.Equal("bogus", e.Target);
    }

    [Fact]
    public void ParseMany_ExpectedTypeMismatch_Throws()
    {
        Assert.Throws<AmiShareException>(() => PrincipalParser.ParseMany(new[] { "111122223333", Ou }, PrincipalType.Account, false));
    }

    [Fact]
    public void TryParse_Invalid_ReturnsFalseWithError()
    {
        Assert.False(PrincipalParser.TryParse("12", false, out var p, out var error));
        Assert.Null(p);
        Assert.Equal(ErrorIds.InvalidPrincipal, error.ErrorId);
    }

    [Fact]
    public void TryParse_Valid_ReturnsTrue()
    {
        Assert.True(PrincipalParser.TryParse(Ou, false, out var p, out var error));
        Assert.Null(error);
        Assert.Equal(PrincipalType.OrganizationalUnit, p.Type);
    }

    [Fact]
    public void Equals_SameTypeAndValue_EqualAndSameHash()
    {
        var a = PrincipalParser.Parse("111122223333");
        var b = PrincipalParser.Parse(" 111122223333 ");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(PrincipalParser.Parse(Org), PrincipalParser.Parse(Org.Replace("o-abcd123456", "o-abcd123457")));
    }

    [Theory]
    [InlineData("1111-2222-3333")]
    [InlineData("1111 2222 3333")]
    [InlineData("111-122-223-333")]
    public void Parse_AccountIdWithDashesOrSpaces_NamesTheValueAndSuggestsTheTwelveDigits(string input)
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.ParseMany(new[] { input }, PrincipalType.Account, false));
        Assert.Equal(ErrorIds.InvalidPrincipal, e.ErrorId);
        Assert.Contains("'" + input + "'", e.Message);
        Assert.Contains("without dashes or spaces: 111122223333.", e.Remedy);
    }

    [Fact]
    public void Parse_ElevenDigitsWithDashes_GetsNoDashHint()
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalParser.Parse("1111-2222-333"));
        Assert.DoesNotContain("without dashes", e.Message);
    }

    [Theory]
    [InlineData("111122223333", "111122223333")]
    [InlineData("all", "all")]
    [InlineData("arn:aws:organizations::123456789012:organization/o-abc1234567", "o-abc1234567")]
    [InlineData("arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111", "o-abc1234567/ou-ab12-11111111")]
    [InlineData("arn:aws-us-gov:organizations::123456789012:ou/o-abc1234567/ou-ab12-22222222", "o-abc1234567/ou-ab12-22222222")]
    [InlineData("arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:root")]
    public void ShortForm_KeepsTheDistinguishingPart(string value, string expected)
    {
        Assert.Equal(expected, PrincipalParser.ShortForm(value));
    }
}
