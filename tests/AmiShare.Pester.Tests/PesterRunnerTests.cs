using Xunit;

namespace AmiShare.Pester.Tests;

/// <summary>
/// The runner on small Pester files written to a temporary folder (never into tests/Pester, and their results never
/// into out/TestResults/pester): failures, broken files and leaked output all fail the case, with names and messages.
/// </summary>
public sealed class PesterRunnerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "amishare-pester-runner-" + Guid.NewGuid().ToString("N"));

    public PesterRunnerTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<PesterFileResult> Run(string name, string script)
    {
        var path = Path.Combine(_dir, name + ".Tests.ps1");
        File.WriteAllText(path, script);
        return PesterRunner.RunAsync(path, Path.Combine(_dir, "results"));
    }

    [Fact]
    public async Task A_file_whose_tests_pass_succeeds_with_its_counts_and_results_files()
    {
        var r = await Run("Clean", "Describe 'd' { It 'one' { 1 | Should -Be 1 }; It 'two' { 'a' | Should -Be 'a' }; It 'later' -Skip { } }");

        Assert.True(r.Succeeded, r.Report());
        Assert.Equal((2, 0, 1, 3), (r.Passed, r.Failed, r.Skipped, r.Total));
        Assert.Equal(AmiShare.TestSupport.RealPwsh.Version, r.PwshVersion);
        Assert.Equal(AmiShare.TestSupport.RealPwsh.PesterVersion, r.PesterVersion);
        Assert.True(File.Exists(r.JsonPath), r.JsonPath);
        Assert.Contains("<test-results", File.ReadAllText(Path.ChangeExtension(r.JsonPath, ".xml")));
    }

    [Fact]
    public async Task A_failing_test_fails_the_case_and_the_message_names_it_with_its_error()
    {
        var r = await Run("Failing", "Describe 'outer' { Context 'inner' { It 'passes' { 1 | Should -Be 1 }; It 'breaks' { 1 | Should -Be 2 -Because 'marker-7f3a' } } }");

        Assert.False(r.Succeeded);
        Assert.Equal((1, 1, 2), (r.Passed, r.Failed, r.Total));
        var report = r.Report();
        Assert.Contains("FAILED outer.inner.breaks", report);
        Assert.Contains("marker-7f3a", report);
        Assert.DoesNotContain("FAILED outer.inner.passes", report);
    }

    [Fact]
    public async Task A_file_that_throws_in_discovery_counts_as_failed_not_as_zero_tests()
    {
        var r = await Run("Discovery", "throw 'discovery-marker-51c2'\nDescribe 'd' { It 'never' { } }");

        Assert.False(r.Succeeded);
        Assert.True(r.Failed >= 1, r.Report());
        Assert.True(r.Total >= 1, r.Report());
        Assert.Contains("discovery-marker-51c2", r.Report());
    }

    [Fact]
    public async Task A_BeforeAll_that_throws_counts_as_failed_and_names_its_error()
    {
        var r = await Run("BeforeAll", "BeforeAll { throw 'beforeall-marker-9d04' }\nDescribe 'd' { It 'a' { 1 | Should -Be 1 }; It 'b' { 1 | Should -Be 1 } }");

        Assert.False(r.Succeeded);
        Assert.Equal(0, r.Passed);
        Assert.True(r.Failed >= 1, r.Report());
        Assert.Contains("beforeall-marker-9d04", r.Report());
    }

    [Fact]
    public async Task Warnings_and_host_text_that_reach_the_console_fail_the_case_even_when_the_tests_pass()
    {
        var r = await Run("Leaky", "Describe 'd' { It 'talks' { Write-Warning 'warning-marker-c1'; Write-Host 'host-marker-c2'; 1 | Should -Be 1 } }");

        Assert.Equal((1, 0), (r.Passed, r.Failed));
        Assert.False(r.Succeeded);
        Assert.Contains("warning-marker-c1", r.Leaked);
        Assert.Contains("host-marker-c2", r.Leaked);
        Assert.Contains("reached the console", r.Report());
    }
}
