using Amazon;
using Amazon.PowerShell.Common;
using Amazon.Runtime;
using AWSRegion = Amazon.PowerShell.Common.AWSRegion;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using Xunit;

namespace AmiShare.Engine.Tests;

public sealed class AwsSessionResolverTests : IDisposable
{
    private const string Secrets = "SECRET";

    private readonly TempHome _home = new();
    private readonly FakeEnvironment _env;
    private readonly List<string> _debug = new();

    public AwsSessionResolverTests()
    {
        _env = new FakeEnvironment(_home.Path);
    }

    public void Dispose() => _home.Dispose();

    private AwsSessionResolver Resolver() => new(_env) { UseInstanceMetadata = false };

    private AwsSession Resolve(SessionParameters p, AwsSessionResolver? resolver = null)
    {
        p.Region ??= p.Region;
        return (resolver ?? Resolver()).Resolve(p, _debug.Add);
    }

    private static string AccessKeyOf(AwsSession s) => s.Credentials.GetCredentials().AccessKey;

    private static SessionParameters WithRegion(SessionParameters p)
    {
        p.Region ??= "us-east-1";
        return p;
    }

    /// <summary>Every lower step holds something, so a step only wins if it really comes first.</summary>
    private void FillAllLowerSteps()
    {
        _home.Credentials(
            "[default]\naws_access_key_id=AKIADEFAULT\naws_secret_access_key=" + Secrets + "default\n" +
            "[AWS PS Default]\naws_access_key_id=AKIALEGACY\naws_secret_access_key=" + Secrets + "legacy\n" +
            "[envprofile]\naws_access_key_id=AKIAENVPROFILE\naws_secret_access_key=" + Secrets + "envprofile\n" +
            "[dev]\naws_access_key_id=AKIADEV\naws_secret_access_key=" + Secrets + "dev\n");
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENV").Set("AWS_SECRET_ACCESS_KEY", Secrets + "env").Set("AWS_PROFILE", "envprofile");
    }

    // ------------------------------------------------------------ credentials, step by step

    [Fact]
    public void Resolve_ExplicitKeys_WinOverEverything()
    {
        FillAllLowerSteps();
        var s = Resolve(WithRegion(new SessionParameters
        {
            AccessKey = "AKIAKEYS",
            SecretKey = Secrets + "keys",
            ProfileName = "dev",
            StoredCredentials = new AWSPSCredentials(new MarkerCredentials("AKIASTORED"), "x"),
        }));
        Assert.Equal("AKIAKEYS", AccessKeyOf(s));
        Assert.Equal("the supplied key parameters", s.CredentialSource);
        Assert.Contains("Credentials obtained from the supplied key parameters", _debug);
        Assert.True(string.IsNullOrEmpty(s.Credentials.GetCredentials().Token));
    }

    [Fact]
    public void Resolve_ExplicitKeysWithSessionToken_CarriesToken()
    {
        var s = Resolve(WithRegion(new SessionParameters { AccessKey = "AKIAKEYS", SecretKey = Secrets, SessionToken = "tok" }));
        Assert.Equal("tok", s.Credentials.GetCredentials().Token);
    }

    [Theory]
    [InlineData("AKIA1", null, null)]
    [InlineData(null, "secret", null)]
    [InlineData(null, null, "token")]
    public void Resolve_IncompleteKeyParameters_ThrowsConflictingCredentialParameters(string? ak, string? sk, string? st)
    {
        FillAllLowerSteps();
        var e = Assert.Throws<AmiShareException>(() => Resolve(WithRegion(new SessionParameters { AccessKey = ak!, SecretKey = sk!, SessionToken = st! })));
        Assert.Equal(ErrorIds.ConflictingCredentialParameters, e.ErrorId);
        Assert.DoesNotContain("secret", e.Message);
        Assert.DoesNotContain("token", e.Message.Replace("-SessionToken", "").Replace("session token", ""));
    }

    [Fact]
    public void Resolve_ProfileName_WinsOverCredentialStoredAndEnvironment()
    {
        FillAllLowerSteps();
        var s = Resolve(WithRegion(new SessionParameters
        {
            ProfileName = "dev",
            StoredCredentials = new AWSPSCredentials(new MarkerCredentials("AKIASTORED"), "x"),
        }));
        Assert.Equal("AKIADEV", AccessKeyOf(s));
        Assert.Equal("stored profile named 'dev'", s.CredentialSource);
        Assert.Contains("Credentials obtained from stored profile named 'dev'", _debug);
    }

