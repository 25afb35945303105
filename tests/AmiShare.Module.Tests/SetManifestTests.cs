using System.Text;
using System.Text.RegularExpressions;
using AmiShare.Emulator;
using Xunit;
using Xunit.Abstractions;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// Set-AmiLaunchPermission -ManifestPath, counted from the emulator's log: a manifest of 50 AMIs (ids and a name pattern; some
/// drifting in different ways, some already right) costs one ModifyImageAttribute per drifting AMI and none for the others;
/// -WhatIf shows the same plan with no write; a bad manifest is refused, naming the file, the entry and the value, before any write.
/// </summary>
public sealed class SetManifestTests : IDisposable
{
    private const string A = "111111111111";
    private const string B = "222222222222";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "amishare-manifest-" + Guid.NewGuid().ToString("N"));
    private readonly ITestOutputHelper _output;

    public SetManifestTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Ami(int i) => $"ami-{i + 0x500000:x17}";

    private enum Drift { Right, Missing, Extra, Both, Public }

    private static Drift DriftOf(int i) => (Drift)(i % 5);

    /// <summary>50 AMIs "golden-linux-00" … "golden-linux-49", shaped by <see cref="DriftOf"/> against the desired set {A, Engineering OU}.</summary>
    private static string[] AddFleet(ModuleTestContext t, int n = 50)
    {
        var ids = new string[n];
        for (int i = 0; i < n; i++)
        {
            var image = new ImageSpec { ImageId = Ami(i), Region = "us-east-1", Owner = Owner, Name = $"golden-linux-{i:00}" };
            var permissions = DriftOf(i) switch
            {
                Drift.Right => new[] { Account(A), Ou() },
                Drift.Missing => new[] { Account(A) },
                Drift.Extra => new[] { Account(A), Ou(), Account(B) },
                Drift.Both => new[] { Account(A), Account(B) },
                _ => new[] { new LaunchPermissionSpec { Group = "all" }, Account(A), Ou() },
            };
            image.LaunchPermissions.AddRange(permissions);
            t.World.AddImage(image);
            ids[i] = image.ImageId;
        }

        return ids;
    }

    private static LaunchPermissionSpec Account(string id) => new() { UserId = id };

    private static LaunchPermissionSpec Ou() => new() { OrganizationalUnitArn = EngineeringOu };

    /// <summary>AMIs 0–39 by id (the public ones with Public = $false), 40–49 through the pattern golden-linux-4?.</summary>
    private string WriteFleetManifest(int n = 50)
    {
        var text = new StringBuilder("# golden fleet\n@{\n    Images = @(\n");
        for (int i = 0; i < 40 && i < n; i++)
        {
            string isPublic = DriftOf(i) == Drift.Public ? "; Public = $false" : "";
            text.Append($"        @{{ ImageId = '{Ami(i)}'; Principals = @('{A}', '{EngineeringOu}'){isPublic} }}\n");
        }

        text.Append($"        @{{ Name = 'golden-linux-4?'; Principals = '{A}', '{EngineeringOu}'; Public = $false }}\n    )\n}}\n");
        return Write("fleet.psd1", text.ToString());
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static Dictionary<string, (string Add, string Remove)> WhatIfPlans(string host) =>
        Regex.Matches(host, "What if: Performing the operation \"Set launch permissions to [^\"]* \\(add: ([^;]*); remove: ([^)]*)\\)\" on target \"(ami-[0-9a-f]+)")
            .ToDictionary(m => m.Groups[3].Value, m => (m.Groups[1].Value, m.Groups[2].Value));

    [Fact]
    public async Task Manifest50Amis_OneModifyPerDriftingAmi_NoneForTheRightOnes_WhatIfSamePlanNoWrite()
    {
        await using var t = await StartAsync();
        string[] ids = AddFleet(t);
        string manifest = WriteFleetManifest();
        string[] drifting = ids.Where((_, i) => DriftOf(i) != Drift.Right).ToArray();

        // -WhatIf: the plan of every drifting AMI, no write.
        t.Log.Clear();
        t.Run("Set-AmiLaunchPermission -ManifestPath $args[0] -WhatIf", manifest).ThrowIfErrors();
        Assert.Equal(0, t.Log.MutatingCount);
        Assert.Equal(1, t.Log.Entries.Count(e => e.Action == "DescribeImages" && e.Parameters.Values.Contains("self"))); // owned AMIs read once for the pattern
        var planned = WhatIfPlans(t.Ps.HostOutput.ToString()!);
        Assert.Equal(drifting.OrderBy(x => x), planned.Keys.OrderBy(x => x));
        Assert.Equal((EngineeringOu, "none"), planned[Ami(1)]);
        Assert.Equal(("none", B), planned[Ami(2)]);
        Assert.Equal((EngineeringOu, B), planned[Ami(3)]);
        Assert.Equal(("none", "all"), planned[Ami(44)]);

        // The real run: exactly one ModifyImageAttribute per drifting AMI, carrying what -WhatIf showed.
        t.Log.Clear();
        var r = t.Run("Set-AmiLaunchPermission -ManifestPath $args[0] -Force -PassThru", manifest).ThrowIfErrors();
        var log = t.Log.Entries;
        _output.WriteLine($"manifest of 50 AMIs ({drifting.Length} drifting): {log.Count} calls, " + string.Join(", ", log.GroupBy(e => e.Action).Select(g => $"{g.Key} {g.Count()}")));
        var modifies = log.Where(e => e.Action == "ModifyImageAttribute").ToList();
        Assert.Equal(drifting.Length, modifies.Count);
        Assert.Equal(drifting.OrderBy(x => x), modifies.Select(m => m.Parameters["ImageId"]).OrderBy(x => x));
        Assert.Equal(modifies.Count, t.Log.MutatingCount);
        Assert.Equal(50, r.Output.Count);
        foreach (var row in r.Output)
        {
            string id = (string)row.Properties["ImageId"].Value;
            string added = string.Join(", ", (IEnumerable<string>)row.Properties["Added"].Value);
            string removed = string.Join(", ", (IEnumerable<string>)row.Properties["Removed"].Value);
            if (planned.TryGetValue(id, out var plan))
            {
                Assert.Equal(plan, (added.Length == 0 ? "none" : added, removed.Length == 0 ? "none" : removed));
            }
            else
            {
                Assert.Equal(false, row.Properties["Changed"].Value);
            }
        }

        Assert.All(ids, id => Assert.Equal(new[] { "OrganizationalUnitArn:" + EngineeringOu, "UserId:" + A }, t.PermissionsOf(id)));

        // Rerun: everything is right, no write.
        t.Log.Clear();
        t.Run("Set-AmiLaunchPermission -ManifestPath $args[0] -Force", manifest).ThrowIfErrors();
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task JsonManifest_SameShape_SameResult()
    {
        await using var t = await StartAsync();
        AddFleet(t, 10);
        string manifest = Write("fleet.json", $$"""
            {
              "Images": [
                { "ImageId": "{{Ami(0)}}", "Principals": [ "{{A}}", "{{EngineeringOu}}" ] },
                { "Name": "golden-linux-0[!0]*", "Principals": [ ], "Public": false },
                { "Name": "golden-linux-0?", "Principals": [ "{{A}}", "{{EngineeringOu}}" ], "Public": false }
              ]
            }
            """.Replace("golden-linux-0[!0]*", "nothing-*-matches"));

        var bad = t.Run("Set-AmiLaunchPermission -ManifestPath $args[0] -Force", manifest);
        Assert.Equal("InvalidManifest,AmiShare.Commands.SetAmiLaunchPermissionCommand", Assert.Single(bad.ErrorIds));
        Assert.Contains("entry 2 (Name 'nothing-*-matches') matches none", bad.FirstErrorText);
        Assert.Contains("fleet.json", bad.FirstErrorText);
        Assert.Contains($"{Ami(0)} is matched by entry 1 (ImageId '{Ami(0)}') and entry 3 (Name 'golden-linux-0?')", bad.FirstErrorText);
        Assert.Equal(0, t.Log.MutatingCount);

        string good = Write("good.json", $$"""
            { "Images": [ { "Name": "golden-linux-0?", "Principals": [ "{{A}}", "{{EngineeringOu}}" ], "Public": false } ] }
            """);
        t.Log.Clear();
        t.Run("Set-AmiLaunchPermission -ManifestPath $args[0] -Force", good).ThrowIfErrors();
        Assert.Equal(8, t.Log.Count("ModifyImageAttribute")); // 10 AMIs, 2 already right
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(new[] { "OrganizationalUnitArn:" + EngineeringOu, "UserId:" + A }, t.PermissionsOf(Ami(i))));
    }

    [Fact]
    public async Task ManifestEntry_PublicAmiWithoutPublicKey_IsRefused_NamingTheEntryAndTheFix_OthersGoOn()
    {
        await using var t = await StartAsync();
        AddFleet(t, 5);
        string manifest = Write("m.psd1", $"@{{ Images = @( @{{ Name = 'golden-linux-0*'; Principals = @('{A}') }} ) }}");

        var r = t.Run("Set-AmiLaunchPermission -ManifestPath $args[0] -Force", manifest);

        _output.WriteLine(string.Join("\n", r.AllErrors.Select(e => e.FullyQualifiedErrorId + " " + e)));
        var error = Assert.Single(r.Errors);
        Assert.Equal("PublicRemovalNotConfirmed,AmiShare.Commands.SetAmiLaunchPermissionCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Public = $false to entry 1 (Name 'golden-linux-0*') of " + manifest, error.ErrorDetails.RecommendedAction);
        Assert.Equal(Ami(4), error.TargetObject);
        Assert.Equal(3, t.Log.Count("ModifyImageAttribute")); // AMIs 0, 2, 3 drift from exactly A (1 already is); the public one is untouched
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(new[] { "UserId:" + A }, t.PermissionsOf(Ami(i))));
        Assert.Contains("Group:all", t.PermissionsOf(Ami(4)));
    }

    public static TheoryData<string, string, string[]> BadManifests => new()
    {
        { "unknown.psd1", $"@{{ Images = @( @{{ ImageId = '{Web}'; Principals = @('{A}'); Pubic = $false }} ) }}", new[] { "entry 1: unknown key 'Pubic'" } },
        { "principal.psd1", $"@{{ Images = @( @{{ ImageId = '{Web}'; Principals = @('{A}') }}, @{{ Name = 'web-*'; Principals = @('1111') }} ) }}", new[] { "entry 2 (Name 'web-*'): Principals value '1111'" } },
        { "unquoted.psd1", $"@{{ Images = @( @{{ ImageId = '{Web}'; Principals = @({A}) }} ) }}", new[] { $"Principals value '{A}' is not text" } },
        { "all.psd1", $"@{{ Images = @( @{{ ImageId = '{Web}'; Principals = @('all') }} ) }}", new[] { "Principals value 'all'", "Public = $true" } },
        { "id.psd1", "@{ Images = @( @{ ImageId = 'ami-123'; Principals = @() } ) }", new[] { "entry 1: ImageId 'ami-123' is not an AMI id" } },
        { "both.psd1", $"@{{ Images = @( @{{ ImageId = '{Web}'; Name = 'x'; Principals = @() }} ) }}", new[] { "entry 1: give exactly one of ImageId and Name" } },
        { "twice.psd1", $"@{{ Images = @( @{{ ImageId = '{Web}'; Principals = @() }}, @{{ ImageId = '{Web}'; Principals = @('{A}') }} ) }}", new[] { $"{Web} is named by entry 1 and entry 2" } },
        { "nokey.psd1", $"@{{ Images = @( @{{ ImageId = '{Web}' }} ); Extra = 1 }}", new[] { "unknown top-level key 'Extra'", "Principals is missing" } },
        { "public.psd1", $"@{{ Images = @( @{{ ImageId = '{Web}'; Principals = @(); Public = 'no' }} ) }}", new[] { "Public 'no' is not $true or $false" } },
        { "syntax.psd1", "@{ Images = @( @{ ImageId = 'ami-1' ) }", new[] { "is not valid PowerShell data (line 1" } },
        { "code.psd1", "@{ Images = @( @{ ImageId = \"$(New-Item -ItemType File -Path ran.txt)\"; Principals = @() } ) }", new[] { "holds something other than data" } },
        { "script.psd1", "Remove-Item nothing; @{ Images = @() }", new[] { "must hold one hashtable" } },
        { "block.psd1", $"@{{ Images = @( @{{ ImageId = '{Web}';\n Principals = {{ New-Item -ItemType File -Path ran.txt }} }} ) }}", new[] { "holds something other than data", "a script block at line 2, { New-Item" } },
        { "bad.json", "{ \"Images\": [ { \"ImageId\": \"ami-1\", } ", new[] { "is not valid JSON" } },
        { "dup.json", $"{{ \"Images\": [ {{ \"ImageId\": \"{Web}\", \"imageid\": \"{Web}\", \"Principals\": [] }} ] }}", new[] { "key 'imageid' appears twice" } },
        { "list.txt", "Images", new[] { "is neither .psd1 nor .json" } },
    };

    [Theory]
    [MemberData(nameof(BadManifests))]
    public async Task BadManifest_IsRefusedBeforeAnyAwsCall_NamingTheFileTheEntryAndTheValue(string name, string text, string[] expected)
    {
        await using var t = await StartAsync();
        string path = Write(name, text);
        var r = t.Run("Set-AmiLaunchPermission -ManifestPath $args[0] -Force", path);

        Assert.Equal("InvalidManifest,AmiShare.Commands.SetAmiLaunchPermissionCommand", Assert.Single(r.ErrorIds));
        string message = r.FirstErrorText;
        _output.WriteLine(message);
        Assert.Contains(name, message);
        Assert.All(expected, e => Assert.Contains(e, message));
        Assert.Equal(0, t.Log.Total);
        Assert.False(File.Exists(Path.Combine(_dir, "ran.txt")), "nothing in a manifest may run");
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Manifest_BareOuIdThatCannotBeResolved_IsAManifestProblem_BeforeAnyWrite()
    {
        await using var t = await StartAsync();
        string path = Write("bare.psd1", $"@{{ Images = @( @{{ ImageId = '{Web}'; Principals = @('{A}', 'ou-ab12-11111111') }}, @{{ ImageId = '{Agent}'; Principals = @('ou-ab12-99999999') }} ) }}");

        var r = t.Run("Set-AmiLaunchPermission -ManifestPath $args[0] -Force", path);

        Assert.Equal("InvalidManifest,AmiShare.Commands.SetAmiLaunchPermissionCommand", Assert.Single(r.ErrorIds));
        Assert.Contains($"entry 2 (ImageId '{Agent}'): Principals value 'ou-ab12-99999999' cannot be resolved", r.FirstErrorText);
        Assert.Single(Regex.Matches(r.FirstErrorText, Regex.Escape("Check the id")));
        Assert.Equal(0, t.Log.MutatingCount);
        Assert.Empty(t.PermissionsOf(Web));

        // The ids that resolve are used as their ARNs.
        File.WriteAllText(path, $"@{{ Images = @( @{{ ImageId = '{Web}'; Principals = @('{A}', 'ou-ab12-11111111') }} ) }}");
        t.Run("Set-AmiLaunchPermission -ManifestPath $args[0] -Force", path).ThrowIfErrors();
        Assert.Equal(new[] { "OrganizationalUnitArn:" + EngineeringOu, "UserId:" + A }, t.PermissionsOf(Web).OrderBy(p => p, StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task JsonManifest_NotValidJson_NamesThePathAsGiven_AndTheOneBasedPlaceOnce()
    {
        await using var t = await StartAsync();
        Write("broken.json", "{ \"Images\": [ { \"ImageId\": \"ami-1\" ");

        var r = t.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); Set-AmiLaunchPermission -ManifestPath ./broken.json -Force", _dir);
        Assert.Equal("InvalidManifest,AmiShare.Commands.SetAmiLaunchPermissionCommand", Assert.Single(r.ErrorIds));
        string message = r.FirstErrorText;
        _output.WriteLine(message);
        Assert.StartsWith("./broken.json is not valid JSON (line 1, position ", message);
        Assert.DoesNotContain(_dir, message);
        Assert.DoesNotContain("BytePositionInLine", message);
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task Manifest_MissingFile_AndPrincipalParameters_AreRefused()
    {
        await using var t = await StartAsync();
        var missing = t.Run("Set-AmiLaunchPermission -ManifestPath nowhere.psd1 -Force");
        Assert.Equal("InvalidManifest,AmiShare.Commands.SetAmiLaunchPermissionCommand", Assert.Single(missing.ErrorIds));
        Assert.Contains("'nowhere.psd1' does not exist", missing.FirstErrorText);

        string path = Write("m.psd1", $"@{{ Images = @( @{{ ImageId = '{Web}'; Principals = @() }} ) }}");
        var mixed = t.Run("Set-AmiLaunchPermission -ManifestPath $args[0] -AccountId $args[1] -Force", path, A);
        Assert.Equal("InvalidManifest,AmiShare.Commands.SetAmiLaunchPermissionCommand", Assert.Single(mixed.ErrorIds));
        Assert.Equal(0, t.Log.Total);
    }
}
