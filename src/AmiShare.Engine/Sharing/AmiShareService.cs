using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Sharing
{
    /// <summary>
    /// The engine's sharing operations for one region/session. Reads happen in Plan*; the one write per
    /// AMI happens in <see cref="ApplyAsync"/>. Every public method validates its input before any AWS
    /// call and throws only <see cref="AmiShareException"/> (or OperationCanceledException).
    /// </summary>
    public sealed class AmiShareService : IDisposable
    {
        private readonly IEc2Gateway _ec2;
        private readonly IShareReporter _reporter;

        public AmiShareService(IEc2Gateway ec2, IShareReporter reporter)
        {
            _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));
            _reporter = reporter ?? NullShareReporter.Instance;
        }

        public string Region => _ec2.Region;

        /// <summary>Current launch permissions of one AMI.</summary>
        public Task<IReadOnlyList<Principal>> GetLaunchPermissionsAsync(string imageId, CancellationToken cancellationToken)
            => throw new NotImplementedException();

        public Task<SharePlan> PlanGrantAsync(string imageId, IReadOnlyList<Principal> principals, CancellationToken cancellationToken)
            => throw new NotImplementedException();

        public Task<SharePlan> PlanRevokeAsync(string imageId, IReadOnlyList<Principal> principals, CancellationToken cancellationToken)
            => throw new NotImplementedException();

        public Task<SharePlan> PlanSetPublicAsync(string imageId, bool makePublic, CancellationToken cancellationToken)
            => throw new NotImplementedException();

        public Task<SharePlan> PlanResetAsync(string imageId, CancellationToken cancellationToken)
            => throw new NotImplementedException();

        public Task<ShareResult> ApplyAsync(SharePlan plan, CancellationToken cancellationToken)
            => throw new NotImplementedException();

        public void Dispose() => _ec2.Dispose();
    }
}
