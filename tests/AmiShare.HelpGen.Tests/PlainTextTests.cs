using Markdig;
using Markdig.Syntax;

namespace AmiShare.HelpGen.Tests;

/// <summary>Markdown blocks and inlines to console text: code verbatim, markup dropped, prose wrapped.</summary>
public sealed class PlainTextTests
{
    private static string Render(string markdown, int width = 200)
    {
        MarkdownDocument document = Markdown.Parse(markdown, MarkdownPage.Pipeline);
        return string.Join("\n\n", PlainText.Chunks(document, width));
    }

    [Fact]
    public void Chunks_CodeSpanWithStars_KeepsEveryStar()
    {
        string text = Render("Each allows `kms:Decrypt`, `kms:ReEncrypt*`, `kms:GenerateDataKey*` and `kms:CreateGrant`.");
        Assert.Equal("Each allows kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey* and kms:CreateGrant.", text);
    }

    [Fact]
    public void Chunks_TwoCodeSpansWithStarsInOneLine_AreNotReadAsEmphasis()
    {
        // The regex task turned "`*` ... `*`" into emphasis and dropped both stars.
        string text = Render("organizations into `AmiShareOrganizations` (`\"Principal\": \"*\"` with a condition), OUs (`\"Principal\": \"*\"` too).");
        Assert.Equal("organizations into AmiShareOrganizations (\"Principal\": \"*\" with a condition), OUs (\"Principal\": \"*\" too).", text);
    }

    [Fact]
    public void Chunks_StarsInProse_StayWhenTheyAreNotEmphasis()
    {
        Assert.Equal("Each allows kms:ReEncrypt*, kms:GenerateDataKey* and 2 * 3.", Render("Each allows kms:ReEncrypt*, kms:GenerateDataKey* and 2 * 3."));
    }

    [Fact]
    public void Chunks_Emphasis_DropsTheMarkersOnly()
    {
        Assert.Equal("a very bold and plain word", Render("a *very* **bold** and _plain_ word"));
    }

    [Fact]
    public void Chunks_CodeSpanThatHoldsABacktick_KeepsIt()
    {
        Assert.Equal("End a line with ` to continue it; a`b.", Render("End a line with `` ` `` to continue it; ``a`b``."));
    }

    [Fact]
    public void Chunks_CodeSpanWithMarkdownInside_IsNotProcessed()
    {
        Assert.Equal("Use *not emphasis* and [not](a link) and <b> as typed.", Render("Use `*not emphasis*` and `[not](a link)` and `<b>` as typed."));
    }

    [Fact]
    public void Chunks_EmptyQuotesInCodeSpan_AreKept()
    {
        Assert.Equal("Pass \"\" or '' for none.", Render("Pass `\"\"` or `''` for none."));
    }

    [Fact]
    public void Chunks_FencedCode_IsVerbatimLineForLine()
    {
        const string code = "PS> Grant-AmiLaunchPermission ami-1 `\n      -AccountId 111122223333\n\n  \"Principal\": \"*\",\n  \"Action\": [\"kms:ReEncrypt*\"]   # *not* emphasis, [not](a link)";
        string text = Render("```powershell\n" + code + "\n```\n");
        Assert.Equal(code, text);
    }

    [Fact]
    public void Chunks_NestedLists_IndentEachLevel()
    {
        string text = Render("- one\n- two\n  - two a\n    - two a i\n  - two b\n- three\n\n1. first\n2. second\n   - inner\n");
        Assert.Equal("- one\n- two\n  - two a\n    - two a i\n  - two b\n- three\n\n1. first\n2. second\n   - inner", text);
    }

    [Fact]
    public void Chunks_LongListItem_WrapsUnderItsText()
    {
        string text = Render("- alpha beta gamma delta epsilon zeta eta theta\n  - iota kappa lambda mu nu xi omicron pi rho\n", width: 30);
        Assert.Equal("- alpha beta gamma delta\n  epsilon zeta eta theta\n  - iota kappa lambda mu nu xi\n    omicron pi rho", text);
    }

    [Fact]
    public void Chunks_TableThatFits_IsAlignedUnderARule()
    {
        string text = Render("| Sid | Principal |\n|---|---|\n| AmiShareOrganizations | `\"*\"` |\n| A | `kms:ReEncrypt*` |\n");
        Assert.Equal("Sid                    Principal\n---------------------  --------------\nAmiShareOrganizations  \"*\"\nA                      kms:ReEncrypt*", text);
    }