    [Fact]
    public void Resolve_ProfileNameMissing_FailsHardWithoutFallThrough()
    {
        FillAllLowerSteps();
        var e = Assert.Throws<AmiShareException>(() => Resolve(WithRegion(new SessionParameters { ProfileName = "nope" })));
        Assert.Equal(ErrorIds.ProfileNotFound, e.ErrorId);
        Assert.Equal("nope", e.Target);
        Assert.Contains("'nope'", e.Message);
        Assert.Contains("does not fall back", e.Message);
    }

    [Fact]
    public void Resolve_ProfileNameWithOnlyRegionInConfig_FailsAsUnusable()
    {
        _home.Config("[profile regiononly]\nregion=eu-west-1\n");
        var e = Assert.Throws<AmiShareException>(() => Resolve(WithRegion(new SessionParameters { ProfileName = "regiononly" })));
        Assert.Equal(ErrorIds.ProfileNotFound, e.ErrorId);
        Assert.Contains("no usable credentials", e.Message);
    }

    [Fact]
    public void Resolve_ProfileNameInConfigFile_Found()
    {
        _home.Config("[profile cfg]\naws_access_key_id=AKIACFG\naws_secret_access_key=" + Secrets + "\n");
        Assert.Equal("AKIACFG", AccessKeyOf(Resolve(WithRegion(new SessionParameters { ProfileName = "cfg" }))));
    }

    [Fact]
    public void Resolve_ProfileNameAndCredential_ThrowsConflicting()
    {
        FillAllLowerSteps();
        var e = Assert.Throws<AmiShareException>(() => Resolve(WithRegion(new SessionParameters { ProfileName = "dev", Credential = new MarkerCredentials("AKIAOBJ") })));
        Assert.Equal(ErrorIds.ConflictingCredentialParameters, e.ErrorId);
    }

    [Fact]
    public void Resolve_ProfileLocation_SearchesOnlyThatFile()
    {
        FillAllLowerSteps();
        string file = _home.WriteFile("creds", "[other]\naws_access_key_id=AKIAOTHER\naws_secret_access_key=" + Secrets + "\n");
        Assert.Equal("AKIAOTHER", AccessKeyOf(Resolve(WithRegion(new SessionParameters { ProfileName = "other", ProfileLocation = file }))));
        var e = Assert.Throws<AmiShareException>(() => Resolve(WithRegion(new SessionParameters { ProfileName = "dev", ProfileLocation = file })));
        Assert.Equal(ErrorIds.ProfileNotFound, e.ErrorId);
        Assert.Contains(file, e.Message);
    }

    [Fact]
    public void Resolve_ProfileLocationWithoutName_UsesDefaultInThatFile()
    {
        _home.Credentials("[default]\naws_access_key_id=AKIAHOMEDEFAULT\naws_secret_access_key=" + Secrets + "\n");
        string file = _home.WriteFile("creds", "[default]\naws_access_key_id=AKIALOCDEFAULT\naws_secret_access_key=" + Secrets + "\n");
        Assert.Equal("AKIALOCDEFAULT", AccessKeyOf(Resolve(WithRegion(new SessionParameters { ProfileLocation = file }))));
    }

    [Fact]
    public void Resolve_CredentialSdkObject_UsedAsIsAndWinsOverStored()
    {
        FillAllLowerSteps();
        var given = new MarkerCredentials("AKIAOBJ");
        var s = Resolve(WithRegion(new SessionParameters { Credential = given, StoredCredentials = new AWSPSCredentials(new MarkerCredentials("AKIASTORED"), "x") }));
        Assert.Same(given, s.Credentials);
        Assert.Equal("supplied credentials object", s.CredentialSource);
        Assert.Contains("Credentials obtained from supplied credentials object", _debug);
    }

    [Fact]
    public void Resolve_CredentialDuckTyped_CalledPerRequest()
    {
        var foreign = new ForeignCredentials("AKIAFOREIGN", Secrets);
        var s = Resolve(WithRegion(new SessionParameters { Credential = foreign }));
        Assert.Equal(0, foreign.Calls);
        var first = s.Credentials.GetCredentials();
        var second = s.Credentials.GetCredentials();
        Assert.Equal("AKIAFOREIGN", first.AccessKey);
        Assert.Equal(Secrets, first.SecretKey);
        Assert.True(string.IsNullOrEmpty(first.Token));
        Assert.Equal("token-2", second.Token);
        Assert.Equal(2, foreign.Calls);
    }

