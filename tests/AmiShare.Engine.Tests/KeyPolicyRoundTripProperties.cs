using System.Text.Json;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>
/// Issue 7, build 6: key policies stay the user's documents. Random valid IAM key policies (Statement as a lone object
/// or a list, statements in any key order, with or without Sid, principals "*" / AWS string / AWS list, Action and
/// Resource as string or list, conditions with odd number formats, escaped and raw Unicode, varied whitespace,
/// sometimes an AmiShare statement already there): a grant then a revoke of the same principals gives back the
/// original bytes, and a grant leaves everything but AmiShare's statements byte for byte.
/// </summary>
public class KeyPolicyRoundTripProperties
{
    private const string KeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const int Cases = 500;

    /// <summary>A generated policy, the pieces around its Statement value, and the principals to grant (none of them in it yet).</summary>
    public sealed record Case(string Prefix, string StatementValue, string Suffix, IReadOnlyList<KeyAccessSubject> Subjects)
    {
        public string Policy => Prefix + StatementValue + Suffix;

        public override string ToString() => Policy + "\n  grant: " + string.Join(", ", Subjects.Select(s => s.Principal));
    }

    private static readonly Gen<string> Ws = Gen.Elements("", "", " ", "  ", "\n", "\n  ", "\n    ", "\r\n\t", "\t", " \n");

    private static Gen<string> Str(params string[] rawJsonStrings) => Gen.Elements(rawJsonStrings);

    /// <summary>A JSON array of the given items (at least one), or the single item bare when <paramref name="allowBare"/>.</summary>
    private static Gen<string> ListOrOne(Gen<string> item, bool allowBare = true) =>
        from bare in allowBare ? Gen.Elements(true, false) : Gen.Constant(false)
        from items in Gen.NonEmptyListOf(item).Select(l => l.Take(3).ToList())
        from ws in Gen.ListOf(Ws, 8).Select(l => l.ToList())
        select bare ? items[0] : "[" + ws[0] + string.Join(ws[1] + "," + ws[2], items) + ws[3] + "]";

    private static Gen<string> Obj(IReadOnlyList<(string Name, Gen<string> Value)> members) =>
        from order in Gen.Shuffle(members.ToArray())
        from values in Gen.CollectToList(order.Select(m => m.Value))
        from ws in Gen.ListOf(Ws, 4 * order.Length + 2).Select(l => l.ToList())
        select "{" + ws[0] + string.Join(",", order.Select((m, i) => ws[4 * i + 1] + Name(m.Name, i) + ws[4 * i + 2] + ":" + ws[4 * i + 3] + values[i] + ws[4 * i + 4])) + ws[ws.Count - 1] + "}";

    // Member names written plainly or with an escaped letter (same name to a parser, different bytes).
    private static string Name(string name, int i) => i % 3 == 2 && name.Length > 1 ? "\"" + name.Substring(0, name.Length - 1) + "\\u" + ((int)name[^1]).ToString("x4") + "\"" : "\"" + name + "\"";

    private static readonly Gen<string> Arn = Str(
        "\"arn:aws:iam::123456789012:root\"", "\"arn:aws:iam::123456789012:role/KeyAdmin\"", "\"arn:aws:iam::999988887777:root\"",
        "\"arn:aws:iam::123456789012:role\\/Ops\"", "\"arn:aws:iam::123456789012:user/caf\u00e9\"", "\"arn:aws:iam::123456789012:user/caf\\u00e9\"",
        "\"arn:aws:iam::123456789012:role/\U0001F600\"");

    private static readonly Gen<string> Principal = Gen.OneOf(
        Str("\"*\""),
        ListOrOne(Arn).SelectMany(aws => Obj(new[] { ("AWS", Gen.Constant(aws)) })),
        Obj(new[] { ("Service", Str("\"ec2.amazonaws.com\"", "\"autoscaling.amazonaws.com\"")) }));

    private static readonly Gen<string> Action = ListOrOne(Str("\"kms:*\"", "\"kms:Decrypt\"", "\"kms:Describe*\"", "\"kms:\\u002A\"", "\"kms:CreateGrant\""));

