using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// The four ways to name principals (accounts, organizations, OUs, or mixed), shared by Grant, Revoke
    /// and Test-AmiShareable, parsed in one place. Bare o-…/ou-… ids are accepted and resolved through AWS Organizations.
    /// </summary>
    public abstract class AmiPrincipalInputCmdlet : AmiShareOptionsCmdlet
    {
        /// <summary>Names of the principal parameters.</summary>
        protected static readonly string[] PrincipalParameters = { nameof(AccountId), nameof(OrganizationArn), nameof(OrganizationalUnitArn), nameof(Principal) };

        /// <summary>12-digit AWS account ids.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("UserId", "AccountIds")]
        public string[] AccountId { get; set; }

        /// <summary>Organization ARNs (arn:aws:organizations::&lt;mgmt-account&gt;:organization/o-…), or bare o-… ids.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[] OrganizationArn { get; set; }

        /// <summary>Organizational unit ARNs (arn:aws:organizations::&lt;mgmt-account&gt;:ou/o-…/ou-…), or bare ou-… ids.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[] OrganizationalUnitArn { get; set; }

        /// <summary>Principals of any kind, mixed: account ids, organization ARNs, OU ARNs (or bare o-…/ou-… ids).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[] Principal { get; set; }

        /// <summary>True when any principal parameter is bound (from the command line or the pipeline).</summary>
        protected bool AnyPrincipalBound => PrincipalParameters.Any(MyInvocation.BoundParameters.ContainsKey);

        /// <summary>Parses every principal parameter (throws AmiShareException InvalidPrincipal before any AWS call).</summary>
        protected IReadOnlyList<Principal> ParsePrincipals(bool allowPublic)
        {
            var all = new List<Principal>();
            all.AddRange(PrincipalParser.ParseMany(AccountId, PrincipalType.Account, allowPublic, false));
            all.AddRange(PrincipalParser.ParseMany(OrganizationArn, PrincipalType.Organization, allowPublic, true));
            all.AddRange(PrincipalParser.ParseMany(OrganizationalUnitArn, PrincipalType.OrganizationalUnit, allowPublic, true));
            all.AddRange(PrincipalParser.ParseMany(Principal, null, allowPublic, true));
            return PrincipalSet.Distinct(all);
        }

        /// <summary>
        /// Principals given on the command line apply to every AMI: a bad one stops the whole command before any AWS call.
        /// Principals bound from the pipeline are checked per record instead.
        /// </summary>
        protected IReadOnlyList<Principal> ParseCommandLinePrincipals(bool allowPublic)
        {
            if (!AnyPrincipalBound)
            {
                return null;
            }

            try
            {
                return ParsePrincipals(allowPublic);
            }
            catch (AmiShareException e)
            {
                ThrowTerminating(e);
                throw; // unreachable: ThrowTerminatingError always throws
            }
        }

        /// <summary>Turns bare o-…/ou-… ids into ARNs through Organizations; a list without them comes back as is.</summary>
        protected static async Task<IReadOnlyList<Principal>> ResolveAsync(AmiShareService service, IReadOnlyList<Principal> principals, CancellationToken cancellationToken)
            => principals.Any(p => p.IsUnresolved) ? await service.ResolvePrincipalsAsync(principals, cancellationToken).ConfigureAwait(false) : principals;
    }
}
