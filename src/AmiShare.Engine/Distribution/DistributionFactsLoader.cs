using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Distribution
{
    /// <summary>Publish-Ami's reads before planning: the source once, then every target region's facts in parallel.</summary>
    public static class DistributionFactsLoader
    {
        /// <summary>The source AMI and its key; throws AmiNotFound (naming the region and -SourceRegion) when the caller can't see it.</summary>
        public static async Task<SourceFacts> LoadSourceAsync(RegionGateways source, string imageId, CancellationToken cancellationToken)
        {
            if (source == null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            IReadOnlyList<ImageInfo> found = await source.Ec2.DescribeImagesAsync(new[] { imageId }, cancellationToken).ConfigureAwait(false);
            ImageInfo image = found.FirstOrDefault(i => string.Equals(i.ImageId, imageId, StringComparison.Ordinal));
            if (image == null)
            {
                throw new AmiShareException(
                    ErrorIds.AmiNotFound,
                    AmiShareErrorKind.ObjectNotFound,
                    $"The source AMI {imageId} was not found in region '{source.Region}'.",
                    imageId,
                    "Check the id, and give the source's region with -SourceRegion (it defaults to the session's region; -Region names the target regions). Nothing was copied.");
            }

            var facts = new SourceFacts { Region = source.Region, Image = image };
            SnapshotRef encrypted = image.Snapshots.FirstOrDefault(s => s.Encrypted);
            if (encrypted != null)
            {
                facts.KeyArn = encrypted.KmsKeyId;
                facts.KeyIsAwsManaged = await IsAwsManagedAsync(source.Kms, encrypted.KmsKeyId, cancellationToken).ConfigureAwait(false);
            }

            return facts;
        }

        /// <summary>The facts of every target region, read in parallel (keyed by region).</summary>
        public static async Task<IReadOnlyDictionary<string, RegionFacts>> LoadRegionsAsync(
            PublishRequest request, SourceFacts source, Func<string, RegionGateways> regions, CancellationToken cancellationToken)
        {
            if (request == null || source == null || regions == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            RegionFacts[] all = await Task.WhenAll(request.Regions.Select(r => LoadRegionAsync(request, source, regions(r), cancellationToken))).ConfigureAwait(false);
            return all.ToDictionary(f => f.Region, StringComparer.Ordinal);
        }

        private static async Task<RegionFacts> LoadRegionAsync(PublishRequest request, SourceFacts source, RegionGateways g, CancellationToken cancellationToken)
        {
            var facts = new RegionFacts { Region = g.Region, RequestedKeyId = PublishInput.KeyFor(request, g.Region) };
            if (facts.RequestedKeyId != null)
            {
                try
                {
                    facts.RequestedKey = await g.Kms.DescribeKeyAsync(facts.RequestedKeyId, cancellationToken).ConfigureAwait(false);
                }
                catch (AmiShareException e)
                {
                    facts.RequestedKeyError = e;
                }
            }
            else
            {
                // Which key a copy without -KmsKeyId lands on: the region's EBS default key when the copy is encrypted.
                facts.EncryptionByDefault = await g.Ec2.GetEbsEncryptionByDefaultAsync(cancellationToken).ConfigureAwait(false);
                if (source.Encrypted || facts.EncryptionByDefault)
                {
                    facts.DefaultKeyId = await g.Ec2.GetEbsDefaultKmsKeyIdAsync(cancellationToken).ConfigureAwait(false);
                    if (!IsAwsEbsAlias(facts.DefaultKeyId))
                    {
                        KmsKeyInfo key = await g.Kms.DescribeKeyAsync(facts.DefaultKeyId, cancellationToken).ConfigureAwait(false);
                        facts.DefaultKeyArn = key.KeyArn;
                        facts.DefaultKeyIsAwsManaged = key.IsAwsManaged;
                    }
                }
            }

            facts.ExistingCopies = await g.Ec2.FindOwnedImagesByTagAsync(
                CopyIdentity.SourceTagKey, CopyIdentity.SourceTagValue(source.Region, source.Image.ImageId), cancellationToken).ConfigureAwait(false);
            return facts;
        }

        private static bool IsAwsEbsAlias(string keyId) =>
            keyId == null || keyId.EndsWith("alias/aws/ebs", StringComparison.Ordinal);

        private static async Task<bool> IsAwsManagedAsync(IKmsGateway kms, string keyArn, CancellationToken cancellationToken)
        {
            if (keyArn == null || kms == null)
            {
                return false;
            }

            try
            {
                return (await kms.DescribeKeyAsync(keyArn, cancellationToken).ConfigureAwait(false)).IsAwsManaged;
            }
            catch (AmiShareException)
            {
                // Another account's key the caller can't describe: not the caller's aws/ebs (CopyImage says whether it can read it).
                return false;
            }
        }
    }
}
