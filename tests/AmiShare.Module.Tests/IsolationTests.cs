using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using AmiShare.Emulator;
using AmiShare.Sandbox;
using AmiShare.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace AmiShare.Module.Tests;

/// <summary>
/// Import order against other AWSSDK.Core builds, as AWS.Tools loads them, in real pwsh 7.6.9 (design.md §10,
/// house-style.md §6.4 rule 5). Each scenario is a fresh pwsh (one default context holds one AWSSDK.Core, and
/// each order needs its own process) running Isolation/ImportOrder.ps1 against one emulator started here; the
/// fixture starts them all at once, a few at a time, and each test awaits its own.
/// </summary>
public sealed class IsolationTests : IClassFixture<IsolationTests.Scenarios>
{
    public const string Image = ModuleTestContext.Web;

    // AWSSDK.Core builds (PackageDownload in the csproj), each in a TFM it ships.
    public static readonly TheoryData<string, string> Cores = BuildCores();

    private readonly Scenarios _scenarios;
    private readonly ITestOutputHelper _output;

    public IsolationTests(Scenarios scenarios, ITestOutputHelper output)
    {
        _scenarios = scenarios;
        _output = output;
    }

    [Theory]
    [MemberData(nameof(Cores))]
    public async Task OtherCoreLoadedFirst_AmiShareStillGrants_AndTheOtherCoreStillWorks(string version, string tfm)
    {
        var run = await _scenarios.Get(new Scenario("CoreFirst", version, tfm));
        _output.WriteLine($"pwsh ran {run.Elapsed.TotalSeconds:0.0} s");
        var r = run.Result;
        string core = Scenarios.CorePath(version, tfm);

        Assert.Equal(new[] { run.Scenario.Account }, Strings(r.GetProperty("Granted")));
        Assert.Contains("UserId:" + run.Scenario.Account, _scenarios.Permissions());
        AssertOtherCoreWorks(r.GetProperty("OtherBefore"), core);
        AssertOtherCoreWorks(r.GetProperty("OtherAfter"), core);
        AssertPlacement(r, core);
    }

    [Theory]
    [MemberData(nameof(Cores))]
    public async Task AmiShareFirst_OtherCoreLoadsAndWorks_AndAmiShareStillGrants(string version, string tfm)
    {
        var run = await _scenarios.Get(new Scenario("AmiShareFirst", version, tfm));
        _output.WriteLine($"pwsh ran {run.Elapsed.TotalSeconds:0.0} s");
        var r = run.Result;
        string core = Scenarios.CorePath(version, tfm);

        Assert.Equal(new[] { run.Scenario.Account }, Strings(r.GetProperty("Granted")));
        AssertOtherCoreWorks(r.GetProperty("OtherAfter"), core);
        // The second grant takes $StoredAWSCredentials holding the other Core's credentials object.
        Assert.Equal(new[] { run.Scenario.SecondAccount }, Strings(r.GetProperty("GrantedAgain")));
        Assert.Contains("UserId:" + run.Scenario.Account, _scenarios.Permissions());
        Assert.Contains("UserId:" + run.Scenario.SecondAccount, _scenarios.Permissions());
        AssertPlacement(r, core);
    }

    [Fact]
    public async Task ImportAndMetadata_DoNotLoadTheEngine_RemoveUnhooks_AndReimportWorks()
    {
        var run = await _scenarios.Get(new Scenario("ImportOnly", "", ""));
        var r = run.Result;

        // Cmdlet classes, parameters, output types and help name no engine/AWSSDK type (house-style.md §6.4 rule 1).
        Assert.False(r.GetProperty("EngineLoadedByImportAndMetadata").GetBoolean());
        // Remove-Module unhooks the default context's resolver; importing again hooks it again.
        Assert.Equal("not found: FileNotFoundException", r.GetProperty("ResolvedAfterRemove").GetString());
        Assert.Equal("AmiShare", r.GetProperty("ResolvedAfterReimport").GetString());
        Assert.Equal(new[] { run.Scenario.Account }, Strings(r.GetProperty("Granted")));
        Assert.Contains("UserId:" + run.Scenario.Account, _scenarios.Permissions());
        AssertPlacement(r, otherCore: null);
    }

    private static void AssertOtherCoreWorks(JsonElement use, string core)
    {
        Assert.Equal("AKIAOTHERCORE0000001", use.GetProperty("AccessKey").GetString());
        Assert.Equal("eu-west-1", use.GetProperty("Region").GetString());
        Assert.Equal(core, use.GetProperty("Location").GetString());
    }

