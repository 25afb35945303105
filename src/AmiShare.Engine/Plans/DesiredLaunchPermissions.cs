using System;
using System.Collections.Generic;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Plans
{
    /// <summary>
    /// What one AMI's launch permissions should be exactly (Set-AmiLaunchPermission, a manifest entry, or the source of
    /// Copy-AmiLaunchPermission): the principals other than group 'all', and what to do about 'all'.
    /// </summary>
    public sealed class DesiredLaunchPermissions
    {
        /// <summary>A desired set: <paramref name="principals"/> (never 'all') and <paramref name="isPublic"/>.</summary>
        /// <param name="principals">Accounts, organizations and OUs that should have launch permission, and no one else.</param>
        /// <param name="isPublic">True keeps or adds group 'all' (after the public checks); false removes it; null means
        /// "not said": the AMI must not be public (a public AMI is refused with PublicRemovalNotConfirmed).</param>
        /// <param name="origin">Where the set came from, for messages, e.g. "entry 3 of golden.psd1"; null for parameters.</param>
        /// <param name="publicRemovalRemedy">What to do when a public AMI would lose 'all' without <paramref name="isPublic"/> = false; null for the parameters' remedy.</param>
        public DesiredLaunchPermissions(IReadOnlyList<Principal> principals, bool? isPublic, string origin = null, string publicRemovalRemedy = null)
        {
            Principals = PrincipalSet.Distinct(principals ?? Array.Empty<Principal>());
            Public = isPublic;
            Origin = origin;
            PublicRemovalRemedy = publicRemovalRemedy;
        }

        /// <summary>Principals other than group 'all', distinct, in the order given.</summary>
        public IReadOnlyList<Principal> Principals { get; }

        /// <summary>True: 'all' stays or is added; false: 'all' is removed; null: not said (a public AMI is refused).</summary>
        public bool? Public { get; }

        /// <summary>Where the set came from ("entry 3 of golden.psd1", "source ami-… in us-east-1"), or null.</summary>
        public string Origin { get; }

        /// <summary>The remedy of PublicRemovalNotConfirmed for this origin, or null for the parameters' one.</summary>
        public string PublicRemovalRemedy { get; }

        /// <summary>
        /// MissingPrincipal for a desired set given with no principal and nothing said about 'all': never read as "only the owner"
        /// (a blank CSV cell must not empty an AMI), so the remedy names how to say that on purpose.
        /// </summary>
        public static AmiShareException Missing(IReadOnlyList<string> imageIds)
        {
            AmiShareException missing = PrincipalSet.MissingFor(imageIds);
            return new AmiShareException(
                missing.ErrorId,
                missing.Kind,
                missing.Reason,
                missing.Target,
                missing.Remedy.TrimEnd('.') + ". To leave only the owner, say so with -Public:$false and no principal (or use Reset-AmiLaunchPermission).");
        }

        /// <summary>The same set with other principals (bare o-…/ou-… ids resolved to ARNs).</summary>
        public DesiredLaunchPermissions WithPrincipals(IReadOnlyList<Principal> principals) =>
            new DesiredLaunchPermissions(principals, Public, Origin, PublicRemovalRemedy);
    }
}
