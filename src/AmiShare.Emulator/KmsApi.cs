using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AmiShare.Emulator;

/// <summary>KMS (AWS JSON 1.1, TrentService, wire-spec §4).</summary>
internal static class KmsApi
{
    private static readonly Regex UuidRx = new("^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", RegexOptions.Compiled);
    private static readonly Regex KeyArnRx = new("^arn:aws[a-z-]*:kms:([a-z0-9-]+):([0-9]{12}):key/(.+)$", RegexOptions.Compiled);
    private static readonly Regex AliasArnRx = new("^arn:aws[a-z-]*:kms:([a-z0-9-]+):([0-9]{12}):(alias/.+)$", RegexOptions.Compiled);

    private static readonly HashSet<string> GrantOperations = new(StringComparer.Ordinal)
    {
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify",
        "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
        "GenerateMac", "VerifyMac", "DeriveSharedSecret",
    };

    private static ApiException Err(string code, string msg, int status = 400) => new(status, code, msg);

    public static string Handle(World w, CallContext c)
    {
        using var doc = JsonDocument.Parse(c.JsonBody ?? "{}");
        var req = doc.RootElement;
        lock (w.Sync)
        {
            var res = c.Action switch
            {
                "DescribeKey" => DescribeKey(w, c, req),
                "GetKeyPolicy" => GetKeyPolicy(w, c, req),
                "PutKeyPolicy" => PutKeyPolicy(w, c, req),
                "CreateGrant" => CreateGrant(w, c, req),
                "ListGrants" => ListGrants(w, c, req),
                "ListAliases" => ListAliases(w, c, req),
                _ => throw Err("UnknownOperationException", ""),
            };
            return res?.ToJsonString() ?? "{}";
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string RequireStr(JsonElement e, string name, string wireName) =>
        Str(e, name) is { Length: > 0 } v ? v
            : throw Err("ValidationException", $"1 validation error detected: Value null at '{wireName}' failed to satisfy constraint: Member must not be null");

    /// <summary>Resolves a key id / key ARN / alias / alias ARN without raising errors (null when unknown).</summary>
    internal static KeySpec? ResolveKey(World w, string region, string account, string keyId)
    {
        try { return Lookup(w, region, account, keyId); } catch (ApiException) { return null; }
    }

    private static KeySpec Lookup(World w, string region, string account, string keyId)
    {
        Match m;
        if ((m = KeyArnRx.Match(keyId)).Success)
        {
            if (m.Groups[1].Value != region) throw Err("NotFoundException", $"Invalid arn {m.Groups[1].Value}");
            return w.FindKeyByArn(keyId) ?? throw Err("NotFoundException", $"Key '{keyId}' does not exist");
        }
        if ((m = AliasArnRx.Match(keyId)).Success)
        {
            if (m.Groups[1].Value != region) throw Err("NotFoundException", $"Invalid arn {m.Groups[1].Value}");
            return FindAlias(w, m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)
                   ?? throw Err("NotFoundException", $"Alias {keyId} is not found.");
        }
        if (keyId.StartsWith("alias/", StringComparison.Ordinal))
            return FindAlias(w, region, account, keyId)
                   ?? throw Err("NotFoundException", $"Alias arn:aws:kms:{region}:{account}:{keyId} is not found.");
        if (!UuidRx.IsMatch(keyId)) throw Err("NotFoundException", $"Invalid keyId '{keyId}'");
        return w.Doc.Keys.FirstOrDefault(k => k.Region == region && k.Account == account && k.KeyId == keyId)
               ?? throw Err("NotFoundException", $"Key 'arn:aws:kms:{region}:{account}:key/{keyId}' does not exist");
    }

    private static KeySpec? FindAlias(World w, string region, string account, string alias)
    {
        var k = w.Doc.Keys.FirstOrDefault(x => x.Region == region && x.Account == account && x.Aliases.Contains(alias));
        if (k == null && alias == "alias/aws/ebs" && w.FindAccount(account) != null) k = w.EnsureAwsManagedKey(account, region);
        return k;
    }

    private static KeySpec Key(World w, CallContext c, JsonElement req, string action, bool crossAccount = true)
    {
        var k = Lookup(w, c.RegionName, c.AccountId, RequireStr(req, "KeyId", "keyId"));
        // Another account's key: its key policy must allow the caller. An AWS managed key (aws/ebs) is also checked for its
        // own account, because its policy does not delegate to IAM beyond Describe*/Get*/List*/RevokeGrant: the use
        // statement holds only with kms:ViaService = ec2.<region>.amazonaws.com, which a direct call does not carry, so a
        // direct kms:CreateGrant is an implicit deny. Text: the implicit-deny format "User: <arn> is not authorized to perform:
        // <action> on resource: <arn> because no resource-based policy allows the <action> action" (AWS IAM User Guide,
        // "Troubleshoot access denied error messages"; seen from KMS in jbrt/ec2cryptomatic#26 for kms:DescribeKey, and for
        // kms:CreateGrant on another service's AWS managed key, alias/aws/s3, called outside that service).
        var denied = k.Account != c.AccountId
            ? !crossAccount || !PolicyAllows(w, k, c.AccountId, "kms:" + action)
            : k.KeyManager == "AWS" && !PolicyAllows(w, k, c.AccountId, "kms:" + action);
        if (denied)
            throw Err("AccessDeniedException",
                $"User: {c.Key?.Arn ?? $"arn:aws:iam::{c.AccountId}:root"} is not authorized to perform: kms:{action} on resource: {k.Arn} because no resource-based policy allows the kms:{action} action");
        return k;
    }

    // ---------------------------------------------------------------- minimal key-policy evaluation for cross-account calls

    /// <param name="viaService">The kms:ViaService value when an AWS service calls KMS on the caller's behalf
    /// (e.g. "ec2.us-east-1.amazonaws.com"); null for a direct call, which carries no kms:ViaService.</param>
    internal static bool PolicyAllows(World w, KeySpec k, string account, string action, string? viaService = null) =>
        Evaluate(w, k, account, action, viaService) == PolicyDecision.Allow;

    private enum PolicyDecision { None, Allow, Deny }

    private static PolicyDecision Evaluate(World w, KeySpec k, string account, string action, string? viaService)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(k.Policy ?? "{}"); } catch (JsonException) { return PolicyDecision.None; }
        using (doc)
        {
            if (!doc.RootElement.TryGetProperty("Statement", out var stmts)) return PolicyDecision.None;
            var list = stmts.ValueKind == JsonValueKind.Array ? stmts.EnumerateArray().ToList() : new List<JsonElement> { stmts };
            var allowed = false;
            foreach (var s in list)
            {
                if (!PrincipalMatches(s, account) || !ActionMatches(s, action) || !ConditionsMatch(w, s, account, viaService)) continue;
                if (Str(s, "Effect") == "Deny") return PolicyDecision.Deny;
                if (Str(s, "Effect") == "Allow") allowed = true;
            }
            return allowed ? PolicyDecision.Allow : PolicyDecision.None;
        }
    }

