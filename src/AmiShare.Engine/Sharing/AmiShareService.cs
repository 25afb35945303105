using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Access;
using AmiShare.Engine.Execution;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Organizations;
using AmiShare.Engine.Planning;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Sharing
{
    /// <summary>
    /// The engine's sharing operations for one region/session: the one facade the cmdlets (and the job) call. It validates
    /// input before any AWS call, then delegates: reads and decisions to the planner (<see cref="SharePlanner"/>, over the
    /// facts loader and pure preflight rules), writes to the executor (<see cref="ShareExecutor"/>). Every public method
    /// throws only <see cref="AmiShareException"/> (or OperationCanceledException). Safe to call concurrently for
    /// different AMIs; the caller serializes work on the same AMI.
    /// </summary>
    public sealed partial class AmiShareService : IDisposable
    {
        /// <summary>
        /// EC2's documented default quota of public AMIs per account and region (wire-spec.md §3 E20). Only a point of
        /// reference for the preflight's Warn: the quota is adjustable, so EC2 decides (ResourceLimitExceeded).
        /// </summary>
        public const int DefaultPublicImageQuota = PreflightRunner.DefaultPublicImageQuota;

        /// <summary>Service Quotas code of EC2's "Public AMIs" quota (adjustable).</summary>
        public const string PublicImageQuotaCode = PreflightRunner.PublicImageQuotaCode;

        private readonly IEc2Gateway _ec2;
        private readonly IKmsGateway _kms;
        private readonly IOrganizationsGateway _organizationsGateway;
        private readonly IShareReporter _reporter;
        private readonly OrganizationDirectory _organizations;
        private readonly OwnedImageLedger _ledger;
        private readonly SharePlanner _planner;
        private readonly ShareExecutor _executor;

        /// <summary>A service over all three gateways; KMS and Organizations may be null (their features then report that they cannot run).</summary>
        public AmiShareService(IEc2Gateway ec2, IKmsGateway kms, IOrganizationsGateway organizations, IShareReporter reporter)
        {
            _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));
            _kms = kms;
            _organizationsGateway = organizations;
            _reporter = reporter ?? NullShareReporter.Instance;
            _organizations = new OrganizationDirectory(organizations);
            _ledger = new OwnedImageLedger(_ec2, _organizations);
            _planner = new SharePlanner(_ec2, _kms, _organizations, _ledger, _reporter);
            _executor = new ShareExecutor(_ec2, _kms, _reporter);
        }

        /// <summary>The region this service works in.</summary>
        public string Region => _ec2.Region;

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

        /// <summary>
        /// True when the plans of one operation on different AMIs depend on each other, so a run must plan and apply them one
        /// after the other (in input order) for each plan to see the others' outcome: Revoke and Reset with -IncludeKmsKey or
        /// -IncludeSnapshot, whose key and snapshot access stays while another AMI behind the key/snapshot is still shared with
        /// the principal (the run's own writes decide that); Set, whose removals do the same. Planned concurrently, such plans err
        /// on keeping access (never on removing access another AMI needs). Set-AmiPublic -Public:$false -IncludeSnapshot likewise
        /// (a snapshot stays public while another AMI behind it stays public). Every other operation can be planned and applied
        /// concurrently for different AMIs.
        /// </summary>
        public static bool PlansDependOnEachOther(ShareOperation operation, ShareOptions options) =>
            ((operation == ShareOperation.Revoke || operation == ShareOperation.Reset || operation == ShareOperation.Set)
                && options != null && (options.IncludeKmsKey || options.IncludeSnapshot))
            || (operation == ShareOperation.SetPrivate && options != null && options.IncludeSnapshot);

        /// <summary>Current launch permissions of one AMI.</summary>
        public async Task<IReadOnlyList<Principal>> GetLaunchPermissionsAsync(string imageId, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(imageId);
            cancellationToken.ThrowIfCancellationRequested();
            return await _ec2.GetLaunchPermissionsAsync(id, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Grant-AmiLaunchPermission: runs the preflight first and throws on a Fail; with -IncludeKmsKey / -IncludeSnapshot
        /// (<paramref name="options"/>) also plans the key policy and snapshot changes. Reads only.
        /// </summary>
        public async Task<SharePlan> PlanGrantAsync(string imageId, IReadOnlyList<Principal> principals, ShareOptions options, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(imageId);
            IReadOnlyList<Principal> requested = PrincipalSet.Require(principals, id, "grant");
            PrincipalSet.RejectPublic(id, requested);
            cancellationToken.ThrowIfCancellationRequested();
            return Reported(await _planner.GrantAsync(id, requested, options ?? ShareOptions.None, cancellationToken).ConfigureAwait(false));
        }

        /// <summary>
        /// Revoke-AmiLaunchPermission, with warnings about access kept through organizations; with -IncludeKmsKey /
        /// -IncludeSnapshot also the key policy and snapshot changes (access another AMI still needs is kept); with -CheckUsage
        /// the usage check (AmiInUse). Reads only (-CheckUsage creates the AMI's usage report).
        /// </summary>
        public async Task<SharePlan> PlanRevokeAsync(string imageId, IReadOnlyList<Principal> principals, ShareOptions options, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(imageId);
            IReadOnlyList<Principal> requested = PrincipalSet.Require(principals, id, "revoke");
            cancellationToken.ThrowIfCancellationRequested();
            SharePlan plan = await _planner.RevokeAsync(id, requested, options ?? ShareOptions.None, cancellationToken).ConfigureAwait(false);
            return Reported(await UsageCheckedAsync(plan, options, cancellationToken).ConfigureAwait(false));
        }

        /// <summary>Set-AmiPublic: <paramref name="makePublic"/> runs the public checks (throws on a Fail); false removes group 'all'.</summary>
        public Task<SharePlan> PlanSetPublicAsync(string imageId, bool makePublic, CancellationToken cancellationToken) =>
            PlanSetPublicAsync(imageId, makePublic, ShareOptions.None, cancellationToken);

        /// <summary>
        /// Set-AmiPublic: <paramref name="makePublic"/> runs the public checks (throws on a Fail); false removes group 'all'.
        /// With <see cref="ShareOptions.IncludeSnapshot"/> the backing snapshots follow (group 'all' on createVolumePermission),
        /// except where block public access for snapshots forbids it (a warning) or, when making private, where another of the
        /// caller's AMIs behind the snapshot stays public. -IncludeKmsKey does not apply (an encrypted AMI is never public).
        /// </summary>
        public async Task<SharePlan> PlanSetPublicAsync(string imageId, bool makePublic, ShareOptions options, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(imageId);
            cancellationToken.ThrowIfCancellationRequested();
            SharePlan plan = makePublic
                ? await _planner.SetPublicAsync(id, options, cancellationToken).ConfigureAwait(false)
                : await _planner.SetPrivateAsync(id, options, cancellationToken).ConfigureAwait(false);
            return Reported(plan);
        }

        /// <summary>Reset-AmiLaunchPermission, with -IncludeKmsKey / -IncludeSnapshot / -CheckUsage (<paramref name="options"/>) and warnings about access that stays.</summary>
        public async Task<SharePlan> PlanResetAsync(string imageId, ShareOptions options, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(imageId);
            cancellationToken.ThrowIfCancellationRequested();
            SharePlan plan = await _planner.ResetAsync(id, options ?? ShareOptions.None, cancellationToken).ConfigureAwait(false);
            return Reported(await UsageCheckedAsync(plan, options, cancellationToken).ConfigureAwait(false));
        }

        /// <summary>
        /// Writes <paramref name="plan"/> (grant order: KMS and snapshots first, then the image write, so consumers never see an
        /// AMI they cannot launch; revoke order: the image write first, then KMS, then snapshots), and records the AMI's new
        /// launch permissions for the rest of the run.
        /// </summary>
        public async Task<ShareResult> ApplyAsync(SharePlan plan, CancellationToken cancellationToken)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            ShareResult result = await _executor.ApplyAsync(plan, cancellationToken).ConfigureAwait(false);
            if (result.Changed)
            {
                _ledger.Record(plan.ImageId, plan.Expected); // the rest of the run sees this AMI as it now is
            }

            return result;
        }

        /// <summary>
        /// Tells the run that <paramref name="plan"/> was shown but not applied because of -WhatIf, so the rest of the run
        /// decides as if it had been (the last AMI of a -WhatIf run shows the key access going, as the real run would).
        /// </summary>
        public void AssumeApplied(SharePlan plan)
        {
            if (plan != null)
            {
                _ledger.Record(plan.ImageId, plan.Expected);
            }
        }

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

        /// <summary>
        /// Preflight for sharing <paramref name="imageId"/> with <paramref name="principals"/> (or for making it
        /// public): one finding per check (Test-AmiShareable). Reads only; never writes.
        /// </summary>
        public async Task<PreflightReport> TestShareableAsync(string imageId, IReadOnlyList<Principal> principals, bool forPublic, ShareOptions options, CancellationToken cancellationToken)
        {
            string id = ImageIds.Normalize(imageId);
            cancellationToken.ThrowIfCancellationRequested();
            bool makesPublic = forPublic || (principals != null && principals.Contains(Principal.Everyone));
            PreflightContext ctx = await _planner.Runner().RunAsync(id, principals, makesPublic, options, cancellationToken).ConfigureAwait(false);
            PreflightReport report = ctx.Report;
            _reporter.Verbose($"{id}: preflight {report.Findings.Count(f => f.Status == FindingStatus.Pass)} pass, {report.Warnings.Count()} warn, {report.Failures.Count()} fail");
            return report;
        }

        /// <summary>Test-AmiLaunchAccess: validates all input first, reads the AMI once, one result per distinct account.</summary>
        public Task<IReadOnlyList<LaunchAccessResult>> TestLaunchAccessAsync(string imageId, IReadOnlyList<string> accountIds, CancellationToken cancellationToken)
            => new LaunchAccessEvaluator(_organizations).TestAsync(_ec2, imageId, accountIds, cancellationToken);

        /// <summary>
        /// Turns unresolved bare o-…/ou-… principals into full ARNs through Organizations (DescribeOrganization /
        /// DescribeOrganizationalUnit; others pass through). Throws InvalidPrincipal naming the value, with the reason and
        /// the ARN format, when the id is not the caller's organization or Organizations can't be read (the inner exception
        /// is then the OrganizationUnresolved one). Results are cached for the life of this service.
        /// </summary>
        public Task<IReadOnlyList<Principal>> ResolvePrincipalsAsync(IReadOnlyList<Principal> principals, CancellationToken cancellationToken)
            => _organizations.ResolveAsync(principals, cancellationToken);

        /// <summary>Disposes the gateways.</summary>
        public void Dispose()
        {
            _ledger.Dispose();
            _ec2.Dispose();
            _kms?.Dispose();
            _organizationsGateway?.Dispose();
        }

        /// <summary>
        /// The one verbose line of the decision when there is nothing to do. A plan with changes is described once, by the
        /// caller's ShouldProcess ("Performing the operation …"), not here as well.
        /// </summary>
        private SharePlan Reported(SharePlan plan)
        {
            if (!plan.HasChanges)
            {
                _reporter.Verbose($"{plan.ImageId}: nothing to change ({plan.DescribeNoChange()}); no AWS write made");
            }

            return plan;
        }
    }
}
