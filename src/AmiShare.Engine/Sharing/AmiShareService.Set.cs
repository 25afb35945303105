using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Manifests;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Sharing
{
    /// <summary>The desired-state operations: Set-AmiLaunchPermission (parameters or a manifest) and Copy-AmiLaunchPermission.</summary>
    public sealed partial class AmiShareService
    {
        private readonly object _sourceGate = new object();
        private readonly Dictionary<string, Task<IReadOnlyList<Principal>>> _sources = new Dictionary<string, Task<IReadOnlyList<Principal>>>(StringComparer.Ordinal);

        /// <summary>
        /// Set-AmiLaunchPermission / Copy-AmiLaunchPermission: plans making <paramref name="imageId"/>'s launch permissions exactly
        /// <paramref name="desired"/> (one ModifyImageAttribute with the adds and removes; none when already so). Adds pass Grant's
        /// preflight (with 'all', Set-AmiPublic's public checks); removes carry Revoke's warnings (and, with -CheckUsage, the usage check). Reads only.
        /// </summary>
        public async Task<SharePlan> PlanSetAsync(string imageId, DesiredLaunchPermissions desired, ShareOptions options, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(imageId);
            if (desired == null)
            {
                throw new ArgumentNullException(nameof(desired));
            }

            if (desired.Principals.Any(p => p.Type == PrincipalType.Public))
            {
                throw new AmiShareException(
                    ErrorIds.PublicNotAllowedHere,
                    AmiShareErrorKind.InvalidArgument,
                    $"Group 'all' was given as a principal for {id}; whether the AMI is public is said on its own.",
                    id,
                    "Use -Public:$true to keep or make it public (after the public checks), -Public:$false to make it private.");
            }

            cancellationToken.ThrowIfCancellationRequested();
            SharePlan plan = await _planner.SetAsync(id, desired, options ?? ShareOptions.None, cancellationToken).ConfigureAwait(false);
            return Reported(await UsageCheckedAsync(plan, options, cancellationToken).ConfigureAwait(false));
        }

        /// <summary>
        /// The AMIs a manifest means in this region, each with its desired launch permissions: the entries are checked first (no call
        /// for an invalid manifest), then, when an entry names a pattern, the caller's owned AMIs are read once. Throws
        /// InvalidManifest listing every problem (pattern matching nothing, an AMI meant by two entries …) before any write.
        /// </summary>
        public async Task<IReadOnlyList<ManifestTarget>> ResolveManifestAsync(ManifestDocument manifest, CancellationToken cancellationToken)
        {
            if (manifest == null)
            {
                throw new ArgumentNullException(nameof(manifest));
            }

            IReadOnlyList<ManifestEntry> entries = ManifestRules.Validate(manifest);
            await ResolveBareIdsAsync(manifest.Path, entries, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<ImageInfo> owned = Array.Empty<ImageInfo>();
            if (entries.Any(e => e.Name != null))
            {
                owned = await _ec2.DescribeOwnedImagesAsync(cancellationToken).ConfigureAwait(false);
                _reporter.Verbose($"{manifest.Path}: name patterns matched against the {owned.Count} AMIs the caller owns in {Region}");
            }

            return ManifestRules.Resolve(manifest.Path, entries, owned, Region);
        }

        /// <summary>
        /// Resolves the bare o-…/ou-… ids of every entry through Organizations (each id once) before any AMI is planned, so an id that
        /// cannot be resolved is a problem of the manifest (InvalidManifest naming the entry and the value), not of one AMI after others
        /// were written.
        /// </summary>
        private async Task ResolveBareIdsAsync(string file, IReadOnlyList<ManifestEntry> entries, CancellationToken cancellationToken)
        {
            var resolved = new Dictionary<Principal, Principal>();
            var problems = new List<string>();
            foreach (ManifestEntry entry in entries.Where(e => e.Principals.Any(p => p.IsUnresolved)))
            {
                var principals = new List<Principal>();
                foreach (Principal principal in entry.Principals)
                {
                    if (!principal.IsUnresolved)
                    {
                        principals.Add(principal);
                        continue;
                    }

                    if (!resolved.TryGetValue(principal, out Principal arn))
                    {
                        try
                        {
                            arn = (await _organizations.ResolveAsync(new[] { principal }, cancellationToken).ConfigureAwait(false))[0];
                        }
                        catch (AmiShareException e) when (e.ErrorId == ErrorIds.InvalidPrincipal)
                        {
                            // Reason is the message without the remedy (Message has both): each is said once.
                            string reason = (e.Reason ?? e.Message).TrimEnd().TrimEnd('.');
                            string remedy = e.Remedy?.TrimEnd().TrimEnd('.');
                            string fix = string.IsNullOrEmpty(remedy) ? string.Empty : "; " + remedy;
                            problems.Add($"{entry.Label}: Principals value '{principal.Value}' cannot be resolved to an ARN ({reason}{fix})");
                            continue;
                        }

                        resolved[principal] = arn;
                    }

                    principals.Add(arn);
                }

                entry.Principals = PrincipalSet.Distinct(principals);
            }

            if (problems.Count > 0)
            {
                throw ManifestRules.Invalid(file, problems);
            }
        }

        /// <summary>
        /// Copy-AmiLaunchPermission: the launch permissions of <paramref name="sourceImageId"/> (in this service's region) as a
        /// desired set, read once per run however many targets ask. 'all' in the source means the targets are made (or kept) public.
        /// </summary>
        public async Task<DesiredLaunchPermissions> GetSourcePermissionsAsync(string sourceImageId, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(sourceImageId);
            Task<IReadOnlyList<Principal>> read;
            lock (_sourceGate)
            {
                if (!_sources.TryGetValue(id, out read) || read.IsFaulted || read.IsCanceled)
                {
                    read = _ec2.GetLaunchPermissionsAsync(id, CancellationToken.None);
                    _sources[id] = read;
                }
            }

            IReadOnlyList<Principal> source;
            try
            {
                source = await WaitAsync(read, cancellationToken).ConfigureAwait(false);
            }
            catch (AmiShareException e) when (e.ErrorId == ErrorIds.AmiNotFound)
            {
                throw new AmiShareException(
                    e.ErrorId,
                    e.Kind,
                    $"The source AMI {id} was not found in {Region}, where it was looked for (-SourceRegion, else the command's region).",
                    id,
                    $"Give the source's region with -SourceRegion (the targets' regions come from -Region or each input row's Region). {e.Remedy}",
                    e);
            }
            catch (AmiShareException e) when (e.ErrorId == ErrorIds.AmiNotOwned)
            {
                throw new AmiShareException(
                    e.ErrorId,
                    e.Kind,
                    $"The source AMI {id} in {Region} belongs to another account, and only an AMI's owner can read its launch permissions.",
                    id,
                    "Give one of your own AMIs as -SourceImageId, or run the command with the credentials of the account that owns the source and the targets.",
                    e);
            }

            bool isPublic = source.Contains(Principal.Everyone);
            return new DesiredLaunchPermissions(
                source.Where(p => p.Type != PrincipalType.Public).ToList(),
                isPublic ? true : (bool?)null,
                $"source {id} in {Region}",
                $"The source {id} is not public: make the target private first with Set-AmiPublic -Public:$false, then copy again.");
        }

        /// <summary>
        /// Copy-AmiLaunchPermission: plans making <paramref name="imageId"/> (in this service's region) match the launch permissions of
        /// <paramref name="sourceImageId"/> read through <paramref name="source"/> (its region's service; read once per run). A target
        /// that is the source itself is refused with SourceIsTarget.
        /// </summary>
        public async Task<SharePlan> PlanCopyAsync(AmiShareService source, string sourceImageId, string imageId, ShareOptions options, CancellationToken cancellationToken)
        {
            if (source == null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            string sourceId = ImageIds.Normalize(sourceImageId);
            string id = ImageIds.Normalize(imageId);
            if (sourceId == id && string.Equals(source.Region, Region, StringComparison.Ordinal))
            {
                throw new AmiShareException(
                    ErrorIds.SourceIsTarget,
                    AmiShareErrorKind.InvalidArgument,
                    $"{id} in {Region} is the source of the copy; its launch permissions already are the source's.",
                    id,
                    "Give the AMIs that should match the source as -ImageId (e.g. its regional copies), not the source itself.");
            }

            DesiredLaunchPermissions desired = await source.GetSourcePermissionsAsync(sourceId, cancellationToken).ConfigureAwait(false);
            return await PlanSetAsync(id, desired, options, cancellationToken).ConfigureAwait(false);
        }

        private static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
        {
            if (!task.IsCompleted)
            {
                var cancelled = new TaskCompletionSource<bool>();
                using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
                {
                    if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }
            }

            return await task.ConfigureAwait(false);
        }
    }
}