    /// <summary>
    /// Whether an account may use a key for an action through EC2 (CopyImage reading a source snapshot): the key policy
    /// evaluated with kms:ViaService = ec2.&lt;key region&gt;.amazonaws.com, or a grant whose grantee is in that account and
    /// whose operations include the action (unless a key policy statement explicitly denies it). The key's own account is allowed for a customer managed key (IAM delegation,
    /// which the emulator does not model); an AWS managed key is always evaluated against its policy.
    /// </summary>
    internal static bool MayUseViaEc2(World w, KeySpec k, string account, string action)
    {
        if (!k.Enabled) return false;
        if (k.Account == account && k.KeyManager != "AWS") return true;
        var decision = Evaluate(w, k, account, action, $"ec2.{k.Region}.amazonaws.com");
        if (decision != PolicyDecision.None) return decision == PolicyDecision.Allow; // an explicit Deny also overrides grants
        var op = action.StartsWith("kms:", StringComparison.Ordinal) ? action[4..] : action;
        return k.Grants.Any(g => g.Operations.Contains(op)
                                 && (g.GranteePrincipal == account || g.GranteePrincipal.StartsWith($"arn:aws:iam::{account}:", StringComparison.Ordinal)));
    }

    private static IEnumerable<string> Strings(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? new[] { e.GetString()! }
        : e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)
        : Array.Empty<string>();

