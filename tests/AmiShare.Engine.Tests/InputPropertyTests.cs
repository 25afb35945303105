using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Amazon;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>
/// Property tests over hand-typed and generated input (design.md §4, wire-spec.md): any string either parses to exactly
/// the value EC2 accepts (checked against an oracle written from the documented formats, without the parser's regexes)
/// or is refused with an AmiShareException whose message names the input.
/// </summary>
public sealed class InputPropertyTests
{
    private const int Runs = 3000;

    // ------------------------------------------------------------------ principals

    [Property(Arbitrary = new[] { typeof(PrincipalStrings) }, MaxTest = Runs)]
    public bool Principal_ParsesToExactlyTheDocumentedForm_OrIsRefusedNamingIt(string input)
    {
        string? expected = Oracle.Principal(input);
        try
        {
            Principal p = PrincipalParser.Parse(input, allowPublic: true);
            return expected != null && (p.Type == PrincipalType.Public ? expected == "all" : p.Value == expected);
        }
        catch (AmiShareException e)
        {
            return expected == null && e.ErrorId == ErrorIds.InvalidPrincipal && Names(e, input);
        }
    }

    [Property(Arbitrary = new[] { typeof(PrincipalStrings) }, MaxTest = Runs)]
    public bool AccountParameter_TakesOnlyTwelveAsciiDigits(string input)
    {
        string? expected = Oracle.Principal(input);
        bool isAccount = expected != null && expected.Length == 12 && expected.All(c => c is >= '0' and <= '9');
        try
        {
            string parsed = PrincipalParser.ParseAccount(input).Value;
            return isAccount && parsed == expected;
        }
        catch (AmiShareException e)
        {
            return !isAccount && (e.ErrorId is ErrorIds.InvalidPrincipal or ErrorIds.PublicNotAllowedHere) && Names(e, input);
        }
    }

    // ------------------------------------------------------------------ image ids

    [Property(Arbitrary = new[] { typeof(ImageIdStrings) }, MaxTest = Runs)]
    public bool ImageId_ParsesToExactlyTheDocumentedForm_OrIsRefusedNamingIt(string input)
    {
        string? expected = Oracle.ImageId(input);
        try
        {
            string parsed = ImageIds.Normalize(input);
            return expected != null && parsed == expected;
        }
        catch (AmiShareException e)
        {
            return expected == null && e.ErrorId == ErrorIds.InvalidImageId && Names(e, input);
        }
    }

    // ------------------------------------------------------------------ regions

    [Property(Arbitrary = new[] { typeof(RegionStrings) }, MaxTest = Runs)]
    public bool Region_ParsesToAWellFormedSystemName_OrIsRefusedNamingIt(string input)
    {
        string? expected = Oracle.Region(input);
        try
        {
            string parsed = SessionInput.ParseRegion(input, "the -Region parameter");
            return expected != null && parsed == expected;
        }
        catch (AmiShareException e)
        {
            return expected == null && e.ErrorId == ErrorIds.InvalidRegion && Names(e, input);
        }
    }

    [Fact]
    public void EveryRegionTheSdkKnows_ParsesToItself_AndGetsNoWarning()
    {
        Assert.NotEmpty(RegionEndpoint.EnumerableAllRegions);
        // The SDK also lists S3's pseudo-region us-east-1-regional, which no EC2 endpoint has.
        foreach (RegionEndpoint r in RegionEndpoint.EnumerableAllRegions.Where(r => !r.SystemName.EndsWith("-regional", StringComparison.Ordinal)))
        {
            Assert.Equal(r.SystemName, SessionInput.ParseRegion(r.SystemName, "test"));
            Assert.Equal(r.SystemName, SessionInput.ParseRegion(" " + r.SystemName.ToUpperInvariant() + "\t", "test"));
            Assert.Null(AwsRegions.UnknownRegionWarning(r.SystemName, "test"));
        }
    }

    [Fact]
    public void WellFormedUnknownRegion_IsAccepted_WithAWarningNamingItAndTheKnownList()
    {
        Assert.Equal("us-east-9", SessionInput.ParseRegion("us-east-9", "the -Region parameter"));
        string? warning = AwsRegions.UnknownRegionWarning("us-east-9", "region parameter");
        Assert.NotNull(warning);
        Assert.Contains("'us-east-9'", warning);
        Assert.Contains("us-east-1", warning);
        Assert.Contains("EndpointUnreachable", warning);
    }