    /// <summary>The engine and our AWSSDK.Core in the "AmiShare" context from dependencies/; the other Core alone in Default.</summary>
    private static void AssertPlacement(JsonElement r, string? otherCore)
    {
        var engine = Assert.Single(r.GetProperty("Engine").EnumerateArray());
        Assert.Equal("AmiShare", engine.GetProperty("Context").GetString());
        Assert.Equal(Path.Combine(RepoPaths.DependencyFolder, "AmiShare.Engine.dll"), engine.GetProperty("Location").GetString());

        var cores = r.GetProperty("Core").EnumerateArray()
            .Select(c => (Context: c.GetProperty("Context").GetString(), Location: c.GetProperty("Location").GetString()))
            .OrderBy(c => c.Context, StringComparer.Ordinal).ToList();
        var expected = new List<(string?, string?)> { ("AmiShare", Path.Combine(RepoPaths.DependencyFolder, "AWSSDK.Core.dll")) };
        if (otherCore != null) expected.Add(("Default", otherCore));
        Assert.Equal(expected, cores);
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static TheoryData<string, string> BuildCores()
    {
        var data = new TheoryData<string, string>();
        foreach (var (version, tfm) in Scenarios.CoreBuilds) data.Add(version, tfm);
        return data;
    }

    public sealed record Scenario(string Order, string Version, string Tfm)
    {
        public int Index { get; init; }

        public string Account => "2000000000" + Index.ToString("00");

        public string SecondAccount => "3000000000" + Index.ToString("00");
    }

    public sealed record ScenarioRun(Scenario Scenario, JsonElement Result, TimeSpan Elapsed);

    /// <summary>One emulator and every scenario's pwsh, started together; at most four pwsh at a time.</summary>
    public sealed class Scenarios : IAsyncLifetime
    {
        public static readonly (string Version, string Tfm)[] CoreBuilds =
        {
            ("3.7.402", "netstandard2.0"), ("3.7.402", "netcoreapp3.1"), ("4.0.3.3", "netstandard2.0"),
            ("4.0.102.19", "netstandard2.0"), ("4.1.0", "netstandard2.0"), ("4.1.0", "net8.0"),
        };

        private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);
        private readonly ConcurrentDictionary<(string, string, string), Task<ScenarioRun>> _runs = new();
        private readonly SemaphoreSlim _slots = new(4);
        private EmulatorHost? _emulator;

        public static string CorePath(string version, string tfm) =>
            Path.Combine(RealPwsh.PackagesFolder, "awssdk.core", version, "lib", tfm, "AWSSDK.Core.dll");

        public async Task InitializeAsync()
        {
            _emulator = await EmulatorHost.StartAsync(World.Demo());
            var all = new List<Scenario> { new("ImportOnly", "", "") };
            foreach (var (version, tfm) in CoreBuilds)
            {
                all.Add(new Scenario("CoreFirst", version, tfm));
                all.Add(new Scenario("AmiShareFirst", version, tfm));
            }

            for (int i = 0; i < all.Count; i++)
            {
                var scenario = all[i] with { Index = i + 1 };
                _runs[(scenario.Order, scenario.Version, scenario.Tfm)] = RunAsync(scenario);
            }
        }

        public Task<ScenarioRun> Get(Scenario key) => _runs[(key.Order, key.Version, key.Tfm)];

        /// <summary>The emulator's launch permissions of <see cref="Image"/> in us-east-1, as "Kind:Value".</summary>
        public IReadOnlyList<string> Permissions() =>
            _emulator!.World.LaunchPermissionsOf("us-east-1", Image).Select(p => p.Kind + ":" + p.Value).ToList();

        private async Task<ScenarioRun> RunAsync(Scenario s)
        {
            await _slots.WaitAsync();
            try
            {
                var arguments = new List<string>
                {
                    "-File", Path.Combine(RealPwsh.RepoRoot, "tests", "AmiShare.Module.Tests", "Isolation", "ImportOrder.ps1"),
                    "-Order", s.Order, "-Manifest", RepoPaths.ModuleManifest, "-Endpoint", _emulator!.Endpoint,
                    "-ImageId", Image, "-Account", s.Account, "-SecondAccount", s.SecondAccount,
                };
                if (s.Version.Length > 0)
                {
                    string core = CorePath(s.Version, s.Tfm);
                    Assert.True(File.Exists(core), $"{core} is missing: the PackageDownload of AWSSDK.Core {s.Version} did not restore.");
                    arguments.AddRange(new[] { "-CorePath", core });
                }

                var psi = RealPwsh.StartInfo(arguments.ToArray());
                // Nothing but what the script passes may supply credentials or a region.
                foreach (string name in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL" })
                {
                    psi.Environment.Remove(name);
                }

                psi.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
                psi.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(RealPwsh.RepoRoot, "out", "no-such-credentials");
                psi.Environment["AWS_CONFIG_FILE"] = Path.Combine(RealPwsh.RepoRoot, "out", "no-such-config");

                var clock = Stopwatch.StartNew();
                var result = await RealPwsh.RunAsync(psi, s_timeout);
                clock.Stop();
                string? line = result.StdOut.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("##RESULT## ", StringComparison.Ordinal));
                if (result.ExitCode != 0 || line == null)
                {
                    throw new Xunit.Sdk.XunitException($"Scenario {s} failed in pwsh:\n{result}");
                }

                using var json = JsonDocument.Parse(line["##RESULT## ".Length..]);
                return new ScenarioRun(s, json.RootElement.Clone(), clock.Elapsed);
            }
            finally
            {
                _slots.Release();
            }
        }

        public async Task DisposeAsync()
        {
            try
            {
                await Task.WhenAll(_runs.Values).WaitAsync(s_timeout);
            }
            catch (Exception)
            {
                // Each failure is reported by its own test.
            }

            if (_emulator != null) await _emulator.DisposeAsync();
        }
    }
}