    private static bool PrincipalMatches(JsonElement s, string account)
    {
        if (!s.TryGetProperty("Principal", out var p)) return false;
        IEnumerable<string> principals = p.ValueKind == JsonValueKind.String ? Strings(p)
            : p.TryGetProperty("AWS", out var aws) ? Strings(aws) : Array.Empty<string>();
        return principals.Any(x => x == "*" || x == account || x == $"arn:aws:iam::{account}:root" || x.StartsWith($"arn:aws:iam::{account}:", StringComparison.Ordinal));
    }

    private static bool ActionMatches(JsonElement s, string action) =>
        s.TryGetProperty("Action", out var a) && Strings(a).Any(x => Ec2Ids.Wildcard(x).IsMatch(action) || string.Equals(x, action, StringComparison.OrdinalIgnoreCase));

    private static bool ConditionsMatch(World w, JsonElement s, string account, string? viaService)
    {
        if (!s.TryGetProperty("Condition", out var cond) || cond.ValueKind != JsonValueKind.Object) return true;
        var org = w.Doc.Organization;
        var inOrg = w.InOrganization(account);
        var path = w.OrgPathOf(account);
        foreach (var op in cond.EnumerateObject())
        {
            var like = op.Name.Contains("Like", StringComparison.Ordinal);
            foreach (var kv in op.Value.EnumerateObject())
            {
                string[]? actual = kv.Name.ToLowerInvariant() switch
                {
                    "aws:principalorgid" => inOrg ? new[] { org!.Id } : Array.Empty<string>(),
                    "aws:principalaccount" or "kms:calleraccount" => new[] { account },
                    "aws:principalorgpaths" => inOrg && path != null
                        ? new[] { $"{org!.Id}/{org.RootId}/" + string.Concat(path.Select(o => o.Id + "/")) }
                        : Array.Empty<string>(),
                    "kms:viaservice" => viaService is null ? Array.Empty<string>() : new[] { viaService },
                    "kms:grantisforawsresource" => new[] { viaService is null ? "false" : "true" },
                    _ => null,
                };
                if (actual == null) continue; // unmodelled condition key: treated as satisfied
                var expected = Strings(kv.Value).ToList();
                if (kv.Value.ValueKind == JsonValueKind.True || kv.Value.ValueKind == JsonValueKind.False) expected.Add(kv.Value.GetRawText());
                var ok = actual.Any(a => expected.Any(e => like ? Ec2Ids.Wildcard(e).IsMatch(a) : string.Equals(e, a, StringComparison.Ordinal)));
                if (op.Name.StartsWith("StringNot", StringComparison.Ordinal)) ok = !ok;
                if (!ok) return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- operations

    private static double Epoch(DateTime t) => Math.Round((t.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds, 3);

    private static JsonObject DescribeKey(World w, CallContext c, JsonElement req)
    {
        var k = Key(w, c, req, "DescribeKey");
        return new JsonObject
        {
            ["KeyMetadata"] = new JsonObject
            {
                ["AWSAccountId"] = k.Account,
                ["KeyId"] = k.KeyId,
                ["Arn"] = k.Arn,
                ["CreationDate"] = Epoch(k.CreationDate ?? DateTime.UtcNow),
                ["Enabled"] = k.Enabled,
                ["Description"] = k.Description ?? "",
                ["KeyUsage"] = "ENCRYPT_DECRYPT",
                ["KeyState"] = k.Enabled ? "Enabled" : "Disabled",
                ["Origin"] = "AWS_KMS",
                ["KeyManager"] = k.KeyManager,
                ["CustomerMasterKeySpec"] = "SYMMETRIC_DEFAULT",
                ["KeySpec"] = "SYMMETRIC_DEFAULT",
                ["EncryptionAlgorithms"] = new JsonArray("SYMMETRIC_DEFAULT"),
                ["MultiRegion"] = k.KeyId.StartsWith("mrk-", StringComparison.Ordinal),
            },
        };
    }

    private static void CheckPolicyName(JsonElement req)
    {
        var name = Str(req, "PolicyName");
        if (name != null && name != "default") throw Err("NotFoundException", $"No such policy exists: {name}");
    }

    private static JsonObject GetKeyPolicy(World w, CallContext c, JsonElement req)
    {
        var k = Key(w, c, req, "GetKeyPolicy", crossAccount: false);
        CheckPolicyName(req);
        return new JsonObject { ["Policy"] = k.Policy, ["PolicyName"] = "default" };
    }

    private static JsonObject? PutKeyPolicy(World w, CallContext c, JsonElement req)
    {
        var k = Key(w, c, req, "PutKeyPolicy", crossAccount: false);
        CheckPolicyName(req);
        var policy = RequireStr(req, "Policy", "policy");
        if (policy.Length > 131072) throw Err("ValidationException", "1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 131072");
        if (k.KeyManager == "AWS")
            throw Err("AccessDeniedException", $"User: {c.Key?.Arn ?? $"arn:aws:iam::{c.AccountId}:root"} is not authorized to perform: kms:PutKeyPolicy on resource: {k.Arn}");
        try
        {
            using var d = JsonDocument.Parse(policy);
            if (d.RootElement.ValueKind != JsonValueKind.Object || !d.RootElement.TryGetProperty("Statement", out _))
                throw Err("MalformedPolicyDocumentException", "Policy is missing required element: Statement");
        }
        catch (JsonException) { throw Err("MalformedPolicyDocumentException", "The policy document is not valid JSON."); }
        k.Policy = policy;
        return null;
    }

    private static JsonObject CreateGrant(World w, CallContext c, JsonElement req)
    {
        var k = Key(w, c, req, "CreateGrant");
        var grantee = RequireStr(req, "GranteePrincipal", "granteePrincipal");
        if (!Regex.IsMatch(grantee, @"^[\w+=,.@:/-]+$"))
            throw Err("ValidationException", $"1 validation error detected: Value '{grantee}' at 'granteePrincipal' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w+=,.@:/-]+$");
        if (!req.TryGetProperty("Operations", out var opsEl) || opsEl.ValueKind != JsonValueKind.Array || opsEl.GetArrayLength() == 0)
            throw Err("ValidationException", "1 validation error detected: Value null at 'operations' failed to satisfy constraint: Member must not be null");
        var ops = Strings(opsEl).ToList();
        foreach (var op in ops)
            if (!GrantOperations.Contains(op))
                throw Err("ValidationException", $"1 validation error detected: Value '[{string.Join(", ", ops)}]' at 'operations' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [{string.Join(", ", GrantOperations)}]]");
        if (!k.Enabled) throw Err("DisabledException", $"{k.Arn} is disabled.");
        var name = Str(req, "Name");
        var retiring = Str(req, "RetiringPrincipal");
        Dictionary<string, string>? subset = null, equals = null;
        if (req.TryGetProperty("Constraints", out var cons) && cons.ValueKind == JsonValueKind.Object)
        {
            if (cons.TryGetProperty("EncryptionContextSubset", out var s) && s.ValueKind == JsonValueKind.Object)
                subset = s.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
            if (cons.TryGetProperty("EncryptionContextEquals", out var e) && e.ValueKind == JsonValueKind.Object)
                equals = e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        }
        if (name != null && k.Grants.FirstOrDefault(g => g.Name == name && g.GranteePrincipal == grantee && g.Operations.SequenceEqual(ops)) is { } existing)
            return new JsonObject { ["GrantToken"] = existing.GrantToken, ["GrantId"] = existing.GrantId };
        if (k.Grants.Count >= 50000) throw Err("LimitExceededException", "The request would cause a limit to be exceeded.");
        var grant = new GrantSpec
        {
            GrantId = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant(),
            GrantToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
            Name = name, GranteePrincipal = grantee, RetiringPrincipal = retiring,
            IssuingAccount = $"arn:aws:iam::{c.AccountId}:root", Operations = ops,
            EncryptionContextSubset = subset, EncryptionContextEquals = equals, CreationDate = DateTime.UtcNow,
        };
        k.Grants.Add(grant);
        return new JsonObject { ["GrantToken"] = grant.GrantToken, ["GrantId"] = grant.GrantId };
    }

    private static JsonObject ListGrants(World w, CallContext c, JsonElement req)
    {
        var k = Key(w, c, req, "ListGrants");
        var limit = 50;
        if (req.TryGetProperty("Limit", out var l) && l.ValueKind == JsonValueKind.Number)
        {
            limit = l.GetInt32();
            if (limit < 1 || limit > 1000)
                throw Err("ValidationException", $"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000");
        }
        var grantId = Str(req, "GrantId");
        var grantee = Str(req, "GranteePrincipal");
        var all = k.Grants.Where(g => (grantId == null || g.GrantId == grantId) && (grantee == null || g.GranteePrincipal == grantee)).ToList();
        var offset = 0;
        if (Str(req, "Marker") is { } marker && !int.TryParse(marker, out offset))
            throw Err("InvalidMarkerException", "Invalid marker");
        var page = all.Skip(offset).Take(limit).ToList();
        var truncated = offset + page.Count < all.Count;
        var arr = new JsonArray();
        foreach (var g in page)
        {
            var o = new JsonObject
            {
                ["KeyId"] = k.Arn, ["GrantId"] = g.GrantId, ["CreationDate"] = Epoch(g.CreationDate),
                ["GranteePrincipal"] = g.GranteePrincipal, ["IssuingAccount"] = g.IssuingAccount,
                ["Operations"] = new JsonArray(g.Operations.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
            };
            if (g.Name != null) o["Name"] = g.Name;
            if (g.RetiringPrincipal != null) o["RetiringPrincipal"] = g.RetiringPrincipal;
            if (g.EncryptionContextSubset != null || g.EncryptionContextEquals != null)
            {
                var cons = new JsonObject();
                if (g.EncryptionContextSubset != null) cons["EncryptionContextSubset"] = new JsonObject(g.EncryptionContextSubset.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
                if (g.EncryptionContextEquals != null) cons["EncryptionContextEquals"] = new JsonObject(g.EncryptionContextEquals.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
                o["Constraints"] = cons;
            }
            arr.Add(o);
        }
        var res = new JsonObject { ["Grants"] = arr, ["Truncated"] = truncated };
        if (truncated) res["NextMarker"] = (offset + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return res;
    }

    private static JsonObject ListAliases(World w, CallContext c, JsonElement req)
    {
        var arr = new JsonArray();
        foreach (var k in w.Doc.Keys.Where(x => x.Account == c.AccountId && x.Region == c.RegionName))
            foreach (var a in k.Aliases)
                arr.Add(new JsonObject { ["AliasName"] = a, ["AliasArn"] = $"arn:aws:kms:{k.Region}:{k.Account}:{a}", ["TargetKeyId"] = k.KeyId });
        return new JsonObject { ["Aliases"] = arr, ["Truncated"] = false };
    }
}