    [Fact]
    public void Resolve_CredentialAwsToolsObject_ReadsInternalCredentials()
    {
        var inner = new MarkerCredentials("AKIAPSCRED");
        var s = Resolve(WithRegion(new SessionParameters { Credential = new AWSPSCredentials(inner, "dev") }));
        Assert.Same(inner, s.Credentials);
    }

    [Fact]
    public void Resolve_CredentialAwsToolsObjectHoldingForeignCredentials_DuckTypes()
    {
        var s = Resolve(WithRegion(new SessionParameters { Credential = new AWSPSCredentials(new ForeignCredentials("AKIAFOREIGN2", Secrets), "dev") }));
        Assert.Equal("AKIAFOREIGN2", AccessKeyOf(s));
    }

    [Theory]
    [InlineData("a string")]
    [InlineData(42)]
    public void Resolve_CredentialNotCredentials_ThrowsInvalidCredentialObjectNamingType(object value)
    {
        var e = Assert.Throws<AmiShareException>(() => Resolve(WithRegion(new SessionParameters { Credential = value })));
        Assert.Equal(ErrorIds.InvalidCredentialObject, e.ErrorId);
        Assert.Contains(value.GetType().FullName!, e.Message);
    }

    [Fact]
    public void Resolve_CredentialDuckTypedReturningNoKeys_FailsOnUseWithInvalidCredentialObject()
    {
        var s = Resolve(WithRegion(new SessionParameters { Credential = new ForeignCredentials("", Secrets) }));
        var e = Assert.Throws<AmiShareException>(() => s.Credentials.GetCredentials());
        Assert.Equal(ErrorIds.InvalidCredentialObject, e.ErrorId);
        Assert.DoesNotContain(Secrets, e.Message);
    }

    [Fact]
    public void Resolve_StoredAwsToolsCredentials_WinOverEnvironment()
    {
        FillAllLowerSteps();
        var s = Resolve(WithRegion(new SessionParameters { StoredCredentials = new AWSPSCredentials(new MarkerCredentials("AKIASTORED"), "x") }));
        Assert.Equal("AKIASTORED", AccessKeyOf(s));
        Assert.Equal("shell variable $StoredAWSCredentials", s.CredentialSource);
        Assert.Contains("Credentials obtained from shell variable $StoredAWSCredentials", _debug);
    }

    [Fact]
    public void Resolve_StoredValueOfOtherType_IgnoredAndFallsThrough()
    {
        FillAllLowerSteps();
        var s = Resolve(WithRegion(new SessionParameters { StoredCredentials = new MarkerCredentials("AKIANOTPS") }));
        Assert.Equal("AKIAENV", AccessKeyOf(s));
        Assert.Contains(_debug, l => l.Contains("ignoring it"));
    }

    [Fact]
    public void Resolve_StoredAwsToolsObjectWithoutCredentials_FallsThrough()
    {
        FillAllLowerSteps();
        Assert.Equal("AKIAENV", AccessKeyOf(Resolve(WithRegion(new SessionParameters { StoredCredentials = new AWSPSCredentials(null, "x") }))));
    }

    [Fact]
    public void Resolve_EnvironmentKeys_WinOverAwsProfileAndDefault()
    {
        FillAllLowerSteps();
        _env.Set("AWS_SESSION_TOKEN", "envtoken");
        var s = Resolve(WithRegion(new SessionParameters()));
        Assert.Equal("AKIAENV", AccessKeyOf(s));
        Assert.Equal("envtoken", s.Credentials.GetCredentials().Token);
        Assert.Equal("environment variables", s.CredentialSource);
    }

