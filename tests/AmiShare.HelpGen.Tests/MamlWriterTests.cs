using System.Xml.Linq;
using static AmiShare.HelpGen.Tests.TestDocs;

namespace AmiShare.HelpGen.Tests;

/// <summary>A cmdlet page to MAML: the parts Get-Help shows, with code kept exactly as written.</summary>
public sealed class MamlWriterTests
{
    [Fact]
    public void Write_ExampleCode_IsVerbatimWithBacktickContinuationsQuotesAndStars()
    {
        const string code = "PS> Grant-AmiLaunchPermission ami-1 `\n      -AccountId 111122223333 -WhatIf\n\n[\n  {\n    \"Principal\": \"*\",\n    \"Action\": [ \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\" ]   # *x* [y](z) <b>\n  }\n]";
        XElement command = Command1(Generate(("Get-Thing.md", CommandPage(examples: "### Example 1: JSON\n```powershell\n" + code + "\n```\n\nThe `\"*\"` principal.\n"))));
        XElement example = command.Element(Command + "examples")!.Elements(Command + "example").Single();
        Assert.Equal(code, example.Element(Dev + "code")!.Value);
        Assert.Equal(new[] { "The \"*\" principal." }, example.Element(Dev + "remarks")!.Elements(Maml + "para").Select(p => p.Value));
    }

    [Fact]
    public void Write_ExampleWithTwoCodeBlocks_JoinsThemWithABlankLine_AndKeepsEveryRemark()
    {
        string examples = "### Example 1: Two steps\n```powershell\nPS> $a = 1\n```\n\nFirst remark.\n\n```powershell\nPS> $a\n1\n```\n\nSecond remark.\n\n- a list item\n";
        XElement example = Command1(Generate(("Get-Thing.md", CommandPage(examples: examples)))).Element(Command + "examples")!.Element(Command + "example")!;
        Assert.Equal("PS> $a = 1\n\nPS> $a\n1", example.Element(Dev + "code")!.Value);
        Assert.Equal(new[] { "First remark.", "Second remark.", "- a list item" }, example.Element(Dev + "remarks")!.Elements(Maml + "para").Select(p => p.Value));
    }

    [Fact]
    public void Write_ExampleTitle_IsCenteredBetweenDashesWithinTheConsole()
    {
        XElement example = Command1(Generate(("Get-Thing.md", CommandPage()))).Element(Command + "examples")!.Element(Command + "example")!;
        string title = example.Element(Maml + "title")!.Value;
        Assert.Matches(@"^-+ Example 1: Get a thing -+$", title);
        Assert.True(title.Length <= MamlWriter.SectionWidth, title);
    }

    [Fact]
    public void ExampleTitle_TooLongForDashes_IsWrappedAtSpaces()
    {
        string title = "Example 10: Share an AMI encrypted with a customer managed key, key access included";
        Assert.Equal("Example 10: Share an AMI encrypted with a customer managed key, key access\nincluded", MamlWriter.ExampleTitle(title));
    }

    [Fact]
    public void Write_Parameter_CarriesTypeRequiredPositionPipelineAliasesAndDefault()
    {
        XElement command = Command1(Generate(("Get-Thing.md", CommandPage())));
        XElement id = Parameter(command, "Id");
        Assert.Equal("true", id.Attribute("required")!.Value);
        Assert.Equal("0", id.Attribute("position")!.Value);
        Assert.Equal("True (ByValue)", id.Attribute("pipelineInput")!.Value);
        Assert.Equal("Ids", id.Attribute("aliases")!.Value);
        Assert.Equal("false", id.Attribute("globbing")!.Value);
        Assert.Equal("String", id.Element(Command + "parameterValue")!.Value);
        Assert.Equal("String", id.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("None", id.Element(Dev + "defaultValue")!.Value);
        Assert.Equal(new[] { "The id." }, Paras(id));
    }

    [Fact]
    public void Write_SwitchAndArrayParameters_AreShapedForTheSyntaxLine()
    {
        string parameters = "### -Names\nNames.\n\n```yaml\nType: String[]\nParameter Sets: (All)\nAliases:\n\nRequired: False\nPosition: Named\nDefault value: None\nAccept pipeline input: False\nAccept wildcard characters: True\n```\n\n" +
            "### -Force\nForces it.\n\n```yaml\nType: SwitchParameter\nParameter Sets: (All)\nAliases:\n\nRequired: False\nPosition: Named\nDefault value: False\nAccept pipeline input: False\nAccept wildcard characters: False\n```\n";
        XElement command = Command1(Generate(("Get-Thing.md", CommandPage(parameters: parameters))));
        XElement syntax = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").Single();
        XElement names = syntax.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Names");
        XElement force = syntax.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Force");
        Assert.Equal("true", names.Attribute("variableLength")!.Value);
        Assert.Equal("true", names.Attribute("globbing")!.Value);
        Assert.Equal("named", names.Attribute("position")!.Value);
        Assert.Equal("none", names.Attribute("aliases")!.Value);
        Assert.Null(force.Element(Command + "parameterValue"));
        Assert.Equal("False", Parameter(command, "Force").Element(Dev + "defaultValue")!.Value);
        Assert.NotNull(Parameter(command, "Force").Element(Command + "parameterValue"));
    }

    [Fact]
    public void Write_ParameterSets_GiveOneSyntaxItemEach_WithTheAllParametersInEvery()
    {
        string Param(string name, string sets) =>
            $"### -{name}\nThe {name}.\n\n```yaml\nType: String\nParameter Sets: {sets}\nAliases:\n\nRequired: False\nPosition: Named\nDefault value: None\nAccept pipeline input: False\nAccept wildcard characters: False\n```\n\n";
        XElement command = Command1(Generate(("Get-Thing.md", CommandPage(parameters: Param("A", "ByA") + Param("B", "ByB") + Param("C", "(All)")))));
        var items = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem")
            .Select(i => string.Join(",", i.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value))).ToList();
        Assert.Equal(new[] { "A,C", "B,C" }, items);
    }

