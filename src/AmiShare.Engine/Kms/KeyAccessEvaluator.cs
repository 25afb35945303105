using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Kms
{
    /// <summary>
    /// Evaluates a key policy (and grants) for the KMS actions a consumer needs to launch an AMI encrypted with the key.
    /// Allow statements count when their Principal covers the subject ("*", {"AWS":"*"}, the account root ARN or id) and every
    /// condition can be shown to hold (aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount, kms:CallerAccount,
    /// kms:ViaService for EC2, kms:GrantIsForAWSResource); a condition AmiShare cannot evaluate makes it not count (the result
    /// says so). Deny statements are honoured when they match the subject with conditions that hold. Grants count for accounts
    /// whose root is the grantee. An organization or OU is covered only by "*"-principal statements.
    /// </summary>
    public static class KeyAccessEvaluator
    {
        private static readonly string[] TrueValue = { "true" };

        /// <summary>What a consumer needs on the key to launch (anchors.md §8.6).</summary>
        public static readonly IReadOnlyList<string> RequiredActions = new[]
        {
            "kms:DescribeKey", "kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*",
        };

        private enum Truth
        {
            False,
            True,
            Unknown,
        }

        /// <summary>Whether <paramref name="subject"/> may use the key through the policy <paramref name="statementTexts"/> or <paramref name="grants"/> in <paramref name="region"/> (pure; no call).</summary>
        public static KeyAccessResult Evaluate(IEnumerable<string> statementTexts, IReadOnlyList<KmsGrantInfo> grants, KeyAccessSubject subject, string region)
        {
            var allowed = new HashSet<string>(StringComparer.Ordinal);
            var denied = new HashSet<string>(StringComparer.Ordinal);
            var sources = new List<string>();
            var notes = new List<string>();
            int index = 0;
            foreach (string text in statementTexts ?? Enumerable.Empty<string>())
            {
                index++;
                JsonDocument doc;
                try
                {
                    doc = JsonDocument.Parse(text);
                }
                catch (JsonException)
                {
                    continue;
                }

                using (doc)
                {
                    JsonElement s = doc.RootElement;
                    if (s.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    string name = s.TryGetProperty("Sid", out JsonElement sid) && sid.ValueKind == JsonValueKind.String && sid.GetString().Length > 0
                        ? "statement '" + sid.GetString() + "'"
                        : "statement #" + index;
                    string effect = s.TryGetProperty("Effect", out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
                    bool allow = string.Equals(effect, "Allow", StringComparison.Ordinal);
                    bool deny = string.Equals(effect, "Deny", StringComparison.Ordinal);
                    if ((!allow && !deny) || !PrincipalCovers(s, subject))
                    {
                        continue;
                    }

                    List<string> covered = RequiredActions.Where(r => allow ? ActionCovers(s, r) : ActionOverlaps(s, r)).ToList();
                    if (covered.Count == 0)
                    {
                        continue;
                    }

                    Truth conditions = Conditions(s, subject, region, out string unknownWhy);
                    if (conditions == Truth.Unknown)
                    {
                        if (allow)
                        {
                            notes.Add($"{name} was not counted: {unknownWhy}");
                        }

                        continue;
                    }

                    if (conditions == Truth.False)
                    {
                        continue;
                    }

                    if (allow)
                    {
                        allowed.UnionWith(covered);
                        sources.Add(name);
                    }
                    else
                    {
                        denied.UnionWith(covered);
                        notes.Add($"{name} denies {string.Join(", ", covered)}");
                    }
                }
            }

            if (subject.Type == PrincipalType.Account && grants != null)
            {
                foreach (KmsGrantInfo grant in grants)
                {
                    if (!IsAccountRoot(grant.GranteePrincipal, subject.AccountId))
                    {
                        continue;
                    }

                    List<string> covered = RequiredActions.Where(r => GrantCovers(grant, r)).ToList();
                    if (covered.Count > 0)
                    {
                        allowed.UnionWith(covered);
                        sources.Add("grant " + (string.IsNullOrEmpty(grant.Name) ? grant.GrantId : grant.Name));
                    }
                }
            }

            return new KeyAccessResult
            {
                Missing = RequiredActions.Where(r => !allowed.Contains(r) || denied.Contains(r)).ToList(),
                Sources = sources,
                Notes = notes,
            };
        }

        internal static bool IsAccountRoot(string value, string accountId)
        {
            if (string.IsNullOrEmpty(value) || string.IsNullOrEmpty(accountId))
            {
                return false;
            }

            return value == accountId
                || (value.StartsWith("arn:", StringComparison.Ordinal) && value.EndsWith(":iam::" + accountId + ":root", StringComparison.Ordinal));
        }

        private static bool PrincipalCovers(JsonElement s, KeyAccessSubject subject)
        {
            if (!s.TryGetProperty("Principal", out JsonElement p))
            {
                return false; // NotPrincipal statements are not evaluated
            }

            IEnumerable<string> values;
            if (p.ValueKind == JsonValueKind.String)
            {
                values = new[] { p.GetString() };
            }
            else if (p.ValueKind == JsonValueKind.Object && p.TryGetProperty("AWS", out JsonElement aws))
            {
                values = KeyPolicyDocument.StringValues(aws);
            }
            else
            {
                return false;
            }

            foreach (string v in values)
            {
                if (v == "*")
                {
                    return true;
                }

                if (subject.Type == PrincipalType.Account && IsAccountRoot(v, subject.AccountId))
                {
                    return true;
                }
            }

            return false;
        }

        private static List<string> Actions(JsonElement s, string property) =>
            s.TryGetProperty(property, out JsonElement a) ? KeyPolicyDocument.StringValues(a).ToList() : null;

        /// <summary>True when the statement's Action (or NotAction) surely includes the whole of <paramref name="required"/>.</summary>
        private static bool ActionCovers(JsonElement s, string required)
        {
            List<string> actions = Actions(s, "Action");
            if (actions != null)
            {
                return actions.Any(a => IamPattern.Glob(a, ignoreCase: true).IsMatch(required));
            }

            List<string> notActions = Actions(s, "NotAction");
            return notActions != null && !notActions.Any(n => Overlaps(n, required));
        }

        /// <summary>True when the statement's Action (or NotAction) touches any part of <paramref name="required"/> (for Deny).</summary>
        private static bool ActionOverlaps(JsonElement s, string required)
        {
            List<string> actions = Actions(s, "Action");
            if (actions != null)
            {
                return actions.Any(a => Overlaps(a, required));
            }

            List<string> notActions = Actions(s, "NotAction");
            return notActions != null && !notActions.Any(n => IamPattern.Glob(n, ignoreCase: true).IsMatch(required));
        }

        private static bool Overlaps(string pattern, string required) =>
            IamPattern.Glob(pattern, ignoreCase: true).IsMatch(required) || IamPattern.Glob(required, ignoreCase: true).IsMatch(pattern);

        private static bool GrantCovers(KmsGrantInfo grant, string required)
        {
            IReadOnlyList<string> ops = grant.Operations ?? Array.Empty<string>();
            switch (required)
            {
                case "kms:GenerateDataKey*":
                    return ops.Contains("GenerateDataKey") || ops.Contains("GenerateDataKeyWithoutPlaintext");
                case "kms:ReEncrypt*":
                    return ops.Contains("ReEncryptFrom") || ops.Contains("ReEncryptTo");
                default:
                    return ops.Contains(required.Substring("kms:".Length));
            }
        }

        private static Truth Conditions(JsonElement s, KeyAccessSubject subject, string region, out string unknownWhy)
        {
            unknownWhy = null;
            if (!s.TryGetProperty("Condition", out JsonElement condition) || condition.ValueKind != JsonValueKind.Object)
            {
                return Truth.True;
            }

            foreach (JsonProperty op in condition.EnumerateObject())
            {
                if (op.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                string baseOp = op.Name;
                int colon = baseOp.IndexOf(':');
                if (colon >= 0)
                {
                    baseOp = baseOp.Substring(colon + 1); // ForAnyValue: / ForAllValues:
                }

                bool ifExists = baseOp.EndsWith("IfExists", StringComparison.Ordinal);
                if (ifExists)
                {
                    baseOp = baseOp.Substring(0, baseOp.Length - "IfExists".Length);
                }

                bool negate = baseOp.StartsWith("StringNot", StringComparison.Ordinal) || baseOp.StartsWith("ArnNot", StringComparison.Ordinal);
                bool like = baseOp.EndsWith("Like", StringComparison.Ordinal);
                bool ignoreCase = baseOp.IndexOf("IgnoreCase", StringComparison.Ordinal) >= 0 || baseOp == "Bool";
                bool known = baseOp.StartsWith("String", StringComparison.Ordinal) || baseOp.StartsWith("Arn", StringComparison.Ordinal) || baseOp == "Bool";

                foreach (JsonProperty kv in op.Value.EnumerateObject())
                {
                    if (!known)
                    {
                        unknownWhy = $"condition operator {op.Name} is not evaluated by AmiShare";
                        return Truth.Unknown;
                    }

                    List<string> expected = KeyPolicyDocument.StringValues(kv.Value).ToList();
                    Truth t = Evaluate(kv.Name.ToLowerInvariant(), expected, like, ignoreCase, subject, region, out string why);

                    if (t == Truth.Unknown)
                    {
                        unknownWhy = why;
                        return Truth.Unknown;
                    }

                    if (negate)
                    {
                        t = t == Truth.True ? Truth.False : Truth.True;
                    }

                    if (t == Truth.False)
                    {
                        return Truth.False;
                    }
                }
            }

            return Truth.True;
        }

        private static Truth Evaluate(string key, List<string> expected, bool like, bool ignoreCase, KeyAccessSubject subject, string region, out string why)
        {
            why = null;
            switch (key)
            {
                case "aws:principalorgid":
                    if (subject.OrganizationId == null)
                    {
                        why = $"aws:PrincipalOrgID needs the organization of {subject.Principal}, which AWS Organizations did not tell (run with credentials of the management account to check it)";
                        return Truth.Unknown;
                    }

                    return Match(expected, new[] { subject.OrganizationId }, like, ignoreCase);

                case "aws:principalorgpaths":
                    return OrgPaths(expected, like, subject, out why);

                case "aws:principalaccount":
                case "kms:calleraccount":
                    if (subject.Type != PrincipalType.Account)
                    {
                        return Truth.False; // one account id cannot cover a whole organization or OU
                    }

                    return Match(expected, new[] { subject.AccountId }, like, ignoreCase);

                case "kms:viaservice":
                    // EC2 uses the key on the consumer's behalf when it launches from the AMI.
                    return Match(expected, new[] { "ec2." + region + ".amazonaws.com" }, like, ignoreCase: true);

                case "kms:grantisforawsresource":
                    // EC2's CreateGrant during launch is for an AWS resource.
                    return Match(expected, TrueValue, like, ignoreCase: true);

                default:
                    why = $"condition key {key} is not evaluated by AmiShare";
                    return Truth.Unknown;
            }
        }

        private static Truth OrgPaths(List<string> patterns, bool like, KeyAccessSubject subject, out string why)
        {
            why = null;
            if (subject.OrganizationId == null)
            {
                why = $"aws:PrincipalOrgPaths needs the organization path of {subject.Principal}, which AWS Organizations did not tell";
                return Truth.Unknown;
            }

            string org = subject.OrganizationId;
            if (subject.Type == PrincipalType.Organization)
            {
                // The whole organization is covered only by an organization-wide pattern.
                return patterns.Any(p => p == "*" || p == org + "/*" || (like && Regex.IsMatch(p, "^" + Regex.Escape(org) + "/r-[0-9a-z]+/\\*$"))) ? Truth.True : Truth.False;
            }

            if (subject.OrgPath != null)
            {
                return Match(patterns, new[] { subject.OrgPath }, like, ignoreCase: false);
            }

            if (subject.Type == PrincipalType.OrganizationalUnit && like)
            {
                // Root and parent OUs unknown: accept organization-wide patterns and patterns that end at this OU.
                string ou = subject.OrganizationalUnitId;
                bool hit = patterns.Any(p => p == "*" || p == org + "/*"
                    || Regex.IsMatch(p, "^" + Regex.Escape(org) + "/r-[0-9a-z]+/\\*$")
                    || (p.StartsWith(org + "/", StringComparison.Ordinal) && (p.EndsWith("/" + ou + "/*", StringComparison.Ordinal) || p.EndsWith("/" + ou + "/", StringComparison.Ordinal))));
                return hit ? Truth.True : Truth.False;
            }

            why = $"aws:PrincipalOrgPaths needs the organization path of {subject.Principal}, which AWS Organizations did not tell";
            return Truth.Unknown;
        }

        private static Truth Match(List<string> expected, IEnumerable<string> actual, bool like, bool ignoreCase)
        {
            foreach (string a in actual)
            {
                foreach (string e in expected)
                {
                    bool hit = like
                        ? IamPattern.Glob(e, ignoreCase).IsMatch(a)
                        : string.Equals(e, a, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
                    if (hit)
                    {
                        return Truth.True;
                    }
                }
            }

            return Truth.False;
        }
    }
}