    private static readonly Gen<string> Condition = Gen.OneOf(
        Obj(new[] { ("StringEquals", Obj(new[] { ("kms:ViaService", ListOrOne(Str("\"ec2.us-east-1.amazonaws.com\"", "\"ec2.eu-west-1.amazonaws.com\""))) })) }),
        Obj(new[] { ("NumericLessThan", Obj(new[] { ("aws:MultiFactorAuthAge", Str("3600", "3.6e3", "3600.0", "3.600E+3", "-0", "1e0")) })) }),
        Obj(new[] { ("Bool", Obj(new[] { ("kms:GrantIsForAWSResource", Str("true", "\"true\"", "false")) })) }));

    private static readonly Gen<string> Sid = Str("\"Enable IAM User Permissions\"", "\"\"", "\"Allow key admins \u2013 ops\"", "\"Allow key admins \\u2013 ops\"", "\"Tab\\tand \\\"quotes\\\"\"", "\"AmiShareAccountsOld\"");

    private static readonly Gen<string> ForeignStatement =
        from withSid in Gen.Elements(true, false)
        from withCondition in Gen.Elements(true, false)
        from effect in Str("\"Allow\"", "\"Deny\"")
        from text in Obj(new List<(string, Gen<string>)>
            {
                ("Effect", Gen.Constant(effect)), ("Principal", Principal), ("Action", Action), ("Resource", ListOrOne(Str("\"*\""))),
            }
            .Concat(withSid ? new[] { ("Sid", Sid) } : Array.Empty<(string, Gen<string>)>())
            .Concat(withCondition ? new[] { ("Condition", Condition) } : Array.Empty<(string, Gen<string>)>())
            .ToList())
        select text;

    // An AmiShareAccounts statement from an earlier run (AmiShare's own layout), naming an account the case never grants.
    // Only AmiShare's layout comes back byte for byte: a managed statement that changes is written in AmiShare's layout.
    private static readonly Gen<string> ExistingAccountsStatement = Gen.Constant(
        "{\"Sid\":\"AmiShareAccounts\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::555566667777:root\"]},"
        + "\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\",\"kms:DescribeKey\",\"kms:CreateGrant\"],\"Resource\":\"*\"}");

    private static readonly Gen<string> StatementValue = Gen.OneOf(
        ForeignStatement,
        from generated in Gen.ListOf(Gen.Frequency((6, ForeignStatement), (1, ExistingAccountsStatement)))
        let statements = generated.Take(4).Where((t, i) => !t.Contains("\"AmiShareAccounts\"", StringComparison.Ordinal) || generated.IndexOf(t) == i).ToList()
        from ws in Gen.ListOf(Ws, 10).Select(l => l.ToList())
        select "[" + ws[0] + string.Join(",", statements.Select((s, i) => (i > 0 ? ws[1 + (i % 4)] : string.Empty) + s)) + ws[9] + "]");

    private static readonly Gen<KeyAccessSubject> Subject = Gen.OneOf(
        Gen.Choose(200000, 299999).Select(n => Account("2" + n.ToString("D6") + "00000")),
        Gen.Elements("o-abc1234567", "o-zz99887766").Select(Org),
        Gen.Elements("ou-ab12-11111111", "ou-ab12-22222222").Select(ou => Ou("o-abc1234567", ou)));

    private static readonly Gen<Case> Cases_ =
        from top in Gen.Shuffle(new[] { "V", "I", "S" })
        from withVersion in Gen.Elements(true, false)
        from withId in Gen.Elements(true, false)
        from id in Str("\"key-default-1\"", "\"key-consolepolicy-3\"", "\"k\\u00e9y\"")
        from statement in StatementValue
        from ws in Gen.ListOf(Ws, 12).Select(l => l.ToList())
        from subjects in Gen.NonEmptyListOf(Subject).Select(l => l.Take(4).GroupBy(s => s.Principal).Select(g => g.First()).ToList())
        select Build(top, withVersion, withId, id, statement, ws, subjects);

    private static Case Build(string[] top, bool withVersion, bool withId, string id, string statement, List<string> ws, List<KeyAccessSubject> subjects)
    {
        var members = top.Where(m => m == "S" || (m == "V" && withVersion) || (m == "I" && withId)).ToList();
        string prefix = ws[0] + "{" + ws[1], suffix = string.Empty;
        bool afterStatement = false;
        for (int i = 0; i < members.Count; i++)
        {
            string sep = i > 0 ? "," + ws[2 + (i % 3)] : string.Empty;
            string head = members[i] switch
            {
                "V" => "\"Version\"" + ws[5] + ":" + ws[6] + "\"2012-10-17\"",
                "I" => "\"Id\":" + ws[7] + id,
                _ => "\"Statement\"" + ws[8] + ":" + ws[9],
            };
            if (afterStatement)
            {
                suffix += sep + head;
            }
            else if (members[i] == "S")
            {
                prefix += sep + head;
                afterStatement = true;
            }
            else
            {
                prefix += sep + head;
            }
        }

        suffix += ws[10] + "}" + ws[11];
        return new Case(prefix, statement, suffix, subjects);
    }