    [Fact]
    public void Chunks_WideTwoColumnTable_UsesTheFirstColumnAsAHangingLabel()
    {
        string text = Render("| Via | Meaning |\n|---|---|\n| Direct | The account id is in the AMI's launch permissions, so it can launch it. |\n", width: 40);
        Assert.Equal("Via     Meaning\n------  -------\nDirect  The account id is in the AMI's\n        launch permissions, so it can\n        launch it.", text);
    }

    [Fact]
    public void Chunks_WideTableOfThreeColumns_WritesOneBlockPerRow()
    {
        string text = Render("| Sid | Principal | Condition |\n|---|---|---|\n| AmiShareOrganizations | \"*\" | StringEquals aws:PrincipalOrgID [\"o-...\"] |\n| B | `x y` | none |\n", width: 40);
        Assert.Equal("AmiShareOrganizations\n    Principal: \"*\"\n    Condition: StringEquals\n               aws:PrincipalOrgID\n               [\"o-...\"]\n\nB\n    Principal: x y\n    Condition: none", text);
    }

    [Fact]
    public void Chunks_Links_RenderAsTextAndWebAddress()
    {
        string text = Render("See [about_AmiShare](about_AmiShare.md), [the API](https://docs.aws.amazon.com/x.html), <https://example.com/a> and [https://example.com/b](https://example.com/b).");
        Assert.Equal("See about_AmiShare, the API (https://docs.aws.amazon.com/x.html), https://example.com/a and https://example.com/b.", text);
    }

    [Fact]
    public void Chunks_InlineHtmlLikePlaceholders_AreKeptAsTyped()
    {
        Assert.Equal("Copy-EC2Image -KmsKeyId <key-arn> and a &", Render("Copy-EC2Image -KmsKeyId <key-arn> and a &amp;"));
    }

    [Fact]
    public void Chunks_HardLineBreak_StartsANewLine()
    {
        Assert.Equal("first line\nsecond line", Render("first line\\\nsecond line"));
    }

    [Fact]
    public void Wrap_NeverBreaksInsideACodeSpan()
    {
        // "(`"Principal": "*"`" would overflow at width 30; it moves to the next line whole.
        string text = Render("organizations go into AmiShareOrganizations (`\"Principal\": \"*\"` with a condition)", width: 30);
        Assert.Equal("organizations go into\nAmiShareOrganizations\n(\"Principal\": \"*\" with a\ncondition)", text);
    }

    [Fact]
    public void Wrap_KeepsEveryLineWithinTheWidth_ExceptAWordLongerThanIt()
    {
        string prose = string.Join(" ", Enumerable.Range(0, 60).Select(i => new string('w', 1 + (i % 9))));
        List<string> lines = PlainText.Wrap(new[] { new TextRun(prose + " `" + new string('x', 40) + "` end", false) }, 30, "    ", "    ");
        Assert.All(lines.Where(l => !l.Contains("xxxx")), l => Assert.True(l.Length <= 30, $"'{l}' is longer than 30"));
        Assert.Equal(prose + " `" + new string('x', 40) + "` end", string.Join(" ", lines.Select(l => l.Trim())));
    }

    [Fact]
    public void Wrap_VerbatimRunGluedToPunctuation_StaysOneWord()
    {
        var runs = new[] { new TextRun("(", false), new TextRun("Changed is", true), new TextRun(") then", false) };
        Assert.Equal(new[] { "(Changed is)", "then" }, PlainText.Words(runs));
    }

    [Fact]
    public void Chunks_SoftLineBreaksAndRunsOfSpaces_BecomeSingleSpaces()
    {
        Assert.Equal("one two three four", Render("one   two\nthree\n   four"));
    }

    [Fact]
    public void Chunks_BlockQuote_IsIndented()
    {
        Assert.Equal("  Quoted `*` text.", Render("> Quoted `` `*` `` text."));
    }

    [Fact]
    public void Chunks_HtmlBlock_IsKeptAsWritten()
    {
        Assert.Equal("<div>\n*raw*\n</div>", Render("<div>\n*raw*\n</div>\n"));
    }
}
