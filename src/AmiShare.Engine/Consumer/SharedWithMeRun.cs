using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Consumer
{
    /// <summary>
    /// Get-AmiSharedWithMe over several regions: one STS GetCallerIdentity, then every region at once (each region's
    /// reads in sequence, within EC2's per-region rates). A region that fails gives its error and the others go on.
    /// </summary>
    public static class SharedWithMeRun
    {
        /// <summary>
        /// Reads <paramref name="regions"/> (the session's region when empty) with <paramref name="session"/>'s credentials and
        /// endpoint. <paramref name="progress"/> gets (regions done, regions) as each region finishes.
        /// </summary>
        public static async Task<IReadOnlyList<SharedWithMeRegion>> ReadAsync(AwsSession session, IReadOnlyList<string> regions, bool includePublic, IShareReporter reporter, CancellationToken cancellationToken, Action<int, int> progress = null)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            List<string> targets = (regions ?? new List<string>()).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct(StringComparer.Ordinal).ToList();
            if (targets.Count == 0)
            {
                targets.Add(session.Region);
            }

            string caller;
            using (var sts = new StsGateway(session, reporter))
            {
                caller = await sts.GetCallerAccountAsync(cancellationToken).ConfigureAwait(false);
            }

            int done = 0;
            progress?.Invoke(0, targets.Count);
            SharedWithMeRegion[] results = await Task.WhenAll(targets.Select(async r =>
            {
                SharedWithMeRegion result = await ReadRegionAsync(session, r, caller, includePublic, reporter, cancellationToken).ConfigureAwait(false);
                progress?.Invoke(Interlocked.Increment(ref done), targets.Count);
                return result;
            })).ConfigureAwait(false);
            return results;
        }

        private static async Task<SharedWithMeRegion> ReadRegionAsync(AwsSession source, string region, string caller, bool includePublic, IShareReporter reporter, CancellationToken cancellationToken)
        {
            var session = new AwsSession(source.Credentials, source.CredentialSource, region, "-Region", source.EndpointUrl) { Proxy = source.Proxy };
            try
            {
                using (var ec2 = new Ec2Gateway(session, reporter))
                using (var kms = new KmsGateway(session, reporter))
                {
                    IReadOnlyList<SharedImage> images = await new SharedWithMeReader(ec2, kms).ReadAsync(caller, includePublic, cancellationToken).ConfigureAwait(false);
                    return new SharedWithMeRegion { Region = region, Images = images };
                }
            }
            catch (AmiShareException e)
            {
                return new SharedWithMeRegion { Region = region, Error = e };
            }
        }
    }
}