    [Fact]
    public void NonAsciiLookAlikes_AreRefused_NotFolded()
    {
        // U+212A KELVIN SIGN and U+0130 (dotted capital I) lower-case to ASCII letters under some cultures.
        foreach (string input in new[] { "\u212Aa-west-1", "\u0130l-central-1", "us-east-\u0661" })
        {
            var e = Assert.Throws<AmiShareException>(() => SessionInput.ParseRegion(input, "the -Region parameter"));
            Assert.Equal(ErrorIds.InvalidRegion, e.ErrorId);
            Assert.Contains(input, e.Message);
        }
    }

    // ------------------------------------------------------------------ endpoints

    [Property(Arbitrary = new[] { typeof(EndpointStrings) }, MaxTest = Runs)]
    public bool Endpoint_IsUsedExactlyAsGiven_OrIsRefusedNamingIt(string input)
    {
        string? expected = Oracle.Endpoint(input);
        try
        {
            string parsed = SessionInput.ParseEndpoint(input, "-EndpointUrl");
            return expected != null && parsed == expected;
        }
        catch (AmiShareException e)
        {
            return expected == null && e.ErrorId == ErrorIds.InvalidEndpointUrl && Names(e, input);
        }
    }

    [Property(Arbitrary = new[] { typeof(EndpointStrings) }, MaxTest = 500)]
    public bool BlankOrNull_EveryGivenSessionParameter_IsRefused(string input)
    {
        if (input != null && !string.IsNullOrWhiteSpace(input))
        {
            input = string.Empty;
        }

        input ??= string.Empty;
        var cases = new (SessionParameters P, string Id)[]
        {
            (new SessionParameters { EndpointUrl = input }, ErrorIds.InvalidEndpointUrl),
            (new SessionParameters { Region = input }, ErrorIds.InvalidRegion),
            (new SessionParameters { ProfileName = input }, ErrorIds.InvalidProfileName),
            (new SessionParameters { ProfileLocation = input }, ErrorIds.InvalidCredentialParameter),
            (new SessionParameters { AccessKey = input, SecretKey = "s" }, ErrorIds.InvalidCredentialParameter),
            (new SessionParameters { AccessKey = "AKIA1", SecretKey = input }, ErrorIds.InvalidCredentialParameter),
            (new SessionParameters { SessionToken = input }, ErrorIds.InvalidCredentialParameter),
        };
        foreach (var (p, id) in cases)
        {
            try
            {
                SessionInput.Validate(p);
                return false;
            }
            catch (AmiShareException e) when (e.ErrorId == id)
            {
            }
        }

        return true;
    }

    [Fact]
    public void Resolver_RefusesBlankEndpoint_EvenWhenAwsEndpointUrlIsSet()
    {
        var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1", ["AWS_REGION"] = "us-east-1" };
        var resolver = new AwsSessionResolver(new MapEnvironment(env)) { UseInstanceMetadata = false };
        var e = Assert.Throws<AmiShareException>(() => resolver.Resolve(
            new SessionParameters { EndpointUrl = " ", AccessKey = "AKIA1", SecretKey = "s" }, null));
        Assert.Equal(ErrorIds.InvalidEndpointUrl, e.ErrorId);
        Assert.Contains("-EndpointUrl ' '", e.Message);
        Assert.Contains("AWS_ENDPOINT_URL", e.Message);
    }

    [Fact]
    public void Resolver_WarnsForUnknownRegion_AndResolvesIt()
    {
        var resolver = new AwsSessionResolver(new MapEnvironment(new Dictionary<string, string>())) { UseInstanceMetadata = false };
        var warnings = new List<string>();
        AwsSession s = resolver.Resolve(new SessionParameters { Region = "us-east-9", AccessKey = "AKIA1", SecretKey = "s" }, null, warnings.Add);
        Assert.Equal("us-east-9", s.Region);
        Assert.Single(warnings);
        Assert.Contains("'us-east-9'", warnings[0]);

        warnings.Clear();
        resolver.Resolve(new SessionParameters { Region = "eu-west-1", AccessKey = "AKIA1", SecretKey = "s" }, null, warnings.Add);
        Assert.Empty(warnings);
    }

    private static bool Names(AmiShareException e, string input)
        => input == null ? e.Message.Contains("<null>") : e.Message.Contains(input.Trim());

