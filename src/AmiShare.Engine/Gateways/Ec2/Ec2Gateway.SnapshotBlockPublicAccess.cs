using System.Threading;
using System.Threading.Tasks;
using Amazon.EC2.Model;

namespace AmiShare.Engine.Gateways
{
    /// <summary>Ec2Gateway: block public access for EBS snapshots (an account-level setting per region).</summary>
    public sealed partial class Ec2Gateway
    {
        /// <inheritdoc />
        public async Task<SnapshotBlockPublicAccessInfo> GetSnapshotBlockPublicAccessAsync(CancellationToken cancellationToken)
        {
            var request = new GetSnapshotBlockPublicAccessStateRequest();
            GetSnapshotBlockPublicAccessStateResponse response = await Call("GetSnapshotBlockPublicAccessState", null, ct => _client.GetSnapshotBlockPublicAccessStateAsync(request, ct), cancellationToken).ConfigureAwait(false);
            return new SnapshotBlockPublicAccessInfo
            {
                State = string.IsNullOrEmpty(response.State?.Value) ? "unblocked" : response.State.Value,
                ManagedBy = string.IsNullOrEmpty(response.ManagedBy?.Value) ? null : response.ManagedBy.Value,
            };
        }
    }
}
