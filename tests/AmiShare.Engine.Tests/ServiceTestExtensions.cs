using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Access;
using AmiShare.Engine.Sharing;

namespace AmiShare.Engine.Tests;

/// <summary>Test shorthands over the public facade (the paths the cmdlets use), nothing more.</summary>
internal static class ServiceTestExtensions
{
    /// <summary>Test-AmiLaunchAccess for one account: the cmdlet's call with a one-element list.</summary>
    public static async Task<LaunchAccessResult> TestOneLaunchAccessAsync(this AmiShareService service, string imageId, string accountId, CancellationToken cancellationToken)
        => (await service.TestLaunchAccessAsync(imageId, new[] { accountId }, cancellationToken))[0];
}
