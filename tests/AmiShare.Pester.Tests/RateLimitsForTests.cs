using System.Runtime.CompilerServices;

namespace AmiShare.Pester.Tests;

/// <summary>
/// Client-side pacing off for this test process (AMISHARE_RATE_LIMITS=off, inherited by the pwsh processes it starts):
/// suites that make thousands of calls against one emulator must not wait for EC2-shaped buckets. The pacing tests
/// build their own registries and shapes explicitly.
/// </summary>
internal static class RateLimitsForTests
{
    [ModuleInitializer]
    internal static void TurnPacingOff() => Environment.SetEnvironmentVariable("AMISHARE_RATE_LIMITS", "off");
}