    [Fact]
    public void Resolve_LegacySecretKeyVariable_Accepted()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENV").Set("AWS_SECRET_KEY", Secrets);
        Assert.Equal(Secrets, Resolve(WithRegion(new SessionParameters())).Credentials.GetCredentials().SecretKey);
    }

    [Fact]
    public void Resolve_IncompleteEnvironmentKeys_Skipped()
    {
        FillAllLowerSteps();
        _env.Set("AWS_SECRET_ACCESS_KEY", "");
        Assert.Equal("AKIAENVPROFILE", AccessKeyOf(Resolve(WithRegion(new SessionParameters()))));
    }

    [Fact]
    public void Resolve_AwsProfile_WinsOverDefault()
    {
        FillAllLowerSteps();
        _env.Set("AWS_ACCESS_KEY_ID", "");
        var s = Resolve(WithRegion(new SessionParameters()));
        Assert.Equal("AKIAENVPROFILE", AccessKeyOf(s));
        Assert.Equal("stored profile named 'envprofile'", s.CredentialSource);
        Assert.Contains(_debug, l => l.Contains("AWS_PROFILE"));
    }

    [Fact]
    public void Resolve_AwsProfileMissing_FailsHard()
    {
        FillAllLowerSteps();
        _env.Set("AWS_ACCESS_KEY_ID", "").Set("AWS_PROFILE", "ghost");
        var e = Assert.Throws<AmiShareException>(() => Resolve(WithRegion(new SessionParameters())));
        Assert.Equal(ErrorIds.ProfileNotFound, e.ErrorId);
        Assert.Contains("AWS_PROFILE", e.Message);
    }

    [Fact]
    public void Resolve_DefaultProfile_WinsOverLegacyDefault()
    {
        FillAllLowerSteps();
        _env.Set("AWS_ACCESS_KEY_ID", "").Set("AWS_PROFILE", "");
        var s = Resolve(WithRegion(new SessionParameters()));
        Assert.Equal("AKIADEFAULT", AccessKeyOf(s));
        Assert.Equal("stored profile named 'default'", s.CredentialSource);
    }

    [Fact]
    public void Resolve_OnlyLegacyDefaultProfile_Used()
    {
        _home.Credentials("[AWS PS Default]\naws_access_key_id=AKIALEGACY\naws_secret_access_key=" + Secrets + "\n");
        var s = Resolve(WithRegion(new SessionParameters()));
        Assert.Equal("AKIALEGACY", AccessKeyOf(s));
        Assert.Equal("stored profile named 'AWS PS Default'", s.CredentialSource);
    }

    [Fact]
    public void Resolve_SharedCredentialsFileVariable_Honoured()
    {
        string file = _home.WriteFile("ci-creds", "[default]\naws_access_key_id=AKIACIFILE\naws_secret_access_key=" + Secrets + "\n");
        _env.Set("AWS_SHARED_CREDENTIALS_FILE", file);
        Assert.Equal("AKIACIFILE", AccessKeyOf(Resolve(WithRegion(new SessionParameters()))));
    }

    [Fact]
    public void Resolve_WebIdentityVariables_UseWebIdentityBeforeContainer()
    {
        _env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token").Set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r")
            .Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x");
        var resolver = Resolver();
        resolver.AmbientCredentialsFactory = kind => new MarkerCredentials("AKIA" + kind.ToUpperInvariant());
        var s = Resolve(WithRegion(new SessionParameters()), resolver);
        Assert.Equal("AKIAWEBIDENTITY", AccessKeyOf(s));
        Assert.Equal("web identity token file", s.CredentialSource);
    }

    [Fact]
    public void Resolve_RealWebIdentityVariables_BuildSdkProviderWithoutCallingIt()
    {
        _env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token").Set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r");
        var s = Resolve(WithRegion(new SessionParameters()));
        Assert.IsType<AssumeRoleWithWebIdentityCredentials>(s.Credentials);
    }

    [Fact]
    public void Resolve_ContainerVariables_UseContainer()
    {
        _env.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials");
        var resolver = Resolver();
        resolver.AmbientCredentialsFactory = kind => new MarkerCredentials("AKIA" + kind.ToUpperInvariant());
        var s = Resolve(WithRegion(new SessionParameters()), resolver);
        Assert.Equal("AKIACONTAINER", AccessKeyOf(s));
        Assert.Equal("container environment", s.CredentialSource);
    }

    [Fact]
    public void Resolve_InstanceProfileWhenEnabled_UsedLast()
    {
        var resolver = new AwsSessionResolver(_env) { UseInstanceMetadata = true, InstanceProfileCredentialsProvider = () => new MarkerCredentials("AKIAIMDS") };
        var s = Resolve(WithRegion(new SessionParameters()), resolver);
        Assert.Equal("AKIAIMDS", AccessKeyOf(s));
        Assert.Equal("instance profile", s.CredentialSource);
    }

    [Fact]
    public void Resolve_InstanceProfileDisabledByVariable_NotAsked()
    {
        bool asked = false;
        _env.Set("AWS_EC2_METADATA_DISABLED", "true");
        var resolver = new AwsSessionResolver(_env) { UseInstanceMetadata = true, InstanceProfileCredentialsProvider = () => { asked = true; return new MarkerCredentials("AKIAIMDS"); } };
        Assert.Throws<AmiShareException>(() => Resolve(WithRegion(new SessionParameters()), resolver));
        Assert.False(asked);
    }

    [Fact]
    public void Resolve_InstanceProfileSlow_TimesOutAsNothingFound()
    {
        var resolver = new AwsSessionResolver(_env)
        {
            UseInstanceMetadata = true,
            InstanceMetadataTimeout = TimeSpan.FromMilliseconds(50),
            InstanceProfileCredentialsProvider = () => { Thread.Sleep(2000); return new MarkerCredentials("AKIAIMDS"); },
        };
        var e = Assert.Throws<AmiShareException>(() => Resolve(WithRegion(new SessionParameters()), resolver));
        Assert.Equal(ErrorIds.NoCredentials, e.ErrorId);
    }

    [Fact]
    public void Resolve_NothingAnywhere_ThrowsNoCredentialsWithAwsToolsText()
    {
        var e = Assert.Throws<AmiShareException>(() => Resolve(WithRegion(new SessionParameters())));
        Assert.Equal(ErrorIds.NoCredentials, e.ErrorId);
        Assert.StartsWith("No credentials specified or obtained from persisted/shell defaults. ", e.Message);
        Assert.Contains("Set-AWSCredential", e.Remedy);
    }

    [Fact]
    public void Resolve_NoHomeFolder_StillResolvesFromEnvironment()
    {
        var env = new FakeEnvironment(null!).Set("AWS_ACCESS_KEY_ID", "AKIAENV").Set("AWS_SECRET_ACCESS_KEY", Secrets).Set("AWS_REGION", "eu-west-1");
        var s = new AwsSessionResolver(env) { UseInstanceMetadata = false }.Resolve(new SessionParameters(), null!);
        Assert.Equal("eu-west-1", s.Region);
    }

    // ------------------------------------------------------------ region, step by step

    private SessionParameters Keys() => new() { AccessKey = "AKIAKEYS", SecretKey = Secrets };

    private void FillAllRegionSteps()
    {
        _home.Config("[default]\nregion=ap-south-1\n[profile AWS PS Default]\nregion=sa-east-1\n");
        _env.Set("AWS_REGION", "eu-west-1").Set("AWS_DEFAULT_REGION", "eu-north-1");
    }

    [Fact]
    public void Resolve_RegionParameter_WinsOverEverything()
    {
        FillAllRegionSteps();
        var p = Keys();
        p.Region = "us-west-2";
        p.StoredRegion = "ca-central-1";
        var s = Resolve(p);
        Assert.Equal("us-west-2", s.Region);
        Assert.Equal("region parameter", s.RegionSource);
        Assert.Contains("Region obtained from region parameter with value 'us-west-2'", _debug);
    }

    [Fact]
    public void Resolve_RegionParameterAwsRegionObject_ReadsRegionProperty()
    {
        var p = Keys();
        p.Region = new AWSRegion("eu-central-1");
        Assert.Equal("eu-central-1", Resolve(p).Region);
    }

    [Fact]
    public void Resolve_RegionParameterRegionEndpoint_ReadsSystemName()
    {
        var p = Keys();
        p.Region = RegionEndpoint.USGovCloudWest1;
        Assert.Equal("us-gov-west-1", Resolve(p).Region);
    }

    [Fact]
    public void Resolve_RegionParameterPaddedUpperCase_Normalized()
    {
        var p = Keys();
        p.Region = "  US-EAST-2 ";
        Assert.Equal("us-east-2", Resolve(p).Region);
    }

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("cn-north-1")]
    [InlineData("cn-northwest-1")]
    [InlineData("us-gov-west-1")]
    [InlineData("us-iso-east-1")]
    [InlineData("us-isob-east-1")]
    [InlineData("ap-southeast-4")]
    [InlineData("eusc-de-east-1")]
    public void IsValidRegionName_RealRegions_True(string region)
    {
        Assert.True(AwsSessionResolver.IsValidRegionName(region));
    }

    [Theory]
    [InlineData("useast1")]
    [InlineData("us-east")]
    [InlineData("us_east_1")]
    [InlineData("us-east-1a")]
    [InlineData("https://ec2.us-east-1.amazonaws.com")]
    [InlineData("US East (N. Virginia)")]
    public void Resolve_RegionOfWrongShape_ThrowsInvalidRegion(string region)
    {
        var p = Keys();
        p.Region = region;
        var e = Assert.Throws<AmiShareException>(() => Resolve(p));
        Assert.Equal(ErrorIds.InvalidRegion, e.ErrorId);
        Assert.Contains("us-east-1", e.Message);
    }

    [Fact]
    public void Resolve_RegionParameterUnsupportedObject_ThrowsInvalidRegion()
    {
        var p = Keys();
        p.Region = 42;
        Assert.Equal(ErrorIds.InvalidRegion, Assert.Throws<AmiShareException>(() => Resolve(p)).ErrorId);
    }

    [Fact]
    public void Resolve_InvalidRegion_FailsBeforeLookingForCredentials()
    {
        var e = Assert.Throws<AmiShareException>(() => Resolve(new SessionParameters { Region = "nowhere" }));
        Assert.Equal(ErrorIds.InvalidRegion, e.ErrorId);
    }

    [Fact]
    public void Resolve_StoredRegionString_WinsOverProfileAndEnvironment()
    {
        FillAllRegionSteps();
        var p = Keys();
        p.StoredRegion = "ca-central-1";
        var s = Resolve(p);
        Assert.Equal("ca-central-1", s.Region);
        Assert.Equal("shell variable $StoredAWSRegion", s.RegionSource);
        Assert.Contains("Region obtained from shell variable $StoredAWSRegion with value 'ca-central-1'", _debug);
    }

    [Fact]
    public void Resolve_StoredRegionObject_ReadsRegionProperty()
    {
        var p = Keys();
        p.StoredRegion = new AWSRegion("ap-northeast-1");
        Assert.Equal("ap-northeast-1", Resolve(p).Region);
    }

    [Fact]
    public void Resolve_DefaultProfileRegion_WinsOverAwsRegion()
    {
        FillAllRegionSteps();
        var s = Resolve(Keys());
        Assert.Equal("ap-south-1", s.Region);
        Assert.Equal("stored region", s.RegionSource);
    }

    [Fact]
    public void Resolve_LegacyProfileRegion_UsedWhenDefaultHasNone()
    {
        FillAllRegionSteps();
        _home.Config("[profile AWS PS Default]\nregion=sa-east-1\n");
        Assert.Equal("sa-east-1", Resolve(Keys()).Region);
    }

    [Fact]
    public void Resolve_ProfileNameRegion_NotUsedLikeAwsTools()
    {
        _home.Credentials("[dev]\naws_access_key_id=AKIADEV\naws_secret_access_key=" + Secrets + "\nregion=me-south-1\n");
        _env.Set("AWS_REGION", "eu-west-1");
        Assert.Equal("eu-west-1", Resolve(new SessionParameters { ProfileName = "dev" }).Region);
    }

    [Fact]
    public void Resolve_AwsRegion_WinsOverAwsDefaultRegion()
    {
        _env.Set("AWS_REGION", "eu-west-1").Set("AWS_DEFAULT_REGION", "eu-north-1");
        var s = Resolve(Keys());
        Assert.Equal("eu-west-1", s.Region);
        Assert.Equal("environment variable AWS_REGION", s.RegionSource);
    }

    [Fact]
    public void Resolve_AwsDefaultRegionOnly_Used()
    {
        _env.Set("AWS_DEFAULT_REGION", "eu-north-1");
        var s = Resolve(Keys());
        Assert.Equal("eu-north-1", s.Region);
        Assert.Equal("environment variable AWS_DEFAULT_REGION", s.RegionSource);
    }

    [Fact]
    public void Resolve_InstanceMetadataRegion_UsedLast()
    {
        var resolver = new AwsSessionResolver(_env) { UseInstanceMetadata = true, InstanceMetadataRegionProvider = () => "us-west-1" };
        var s = Resolve(Keys(), resolver);
        Assert.Equal("us-west-1", s.Region);
        Assert.Equal("instance metadata", s.RegionSource);
    }

    [Fact]
    public void Resolve_NoRegionAnywhere_ThrowsNoRegionWithAwsToolsText()
    {
        var e = Assert.Throws<AmiShareException>(() => Resolve(Keys()));
        Assert.Equal(ErrorIds.NoRegion, e.ErrorId);
        Assert.StartsWith("No region specified or obtained from persisted/shell defaults. ", e.Message);
        Assert.Contains("-Region", e.Remedy);
    }

    // ------------------------------------------------------------ endpoint

    [Fact]
    public void Resolve_EndpointParameter_Stored()
    {
        var p = WithRegion(Keys());
        p.EndpointUrl = "http://127.0.0.1:4566";
        _env.Set("AWS_ENDPOINT_URL", "http://10.0.0.1:1");
        Assert.Equal("http://127.0.0.1:4566", Resolve(p).EndpointUrl);
    }

    [Fact]
    public void Resolve_Ec2EndpointVariable_WinsOverGlobal()
    {
        _env.Set("AWS_ENDPOINT_URL", "http://10.0.0.1:1").Set("AWS_ENDPOINT_URL_EC2", "https://ec2.local:8443");
        Assert.Equal("https://ec2.local:8443", Resolve(WithRegion(Keys())).EndpointUrl);
    }

    [Fact]
    public void Resolve_NoEndpoint_Null()
    {
        Assert.Null(Resolve(WithRegion(Keys())).EndpointUrl);
    }

    [Theory]
    [InlineData("localhost:4566")]
    [InlineData("127.0.0.1:4566")]
    [InlineData("ftp://example.com")]
    [InlineData("/relative/path")]
    [InlineData("http://")]
    public void Resolve_EndpointNotAbsoluteHttp_ThrowsInvalidEndpointUrl(string url)
    {
        var p = WithRegion(Keys());
        p.EndpointUrl = url;
        var e = Assert.Throws<AmiShareException>(() => Resolve(p));
        Assert.Equal(ErrorIds.InvalidEndpointUrl, e.ErrorId);
        Assert.Contains("http://127.0.0.1:4566", e.Remedy);
    }

    [Fact]
    public void Resolve_InvalidEndpointVariable_NamesTheVariable()
    {
        _env.Set("AWS_ENDPOINT_URL", "not a url");
        var e = Assert.Throws<AmiShareException>(() => Resolve(WithRegion(Keys())));
        Assert.Contains("AWS_ENDPOINT_URL", e.Message);
    }

    // ------------------------------------------------------------ secrets and cache keys

    [Fact]
    public void Resolve_AnyPath_NeverPrintsSecrets()
    {
        FillAllLowerSteps();
        _env.Set("AWS_SESSION_TOKEN", Secrets + "token");
        var texts = new List<string>();
        var sessions = new[]
        {
            Resolve(WithRegion(new SessionParameters { AccessKey = "AKIAKEYS", SecretKey = Secrets + "keys", SessionToken = Secrets + "tok" })),
            Resolve(WithRegion(new SessionParameters { ProfileName = "dev" })),
            Resolve(WithRegion(new SessionParameters())),
        };
        texts.AddRange(sessions.Select(s => s.CredentialSource + s.RegionSource + s.EndpointUrl));
        foreach (var bad in new[]
        {
            new SessionParameters { AccessKey = "AKIAKEYS", SessionToken = Secrets + "tok" },
            new SessionParameters { SecretKey = Secrets + "keys" },
            new SessionParameters { ProfileName = "missing" },
            new SessionParameters { Credential = Secrets + "asstring" },
        })
        {
            texts.Add(Assert.Throws<AmiShareException>(() => Resolve(WithRegion(bad))).Message);
        }

        texts.AddRange(_debug);
        Assert.All(texts, t => Assert.DoesNotContain(Secrets, t ?? string.Empty));
    }

    [Fact]
    public void CacheKey_SameKeysTwice_Equal_DifferentKeys_Differ()
    {
        var a = Resolve(WithRegion(new SessionParameters { AccessKey = "AKIA1", SecretKey = Secrets }));
        var b = Resolve(WithRegion(new SessionParameters { AccessKey = "AKIA1", SecretKey = Secrets }));
        var c = Resolve(WithRegion(new SessionParameters { AccessKey = "AKIA2", SecretKey = Secrets }));
        Assert.Equal(a.CacheKey, b.CacheKey);
        Assert.NotEqual(a.CacheKey, c.CacheKey);
        Assert.DoesNotContain(Secrets, a.CacheKey);
    }
}
