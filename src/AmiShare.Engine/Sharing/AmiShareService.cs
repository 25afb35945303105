using System;
using System.Collections.Generic;
using System.Linq;
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
    public sealed partial class AmiShareService : IDisposable
    {
        /// <summary>
        /// EC2's documented default quota of public AMIs per account and region (wire-spec.md §3 E20). Only a point of
        /// reference for the preflight's Warn: the quota is adjustable, so EC2 decides (ResourceLimitExceeded).
        /// </summary>
        public const int DefaultPublicImageQuota = 5;

        /// <summary>Service Quotas code of EC2's "Public AMIs" quota (adjustable).</summary>
        public const string PublicImageQuotaCode = "L-0E3CBAB9";

        private readonly IEc2Gateway _ec2;
        private readonly IKmsGateway _kms;
        private readonly IOrganizationsGateway _organizations;
        private readonly IShareReporter _reporter;

        public AmiShareService(IEc2Gateway ec2, IShareReporter reporter)
            : this(ec2, null, null, reporter)
        {
        }

        /// <summary>A service over all three gateways; KMS and Organizations may be null (their features then report that they cannot run).</summary>
        public AmiShareService(IEc2Gateway ec2, IKmsGateway kms, IOrganizationsGateway organizations, IShareReporter reporter)
        {
            _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));
            _kms = kms;
            _organizations = organizations;
            _reporter = reporter ?? NullShareReporter.Instance;
        }

        public string Region => _ec2.Region;

        /// <summary>Current launch permissions of one AMI.</summary>
        public async Task<IReadOnlyList<Principal>> GetLaunchPermissionsAsync(string imageId, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(imageId);
            cancellationToken.ThrowIfCancellationRequested();
            return await _ec2.GetLaunchPermissionsAsync(id, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The launch-permission part of a grant only: no preflight checks, no KMS or snapshot changes.</summary>
        public async Task<SharePlan> PlanGrantAsync(string imageId, IReadOnlyList<Principal> principals, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(imageId);
            IReadOnlyList<Principal> requested = RequirePrincipals(principals, id, "grant");
            RejectPublic(id, requested);

            cancellationToken.ThrowIfCancellationRequested();

            // Reading the current permissions also proves ownership (AmiNotOwned / AmiNotFound surface here).
            IReadOnlyList<Principal> current = await _ec2.GetLaunchPermissionsAsync(id, cancellationToken).ConfigureAwait(false);
            SharePlan plan = GrantPlan(id, current, requested);
            ReportPlan(plan);
            return plan;
        }

        /// <summary>What a grant of <paramref name="requested"/> changes, given the <paramref name="current"/> permissions.</summary>
        private SharePlan GrantPlan(string id, IReadOnlyList<Principal> current, IReadOnlyList<Principal> requested)
        {
            var currentSet = new HashSet<Principal>(current);
            SharePlan plan = NewPlan(id, ShareOperation.Grant, current);
            plan.ToAdd = requested.Where(p => !currentSet.Contains(p)).ToList();
            plan.Unchanged = requested.Where(currentSet.Contains).ToList();
            return plan;
        }

        public async Task<SharePlan> PlanRevokeAsync(string imageId, IReadOnlyList<Principal> principals, CancellationToken cancellationToken)
        {
            SharePlan plan = await PlanRevokeLaunchAsync(imageId, principals, cancellationToken).ConfigureAwait(false);
            ReportPlan(plan);
            return plan;
        }

        /// <summary>The launch-permission part of a revoke and its warnings (access kept through organizations), unreported.</summary>
        private async Task<SharePlan> PlanRevokeLaunchAsync(string imageId, IReadOnlyList<Principal> principals, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(imageId);
            IReadOnlyList<Principal> requested = RequirePrincipals(principals, id, "revoke");
            cancellationToken.ThrowIfCancellationRequested();

            IReadOnlyList<Principal> current = await _ec2.GetLaunchPermissionsAsync(id, cancellationToken).ConfigureAwait(false);
            var currentSet = new HashSet<Principal>(current);
            var plan = NewPlan(id, ShareOperation.Revoke, current);
            plan.ToRemove = requested.Where(currentSet.Contains).ToList();
            plan.Unchanged = requested.Where(p => !currentSet.Contains(p)).ToList();
            plan.Warnings = await RevokeWarningsAsync(id, plan, cancellationToken).ConfigureAwait(false);
            return plan;
        }

        public async Task<SharePlan> PlanSetPublicAsync(string imageId, bool makePublic, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(imageId);
            cancellationToken.ThrowIfCancellationRequested();

            if (!makePublic)
            {
                IReadOnlyList<Principal> now = await _ec2.GetLaunchPermissionsAsync(id, cancellationToken).ConfigureAwait(false);
                var privatePlan = NewPlan(id, ShareOperation.SetPrivate, now);
                if (now.Contains(Principal.Everyone))
                {
                    privatePlan.ToRemove = new[] { Principal.Everyone };
                }
                else
                {
                    privatePlan.Unchanged = new[] { Principal.Everyone };
                }

                ReportPlan(privatePlan);
                return privatePlan;
            }

            // The same checks as Test-AmiShareable -Public (AmiShareService.Preflight.cs), so both always agree.
            return await PlanSetPublicCoreAsync(id, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Reset without -IncludeKmsKey / -IncludeSnapshot: launch permissions only, with warnings about access that stays.</summary>
        public Task<SharePlan> PlanResetAsync(string imageId, CancellationToken cancellationToken)
            => PlanResetAsync(imageId, ShareOptions.None, cancellationToken);

        /// <summary>
        /// Fills <see cref="ShareResult.ImageName"/> when the plan did not read the image (revoke, make private):
        /// one DescribeImages, made only for a result that is written out (-PassThru), so a plain revoke stays
        /// at one read and one write per AMI.
        /// </summary>
        public async Task<ShareResult> WithImageNameAsync(ShareResult result, CancellationToken cancellationToken)
        {
            if (result == null)
            {
                throw new ArgumentNullException(nameof(result));
            }

            if (string.IsNullOrEmpty(result.ImageName))
            {
                result.ImageName = (await _ec2.DescribeImageAsync(result.ImageId, cancellationToken).ConfigureAwait(false)).Name;
            }

            return result;
        }

        public async Task<ShareResult> ApplyAsync(SharePlan plan, CancellationToken cancellationToken)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            cancellationToken.ThrowIfCancellationRequested();
            var result = new ShareResult
            {
                ImageId = plan.ImageId,
                ImageName = plan.ImageName,
                Region = plan.Region ?? Region,
                Operation = plan.Operation,
                Unchanged = plan.Unchanged,
                AccessKept = plan.AccessKept,
            };

            if (!plan.HasChanges)
            {
                // ReportPlan said so when the plan was made: no second "nothing to change" line.
                result.Changed = false;
                result.LaunchPermissions = plan.Current;
                return result;
            }

            // Order (AmiShareService.Preflight.cs): on grant, KMS and snapshots first, then the image write, so
            // consumers never see an AMI they cannot launch; on revoke, the image write first, then KMS, then snapshots.
            await ApplyPlanAsync(plan, result, cancellationToken).ConfigureAwait(false);
            Ledger.Record(plan.ImageId, plan.Expected); // the rest of the run sees this AMI as it now is
            result.Changed = true;
            result.LaunchPermissions = plan.Expected;
            return result;
        }

        /// <summary>
        /// Preflight for sharing <paramref name="imageId"/> with <paramref name="principals"/> (or for making it
        /// public): one finding per check (Test-AmiShareable). Reads only; never writes.
        /// </summary>
        public Task<AmiShare.Engine.Preflight.PreflightReport> TestShareableAsync(string imageId, IReadOnlyList<Principal> principals, bool forPublic, ShareOptions options, CancellationToken cancellationToken)
            => TestShareableCoreAsync(imageId, principals, forPublic, options, cancellationToken);

        /// <summary>PlanGrantAsync with -IncludeKmsKey / -IncludeSnapshot; runs the preflight first and throws on a Fail.</summary>
        public Task<SharePlan> PlanGrantAsync(string imageId, IReadOnlyList<Principal> principals, ShareOptions options, CancellationToken cancellationToken)
            => PlanGrantCoreAsync(imageId, principals, options, cancellationToken);

        /// <summary>PlanRevokeAsync with -IncludeKmsKey / -IncludeSnapshot.</summary>
        public Task<SharePlan> PlanRevokeAsync(string imageId, IReadOnlyList<Principal> principals, ShareOptions options, CancellationToken cancellationToken)
            => PlanRevokeCoreAsync(imageId, principals, options, cancellationToken);

        /// <summary>
        /// Turns unresolved bare o-…/ou-… principals into full ARNs through Organizations (DescribeOrganization /
        /// DescribeOrganizationalUnit; others pass through). Throws InvalidPrincipal naming the value, with the reason and
        /// the ARN format, when the id is not the caller's organization or Organizations can't be read (the inner exception
        /// is then the OrganizationUnresolved one). Results are cached for the life of this service.
        /// </summary>
        public Task<IReadOnlyList<Principal>> ResolvePrincipalsAsync(IReadOnlyList<Principal> principals, CancellationToken cancellationToken)
            => OrganizationReads.ResolveAsync(principals, cancellationToken);

        /// <summary>Whether <paramref name="accountId"/> can launch <paramref name="imageId"/>, and through what (Test-AmiLaunchAccess).</summary>
        public async Task<AmiShare.Engine.Access.LaunchAccessResult> TestLaunchAccessAsync(string imageId, string accountId, CancellationToken cancellationToken)
            => (await TestLaunchAccessAsync(imageId, new[] { accountId }, cancellationToken).ConfigureAwait(false))[0];

        /// <summary>Test-AmiLaunchAccess for several accounts: validates all input first, reads the AMI once, one result per distinct account.</summary>
        public Task<IReadOnlyList<AmiShare.Engine.Access.LaunchAccessResult>> TestLaunchAccessAsync(string imageId, IReadOnlyList<string> accountIds, CancellationToken cancellationToken)
            => new AmiShare.Engine.Access.LaunchAccessEvaluator(OrganizationReads).TestAsync(_ec2, imageId, accountIds, cancellationToken);

        // Organizations reads (organization, OUs, parents) cached per service instance; see Organizations/OrganizationDirectory.
        private AmiShare.Engine.Organizations.OrganizationDirectory _organizationReads;

        private AmiShare.Engine.Organizations.OrganizationDirectory OrganizationReads =>
            LazyInitializer.EnsureInitialized(ref _organizationReads, () => new AmiShare.Engine.Organizations.OrganizationDirectory(_organizations));

        /// <summary>
        /// Tells the EC2 gateway which AMIs this run will plan, so their DescribeImages reads are batched
        /// (<see cref="IImagePrefetch"/>); a gateway that does not batch ignores it.
        /// </summary>
        public void Prefetch(IEnumerable<string> imageIds)
        {
            if (imageIds != null)
            {
                (_ec2 as IImagePrefetch)?.Prefetch(imageIds);
            }
        }

        public void Dispose()
        {
            _ec2.Dispose();
            _kms?.Dispose();
            _organizations?.Dispose();
        }

        private SharePlan NewPlan(string id, ShareOperation operation, IReadOnlyList<Principal> current) =>
            new SharePlan { ImageId = id, Region = Region, Operation = operation, Current = current ?? new Principal[0] };

        /// <summary>
        /// The one verbose line of the decision when there is nothing to do. A plan with changes is described once, by the
        /// caller's ShouldProcess ("Performing the operation …"), not here as well.
        /// </summary>
        private void ReportPlan(SharePlan plan)
        {
            if (!plan.HasChanges)
            {
                _reporter.Verbose($"{plan.ImageId}: nothing to change ({plan.DescribeNoChange()}); no AWS write made");
            }
        }

        /// <summary>Grant never makes an AMI public: that is Set-AmiPublic, which runs the public checks.</summary>
        private static void RejectPublic(string id, IReadOnlyList<Principal> requested)
        {
            if (requested.Any(p => p.Type == PrincipalType.Public))
            {
                throw new AmiShareException(
                    ErrorIds.PublicNotAllowedHere,
                    AmiShareErrorKind.InvalidArgument,
                    $"Granting launch permission to group 'all' would make {id} public, which Grant-AmiLaunchPermission does not do.",
                    id,
                    "Use Set-AmiPublic to make an AMI public (it checks first that the AMI can be public).");
            }
        }

        private static IReadOnlyList<Principal> RequirePrincipals(IReadOnlyList<Principal> principals, string id, string verb)
        {
            var list = new List<Principal>();
            var seen = new HashSet<Principal>();
            if (principals != null)
            {
                foreach (Principal p in principals)
                {
                    if (p != null && seen.Add(p))
                    {
                        list.Add(p);
                    }
                }
            }

            if (list.Count == 0)
            {
                throw new AmiShareException(
                    ErrorIds.MissingPrincipal,
                    AmiShareErrorKind.InvalidArgument,
                    $"No principal was given to {verb} launch permission for {id}.",
                    id,
                    "Give at least one -AccountId, -OrganizationArn, -OrganizationalUnitArn or -Principal.");
            }

            return list;
        }

        /// <summary>
        /// Removed accounts that keep access through an organization / OU / public permission that stays: exact when
        /// Organizations can be read ("keeps … through OU … (path …)"), "may keep … through …" with the reason otherwise.
        /// </summary>
        private Task<IReadOnlyList<string>> RevokeWarningsAsync(string id, SharePlan plan, CancellationToken cancellationToken)
            => new AmiShare.Engine.Access.LaunchAccessEvaluator(OrganizationReads).RevokeWarningsAsync(id, plan, cancellationToken);
    }
}
