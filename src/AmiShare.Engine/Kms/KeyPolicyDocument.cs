using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AmiShare.Engine.Kms
{
    /// <summary>
    /// A KMS key policy as AmiShare edits it. AmiShare owns three statements, told apart by Sid:
    /// <see cref="OrganizationsSid"/> ("Principal":"*" + StringEquals aws:PrincipalOrgID),
    /// <see cref="OrganizationalUnitsSid"/> ("Principal":"*" + ForAnyValue:StringLike aws:PrincipalOrgPaths) and
    /// <see cref="AccountsSid"/> ("Principal":{"AWS":[account root ARNs]}), each Allow on "*" with <see cref="ManagedActions"/>.
    /// Every other statement is kept byte for byte, in its place: the document is rewritten by splicing
    /// only the managed statements' text, so the policy a user wrote stays the policy they wrote. A managed
    /// statement whose values end as they began keeps its own text too, and a lone "Statement" object that had
    /// to become a list for AmiShare's statements becomes that object again once they are gone: a grant then a
    /// revoke of the same principals gives back the original policy byte for byte.
    /// </summary>
    public sealed class KeyPolicyDocument
    {
        /// <summary>Sid of AmiShare's statement for organizations (aws:PrincipalOrgID).</summary>
        public const string OrganizationsSid = "AmiShareOrganizations";
        /// <summary>Sid of AmiShare's statement for OUs (aws:PrincipalOrgPaths).</summary>
        public const string OrganizationalUnitsSid = "AmiShareOrganizationalUnits";
        /// <summary>Sid of AmiShare's statement for accounts.</summary>
        public const string AccountsSid = "AmiShareAccounts";

        /// <summary>KMS's key policy size limit (32 KB).</summary>
        public const int MaxPolicyBytes = 32768;

        /// <summary>What consumers need to launch (and copy) an AMI encrypted with the key, plus Encrypt for re-encrypting copies.</summary>
        public static readonly IReadOnlyList<string> ManagedActions = new[]
        {
            "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant",
        };

        /// <summary>
        /// The separator AmiShare writes after a lone statement object it wraps in a list. A list AmiShare grows from a
        /// one-statement list never gets it (that separator is "," plus the list's own leading whitespace), so a list
        /// that starts "[{…}, " with no whitespace inside its brackets marks a wrapped lone object.
        /// </summary>
        internal const string LoneSeparator = ", ";

        private static readonly string[] ManagedSids = { OrganizationsSid, OrganizationalUnitsSid, AccountsSid };

        private readonly byte[] _bytes;
        private readonly int _statementStart; // the '[' (or '{' of a lone statement object)
        private readonly int _statementEnd;   // one past the ']' (or '}')
        private readonly bool _loneStatement;
        private readonly List<Segment> _segments;
        private readonly string _separator;
        private readonly string _lead;
        private readonly string _trail;
        private readonly string _beforeJson;
        private readonly Dictionary<string, IReadOnlyList<string>> _originalValues;

        private KeyPolicyDocument(string text, byte[] bytes, int start, int end, bool lone, List<Segment> segments, string separator, string lead, string trail)
        {
            Text = text;
            _bytes = bytes;
            _statementStart = start;
            _statementEnd = end;
            _loneStatement = lone;
            _segments = segments;
            _separator = separator;
            _lead = lead;
            _trail = trail;

            foreach (Segment s in segments.Where(x => x.ManagedSid != null))
            {
                using (JsonDocument d = JsonDocument.Parse(s.Text))
                {
                    JsonElement e = d.RootElement;
                    switch (s.ManagedSid)
                    {
                        case OrganizationsSid:
                            AddDistinct(OrganizationIds, ConditionValues(e, "aws:PrincipalOrgID"));
                            break;
                        case OrganizationalUnitsSid:
                            AddDistinct(OrganizationalUnitPaths, ConditionValues(e, "aws:PrincipalOrgPaths"));
                            break;
                        case AccountsSid:
                            AddDistinct(AccountPrincipals, AwsPrincipals(e));
                            break;
                    }
                }
            }

            _originalValues = ManagedSids.ToDictionary(sid => sid, sid => (IReadOnlyList<string>)ValuesOf(sid).ToList(), StringComparer.Ordinal);
            _beforeJson = ManagedStatementsJson();
        }

        /// <summary>The policy text this document was parsed from.</summary>
        public string Text { get; }

        /// <summary>Organization ids in the AmiShareOrganizations statement.</summary>
        public List<string> OrganizationIds { get; } = new List<string>();

        /// <summary>aws:PrincipalOrgPaths patterns in the AmiShareOrganizationalUnits statement.</summary>
        public List<string> OrganizationalUnitPaths { get; } = new List<string>();

        /// <summary>AWS principals (account root ARNs) in the AmiShareAccounts statement.</summary>
        public List<string> AccountPrincipals { get; } = new List<string>();

        /// <summary>Every statement of the policy as parsed JSON text (for evaluation), in document order.</summary>
        public IReadOnlyList<string> StatementTexts => _segments.Select(s => s.Text).ToList();

        /// <summary>The managed statements as they were when parsed (indented JSON array), or null when there were none.</summary>
        public string ManagedStatementsBefore => _beforeJson;

        /// <summary>True when the managed values differ from what the policy had.</summary>
        public bool IsChanged => !string.Equals(_beforeJson, ManagedStatementsJson(), StringComparison.Ordinal);

        /// <summary>Parses a key policy; throws <see cref="AmiShareException"/> when it is not a JSON policy document.</summary>
        public static KeyPolicyDocument Parse(string policy, string keyArn = null)
        {
            if (string.IsNullOrWhiteSpace(policy))
            {
                throw Malformed(keyArn, "the policy is empty");
            }

            byte[] bytes = Encoding.UTF8.GetBytes(policy);
            try
            {
                var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    throw Malformed(keyArn, "the policy is not a JSON object");
                }

                int start = -1, end = -1;
                bool lone = false;
                var spans = new List<(int Start, int End)>();
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
                    {
                        break;
                    }

                    if (reader.TokenType != JsonTokenType.PropertyName)
                    {
                        continue;
                    }

                    string name = reader.GetString();
                    reader.Read();
                    if (!string.Equals(name, "Statement", StringComparison.Ordinal) || start >= 0)
                    {
                        reader.Skip();
                        continue;
                    }

                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        start = (int)reader.TokenStartIndex;
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            int s = (int)reader.TokenStartIndex;
                            reader.Skip();
                            spans.Add((s, (int)reader.BytesConsumed));
                        }

                        end = (int)reader.BytesConsumed;
                    }
                    else if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        lone = true;
                        start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        end = (int)reader.BytesConsumed;
                        spans.Add((start, end));
                    }
                    else
                    {
                        throw Malformed(keyArn, "its Statement is neither a list nor an object");
                    }
                }

                if (start < 0)
                {
                    throw Malformed(keyArn, "it has no Statement");
                }

                var segments = new List<Segment>();
                foreach (var span in spans)
                {
                    string text = Encoding.UTF8.GetString(bytes, span.Start, span.End - span.Start);
                    segments.Add(new Segment { Text = text, Original = true, ManagedSid = ManagedSidOf(text) });
                }

                string lead = string.Empty, trail = string.Empty, separator = ",";
                if (!lone)
                {
                    int firstContent = spans.Count > 0 ? spans[0].Start : end - 1;
                    lead = Encoding.UTF8.GetString(bytes, start + 1, firstContent - start - 1);
                    if (spans.Count > 0)
                    {
                        int lastEnd = spans[spans.Count - 1].End;
                        trail = Encoding.UTF8.GetString(bytes, lastEnd, end - 1 - lastEnd);
                    }

                    for (int i = 0; i + 1 < spans.Count; i++)
                    {
                        segments[i].SeparatorAfter = Encoding.UTF8.GetString(bytes, spans[i].End, spans[i + 1].Start - spans[i].End);
                    }

                    if (spans.Count > 1)
                    {
                        separator = segments[0].SeparatorAfter;
                    }
                    else if (lead.All(char.IsWhiteSpace))
                    {
                        // A one-statement list grows the way it is laid out: "[\n    {…}\n  ]" gets ",\n    " before a new statement.
                        separator = "," + lead;
                    }
                }

                return new KeyPolicyDocument(policy, bytes, start, end, lone, segments, separator, lead, trail);
            }
            catch (JsonException e)
            {
                throw Malformed(keyArn, "it is not valid JSON (" + e.Message + ")");
            }
        }

        /// <summary>Adds an organization id to the AmiShareOrganizations statement; false when it was there.</summary>
        public bool AddOrganization(string organizationId) => AddValue(OrganizationIds, organizationId);

        /// <summary>Adds an aws:PrincipalOrgPaths pattern (e.g. o-…/r-…/ou-…/*) to the AmiShareOrganizationalUnits statement.</summary>
        public bool AddOrganizationalUnitPath(string pattern) => AddValue(OrganizationalUnitPaths, pattern);

        /// <summary>Adds an account root ARN to the AmiShareAccounts statement.</summary>
        public bool AddAccount(string rootArn) => AddValue(AccountPrincipals, rootArn);

        /// <summary>Removes an organization id from AmiShare's organization statement (dropping the statement when left empty).</summary>
        public bool RemoveOrganization(string organizationId) => OrganizationIds.RemoveAll(v => string.Equals(v, organizationId, StringComparison.Ordinal)) > 0;

        /// <summary>Removes every path pattern of that OU (any root, any depth: "…/ou-x/*", "…/ou-x/").</summary>
        public bool RemoveOrganizationalUnit(string ouId) =>
            OrganizationalUnitPaths.RemoveAll(v => v.EndsWith("/" + ouId + "/*", StringComparison.Ordinal) || v.EndsWith("/" + ouId + "/", StringComparison.Ordinal)) > 0;

        /// <summary>Removes the account (as root ARN of any partition, or bare id).</summary>
        public bool RemoveAccount(string accountId) =>
            AccountPrincipals.RemoveAll(v => v == accountId || (v.StartsWith("arn:", StringComparison.Ordinal) && v.EndsWith(":iam::" + accountId + ":root", StringComparison.Ordinal))) > 0;

        /// <summary>
        /// The managed statements as they are now, as a JSON array on one line (so -WhatIf and -Verbose show each key's
        /// before and after as one line), or null when none remain.
        /// </summary>
        public string ManagedStatementsJson()
        {
            List<string> statements = ManagedStatements(indented: false).Select(s => s.Text).ToList();
            if (statements.Count == 0)
            {
                return null;
            }

            return "[" + string.Join(",", statements) + "]";
        }

        /// <summary>
        /// The policy with the managed statements as they are now: statements AmiShare did not write stay exactly
        /// as they were and where they were; a managed statement whose values did not change keeps its text; one that
        /// changed is rewritten in its place, dropped when it has no principal left, and appended at the end when it is
        /// new. A lone statement object stays an object when nothing is added, and comes back as the object when the
        /// list AmiShare wrapped it in loses every managed statement.
        /// </summary>
        public string Render()
        {
            Dictionary<string, string> managed = ManagedStatements(indented: false).ToDictionary(s => s.Sid, s => s.Text);
            var unchanged = new HashSet<string>(ManagedSids.Where(sid => ValuesOf(sid).SequenceEqual(_originalValues[sid], StringComparer.Ordinal)), StringComparer.Ordinal);
            if (unchanged.Count == ManagedSids.Length)
            {
                return Text;
            }

            var output = new List<Segment>();
            var written = new HashSet<string>();
            foreach (Segment s in _segments)
            {
                if (s.ManagedSid == null || unchanged.Contains(s.ManagedSid))
                {
                    output.Add(s);
                }
                else if (managed.TryGetValue(s.ManagedSid, out string text) && written.Add(s.ManagedSid))
                {
                    output.Add(new Segment { Text = text, Original = true, ManagedSid = s.ManagedSid, SeparatorAfter = s.SeparatorAfter });
                }
            }

            foreach (string sid in ManagedSids)
            {
                if (!unchanged.Contains(sid) && managed.TryGetValue(sid, out string text) && written.Add(sid) && !_segments.Any(x => x.ManagedSid == sid))
                {
                    output.Add(new Segment { Text = text, ManagedSid = sid });
                }
            }

            string prefix = Encoding.UTF8.GetString(_bytes, 0, _statementStart);
            string suffix = Encoding.UTF8.GetString(_bytes, _statementEnd, _bytes.Length - _statementEnd);
            if ((_loneStatement || WrapsLoneStatement) && output.Count == 1)
            {
                return prefix + output[0].Text + suffix;
            }

            string lead = _loneStatement ? string.Empty : _lead;
            string trail = _loneStatement ? string.Empty : _trail;
            string separator = _loneStatement ? LoneSeparator : _separator;
            var array = new StringBuilder("[");
            array.Append(lead);
            for (int i = 0; i < output.Count; i++)
            {
                if (i > 0)
                {
                    Segment previous = output[i - 1];
                    array.Append(!_loneStatement && previous.Original && previous.SeparatorAfter != null ? previous.SeparatorAfter : separator);
                }

                array.Append(output[i].Text);
            }

            array.Append(trail).Append(']');
            return prefix + array + suffix;
        }

        /// <summary>
        /// True when the Statement list is one AmiShare made from a lone statement object: "[" + that statement + ", " +
        /// only AmiShare's statements + "]", with no whitespace inside the brackets.
        /// </summary>
        private bool WrapsLoneStatement =>
            !_loneStatement
            && _lead.Length == 0
            && _trail.Length == 0
            && _segments.Count >= 2
            && _segments[0].ManagedSid == null
            && string.Equals(_segments[0].SeparatorAfter, LoneSeparator, StringComparison.Ordinal)
            && _segments.Skip(1).All(x => x.ManagedSid != null);

        private List<string> ValuesOf(string sid)
        {
            switch (sid)
            {
                case OrganizationsSid:
                    return OrganizationIds;
                case OrganizationalUnitsSid:
                    return OrganizationalUnitPaths;
                default:
                    return AccountPrincipals;
            }
        }

        /// <summary>Size of a policy as KMS counts it (UTF-8 bytes).</summary>
        public static int SizeOf(string policy) => Encoding.UTF8.GetByteCount(policy ?? string.Empty);

        private IEnumerable<(string Sid, string Text)> ManagedStatements(bool indented)
        {
            if (OrganizationIds.Count > 0)
            {
                yield return (OrganizationsSid, AnyPrincipalWithCondition(indented, OrganizationsSid, "StringEquals", "aws:PrincipalOrgID", OrganizationIds));
            }

            if (OrganizationalUnitPaths.Count > 0)
            {
                yield return (OrganizationalUnitsSid, AnyPrincipalWithCondition(indented, OrganizationalUnitsSid, "ForAnyValue:StringLike", "aws:PrincipalOrgPaths", OrganizationalUnitPaths));
            }

            if (AccountPrincipals.Count > 0)
            {
                yield return (AccountsSid, Write(indented, w =>
                {
                    Head(w, AccountsSid);
                    w.WriteStartObject("Principal");
                    Strings(w, "AWS", AccountPrincipals);
                    w.WriteEndObject();
                    Actions(w);
                    w.WriteString("Resource", "*");
                }));
            }
        }

        /// <summary>An Allow statement for Principal "*" limited by one condition (organization id or OU paths).</summary>
        private static string AnyPrincipalWithCondition(bool indented, string sid, string conditionOperator, string conditionKey, IEnumerable<string> values) =>
            Write(indented, w =>
            {
                Head(w, sid);
                w.WriteString("Principal", "*");
                Actions(w);
                w.WriteString("Resource", "*");
                w.WriteStartObject("Condition");
                w.WriteStartObject(conditionOperator);
                Strings(w, conditionKey, values);
                w.WriteEndObject();
                w.WriteEndObject();
            });

        private static void Head(Utf8JsonWriter w, string sid)
        {
            w.WriteString("Sid", sid);
            w.WriteString("Effect", "Allow");
        }

        private static void Actions(Utf8JsonWriter w) => Strings(w, "Action", ManagedActions);

        private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
        {
            w.WriteStartArray(name);
            foreach (string v in values)
            {
                w.WriteStringValue(v);
            }

            w.WriteEndArray();
        }

        private static string Write(bool indented, Action<Utf8JsonWriter> body)
        {
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    writer.WriteStartObject();
                    body(writer);
                    writer.WriteEndObject();
                }

                return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n");
            }
        }


        private static bool AddValue(List<string> list, string value)
        {
            if (string.IsNullOrEmpty(value) || list.Contains(value))
            {
                return false;
            }

            list.Add(value);
            return true;
        }

        private static void AddDistinct(List<string> list, IEnumerable<string> values)
        {
            foreach (string v in values)
            {
                AddValue(list, v);
            }
        }

        private static string ManagedSidOf(string statementText)
        {
            try
            {
                using (JsonDocument d = JsonDocument.Parse(statementText))
                {
                    if (d.RootElement.ValueKind == JsonValueKind.Object
                        && d.RootElement.TryGetProperty("Sid", out JsonElement sid)
                        && sid.ValueKind == JsonValueKind.String)
                    {
                        string value = sid.GetString();
                        return ManagedSids.FirstOrDefault(m => string.Equals(m, value, StringComparison.Ordinal));
                    }
                }
            }
            catch (JsonException)
            {
            }

            return null;
        }

        internal static IEnumerable<string> StringValues(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.String)
            {
                yield return e.GetString();
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in e.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        yield return item.GetString();
                    }
                    else if (item.ValueKind == JsonValueKind.True || item.ValueKind == JsonValueKind.False)
                    {
                        yield return item.GetRawText();
                    }
                }
            }
            else if (e.ValueKind == JsonValueKind.True || e.ValueKind == JsonValueKind.False)
            {
                yield return e.GetRawText();
            }
        }

        private static IEnumerable<string> ConditionValues(JsonElement statement, string key)
        {
            if (!statement.TryGetProperty("Condition", out JsonElement condition) || condition.ValueKind != JsonValueKind.Object)
            {
                yield break;
            }

            foreach (JsonProperty op in condition.EnumerateObject())
            {
                if (op.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (JsonProperty kv in op.Value.EnumerateObject())
                {
                    if (string.Equals(kv.Name, key, StringComparison.OrdinalIgnoreCase))
                    {
                        foreach (string v in StringValues(kv.Value))
                        {
                            yield return v;
                        }
                    }
                }
            }
        }

        private static IEnumerable<string> AwsPrincipals(JsonElement statement)
        {
            if (statement.TryGetProperty("Principal", out JsonElement principal)
                && principal.ValueKind == JsonValueKind.Object
                && principal.TryGetProperty("AWS", out JsonElement aws))
            {
                return StringValues(aws).ToList();
            }

            return Enumerable.Empty<string>();
        }

        private static AmiShareException Malformed(string keyArn, string why) =>
            new AmiShareException(
                ErrorIds.KmsKeyNotUsable,
                AmiShareErrorKind.InvalidOperation,
                $"The key policy of {keyArn ?? "the KMS key"} cannot be read as a policy document: {why}.",
                keyArn,
                "Check the key policy (Get-KMSKeyPolicy -KeyId <key> -PolicyName default); AmiShare edits only well-formed JSON policies.");

        private sealed class Segment
        {
            public string Text { get; set; }

            /// <summary>The segment stands where an original statement stood (its separator is kept).</summary>
            public bool Original { get; set; }

            public string ManagedSid { get; set; }

            public string SeparatorAfter { get; set; }
        }
    }
}
