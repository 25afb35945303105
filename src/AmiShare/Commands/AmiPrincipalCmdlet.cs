using System.Collections.Generic;
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
    /// Shared shape of Grant- and Revoke-AmiLaunchPermission: the principals, -PassThru, and merging of adjacent pipeline
    /// records for the same AMI, so that one AMI's change is one ModifyImageAttribute call even when principals arrive
    /// one row at a time (e.g. Get-AmiLaunchPermission ami-1 | Revoke-AmiLaunchPermission).
    /// </summary>
    public abstract class AmiPrincipalCmdlet : AmiPrincipalInputCmdlet
    {
        private Pending _pending;
        private IReadOnlyList<Principal> _commandLinePrincipals;

        /// <summary>Writes an AmiShareResult for every AMI, changed or not.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Whether 'all' is accepted among the principals.</summary>
        protected abstract bool AllowPublic { get; }

        /// <summary>The engine operation that plans one AMI's change.</summary>
        protected abstract Task<SharePlan> PlanAsync(AmiShareService service, string imageId, IReadOnlyList<Principal> principals, ShareOptions options, CancellationToken cancellationToken);

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _commandLinePrincipals = ParseCommandLinePrincipals(AllowPublic);
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
                SubmitError(e, e.Target);
                return;
            }

            if (principals.Count == 0)
            {
                AmiShareException missing = PrincipalSet.MissingFor(ImageId);
                if (_commandLinePrincipals == null && !AnyPrincipalBound)
                {
                    ThrowTerminating(missing, ImageId);
                }

                SubmitError(missing, ImageId);
                return;
            }

            foreach (var image in ValidImages())
            {
                if (_pending != null && _pending.ImageId == image.Key && ReferenceEquals(_pending.Service, image.Value))
                {
                    _pending.Add(principals);
                    continue;
                }

                Flush();
                _pending = new Pending(image.Key, image.Value);
                _pending.Add(principals);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            Flush();
            base.EndProcessing();
        }

        /// <summary>Hands the merged record to the job (bare o-…/ou-… ids are resolved in the item, then the plan is made).</summary>
        private void Flush()
        {
            Pending pending = _pending;
            _pending = null;
            if (pending != null)
            {
                ShareOptions options = Options;
                IReadOnlyList<Principal> principals = pending.Principals;
                SubmitChange(pending.ImageId, pending.Service, async (service, ct) =>
                    await PlanAsync(service, pending.ImageId, await ResolveAsync(service, principals, ct).ConfigureAwait(false), options, ct).ConfigureAwait(false), PassThru);
            }
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
