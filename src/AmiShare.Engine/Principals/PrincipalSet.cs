using System;
using System.Collections.Generic;
using System.Linq;

namespace AmiShare.Engine.Principals
{
    /// <summary>
    /// The one place principals given to a command are checked before any AWS call: de-duplication (first
    /// occurrence wins, order kept), "no principal given" (MissingPrincipal) and "group all is not for this
    /// command" (PublicNotAllowedHere). The cmdlets and the engine both call these, so the texts are the same.
    /// </summary>
    public static class PrincipalSet
    {
        /// <summary>The distinct non-null principals of <paramref name="principals"/>, in first-seen order.</summary>
        public static IReadOnlyList<Principal> Distinct(IEnumerable<Principal> principals)
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

            return list;
        }

        /// <summary>
        /// The distinct principals for <paramref name="verb"/> ("grant", "revoke") on <paramref name="imageId"/>; throws
        /// MissingPrincipal when there is none.
        /// </summary>
        public static IReadOnlyList<Principal> Require(IReadOnlyList<Principal> principals, string imageId, string verb)
        {
            IReadOnlyList<Principal> list = Distinct(principals);
            if (list.Count == 0)
            {
                throw new AmiShareException(
                    ErrorIds.MissingPrincipal,
                    AmiShareErrorKind.InvalidArgument,
                    $"No principal was given to {verb} launch permission for {imageId}.",
                    imageId,
                    "Give at least one -AccountId, -OrganizationArn, -OrganizationalUnitArn or -Principal.");
            }

            return list;
        }

        /// <summary>
        /// The MissingPrincipal error a principal cmdlet raises when a pipeline item names no principal at all (before any
        /// AWS call), for the image ids of that item.
        /// </summary>
        public static AmiShareException MissingFor(IReadOnlyList<string> imageIds) =>
            new AmiShareException(
                ErrorIds.MissingPrincipal,
                AmiShareErrorKind.InvalidArgument,
                $"No principal was given for {string.Join(", ", imageIds ?? Array.Empty<string>())}.",
                imageIds,
                "Name who gets launch permission with -AccountId, -OrganizationArn, -OrganizationalUnitArn or -Principal.");

        /// <summary>Grant never makes an AMI public: that is Set-AmiPublic, which runs the public checks. Throws PublicNotAllowedHere.</summary>
        public static void RejectPublic(string imageId, IReadOnlyList<Principal> principals)
        {
            if (principals != null && principals.Any(p => p != null && p.Type == PrincipalType.Public))
            {
                throw new AmiShareException(
                    ErrorIds.PublicNotAllowedHere,
                    AmiShareErrorKind.InvalidArgument,
                    $"Granting launch permission to group 'all' would make {imageId} public, which Grant-AmiLaunchPermission does not do.",
                    imageId,
                    "Use Set-AmiPublic to make an AMI public (it checks first that the AMI can be public).");
            }
        }
    }
}
