using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// The only code that calls EC2. Every method makes exactly one API call (or one paginated series),
    /// reports it through <see cref="IShareReporter.Verbose"/> (operation, region, endpoint; never a
    /// secret) and maps EC2 errors to <see cref="AmiShareException"/> with a stable ErrorId.
    /// </summary>
    public interface IEc2Gateway : IDisposable
    {
        /// <summary>The region this gateway calls.</summary>
        string Region { get; }

        /// <summary>DescribeImages for one id. Throws AmiNotFound when EC2 does not know it (or the caller cannot see it).</summary>
        Task<ImageInfo> DescribeImageAsync(string imageId, CancellationToken cancellationToken);

        /// <summary>DescribeImageAttribute launchPermission. Throws AmiNotOwned / AmiNotFound.</summary>
        Task<IReadOnlyList<Principal>> GetLaunchPermissionsAsync(string imageId, CancellationToken cancellationToken);

        /// <summary>One ModifyImageAttribute carrying every add and remove (LaunchPermission.Add/Remove form).</summary>
        Task ModifyLaunchPermissionsAsync(string imageId, IReadOnlyList<Principal> add, IReadOnlyList<Principal> remove, CancellationToken cancellationToken);

        /// <summary>ResetImageAttribute launchPermission.</summary>
        Task ResetLaunchPermissionsAsync(string imageId, CancellationToken cancellationToken);

        /// <summary>GetImageBlockPublicAccessState: "unblocked" or "block-new-sharing".</summary>
        Task<string> GetImageBlockPublicAccessStateAsync(CancellationToken cancellationToken);

        /// <summary>How many public AMIs the caller owns in this region (DescribeImages Owner=self, is-public=true).</summary>
        Task<int> CountOwnedPublicImagesAsync(CancellationToken cancellationToken);
    }

    /// <summary>STS: who the caller is.</summary>
    public interface IStsGateway : IDisposable
    {
        /// <summary>GetCallerIdentity → the 12-digit account id.</summary>
        Task<string> GetCallerAccountAsync(CancellationToken cancellationToken);
    }
}