    private static KeyAccessSubject Account(string id) => new() { Type = PrincipalType.Account, Principal = id, AccountId = id };

    private static KeyAccessSubject Org(string org) => new() { Type = PrincipalType.Organization, Principal = $"arn:aws:organizations::123456789012:organization/{org}", OrganizationId = org };

    private static KeyAccessSubject Ou(string org, string ou) => new()
    {
        Type = PrincipalType.OrganizationalUnit, Principal = $"arn:aws:organizations::123456789012:ou/{org}/{ou}", OrganizationId = org, OrganizationalUnitId = ou, OrgPath = $"{org}/r-ab12/{ou}/",
    };

    private static Principal Revocable(KeyAccessSubject s) => PrincipalParser.Parse(s.Principal);

    private static IEnumerable<string> ForeignStatementTexts(string policy) =>
        KeyPolicyDocument.Parse(policy, KeyArn).StatementTexts.Where(t => !t.Contains("\"AmiShare", StringComparison.Ordinal) || t.Contains("AmiShareAccountsOld", StringComparison.Ordinal));

    [Property(MaxTest = Cases)]
    public Property GeneratedPolicies_AreValidJson() =>
        Prop.ForAll(Cases_.ToArbitrary(), c =>
        {
            using var doc = JsonDocument.Parse(c.Policy);
            JsonValueKind kind = doc.RootElement.GetProperty("Statement").ValueKind;
            Assert.True(kind is JsonValueKind.Object or JsonValueKind.Array, kind.ToString());
        });

    [Property(MaxTest = Cases)]
    public Property GrantThenRevokeOfTheSamePrincipals_GivesBackTheOriginalBytes() =>
        Prop.ForAll(Cases_.ToArbitrary(), c =>
        {
            KeyPolicyChange grant = KeyPolicyPlanner.PlanGrant(KeyArn, c.Policy, "aws", c.Subjects)!;
            KeyPolicyChange revoke = KeyPolicyPlanner.PlanRevoke(KeyArn, grant.NewPolicy, c.Subjects.Select(Revocable).ToList())!;
            Assert.NotEqual(c.Policy, grant.NewPolicy);
            Assert.Equal(c.Policy, revoke.NewPolicy);
        });

    [Property(MaxTest = Cases)]
    public Property GrantOneByOne_ThenRevokeOneByOneInAnotherOrder_GivesBackTheOriginalBytes() =>
        Prop.ForAll(Cases_.ToArbitrary(), c =>
        {
            string policy = c.Policy;
            foreach (KeyAccessSubject s in c.Subjects)
            {
                policy = KeyPolicyPlanner.PlanGrant(KeyArn, policy, "aws", new[] { s })!.NewPolicy;
            }

            foreach (KeyAccessSubject s in c.Subjects.Skip(1).Concat(c.Subjects.Take(1)))
            {
                policy = KeyPolicyPlanner.PlanRevoke(KeyArn, policy, new[] { Revocable(s) })!.NewPolicy;
            }

            Assert.Equal(c.Policy, policy);
        });

    [Property(MaxTest = Cases)]
    public Property Grant_LeavesEverythingButAmiSharesStatementsByteForByte() =>
        Prop.ForAll(Cases_.ToArbitrary(), c =>
        {
            string granted = KeyPolicyPlanner.PlanGrant(KeyArn, c.Policy, "aws", c.Subjects)!.NewPolicy;
            using var doc = JsonDocument.Parse(granted);
            Assert.StartsWith(c.Prefix, granted, StringComparison.Ordinal);
            Assert.EndsWith(c.Suffix, granted, StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("Statement").ValueKind);
            Assert.Equal(ForeignStatementTexts(c.Policy), ForeignStatementTexts(granted));
            Assert.All(ForeignStatementTexts(c.Policy), t => Assert.Contains(t, granted, StringComparison.Ordinal));
        });
}
