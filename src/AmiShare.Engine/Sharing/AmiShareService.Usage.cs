using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Facts;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Usage;

namespace AmiShare.Engine.Sharing
{
    /// <summary>AmiShareService: who still uses the caller's AMIs in this region (image usage reports).</summary>
    public sealed partial class AmiShareService
    {
        /// <summary>True when this service's EC2 gateway can read image usage reports (the real one can; a test fake may not).</summary>
        public bool CanReadUsage => _ec2 is IEc2UsageGateway && !(_ec2 is RunEc2Facts facts && !facts.CanReadUsage);

        /// <summary>
        /// The usage of <paramref name="imageIds"/> (AMIs the caller owns in this region) by other accounts, from one image usage
        /// report per AMI (see <see cref="ImageUsageReader"/>); <paramref name="accountIds"/> limits it to those accounts (null: all).
        /// <paramref name="progress"/> gets (reports ready, total).
        /// </summary>
        public Task<IReadOnlyDictionary<string, ImageUsage>> GetImageUsageAsync(IReadOnlyList<string> imageIds, IReadOnlyList<string> accountIds, ImageUsageSettings settings, Action<int, int> progress, CancellationToken cancellationToken)
        {
            if (!CanReadUsage)
            {
                throw new InvalidOperationException($"The EC2 gateway of region '{Region}' cannot read image usage reports (it does not implement IEc2UsageGateway).");
            }

            return new ImageUsageReader((IEc2UsageGateway)_ec2, settings).ReadAsync(imageIds, accountIds, progress, cancellationToken);
        }
    }
}