    [Fact]
    public void Write_DescriptionSynopsisInputsOutputsNotes_BecomeParagraphs()
    {
        string extra = "## INPUTS\n\n### System.String[]\nAMI ids, by value.\n\n## OUTPUTS\n\n### AmiShare.AmiShareResult\nWith `-PassThru`: one object per AMI.\n\n## NOTES\nFirst note with `*`.\n\nSecond note.\n\n";
        XElement command = Command1(Generate(("Get-Thing.md", CommandPage(description: "First `\"*\"` paragraph.\n\nSecond paragraph.", extra: extra))));
        Assert.Equal(new[] { "Does a thing." }, Paras(command.Element(Command + "details")));
        Assert.Equal(new[] { "First \"*\" paragraph.", "Second paragraph." }, Paras(command));
        XElement input = command.Element(Command + "inputTypes")!.Element(Command + "inputType")!;
        Assert.Equal("System.String[]", input.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal(new[] { "AMI ids, by value." }, Paras(input));
        XElement output = command.Element(Command + "returnValues")!.Element(Command + "returnValue")!;
        Assert.Equal("AmiShare.AmiShareResult", output.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal(new[] { "With -PassThru: one object per AMI." }, Paras(output));
        Assert.Equal(new[] { "First note with *.", "Second note." }, command.Element(Maml + "alertSet")!.Element(Maml + "alert")!.Elements(Maml + "para").Select(p => p.Value));
    }

    [Fact]
    public void Write_LongDescription_IsWrappedForIndentFour_AndParameterTextForIndentEight()
    {
        string words = string.Join(" ", Enumerable.Repeat("launch permissions `\"Principal\": \"*\"`", 20));
        string parameters = $"### -Id\n{words}\n\n```yaml\nType: String\nParameter Sets: (All)\nAliases:\n\nRequired: True\nPosition: 0\nDefault value: None\nAccept pipeline input: False\nAccept wildcard characters: False\n```\n";
        XElement command = Command1(Generate(("Get-Thing.md", CommandPage(description: words, parameters: parameters))));
        string[] description = Paras(command).Single().Split('\n');
        string[] parameter = Paras(Parameter(command, "Id")).Single().Split('\n');
        Assert.True(description.Length > 1);
        Assert.All(description, l => Assert.InRange(l.Length, 1, MamlWriter.SectionWidth));
        Assert.All(parameter, l => Assert.InRange(l.Length, 1, MamlWriter.DetailWidth));
        Assert.Equal(20, string.Join(" ", parameter).Split("\"Principal\": \"*\"").Length - 1);
    }

    [Fact]
    public void Write_RelatedLinks_KeepWebAddressesAndTheOnlineVersion()
    {
        string page = CommandPage(extra: "## RELATED LINKS\n\n[Get-Other](Get-Other.md)\n\n[ModifyImageAttribute](https://docs.aws.amazon.com/x.html)\n")
            .Replace("online version:\n", "online version: https://example.com/get-thing\n");
        XElement links = Command1(Generate(("Get-Thing.md", page))).Element(Command + "relatedLinks")!;
        var pairs = links.Elements(Maml + "navigationLink").Select(l => (l.Element(Maml + "linkText")!.Value, l.Element(Maml + "uri")!.Value)).ToList();
        Assert.Equal(new[] { ("Online Version:", "https://example.com/get-thing"), ("Get-Other", ""), ("ModifyImageAttribute", "https://docs.aws.amazon.com/x.html") }, pairs);
    }

    [Fact]
    public void Write_CommandsAreSortedByName_AndNamedVerbAndNoun()
    {
        HelpOutput output = Generate(("b.md", CommandPage(name: "Set-Thing")), ("a.md", CommandPage(name: "Get-Thing")));
        Assert.Empty(output.Diagnostics);
        XDocument maml = XDocument.Parse(output.Files[HelpGenerator.DefaultHelpFileName]);
        var details = maml.Root!.Elements(Command + "command").Select(c => c.Element(Command + "details")!).ToList();
        Assert.Equal(new[] { "Get-Thing", "Set-Thing" }, details.Select(d => d.Element(Command + "name")!.Value));
        Assert.Equal(new[] { "Set", "Thing" }, new[] { details[1].Element(Command + "verb")!.Value, details[1].Element(Command + "noun")!.Value });
    }

    [Fact]
    public void Write_PageWithWindowsLineEndings_GivesTheSameHelp()
    {
        string page = CommandPage(examples: "### Example 1: Two lines\n```powershell\nPS> Get-Thing `\n      -Id 1\n```\n\nA `\"*\"` remark.\n");
        string unix = Generate(("Get-Thing.md", page)).Files[HelpGenerator.DefaultHelpFileName];
        string windows = Generate(("Get-Thing.md", page.Replace("\n", "\r\n"))).Files[HelpGenerator.DefaultHelpFileName];
        Assert.Equal(unix, windows);
        Assert.Contains("PS&gt; Get-Thing `\n      -Id 1</dev:code>", windows);
    }
}
