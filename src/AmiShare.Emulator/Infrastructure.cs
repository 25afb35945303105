using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AmiShare.Emulator;

/// <summary>An AWS error to send back in the calling service's error format.</summary>
internal sealed class ApiException : Exception
{
    public int Status { get; }
    public string Code { get; }
    public string? Reason { get; init; }
    public ApiException(int status, string code, string message) : base(message) { Status = status; Code = code; }
}

internal static class Ec2Ids
{
    private static readonly Regex AmiRx = new("^ami-[0-9A-Za-z]+$", RegexOptions.Compiled);
    private static readonly Regex SnapRx = new("^snap-[0-9A-Za-z]+$", RegexOptions.Compiled);
    private static readonly Regex AcctRx = new("^[0-9]{12}$", RegexOptions.Compiled);
    private static readonly Regex OrgArnRx = new("^arn:aws[a-z-]*:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}$", RegexOptions.Compiled);
    private static readonly Regex OuArnRx = new("^arn:aws[a-z-]*:organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$", RegexOptions.Compiled);

    public static bool IsAmi(string s) => AmiRx.IsMatch(s);
    public static bool IsSnapshot(string s) => SnapRx.IsMatch(s);
    public static bool IsAccountId(string s) => AcctRx.IsMatch(s);
    public static bool IsOrgArn(string s) => OrgArnRx.IsMatch(s);
    public static bool IsOuArn(string s) => OuArnRx.IsMatch(s);

    public static string NewHex17() => Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant().Substring(0, 17);

    public static string Iso(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static Regex Wildcard(string pattern)
    {
        var sb = new StringBuilder("^");
        foreach (var c in pattern)
            sb.Append(c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) });
        return new Regex(sb.Append('$').ToString(), RegexOptions.Singleline);
    }
}

/// <summary>Small XML writer producing compact EC2/awsQuery bodies.</summary>
internal sealed class Xml
{
    private readonly StringBuilder _sb = new();
    public static string Esc(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    public Xml El(string name, string? value) { if (value != null) _sb.Append('<').Append(name).Append('>').Append(Esc(value)).Append("</").Append(name).Append('>'); return this; }
    public Xml El(string name, bool value) => El(name, value ? "true" : "false");
    public Xml El(string name, int value) => El(name, value.ToString(CultureInfo.InvariantCulture));
    public Xml Open(string name) { _sb.Append('<').Append(name).Append('>'); return this; }
    public Xml Close(string name) { _sb.Append("</").Append(name).Append('>'); return this; }
    public Xml Empty(string name) { _sb.Append('<').Append(name).Append("/>"); return this; }
    /// <summary>A list wrapper: &lt;name/&gt; when empty, else &lt;name&gt;&lt;item&gt;…&lt;/item&gt;…&lt;/name&gt;.</summary>
    public Xml List<T>(string name, IEnumerable<T> items, Action<Xml, T> item)
    {
        var list = items.ToList();
        if (list.Count == 0) return Empty(name);
        Open(name);
        foreach (var x in list) { Open("item"); item(this, x); Close("item"); }
        return Close(name);
    }
    /// <summary>Escaped text at the current position (the content of a string list's &lt;item&gt;).</summary>
    public Xml Text(string value) { _sb.Append(Esc(value)); return this; }
    public Xml Value(string name, string? value) => value == null ? Empty(name) : Open(name).El("value", value).Close(name);
    public override string ToString() => _sb.ToString();
}

/// <summary>A parsed request.</summary>
internal sealed class CallContext
{
    public required string RequestId { get; init; }
    public required string Service { get; set; }
    public required string Action { get; set; }
    public required Dictionary<string, string> Params { get; init; }
    public string? AccessKeyId { get; set; }
    public AccountSpec? Account { get; set; }
    public AccessKeySpec? Key { get; set; }
    public string? Region { get; set; }
    public string? JsonBody { get; set; }

    public string AccountId => Account!.Id;
    public string RegionName => Region!;

    public string? Get(string name) => Params.TryGetValue(name, out var v) ? v : null;

    public bool Bool(string name) => string.Equals(Get(name), "true", StringComparison.OrdinalIgnoreCase);

    public string Require(string name) =>
        Get(name) is { Length: > 0 } v ? v : throw new ApiException(400, "MissingParameter", $"The request must contain the parameter {name}");

    /// <summary>Values of Prefix.1, Prefix.2, … in index order.</summary>
    public List<string> List(string prefix)
    {
        var rx = new Regex("^" + Regex.Escape(prefix) + @"\.(\d+)$");
        return Params.Select(kv => (m: rx.Match(kv.Key), kv.Value)).Where(x => x.m.Success)
            .OrderBy(x => int.Parse(x.m.Groups[1].Value, CultureInfo.InvariantCulture)).Select(x => x.Value).ToList();
    }

    /// <summary>Indices N present as Prefix.N.* (sorted).</summary>
    public List<int> Indices(string prefix)
    {
        var rx = new Regex("^" + Regex.Escape(prefix) + @"\.(\d+)\.");
        return Params.Keys.Select(k => rx.Match(k)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().OrderBy(i => i).ToList();
    }

    public bool HasPrefix(string prefix) => Params.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));
}
