using System;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Sharing;

namespace AmiShare.Engine.Distribution
{
    /// <summary>
    /// Everything Publish-Ami calls in one region: the copy calls (EC2), KMS (the requested keys), SSM, and the region's
    /// <see cref="AmiShareService"/>, whose grant path shares each published AMI (launch permissions, key policy, snapshots).
    /// </summary>
    public sealed class RegionGateways : IDisposable
    {
        /// <summary>The gateways of one region; <paramref name="sharing"/> belongs to its factory and is not disposed here.</summary>
        public RegionGateways(string region, IEc2CopyGateway ec2, IKmsGateway kms, ISsmGateway ssm, AmiShareService sharing)
        {
            Region = region;
            Ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));
            Kms = kms;
            Ssm = ssm;
            Sharing = sharing ?? throw new ArgumentNullException(nameof(sharing));
        }

        /// <summary>Gets the region.</summary>
        public string Region { get; }

        /// <summary>Gets the EC2 calls of distribution in this region.</summary>
        public IEc2CopyGateway Ec2 { get; }

        /// <summary>Gets KMS in this region.</summary>
        public IKmsGateway Kms { get; }

        /// <summary>Gets SSM Parameter Store in this region.</summary>
        public ISsmGateway Ssm { get; }

        /// <summary>Gets the sharing service of this region (the same one Grant-AmiLaunchPermission uses).</summary>
        public AmiShareService Sharing { get; }

        /// <summary>Disposes the EC2, KMS and SSM gateways.</summary>
        public void Dispose()
        {
            Ec2.Dispose();
            Kms?.Dispose();
            Ssm?.Dispose();
        }
    }
}
