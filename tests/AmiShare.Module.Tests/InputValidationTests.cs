using System.Management.Automation;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// Input that cannot misfire (issue 7, build 3): a blank or $null session parameter is refused like any other bad
/// value, and every cmdlet checks all of its input before its first AWS call. AWS_ENDPOINT_URL points at the
/// emulator in these tests, so a value that was silently skipped would show up in the request log.
/// </summary>
public sealed class InputValidationTests
{
    /// <summary>One ordinary invocation of every cmdlet (the AMI comes as $args[0]; extra parameters are appended).</summary>
    public static readonly string[] Cmdlets =
    {
        "Get-AmiLaunchPermission $args[0]",
        "Grant-AmiLaunchPermission $args[0] -AccountId 111122223333",
        "Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333",
        "Reset-AmiLaunchPermission $args[0] -Force",
        "Set-AmiPublic $args[0] -Force",
        "Test-AmiShareable $args[0] -AccountId 111122223333",
        "Test-AmiLaunchAccess $args[0] -AccountId 111122223333",
    };

    public static TheoryData<string, string, string> BlankSessionParameters()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string cmdlet in Cmdlets)
        {
            data.Add(cmdlet, "-EndpointUrl ' '", "InvalidEndpointUrl");
            data.Add(cmdlet, "-Region ' '", "InvalidRegion");
            data.Add(cmdlet, "-ProfileName ' '", "InvalidProfileName");
        }

        // Other forms of "nothing": empty, tab, an unset variable, on one cmdlet each.
        data.Add(Cmdlets[1], "-EndpointUrl ''", "InvalidEndpointUrl");
        data.Add(Cmdlets[3], "-EndpointUrl \"`t\"", "InvalidEndpointUrl");
        data.Add(Cmdlets[4], "-EndpointUrl $env:AMISHARE_NOT_SET", "InvalidEndpointUrl");
        data.Add(Cmdlets[0], "-Region $null", "InvalidRegion");
        data.Add(Cmdlets[2], "-ProfileName $env:AMISHARE_NOT_SET", "InvalidProfileName");
        data.Add(Cmdlets[5], "-ProfileLocation ' '", "InvalidCredentialParameter");
        data.Add(Cmdlets[6], "-AccessKey ' '", "InvalidCredentialParameter");
        data.Add(Cmdlets[1], "-SecretKey ''", "InvalidCredentialParameter");
        data.Add(Cmdlets[2], "-SessionToken ' '", "InvalidCredentialParameter");
        return data;
    }

    [Theory]
    [MemberData(nameof(BlankSessionParameters))]
    public async Task BlankSessionParameter_IsRefused_InvalidArgument_NoCall(string cmdlet, string parameter, string errorId)
    {
        await using var t = await StartAsync();
        using var env = new EnvironmentVariable("AWS_ENDPOINT_URL", t.Emulator.Endpoint);
        IReadOnlyList<string> before = t.PermissionsOf(Web);

        var r = t.Run(cmdlet + " " + parameter, Web);

        string verb = cmdlet.Substring(0, cmdlet.IndexOf(' '));
        string fqid = errorId + ",AmiShare.Commands." + verb.Replace("-", string.Empty) + "Command";
        Assert.Equal(new[] { fqid }, r.ErrorIds);
        ErrorRecord error = Assert.Single(r.AllErrors);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        string name = parameter.Split(' ')[0];
        Assert.Contains(name, r.FirstErrorText);
        Assert.Contains("leave " + name, r.FirstErrorText);
        Assert.Equal(0, t.Log.Total);
        Assert.Equal(before, t.PermissionsOf(Web));
    }

    [Fact]
    public async Task BlankEndpointUrl_WithoutAwsEndpointUrl_IsRefused_NotSentToRealAws()
    {
        await using var t = await StartAsync();

        var r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -EndpointUrl '   '", Web);

        Assert.Equal(new[] { "InvalidEndpointUrl,AmiShare.Commands.GrantAmiLaunchPermissionCommand" }, r.ErrorIds);
        Assert.Contains("-EndpointUrl '   ' is empty or blank", r.FirstErrorText);
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task BlankEndpointUrl_IsRefused_EvenWhenEveryAmiIdIsBad()
    {
        await using var t = await StartAsync();

        var r = t.Run("Get-AmiLaunchPermission 'not-an-ami' -EndpointUrl ' '");

        Assert.Equal(new[] { "InvalidEndpointUrl,AmiShare.Commands.GetAmiLaunchPermissionCommand" }, r.ErrorIds);
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task TestAmiLaunchAccess_OneBadAccountAmongGoodOnes_RefusesTheCommand_NoCall()
    {
        await using var t = await StartAsync();

        var r = t.Run("Test-AmiLaunchAccess $args[0], $args[1] -AccountId 111122223333, 11112222333, 444455556666", Web, Cmk);

        Assert.Equal(new[] { "InvalidPrincipal,AmiShare.Commands.TestAmiLaunchAccessCommand" }, r.ErrorIds);
        Assert.Empty(r.Output);
        Assert.Contains("'11112222333'", r.FirstErrorText);
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task TestAmiLaunchAccess_PipelineRowWithABadAccount_IsSkippedWhole_OtherRowsGoOn()
    {
        await using var t = await StartAsync();

        var r = t.Run(@"@(
    [pscustomobject]@{ ImageId = $args[0]; AccountId = @('111122223333', 'x') },
    [pscustomobject]@{ ImageId = $args[1]; AccountId = @('111122223333') }
) | Test-AmiLaunchAccess", Web, Cmk);

        Assert.Equal(new[] { "InvalidPrincipal,AmiShare.Commands.TestAmiLaunchAccessCommand" }, r.ErrorIds);
        PSObject row = Assert.Single(r.Output);
        Assert.Equal(Cmk, row.Properties["ImageId"].Value);
        Assert.True(t.Log.Total > 0);
        Assert.All(t.Log.Entries, e => Assert.DoesNotContain(Web, e.Parameters.Values));
    }

    [Fact]
    public async Task AllImageIdsOfARecord_AreCheckedBeforeTheFirstCall()
    {
        await using var t = await StartAsync();

        // -ErrorAction Stop turns the first error into the end of the command: no call was made before it.
        var r = t.Run("Get-AmiLaunchPermission $args[0], 'ami-bad', $args[1] -ErrorAction Stop", Web, Cmk);

        Assert.Contains("InvalidImageId,AmiShare.Commands.GetAmiLaunchPermissionCommand", r.ErrorIds);
        Assert.Empty(r.Output);
        Assert.Equal(0, t.Log.Total);

        var goOn = t.Run("Get-AmiLaunchPermission $args[0], 'ami-bad', $args[1]", Web, Cmk);
        Assert.Equal(new[] { "InvalidImageId,AmiShare.Commands.GetAmiLaunchPermissionCommand" }, goOn.ErrorIds);
        Assert.True(t.Log.Total > 0);
    }

    [Fact]
    public async Task UnknownButWellFormedRegion_Warns_NamingItAndTheKnownList_AndIsUsed()
    {
        await using var t = await StartAsync();

        var r = t.Run("Get-AmiLaunchPermission $args[0] -Region us-east-9", Web);

        string warning = Assert.Single(r.Warnings);
        Assert.Contains("'us-east-9'", warning);
        Assert.Contains("Known regions: ", warning);
        Assert.Contains("us-east-1", warning);
        Assert.All(t.Log.Entries, e => Assert.Equal("us-east-9", e.Region));
        Assert.True(t.Log.Total > 0);

        var known = t.Run("Get-AmiLaunchPermission $args[0] -Region us-east-1", Web).ThrowIfErrors();
        Assert.Empty(known.Warnings);
    }

    /// <summary>
    /// A sample of generated malformed values for each input (principals, AMI ids, regions, endpoints), given to
    /// Grant, the cmdlet that writes: every one is refused with an error naming it, and the emulator sees no request.
    /// </summary>
    [Fact]
    public async Task GeneratedBadInputs_AreRefused_NamingThem_WithZeroCalls()
    {
        await using var t = await StartAsync();
        using var env = new EnvironmentVariable("AWS_ENDPOINT_URL", t.Emulator.Endpoint);
        var cases = new List<(string Script, string Value, string ErrorId)>();
        foreach (string v in Sample(BadAccounts, 12))
        {
            cases.Add(("Grant-AmiLaunchPermission $args[1] -AccountId 111122223333, $args[0]", v, "InvalidPrincipal"));
            cases.Add(("Test-AmiLaunchAccess $args[1] -AccountId 111122223333, $args[0]", v, "InvalidPrincipal"));
        }

        foreach (string v in Sample(BadImageIds, 12))
        {
            cases.Add(("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333", v, "InvalidImageId"));
        }

        foreach (string v in Sample(BadRegions, 12))
        {
            cases.Add(("Grant-AmiLaunchPermission $args[1] -AccountId 111122223333 -Region $args[0]", v, "InvalidRegion"));
        }

        foreach (string v in Sample(BadEndpoints, 12))
        {
            cases.Add(("Grant-AmiLaunchPermission $args[1] -AccountId 111122223333 -EndpointUrl $args[0]", v, "InvalidEndpointUrl"));
        }

        foreach (var (script, value, errorId) in cases)
        {
            var r = t.Run(script, value, Web);
            ErrorRecord error = Assert.Single(r.AllErrors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains(value.Trim(), error.ToString());
        }

        Assert.Equal(0, t.Log.Total);
        Assert.Empty(t.PermissionsOf(Web));
    }

    private static IReadOnlyList<string> Sample(Gen<string> gen, int count) => gen.Sample(count, 30).Distinct().ToList();

    private static Gen<string> Chars(string alphabet, int min, int max)
        => from n in Gen.Choose(min, max) from cs in Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), n) select new string(cs);

    // Each generator only makes values that break the documented format (design.md §4, wire-spec.md).
    private static readonly Gen<string> BadAccounts = Gen.OneOf(
        Chars("0123456789", 1, 11),
        Chars("0123456789", 13, 20),
        from d in Chars("0123456789", 12, 12) from i in Gen.Choose(1, 11) from c in Gen.Elements('-', ' ', 'a', '\u0661', '.') select d.Insert(i, c.ToString()),
        Gen.Elements("arn:aws:iam::111122223333:root", "o-abc1234567", "1111-2222-3333"));

    private static readonly Gen<string> BadImageIds = Gen.OneOf(
        Chars("0123456789abcdef", 1, 7).Select(h => "ami-" + h),
        Chars("0123456789abcdef", 9, 16).Select(h => "ami-" + h),
        Chars("0123456789ABCDEF", 17, 17).Select(h => "ami-" + h + "X"),
        Chars("0123456789abcdef", 17, 17).Select(h => "snap-" + h));

    private static readonly Gen<string> BadRegions = Gen.OneOf(
        Chars("abcdefghijklmnopqrstuvwxyz", 1, 12),
        from a in Chars("abcdefghijklmnopqrstuvwxyz", 2, 4) from b in Chars("abcdefghijklmnopqrstuvwxyz", 3, 8) select a + "_" + b + "_1",
        from a in Chars("abcdefghijklmnopqrstuvwxyz", 2, 4) from n in Chars("0123456789", 3, 4) select a + "-east-" + n,
        Gen.Elements(" ", "us east 1", "us-east-1a", "ec2.us-east-1"));

    private static readonly Gen<string> BadEndpoints = Gen.OneOf(
        Gen.Elements(" ", "\t", "127.0.0.1:4566", "ftp://127.0.0.1", "http://", "http:\\\\127.0.0.1", "//127.0.0.1"),
        from h in Chars("abcdefghijklmnopqrstuvwxyz", 1, 8) from i in Gen.Choose(1, 7) select "http://" + h + " x" + i + ".example",
        from h in Chars("abcdefghijklmnopqrstuvwxyz", 1, 8) select "http://" + h + "\u00e9.example");

    /// <summary>Sets a process environment variable for the test and puts the old value back.</summary>
    private sealed class EnvironmentVariable : IDisposable
    {
        private readonly string _name;
        private readonly string? _old;

        public EnvironmentVariable(string name, string value)
        {
            _name = name;
            _old = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, _old);
    }
}