    private sealed class MapEnvironment(Dictionary<string, string> map) : IEnvironment
    {
        public string? GetVariable(string name) => map.TryGetValue(name, out string? v) ? v : null;

        public string? HomeDirectory => null;
    }

    /// <summary>The documented formats, written out by hand (no regex shared with the parser).</summary>
    private static class Oracle
    {
        public static string? Principal(string input)
        {
            if (input == null)
            {
                return null;
            }

            string v = input.Trim();
            if (v.Equals("all", StringComparison.OrdinalIgnoreCase) || v.Equals("public", StringComparison.OrdinalIgnoreCase))
            {
                return "all";
            }

            if (Digits(v, 12))
            {
                return v;
            }

            foreach (string partition in new[] { "aws", "aws-cn", "aws-us-gov" })
            {
                string prefix = "arn:" + partition + ":organizations::";
                if (!v.StartsWith(prefix, StringComparison.Ordinal) || v.Length < prefix.Length + 13)
                {
                    continue;
                }

                string rest = v.Substring(prefix.Length);
                if (!Digits(rest.Substring(0, 12), 12) || rest[12] != ':')
                {
                    continue;
                }

                string resource = rest.Substring(13);
                if (resource.StartsWith("organization/o-", StringComparison.Ordinal) && Alnum(resource.Substring(15), 10, 32))
                {
                    return v;
                }

                if (resource.StartsWith("ou/o-", StringComparison.Ordinal))
                {
                    string[] parts = resource.Substring(5).Split('/');
                    if (parts.Length == 2 && Alnum(parts[0], 10, 32) && parts[1].StartsWith("ou-", StringComparison.Ordinal))
                    {
                        string[] ou = parts[1].Substring(3).Split('-');
                        if (ou.Length == 2 && Alnum(ou[0], 4, 32) && Alnum(ou[1], 8, 32))
                        {
                            return v;
                        }
                    }
                }
            }

            return null;
        }

        public static string? ImageId(string input)
        {
            string? v = input?.Trim();
            if (v == null || !v.StartsWith("ami-", StringComparison.Ordinal))
            {
                return null;
            }

            string hex = v.Substring(4);
            return (hex.Length == 8 || hex.Length == 17) && hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f') ? v : null;
        }

        public static string? Region(string input)
        {
            if (input == null || input.Trim().Length == 0)
            {
                return null;
            }

            string v = new string(input.Trim().Select(c => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c).ToArray());
            string[] parts = v.Split('-');
            if (parts.Length is < 3 or > 4)
            {
                return null;
            }

            bool ok = Letters(parts[0], 2, 4)
                && (parts.Length == 3 || Letters(parts[1], 2, 5))
                && Letters(parts[^2], 1, int.MaxValue)
                && parts[^1].Length is 1 or 2 && Digits(parts[^1], parts[^1].Length);
            return ok ? v : null;
        }

        public static string? Endpoint(string input)
        {
            string? v = input?.Trim();
            if (string.IsNullOrEmpty(v) || v.Any(c => c <= ' ' || c > '~'))
            {
                return null;
            }

            int colon = v.IndexOf("://", StringComparison.Ordinal);
            if (colon < 0)
            {
                return null;
            }

            string scheme = v.Substring(0, colon).ToLowerInvariant();
            if (scheme != "http" && scheme != "https")
            {
                return null;
            }

            return Uri.TryCreate(v, UriKind.Absolute, out Uri? uri) && uri.Host.Length > 0 ? v : null;
        }

        private static bool Digits(string s, int length) => s.Length == length && s.All(c => c is >= '0' and <= '9');

        private static bool Letters(string s, int min, int max) => s.Length >= min && s.Length <= max && s.All(c => c is >= 'a' and <= 'z');

        private static bool Alnum(string s, int min, int max)
            => s.Length >= min && s.Length <= max && s.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9');
    }

    // ------------------------------------------------------------------ generators

