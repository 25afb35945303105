using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AmiShare.Emulator;

/// <summary>
/// SSM Parameter Store (AWS JSON 1.1, X-Amz-Target AmazonSSM.*): PutParameter, GetParameter, GetParameters, DeleteParameter, per
/// account × region, with the aws:ec2:image data type's AMI validation (asynchronous on AWS: the write answers success and the
/// parameter is simply not created or updated when the AMI is not valid for the caller).
/// </summary>
internal static class SsmApi
{
    private static readonly Regex NameRx = new(@"^[a-zA-Z0-9_.\-/]+$", RegexOptions.Compiled);
    private static readonly string[] Types = { "String", "StringList", "SecureString" };
    private static readonly string[] DataTypes = { "text", "aws:ec2:image" };

    private static ApiException Err(string code, string msg) => new(400, code, msg);

    private static ApiException Null(string member) =>
        Err("ValidationException", $"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");

    public static string Handle(World w, CallContext c)
    {
        using var doc = JsonDocument.Parse(c.JsonBody ?? "{}");
        var req = doc.RootElement;
        lock (w.Sync)
        {
            JsonObject res = c.Action switch
            {
                "PutParameter" => PutParameter(w, c, req),
                "GetParameter" => GetParameter(w, c, req),
                "GetParameters" => GetParameters(w, c, req),
                "DeleteParameter" => DeleteParameter(w, c, req),
                _ => throw Err("UnknownOperationException", ""),
            };
            return res.ToJsonString();
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static ParameterSpec? Find(World w, CallContext c, string name) =>
        w.Doc.Parameters.FirstOrDefault(p => p.Account == c.AccountId && p.Region == c.RegionName && p.Name == name);

    /// <summary>
    /// [REAL] "An error occurred (ParameterNotFound) when calling the GetParameter operation: Parameter /BedrockProxyAPIKey not found."
    /// (a published Lambda log); moto uses the same text for DeleteParameter. Older CLI captures show an empty message.
    /// </summary>
    internal static ApiException NotFound(string name) => Err("ParameterNotFound", $"Parameter {name} not found.");

    /// <summary>The parameter's ARN: arn:aws:ssm:region:account:parameter/name (a hierarchical name keeps its single leading slash).</summary>
    internal static string Arn(ParameterSpec p) => $"arn:aws:ssm:{p.Region}:{p.Account}:parameter{(p.Name.StartsWith('/') ? "" : "/")}{p.Name}";

    private static void ValidateName(string name)
    {
        var bare = name.TrimStart('/');
        // [MOTO] texts (moto/ssm/models.py put_parameter); [DOC] the SDK's Name doc: "can't be prefixed with "aws" or "ssm" (case-insensitive)".
        if (bare.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || bare.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            if (name.StartsWith("/aws", StringComparison.OrdinalIgnoreCase) && name.Count(ch => ch == '/') > 1)
                throw Err("AccessDeniedException", $"No access to reserved parameter name: {name}.");
            throw Err("ValidationException", name.Count(ch => ch == '/') > 1
                ? "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_"
                : "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");
        }
        // [INFERRED] text for other bad names: ParameterPatternMismatchException is the SDK's "The parameter name isn't valid.".
        if (!NameRx.IsMatch(name) || name.Length > 2048)
            throw Err("ValidationException", $"Parameter name: {name} is not valid. Parameter names can include only the following symbols and letters: a-zA-Z0-9_.- and the slash character ( / ) to delineate hierarchies.");
    }

    private static JsonObject PutParameter(World w, CallContext c, JsonElement req)
    {
        var name = (Str(req, "Name") ?? throw Null("name")).Trim();
        var value = Str(req, "Value") ?? throw Null("value");
        if (value.Length == 0)
            throw Err("ValidationException", "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.");
        ValidateName(name);
        var type = Str(req, "Type");
        var dataType = Str(req, "DataType");
        var overwrite = Bool(req, "Overwrite");
        var hasTags = req.TryGetProperty("Tags", out var tagsEl) && tagsEl.ValueKind == JsonValueKind.Array && tagsEl.GetArrayLength() > 0;
        if (type != null && !Types.Contains(type))
            throw Err("ValidationException", $"1 validation error detected: Value '{type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]");
        if (dataType != null && !DataTypes.Contains(dataType))
            // [MOTO] text. [DOC] PutParameter DataType: text | aws:ec2:image (| aws:ssm:integration, not modelled).
            throw Err("ValidationException", $"The following data type is not supported: {dataType} (Data type names are all lowercase.)");
        // [MOTO] text (moto/ssm/models.py); [DOC] PutParameter Tags: "To add tags to an existing Systems Manager parameter, use the AddTagsToResource operation".
        if (overwrite && hasTags)
            throw Err("ValidationException", "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.");

        var existing = Find(w, c, name);
        if (existing != null && !overwrite)
            // [MOTO] text, the one AWS answers in public CLI captures.
            throw Err("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
        if (existing == null && type == null) throw Err("ValidationException", "A parameter type is required when you create a parameter.");
        var newType = type ?? existing!.Type;
        var newDataType = dataType ?? existing?.DataType ?? "text";
        if (existing != null && type != null && type != existing.Type)
            // [DOC] HierarchyTypeMismatchException: "Parameter Store doesn't support changing a parameter type in a hierarchy"; text [INFERRED].
            throw Err("HierarchyTypeMismatchException", $"The parameter type can't be changed from {existing.Type} to {type}. Create a new parameter.");
        if (existing != null && newDataType != existing.DataType && (newDataType == "aws:ec2:image" || existing.DataType == "aws:ec2:image"))
            // [DOC] data types: "You can't change a parameter to or from either of these data types"; text [INFERRED].
            throw Err("ValidationException", $"The data type of parameter {name} can't be changed from {existing.DataType} to {newDataType}.");
        if (newDataType == "aws:ec2:image" && newType != "String")
            // [DOC] aws:ec2:image supports String parameters only; text [INFERRED].
            throw Err("ValidationException", $"The data type aws:ec2:image is supported only for parameters of type String, not {newType}.");

        var version = (existing?.Version ?? 0) + 1;
        var now = w.UtcNow();
        if (newDataType == "aws:ec2:image" && ImageValidationFailure(w, c, value) is { } reason)
        {
            // [DOC] PutParameter DataType: "If you submit an invalid AMI value, the PutParameter operation will return success, but the
            // asynchronous validation will fail and the parameter will not be created or updated." The answer's Version is the one
            // the write would have had [INFERRED]. The failure is kept where tests (and EventBridge, on AWS) can see it.
            w.Doc.ParameterValidationFailures.Add(new ParameterValidationFailureSpec { Account = c.AccountId, Region = c.RegionName, Name = name, Value = value, Reason = reason, Time = now });
            return new JsonObject { ["Version"] = version, ["Tier"] = "Standard" };
        }
        if (existing == null)
        {
            existing = new ParameterSpec { Account = c.AccountId, Region = c.RegionName, Name = name };
            w.Doc.Parameters.Add(existing);
            if (hasTags)
                foreach (var t in tagsEl.EnumerateArray())
                    if (Str(t, "Key") is { } k) existing.Tags[k] = Str(t, "Value") ?? "";
        }
        existing.Type = newType;
        existing.Value = value;
        existing.DataType = newDataType;
        if (Str(req, "Description") is { } d) existing.Description = d;
        existing.Version = version;
        existing.LastModifiedDate = now;
        return new JsonObject { ["Version"] = version, ["Tier"] = "Standard" };
    }

    /// <summary>
    /// [DOC] "Systems Manager validates the parameter value is in the required format, such as ami-12345abcdeEXAMPLE, and that the
    /// specified AMI is available in your Amazon Web Services account" (PutParameter DataType), in the parameter's region; the caller also
    /// needs ec2:DescribeImages ("To create an aws:ec2:image data type parameter, the user must have both ssm:PutParameter and
    /// ec2:DescribeImages permissions"). Null when valid; otherwise the reason (the emulator's own wording).
    /// </summary>
    private static string? ImageValidationFailure(World w, CallContext c, string value)
    {
        if (!Ec2Ids.IsAmi(value)) return $"'{value}' is not an AMI id (ami-...).";
        if (c.Account!.DeniedActions.Any(a => a is "ec2:DescribeImages" or "DescribeImages" or "ec2:*" or "*"))
            return "The caller is not allowed ec2:DescribeImages.";
        var i = w.FindImage(c.RegionName, value);
        if (i == null || i.State is "deregistered" or "failed" || !w.CanLaunch(i, c.AccountId))
            return $"The image {value} is not available to account {c.AccountId} in {c.RegionName}.";
        return null;
    }

    private static JsonObject ParameterNode(ParameterSpec p) => new()
    {
        ["Name"] = p.Name,
        ["Type"] = p.Type,
        ["Value"] = p.Value,
        ["Version"] = p.Version,
        ["LastModifiedDate"] = (p.LastModifiedDate!.Value - DateTime.UnixEpoch).TotalSeconds,
        ["ARN"] = Arn(p),
        ["DataType"] = p.DataType,
    };

    private static JsonObject GetParameter(World w, CallContext c, JsonElement req)
    {
        var name = Str(req, "Name") ?? throw Null("name");
        var p = Find(w, c, name) ?? throw NotFound(name);
        return new JsonObject { ["Parameter"] = ParameterNode(p) };
    }

    private static JsonObject GetParameters(World w, CallContext c, JsonElement req)
    {
        if (!req.TryGetProperty("Names", out var namesEl) || namesEl.ValueKind != JsonValueKind.Array) throw Null("names");
        var names = namesEl.EnumerateArray().Select(n => n.GetString() ?? "").ToList();
        if (names.Count == 0)
            throw Err("ValidationException", "1 validation error detected: Value '[]' at 'names' failed to satisfy constraint: Member must have length greater than or equal to 1");
        if (names.Count > 10)
            throw Err("ValidationException", $"1 validation error detected: Value '[{string.Join(", ", names)}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10");
        var found = new JsonArray();
        var invalid = new JsonArray();
        foreach (var n in names.Distinct(StringComparer.Ordinal))
        {
            if (Find(w, c, n) is { } p) found.Add(ParameterNode(p));
            else invalid.Add(n);
        }
        return new JsonObject { ["Parameters"] = found, ["InvalidParameters"] = invalid };
    }

    private static JsonObject DeleteParameter(World w, CallContext c, JsonElement req)
    {
        var name = Str(req, "Name") ?? throw Null("name");
        var p = Find(w, c, name) ?? throw NotFound(name);
        w.Doc.Parameters.Remove(p);
        return new JsonObject();
    }
}
