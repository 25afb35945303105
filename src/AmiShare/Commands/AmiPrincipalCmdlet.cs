using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// Shared shape of Grant- and Revoke-AmiLaunchPermission: the AMI ids, the four ways to name
    /// principals, and batching of adjacent pipeline records for the same AMI, so that one AMI's
    /// change is one ModifyImageAttribute call even when principals arrive one row at a time
    /// (e.g. Get-AmiLaunchPermission ami-1 | Revoke-AmiLaunchPermission).
    /// </summary>
    public abstract class AmiPrincipalCmdlet : AmiPrincipalInputCmdlet
    {
        private Pending _pending;
        private IReadOnlyList<Principal> _commandLinePrincipals;
        private int _done;

        /// <summary>Writes an AmiShareResult for every AMI, changed or not.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// Also gives (Grant) or takes (Revoke) the KMS access each principal needs on every customer managed
        /// key behind the AMI, through key-policy statements AmiShare owns (it never touches other statements).
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeKmsKey { get; set; }

        /// <summary>
        /// Also keeps createVolumePermission of every backing snapshot in step for account principals, so
        /// they can copy the AMI (snapshots cannot be shared with organizations or OUs).
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeSnapshot { get; set; }

        /// <summary>Whether 'all' is accepted among the principals.</summary>
        protected abstract bool AllowPublic { get; }

        /// <summary>Progress activity text.</summary>
        protected abstract string Activity { get; }

        /// <summary>Computes the plan for one AMI.</summary>
        protected abstract Task<SharePlan> PlanAsync(AmiShareService service, string imageId, IReadOnlyList<Principal> principals, ShareOptions options, CancellationToken cancellationToken);

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            // Principals given on the command line apply to every AMI: a bad one fails the whole command
            // before any AWS call. Principals bound from the pipeline are checked per record instead.
            if (AnyPrincipalBound)
            {
                try
                {
                    _commandLinePrincipals = ParsePrincipals(AllowPublic);
                }
                catch (AmiShareException e)
                {
                    ThrowTerminatingError(ToErrorRecord(e, e.Target));
                }
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IReadOnlyList<Principal> principals;
            try
            {
                principals = ParsePrincipals(AllowPublic);
            }
            catch (AmiShareException e)
            {
                WriteItemError(e, e.Target);
                return;
            }

            if (principals.Count == 0)
            {
                var missing = new AmiShareException(
                    ErrorIds.MissingPrincipal,
                    AmiShareErrorKind.InvalidArgument,
                    $"No principal was given for {string.Join(", ", ImageId ?? new string[0])}.",
                    ImageId,
                    "Name who gets launch permission with -AccountId, -OrganizationArn, -OrganizationalUnitArn or -Principal.");
                if (_commandLinePrincipals == null && !AnyPrincipalBound)
                {
                    ThrowTerminatingError(ToErrorRecord(missing, null));
                }

                WriteItemError(missing, ImageId);
                return;
            }

            foreach (var image in ValidImages())
            {
                string imageId = image.Key;
                AmiShareService service = image.Value;
                if (_pending != null && _pending.ImageId == imageId && ReferenceEquals(_pending.Service, service))
                {
                    _pending.Add(principals);
                    continue;
                }

                Flush();
                _pending = new Pending(imageId, service);
                _pending.Add(principals);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            Flush();
            CompleteProgress(Activity);
        }

        private void Flush()
        {
            Pending pending = _pending;
            _pending = null;
            if (pending == null)
            {
                return;
            }

            WriteItemProgress(Activity, pending.ImageId, _done);
            var options = new ShareOptions { IncludeKmsKey = IncludeKmsKey.IsPresent, IncludeSnapshot = IncludeSnapshot.IsPresent };
            ApplyPlan(pending.Service, ct => PlanResolvedAsync(pending.Service, pending.ImageId, pending.Principals, options, ct), pending.ImageId, force: false, PassThru);
            _done++;
        }

        /// <summary>Bare o-…/ou-… ids are turned into ARNs through Organizations first, then the plan is made.</summary>
        private async Task<SharePlan> PlanResolvedAsync(AmiShareService service, string imageId, IReadOnlyList<Principal> principals, ShareOptions options, CancellationToken cancellationToken)
        {
            IReadOnlyList<Principal> resolved = principals.Any(p => p.IsUnresolved)
                ? await service.ResolvePrincipalsAsync(principals, cancellationToken).ConfigureAwait(false)
                : principals;
            return await PlanAsync(service, imageId, resolved, options, cancellationToken).ConfigureAwait(false);
        }

        private sealed class Pending
        {
            private readonly List<Principal> _principals = new List<Principal>();

            public Pending(string imageId, AmiShareService service)
            {
                ImageId = imageId;
                Service = service;
            }

            public string ImageId { get; }

            public AmiShareService Service { get; }

            public IReadOnlyList<Principal> Principals => _principals;

            public void Add(IEnumerable<Principal> principals)
            {
                foreach (var p in principals)
                {
                    if (!_principals.Contains(p))
                    {
                        _principals.Add(p);
                    }
                }
            }
        }
    }
}