    /// <summary>Strings near the valid forms (mutated by one character, re-cased, padded) mixed with arbitrary ones.</summary>
    private static Gen<string> Near(params Gen<string>[] valid)
    {
        Gen<string> anyValid = Gen.OneOf(valid);
        Gen<char> odd = Gen.Elements('-', ':', '/', ' ', '\t', '\n', '\0', 'A', 'Z', 'g', '0', '9', '\u0661', '\uFF11', '\u00A0', '\u200B', '\u212A', '\u0130', '.', '_');
        Gen<string> pad = Gen.Elements("", " ", "\t", "\r\n", "\u00A0", "\u2003");
        return Gen.Frequency(
            (3, anyValid),
            (2, from s in anyValid from l in pad from r in pad select l + s + r),
            (3, from s in anyValid from i in Gen.Choose(0, 40) from c in odd select Insert(s, i, c)),
            (3, from s in anyValid from i in Gen.Choose(0, 40) select Delete(s, i)),
            (3, from s in anyValid from i in Gen.Choose(0, 40) from c in odd select Replace(s, i, c)),
            (1, anyValid.Select(s => s.ToUpperInvariant())),
            (2, ArbMap.Default.GeneratorFor<string>()),
            (1, Gen.Elements<string>(null!, "", " ", "\t\n")));
    }

    private static string Insert(string s, int i, char c) => s.Insert(Math.Min(i, s.Length), c.ToString());

    private static string Delete(string s, int i) => s.Length == 0 ? s : s.Remove(Math.Min(i, s.Length - 1), 1);

    private static string Replace(string s, int i, char c) => s.Length == 0 ? s : Delete(s, i).Insert(Math.Min(i, s.Length - 1), c.ToString());

    private static Gen<string> Chars(string alphabet, int min, int max)
        => from n in Gen.Choose(min, max) from cs in Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), n) select new string(cs);

    private const string Lower36 = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly Gen<string> Account = Chars("0123456789", 12, 12);
    private static readonly Gen<string> Partition = Gen.Elements("aws", "aws-cn", "aws-us-gov");
    private static readonly Gen<string> OrgId = Chars(Lower36, 10, 32).Select(s => "o-" + s);
    private static readonly Gen<string> OuId = from a in Chars(Lower36, 4, 32) from b in Chars(Lower36, 8, 32) select "ou-" + a + "-" + b;

    public static class PrincipalStrings
    {
        public static Arbitrary<string> Strings() => Near(
            Account,
            from p in Partition from a in Account from o in OrgId select $"arn:{p}:organizations::{a}:organization/{o}",
            from p in Partition from a in Account from o in OrgId from u in OuId select $"arn:{p}:organizations::{a}:ou/{o}/{u}",
            Gen.Elements("all", "public", "All", "PUBLIC", "aws:all", "arn:aws:iam::111122223333:root", "1111-2222-3333"),
            OrgId,
            OuId).ToArbitrary();
    }

    public static class ImageIdStrings
    {
        public static Arbitrary<string> Strings() => Near(
            Chars("0123456789abcdef", 8, 8).Select(s => "ami-" + s),
            Chars("0123456789abcdef", 17, 17).Select(s => "ami-" + s),
            Chars("0123456789abcdef", 0, 20).Select(s => "ami-" + s),
            Gen.Elements("snap-0123456789abcdef0", "AMI-0123456789abcdef0", "ami-")).ToArbitrary();
    }

    public static class RegionStrings
    {
        public static Arbitrary<string> Strings() => Near(
            Gen.Elements(RegionEndpoint.EnumerableAllRegions.Select(r => r.SystemName).ToArray()),
            from a in Chars("abcdefghijklmnopqrstuvwxyz", 1, 5) from b in Chars("abcdefghijklmnopqrstuvwxyz", 0, 6)
            from d in Chars("abcdefghijklmnopqrstuvwxyz", 1, 10) from n in Chars("0123456789", 0, 3)
            select b.Length == 0 ? $"{a}-{d}-{n}" : $"{a}-{b}-{d}-{n}",
            Gen.Elements("us-east-9", "us_east_1", "useast1", "us-east-1a", "us-east-01", "ec2.us-east-1")).ToArbitrary();
    }

    public static class EndpointStrings
    {
        public static Arbitrary<string> Strings() => Near(
            from s in Gen.Elements("http", "https", "HTTP", "ftp", "file", "")
            from h in Gen.Elements("127.0.0.1", "localhost", "[::1]", "ec2.us-east-1.amazonaws.com", "", "exa mple.com")
            from p in Gen.Elements("", ":4566", ":0", ":99999", ":x")
            from path in Gen.Elements("", "/", "/emulator", "?a=b", "#f")
            select s + "://" + h + p + path,
            Gen.Elements("127.0.0.1:4566", "http:/127.0.0.1", "http:\\\\127.0.0.1", "//127.0.0.1", "mailto:a@b.c")).ToArbitrary();
    }
}
