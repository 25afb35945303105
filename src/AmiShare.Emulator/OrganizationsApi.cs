using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AmiShare.Emulator;

/// <summary>AWS Organizations read API (AWS JSON 1.1, AWSOrganizationsV20161128, wire-spec §5).</summary>
internal static class OrganizationsApi
{
    private static readonly Regex OuIdRx = new("^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$", RegexOptions.Compiled);
    private static readonly Regex RootIdRx = new("^r-[0-9a-z]{4,32}$", RegexOptions.Compiled);
    private static readonly Regex AcctRx = new("^[0-9]{12}$", RegexOptions.Compiled);

    private static ApiException Err(string code, string msg, string? reason = null) => new(400, code, msg) { Reason = reason };
    private static ApiException Invalid(string reason) => Err("InvalidInputException", "You specified an invalid value.", reason);

    public static string Handle(World w, CallContext c)
    {
        using var doc = JsonDocument.Parse(c.JsonBody ?? "{}");
        var req = doc.RootElement;
        lock (w.Sync)
        {
            var org = w.Doc.Organization;
            if (org == null || !w.InOrganization(c.AccountId))
                throw Err("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
            if (c.Action != "DescribeOrganization" && c.AccountId != org.ManagementAccountId && !org.DelegatedAdministrators.Contains(c.AccountId)
                && c.Action is "DescribeOrganizationalUnit" or "DescribeAccount" or "ListRoots" or "ListChildren" or "ListParents"
                    or "ListAccountsForParent" or "ListOrganizationalUnitsForParent" or "ListAccounts")
                throw Err("AccessDeniedException", "You don't have permissions to access this resource.");
            JsonObject res = c.Action switch
            {
                "DescribeOrganization" => DescribeOrganization(w, org),
                "DescribeOrganizationalUnit" => DescribeOrganizationalUnit(w, org, req),
                "DescribeAccount" => DescribeAccount(w, org, req),
                "ListRoots" => Paged(req, "Roots", new List<JsonNode> { RootNode(org) }),
                "ListChildren" => ListChildren(w, org, req),
                "ListParents" => ListParents(w, org, req),
                "ListAccountsForParent" => Paged(req, "Accounts", AccountsUnder(w, org, ParentId(w, org, req)).Select(a => (JsonNode)AccountNode(w, org, a)).ToList()),
                "ListOrganizationalUnitsForParent" => Paged(req, "OrganizationalUnits", OusUnder(org, ParentId(w, org, req)).Select(o => (JsonNode)OuNode(w, org, o)).ToList()),
                "ListAccounts" => Paged(req, "Accounts", AllAccounts(w, org).Select(a => (JsonNode)AccountNode(w, org, a)).ToList()),
                _ => throw Err("UnknownOperationException", ""),
            };
            return res.ToJsonString();
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Require(JsonElement req, string name) =>
        Str(req, name) is { Length: > 0 } v ? v : throw Invalid("INVALID_INPUT");

    private static string Arn(OrganizationSpec o, string kind, string id) =>
        kind == "organization" ? $"arn:aws:organizations::{o.ManagementAccountId}:organization/{o.Id}"
        : $"arn:aws:organizations::{o.ManagementAccountId}:{kind}/{o.Id}/{id}";

    private static JsonObject DescribeOrganization(World w, OrganizationSpec o) => new()
    {
        ["Organization"] = new JsonObject
        {
            ["Id"] = o.Id,
            ["Arn"] = Arn(o, "organization", o.Id),
            ["FeatureSet"] = o.FeatureSet,
            ["MasterAccountArn"] = Arn(o, "account", o.ManagementAccountId),
            ["MasterAccountId"] = o.ManagementAccountId,
            ["MasterAccountEmail"] = o.ManagementAccountEmail ?? w.FindAccount(o.ManagementAccountId)?.Email ?? $"{o.ManagementAccountId}@example.com",
            ["AvailablePolicyTypes"] = new JsonArray(new JsonObject { ["Type"] = "SERVICE_CONTROL_POLICY", ["Status"] = "ENABLED" }),
        },
    };

    private static JsonObject RootNode(OrganizationSpec o) => new()
    {
        ["Id"] = o.RootId, ["Arn"] = Arn(o, "root", o.RootId), ["Name"] = o.RootName,
        ["PolicyTypes"] = new JsonArray(new JsonObject { ["Type"] = "SERVICE_CONTROL_POLICY", ["Status"] = "ENABLED" }),
    };

    private static List<OuSpec>? PathToOu(OrganizationSpec o, string ouId)
    {
        List<OuSpec>? Find(List<OuSpec> level)
        {
            foreach (var ou in level)
            {
                if (ou.Id == ouId) return new List<OuSpec> { ou };
                var p = Find(ou.OrganizationalUnits);
                if (p != null) { p.Insert(0, ou); return p; }
            }
            return null;
        }
        return Find(o.OrganizationalUnits);
    }

    private static JsonObject OuNode(World w, OrganizationSpec o, OuSpec ou)
    {
        var path = PathToOu(o, ou.Id)!;
        return new JsonObject
        {
            ["Id"] = ou.Id, ["Arn"] = Arn(o, "ou", ou.Id), ["Name"] = ou.Name,
            ["Path"] = $"{o.Id}/{o.RootId}/" + string.Concat(path.Select(p => p.Id + "/")),
        };
    }

    private static JsonObject AccountNode(World w, OrganizationSpec o, string id)
    {
        var a = w.FindAccount(id);
        return new JsonObject
        {
            ["Id"] = id, ["Arn"] = Arn(o, "account", id),
            ["Email"] = a?.Email ?? $"{id}@example.com", ["Name"] = a?.Name ?? $"Account {id}",
            ["Status"] = "ACTIVE", ["State"] = "ACTIVE",
            ["JoinedMethod"] = id == o.ManagementAccountId ? "CREATED" : "INVITED",
            ["JoinedTimestamp"] = 1735689600.0,
        };
    }

    private static IEnumerable<string> AllAccounts(World w, OrganizationSpec o)
    {
        var list = AccountsUnder(w, o, o.RootId).ToList();
        list.AddRange(w.AllOus().SelectMany(ou => ou.Accounts));
        return list.Distinct();
    }

    private static IEnumerable<string> AccountsUnder(World w, OrganizationSpec o, string parentId)
    {
        if (parentId == o.RootId)
        {
            var list = o.Accounts.ToList();
            if (!list.Contains(o.ManagementAccountId) && !w.AllOus().Any(ou => ou.Accounts.Contains(o.ManagementAccountId)))
                list.Insert(0, o.ManagementAccountId);
            return list;
        }
        return w.AllOus().First(ou => ou.Id == parentId).Accounts;
    }

    private static IEnumerable<OuSpec> OusUnder(OrganizationSpec o, string parentId) =>
        parentId == o.RootId ? o.OrganizationalUnits : PathToOu(o, parentId)!.Last().OrganizationalUnits;

    private static string ParentId(World w, OrganizationSpec o, JsonElement req)
    {
        var id = Require(req, "ParentId");
        if (!RootIdRx.IsMatch(id) && !OuIdRx.IsMatch(id)) throw Invalid("INVALID_PATTERN");
        if (id != o.RootId && PathToOu(o, id) == null) throw Err("ParentNotFoundException", "You specified parent that doesn't exist.");
        return id;
    }

    private static JsonObject DescribeOrganizationalUnit(World w, OrganizationSpec o, JsonElement req)
    {
        var id = Require(req, "OrganizationalUnitId");
        if (!OuIdRx.IsMatch(id)) throw Invalid("INVALID_PATTERN");
        var path = PathToOu(o, id) ?? throw Err("OrganizationalUnitNotFoundException", "You specified an organizational unit that doesn't exist.");
        return new JsonObject { ["OrganizationalUnit"] = OuNode(w, o, path.Last()) };
    }

    private static JsonObject DescribeAccount(World w, OrganizationSpec o, JsonElement req)
    {
        var id = Require(req, "AccountId");
        if (!AcctRx.IsMatch(id)) throw Invalid("INVALID_PATTERN");
        if (!w.InOrganization(id)) throw Err("AccountNotFoundException", "You specified an account that doesn't exist.");
        return new JsonObject { ["Account"] = AccountNode(w, o, id) };
    }

    private static JsonObject ListChildren(World w, OrganizationSpec o, JsonElement req)
    {
        var type = Str(req, "ChildType");
        var parent = ParentId(w, o, req);
        if (type is not ("ACCOUNT" or "ORGANIZATIONAL_UNIT")) throw Invalid("INVALID_ENUM");
        var items = type == "ACCOUNT"
            ? AccountsUnder(w, o, parent).Select(a => (JsonNode)new JsonObject { ["Id"] = a, ["Type"] = "ACCOUNT" }).ToList()
            : OusUnder(o, parent).Select(ou => (JsonNode)new JsonObject { ["Id"] = ou.Id, ["Type"] = "ORGANIZATIONAL_UNIT" }).ToList();
        return Paged(req, "Children", items);
    }

    private static JsonObject ListParents(World w, OrganizationSpec o, JsonElement req)
    {
        var id = Require(req, "ChildId");
        if (!AcctRx.IsMatch(id) && !OuIdRx.IsMatch(id)) throw Invalid("INVALID_PATTERN");
        List<OuSpec>? path = AcctRx.IsMatch(id) ? w.OrgPathOf(id) : PathToOu(o, id) is { } p ? p.Take(p.Count - 1).ToList() : null;
        if (path == null)
            throw Err("ChildNotFoundException", "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
        var parent = path.Count == 0
            ? new JsonObject { ["Id"] = o.RootId, ["Type"] = "ROOT" }
            : new JsonObject { ["Id"] = path.Last().Id, ["Type"] = "ORGANIZATIONAL_UNIT" };
        return Paged(req, "Parents", new List<JsonNode> { parent });
    }

    private static JsonObject Paged(JsonElement req, string name, List<JsonNode> items)
    {
        var max = 20;
        if (req.ValueKind == JsonValueKind.Object && req.TryGetProperty("MaxResults", out var m) && m.ValueKind == JsonValueKind.Number)
        {
            max = m.GetInt32();
            if (max < 1 || max > 20) throw Invalid("MAX_LIMIT_EXCEEDED_FILTER");
        }
        var offset = 0;
        if (Str(req, "NextToken") is { Length: > 0 } tok)
        {
            try { offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(tok)), CultureInfo.InvariantCulture); }
            catch (FormatException) { throw Invalid("INVALID_PAGINATION_TOKEN"); }
        }
        var page = items.Skip(offset).Take(max).ToList();
        var res = new JsonObject { [name] = new JsonArray(page.ToArray()) };
        if (offset + page.Count < items.Count)
            res["NextToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture)));
        return res;
    }
}
