using System;
using System.Collections.Generic;
using System.Linq;
using AmiShare.Engine.Organizations;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Kms
{
    /// <summary>Turns "give / take KMS access for these principals" into <see cref="KeyPolicyChange"/>s (pure: no AWS call).</summary>
    public static class KeyPolicyPlanner
    {
        /// <summary>
        /// The change that adds <paramref name="subjects"/> to AmiShare's managed statements of the policy, or null when
        /// they are all there already. Throws KmsPolicyTooLarge when the result would exceed KMS's 32 KB limit.
        /// </summary>
        public static KeyPolicyChange PlanGrant(string keyArn, string policy, string partition, IReadOnlyList<KeyAccessSubject> subjects)
        {
            var list = (subjects ?? Array.Empty<KeyAccessSubject>()).Where(s => s != null).ToList();
            Action<KeyPolicyDocument> edit = doc =>
            {
                foreach (KeyAccessSubject s in list)
                {
                    switch (s.Type)
                    {
                        case PrincipalType.Organization:
                            doc.AddOrganization(s.OrganizationId);
                            break;
                        case PrincipalType.OrganizationalUnit:
                            if (s.OrganizationId != null && s.OrganizationalUnitId != null)
                            {
                                doc.AddOrganizationalUnitPath(KeyAccessSubjects.OuPattern(s));
                            }

                            break;
                        case PrincipalType.Account:
                            doc.AddAccount(KeyAccessSubject.RootArn(partition ?? "aws", s.AccountId));
                            break;
                    }
                }
            };

            return Plan(keyArn, policy, edit, list.Select(s => s.Principal).ToList());
        }

        /// <summary>The change that removes these principals' parts of AmiShare's managed statements (dropping a statement left empty), or null.</summary>
        public static KeyPolicyChange PlanRevoke(string keyArn, string policy, IReadOnlyList<Principal> principals)
        {
            var list = (principals ?? Array.Empty<Principal>()).Where(p => p != null).ToList();
            Action<KeyPolicyDocument> edit = doc =>
            {
                foreach (Principal p in list)
                {
                    switch (p.Type)
                    {
                        case PrincipalType.Organization:
                            string org = OrganizationDirectory.OrganizationIdOf(p);
                            if (org != null)
                            {
                                doc.RemoveOrganization(org);
                            }

                            break;
                        case PrincipalType.OrganizationalUnit:
                            doc.RemoveOrganizationalUnit(OrganizationDirectory.OrganizationalUnitIdOf(p));
                            break;
                        case PrincipalType.Account:
                            doc.RemoveAccount(p.Value);
                            break;
                    }
                }
            };

            return Plan(keyArn, policy, edit, list.Select(p => p.Value).ToList());
        }

        /// <summary>Applies a planned edit to a policy that may have changed since the plan; null when nothing is left to do.</summary>
        internal static string Reapply(KeyPolicyChange change, string currentPolicy)
        {
            if (string.Equals(currentPolicy, change.BasePolicy, StringComparison.Ordinal) || change.Edit == null)
            {
                return change.NewPolicy;
            }

            KeyPolicyDocument doc = KeyPolicyDocument.Parse(currentPolicy, change.KeyArn);
            change.Edit(doc);
            if (!doc.IsChanged)
            {
                return null;
            }

            string rendered = doc.Render();
            CheckSize(change.KeyArn, rendered);
            return rendered;
        }

        private static KeyPolicyChange Plan(string keyArn, string policy, Action<KeyPolicyDocument> edit, IReadOnlyList<string> principals)
        {
            KeyPolicyDocument doc = KeyPolicyDocument.Parse(policy, keyArn);
            edit(doc);
            if (!doc.IsChanged)
            {
                return null;
            }

            string rendered = doc.Render();
            CheckSize(keyArn, rendered);
            return new KeyPolicyChange
            {
                KeyArn = keyArn,
                StatementsBefore = doc.ManagedStatementsBefore,
                StatementsAfter = doc.ManagedStatementsJson(),
                NewPolicy = rendered,
                Principals = principals,
                BasePolicy = policy,
                Edit = edit,
            };
        }

        private static void CheckSize(string keyArn, string policy)
        {
            int size = KeyPolicyDocument.SizeOf(policy);
            if (size > KeyPolicyDocument.MaxPolicyBytes)
            {
                throw new AmiShareException(
                    ErrorIds.KmsPolicyTooLarge,
                    AmiShareErrorKind.LimitsExceeded,
                    $"The key policy of {keyArn} would be {size} bytes with AmiShare's statements, over KMS's limit of {KeyPolicyDocument.MaxPolicyBytes} bytes (32 KB); the policy was not changed.",
                    keyArn,
                    "Share with an organization or OU instead of many single accounts (one statement covers them all), or remove statements the key no longer needs, then run the command again.");
            }
        }
    }
}
