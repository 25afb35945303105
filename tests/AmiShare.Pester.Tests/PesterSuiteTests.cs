using Xunit;
using Xunit.Abstractions;

namespace AmiShare.Pester.Tests;

/// <summary>
/// tests/Pester in real pwsh 7.6.9 with Pester 5.9.1: one case per *.Tests.ps1 file. A case fails when any Pester
/// test, block or the file itself fails, or when the file leaks output to the console; the message lists each
/// failure. Counts go to the test output and to out/TestResults/pester/&lt;file&gt;.json (NUnit XML beside it).
/// </summary>
public sealed class PesterSuiteTests
{
    private readonly ITestOutputHelper _output;

    public PesterSuiteTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in PesterRunner.SuiteFiles()) data.Add(file);
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Pester_file_passes_in_real_pwsh(string file)
    {
        var result = await PesterRunner.SuiteResultAsync(file);

        _output.WriteLine(result.Summary);
        foreach (var failure in result.Failures) _output.WriteLine($"FAILED {failure.Name}: {failure.Message}");
        Assert.True(result.Succeeded, result.Report());
    }
}
