using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Util;

namespace AmiShare.Engine.Aws
{
    /// <summary>
    /// Resolves credentials and region in AWS.Tools' order (aws-tools-compat.md §1.2, §1.3, §6).
    /// Throws <see cref="AmiShareException"/> with ErrorIds NoCredentials / NoRegion / ProfileNotFound /
    /// InvalidRegion / InvalidEndpointUrl / InvalidCredentialObject / ConflictingCredentialParameters.
    /// </summary>
    /// <remarks>
    /// Credentials: keys → -ProfileName (hard fail) → -Credential → $StoredAWSCredentials → environment keys
    /// → AWS_PROFILE (hard fail) → profile 'default' → profile 'AWS PS Default' → web identity → container
    /// → instance profile (IMDS, only when <see cref="UseInstanceMetadata"/>).
    /// Region: -Region → $StoredAWSRegion → region of profile 'default' / 'AWS PS Default' → AWS_REGION →
    /// AWS_DEFAULT_REGION (a documented divergence from AWS.Tools) → IMDS.
    /// </remarks>
    public sealed class AwsSessionResolver
    {
        /// <summary>AWS.Tools' exact text when no credentials are found.</summary>
        public const string NoCredentialsMessage = "No credentials specified or obtained from persisted/shell defaults.";

        /// <summary>AWS.Tools' exact text when no region is found.</summary>
        public const string NoRegionMessage = "No region specified or obtained from persisted/shell defaults.";

        /// <summary>The legacy AWS.Tools default profile name (SettingsStore.PSLegacyDefaultSettingName).</summary>
        public const string LegacyDefaultProfileName = "AWS PS Default";

        internal const string AwsPSCredentialsTypeName = "Amazon.PowerShell.Common.AWSPSCredentials";
        private const string AwsCredentialsTypeName = "Amazon.Runtime.AWSCredentials";

        private readonly IEnvironment _environment;

        public AwsSessionResolver(IEnvironment environment)
        {
            _environment = environment ?? ProcessEnvironment.Instance;
        }

        /// <summary>
        /// Whether the last-resort steps may ask the EC2 instance metadata service (IMDS) for credentials
        /// and region. On by default (as AWS.Tools); tests turn it off so nothing ever waits on the network.
        /// AWS_EC2_METADATA_DISABLED=true also turns it off.
        /// </summary>
        public bool UseInstanceMetadata { get; set; } = true;

        /// <summary>How long one IMDS attempt may take before the step counts as "nothing found".</summary>
        public TimeSpan InstanceMetadataTimeout { get; set; } = TimeSpan.FromSeconds(3);

        /// <summary>Test hook: replaces the SDK's instance-profile credentials lookup (null result = none).</summary>
        internal Func<AWSCredentials> InstanceProfileCredentialsProvider { get; set; }

        /// <summary>Test hook: replaces the SDK's IMDS region lookup (null result = none).</summary>
        internal Func<string> InstanceMetadataRegionProvider { get; set; }

        /// <summary>Test hook: replaces the SDK's web identity / container credentials construction.</summary>
        internal Func<string, AWSCredentials> AmbientCredentialsFactory { get; set; }

        /// <summary>Resolves a session; <paramref name="debug"/> receives the AWS.Tools-worded source lines.</summary>
        public AwsSession Resolve(SessionParameters parameters, Action<string> debug) => Resolve(parameters, debug, null);

        /// <summary>
        /// Resolves a session; <paramref name="debug"/> receives the AWS.Tools-worded source lines, <paramref name="warning"/>
        /// a warning when the resolved region is well-formed but unknown to this SDK build (see <see cref="AwsRegions.UnknownRegionWarning"/>).
        /// </summary>
        public AwsSession Resolve(SessionParameters parameters, Action<string> debug, Action<string> warning)
        {
            parameters = parameters ?? new SessionParameters();
            debug = debug ?? (_ => { });

            // Input validation first: no store is read and nothing is called for bad input.
            SessionInput.Validate(parameters);
            ValidateCredentialParameters(parameters);
            string explicitRegion = parameters.Region == null ? null : RegionFromObject(parameters.Region, "the -Region parameter", true);
            string endpointUrl = ResolveEndpoint(parameters, debug);

            var profiles = new ProfileStores(parameters.ProfileLocation, _environment);

            string credentialSource;
            AWSCredentials credentials = ResolveCredentials(parameters, profiles, debug, out credentialSource);
            debug("Credentials obtained from " + credentialSource);

            string regionSource;
            string region = ResolveRegion(parameters, explicitRegion, profiles, debug, out regionSource);
            debug($"Region obtained from {regionSource} with value '{region}'");
            string unknown = AwsRegions.UnknownRegionWarning(region, regionSource);
            if (unknown != null)
            {
                warning?.Invoke(unknown);
            }

            return new AwsSession(credentials, credentialSource, region, regionSource, endpointUrl) { Proxy = parameters.Proxy };
        }

        /// <summary>True when <paramref name="name"/> has the shape of a region system name (us-east-1, cn-north-1, us-gov-west-1).</summary>
        public static bool IsValidRegionName(string name) => SessionInput.IsRegionName(name);

        // ---------------------------------------------------------------- credentials

        private static void ValidateCredentialParameters(SessionParameters p)
        {
            bool hasAccess = !string.IsNullOrWhiteSpace(p.AccessKey);
            bool hasSecret = !string.IsNullOrWhiteSpace(p.SecretKey);
            if (hasAccess != hasSecret)
            {
                throw new AmiShareException(
                    ErrorIds.ConflictingCredentialParameters,
                    AmiShareErrorKind.InvalidArgument,
                    hasAccess ? "-AccessKey was given without -SecretKey." : "-SecretKey was given without -AccessKey.",
                    hasAccess ? "AccessKey" : "SecretKey",
                    "Give -AccessKey and -SecretKey together (plus -SessionToken for temporary credentials), or use -ProfileName or -Credential instead.");
            }

            if (!hasAccess && !string.IsNullOrWhiteSpace(p.SessionToken))
            {
                throw new AmiShareException(
                    ErrorIds.ConflictingCredentialParameters,
                    AmiShareErrorKind.InvalidArgument,
                    "-SessionToken was given without -AccessKey and -SecretKey.",
                    "SessionToken",
                    "A session token belongs to temporary credentials: give -AccessKey, -SecretKey and -SessionToken together.");
            }

            if (!hasAccess && !string.IsNullOrWhiteSpace(p.ProfileName) && p.Credential != null)
            {
                throw new AmiShareException(
                    ErrorIds.ConflictingCredentialParameters,
                    AmiShareErrorKind.InvalidArgument,
                    $"Both -ProfileName '{p.ProfileName.Trim()}' and -Credential were given; AWS.Tools versions disagree about which wins.",
                    "Credential",
                    "Give only one of -ProfileName and -Credential.");
            }
        }

        private AWSCredentials ResolveCredentials(SessionParameters p, ProfileStores profiles, Action<string> debug, out string source)
        {
            // 1. Explicit keys.
            if (!string.IsNullOrWhiteSpace(p.AccessKey))
            {
                source = "the supplied key parameters";
                string token = string.IsNullOrWhiteSpace(p.SessionToken) ? null : p.SessionToken.Trim();
                return token == null
                    ? (AWSCredentials)new BasicAWSCredentials(p.AccessKey.Trim(), p.SecretKey.Trim())
                    : new SessionAWSCredentials(p.AccessKey.Trim(), p.SecretKey.Trim(), token);
            }

            // 2. -ProfileName: a missing profile stops here; falling through could pick another account's 'default'.
            if (!string.IsNullOrWhiteSpace(p.ProfileName))
            {
                string name = p.ProfileName.Trim();
                source = $"stored profile named '{name}'";
                return profiles.GetCredentialsOrThrow(name, "-ProfileName");
            }

            // 3. -Credential.
            if (p.Credential != null)
            {
                source = "supplied credentials object";
                return FromCredentialObject(p.Credential, "-Credential", true);
            }

            // 4. $StoredAWSCredentials, recognised by type name only (AWS.Tools checks `is AWSPSCredentials`).
            if (p.StoredCredentials != null)
            {
                string typeName = p.StoredCredentials.GetType().FullName;
                if (string.Equals(typeName, AwsPSCredentialsTypeName, StringComparison.Ordinal))
                {
                    AWSCredentials stored = FromCredentialObject(p.StoredCredentials, "$StoredAWSCredentials", false);
                    if (stored != null)
                    {
                        source = "shell variable $StoredAWSCredentials";
                        return stored;
                    }

                    debug("$StoredAWSCredentials holds no credentials; ignoring it");
                }
                else
                {
                    debug($"$StoredAWSCredentials holds a '{typeName}', not an AWS.Tools credentials object; ignoring it");
                }
            }

            // 5. Environment keys.
            string envAccess = Env("AWS_ACCESS_KEY_ID");
            string envSecret = Env("AWS_SECRET_ACCESS_KEY") ?? Env("AWS_SECRET_KEY");
            if (envAccess != null && envSecret != null)
            {
                source = "environment variables";
                string envToken = Env("AWS_SESSION_TOKEN");
                return envToken == null
                    ? (AWSCredentials)new BasicAWSCredentials(envAccess, envSecret)
                    : new SessionAWSCredentials(envAccess, envSecret, envToken);
            }

            if (envAccess != null || envSecret != null)
            {
                debug("Ignoring incomplete credential environment variables: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set");
            }

            // 6. AWS_PROFILE: named explicitly, so a missing profile fails hard as -ProfileName does.
            string envProfile = Env("AWS_PROFILE");
            if (envProfile != null)
            {
                debug($"Using profile '{envProfile}' named by environment variable AWS_PROFILE");
                source = $"stored profile named '{envProfile}'";
                return profiles.GetCredentialsOrThrow(envProfile, "environment variable AWS_PROFILE");
            }

            // 7. 'default', then the legacy 'AWS PS Default'.
            foreach (string name in new[] { "default", LegacyDefaultProfileName })
            {
                AWSCredentials fromProfile = profiles.TryGetCredentials(name);
                if (fromProfile != null)
                {
                    source = $"stored profile named '{name}'";
                    return fromProfile;
                }
            }

            // 8. Web identity (EKS IRSA, GitHub OIDC set-ups).
            string tokenFile = Env("AWS_WEB_IDENTITY_TOKEN_FILE");
            string roleArn = Env("AWS_ROLE_ARN");
            if (tokenFile != null && roleArn != null)
            {
                source = "web identity token file";
                return AmbientCredentialsFactory != null
                    ? AmbientCredentialsFactory("webidentity")
                    : new AssumeRoleWithWebIdentityCredentials(tokenFile, roleArn, Env("AWS_ROLE_SESSION_NAME"));
            }

            // 9. Container (ECS / EKS Pod Identity).
            if (Env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != null || Env("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null)
            {
                source = "container environment";
                return AmbientCredentialsFactory != null ? AmbientCredentialsFactory("container") : new GenericContainerCredentials();
            }

            // 10. Instance profile: only now, and bounded, so nothing ever hangs off EC2.
            if (InstanceMetadataAllowed())
            {
                AWSCredentials imds = Bounded(() =>
                {
                    if (InstanceProfileCredentialsProvider != null)
                    {
                        return InstanceProfileCredentialsProvider();
                    }

                    var c = new InstanceProfileAWSCredentials();
                    c.GetCredentials();
                    return c;
                });
                if (imds != null)
                {
                    source = "instance profile";
                    return imds;
                }
            }

            throw new AmiShareException(
                ErrorIds.NoCredentials,
                AmiShareErrorKind.AuthenticationError,
                NoCredentialsMessage,
                null,
                "Pass -ProfileName, -AccessKey and -SecretKey, or -Credential; or run Set-AWSCredential; or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE); or create a 'default' profile with 'aws configure'.");
        }

        /// <summary>Turns a -Credential / $StoredAWSCredentials value into SDK credentials.</summary>
        private static AWSCredentials FromCredentialObject(object value, string origin, bool required)
        {
            if (value is AWSCredentials direct)
            {
                return direct;
            }

            string typeName = value.GetType().FullName;
            if (string.Equals(typeName, AwsPSCredentialsTypeName, StringComparison.Ordinal))
            {
                object inner = ReadAwsPSCredentials(value);
                if (inner == null)
                {
                    if (!required)
                    {
                        return null;
                    }

                    throw InvalidCredentialObject(typeName, origin, "holds no credentials");
                }

                if (inner is AWSCredentials sameCore)
                {
                    return sameCore;
                }

                return (AWSCredentials)DuckTypedCredentials.TryCreate(inner)
                    ?? throw InvalidCredentialObject(typeName, origin, "holds credentials without a GetCredentials() method");
            }

            return (AWSCredentials)DuckTypedCredentials.TryCreate(value)
                ?? throw InvalidCredentialObject(typeName, origin, "is not an AWS credentials object (it has no public GetCredentials() method)");
        }

        /// <summary>Reads AWSPSCredentials.Credentials (internal in AWS.Tools) by reflection (aws-tools-compat.md §2.5).</summary>
        internal static object ReadAwsPSCredentials(object value)
        {
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            Type type = value.GetType();
            PropertyInfo prop = type.GetProperty("Credentials", flags);
            if (prop == null)
            {
                foreach (PropertyInfo candidate in type.GetProperties(flags))
                {
                    if (TypeChainIncludes(candidate.PropertyType, AwsCredentialsTypeName))
                    {
                        prop = candidate;
                        break;
                    }
                }
            }

            if (prop == null || prop.GetIndexParameters().Length != 0)
            {
                return null;
            }

            return prop.GetValue(value);
        }

        private static bool TypeChainIncludes(Type type, string fullName)
        {
            for (Type t = type; t != null; t = t.BaseType)
            {
                if (string.Equals(t.FullName, fullName, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        private static AmiShareException InvalidCredentialObject(string typeName, string origin, string what) =>
            new AmiShareException(
                ErrorIds.InvalidCredentialObject,
                AmiShareErrorKind.InvalidArgument,
                $"The value of {origin}, of type '{typeName}', {what}.",
                typeName,
                "Pass an AWS credentials object (from New-AWSCredential or Get-AWSCredential), or use -ProfileName, or -AccessKey with -SecretKey.");

        // ---------------------------------------------------------------- region

        private string ResolveRegion(SessionParameters p, string explicitRegion, ProfileStores profiles, Action<string> debug, out string source)
        {
            if (explicitRegion != null)
            {
                source = "region parameter";
                return explicitRegion;
            }

            if (p.StoredRegion != null)
            {
                string stored = RegionFromObject(p.StoredRegion, "$StoredAWSRegion", false);
                if (stored != null)
                {
                    source = "shell variable $StoredAWSRegion";
                    return stored;
                }
            }

            // AWS.Tools consults only the default profiles here, never the -ProfileName one (§1.3 step 4).
            foreach (string name in new[] { "default", LegacyDefaultProfileName })
            {
                string fromProfile = profiles.TryGetRegion(name);
                if (fromProfile != null)
                {
                    fromProfile = SessionInput.ParseRegion(fromProfile, $"the region setting of profile '{name}'");
                    debug($"Region read from profile '{name}' in {profiles.Description}");
                    source = "stored region";
                    return fromProfile;
                }
            }

            foreach (string variable in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
            {
                string value = Env(variable);
                if (value != null)
                {
                    source = "environment variable " + variable;
                    return SessionInput.ParseRegion(value, "environment variable " + variable);
                }
            }

            if (InstanceMetadataAllowed())
            {
                string imds = Bounded(() => InstanceMetadataRegionProvider != null
                    ? InstanceMetadataRegionProvider()
                    : EC2InstanceMetadata.Region?.SystemName);
                if (!string.IsNullOrEmpty(imds) && IsValidRegionName(imds))
                {
                    source = "instance metadata";
                    return imds;
                }
            }

            throw new AmiShareException(
                ErrorIds.NoRegion,
                AmiShareErrorKind.InvalidOperation,
                NoRegionMessage,
                null,
                "Pass -Region (for example -Region us-east-1), run Set-DefaultAWSRegion, set AWS_REGION, or add a region to the 'default' profile in ~/.aws/config.");
        }

        /// <summary>A string, or an object with a string Region / SystemName property (AWSRegion, RegionEndpoint).</summary>
        private static string RegionFromObject(object value, string origin, bool required)
        {
            string text = value as string;
            if (text == null)
            {
                foreach (string name in new[] { "Region", "SystemName" })
                {
                    PropertyInfo prop = value.GetType().GetProperty(name, BindingFlags.Instance | BindingFlags.Public);
                    if (prop != null && prop.PropertyType == typeof(string) && prop.GetIndexParameters().Length == 0)
                    {
                        text = (string)prop.GetValue(value);
                        break;
                    }
                }

                if (text == null)
                {
                    throw new AmiShareException(
                        ErrorIds.InvalidRegion,
                        AmiShareErrorKind.InvalidArgument,
                        $"The value of {origin}, of type '{value.GetType().FullName}', is not a region.",
                        value,
                        "Give a region system name such as us-east-1, or an object with a Region or SystemName property (Get-AWSRegion output).");
                }
            }

            if (string.IsNullOrWhiteSpace(text) && !required)
            {
                return null;
            }

            return SessionInput.ParseRegion(text, origin);
        }

        // ---------------------------------------------------------------- endpoint

        private string ResolveEndpoint(SessionParameters p, Action<string> debug)
        {
            // A given -EndpointUrl (even blank) is used or refused, never skipped; only an unset one falls back to the environment.
            string value = p.EndpointUrl;
            string origin = "-EndpointUrl";
            if (value == null)
            {
                foreach (string variable in new[] { "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL" })
                {
                    value = Env(variable);
                    if (value != null)
                    {
                        origin = "environment variable " + variable;
                        break;
                    }
                }
            }

            if (value == null)
            {
                return null;
            }

            value = SessionInput.ParseEndpoint(value, origin);
            debug($"Endpoint URL '{value}' obtained from {origin}");
            return value;
        }

        // ---------------------------------------------------------------- helpers

        private string Env(string name)
        {
            string value = _environment.GetVariable(name);
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        private bool InstanceMetadataAllowed()
        {
            if (!UseInstanceMetadata)
            {
                return false;
            }

            string disabled = Env("AWS_EC2_METADATA_DISABLED");
            return !string.Equals(disabled, "true", StringComparison.OrdinalIgnoreCase);
        }

        private T Bounded<T>(Func<T> probe) where T : class
        {
            try
            {
                Task<T> task = Task.Run(probe);
                return task.Wait(InstanceMetadataTimeout) ? task.Result : null;
            }
            catch (Exception)
            {
                // Not on EC2, IMDS disabled or unreachable: this step found nothing.
                return null;
            }
        }

        /// <summary>The profile stores AWS.Tools searches: only -ProfileLocation when given, else the SDK store (Windows) and ~/.aws.</summary>
        private sealed class ProfileStores
        {
            private readonly List<ICredentialProfileSource> _stores = new List<ICredentialProfileSource>();

            public ProfileStores(string profileLocation, IEnvironment environment)
            {
                if (!string.IsNullOrWhiteSpace(profileLocation))
                {
                    string path = profileLocation.Trim();
                    Description = $"'{path}'";
                    _stores.Add(Open(path));
                    return;
                }

                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    try
                    {
                        _stores.Add(new NetSDKCredentialsFile());
                    }
                    catch (Exception)
                    {
                        // The encrypted SDK store is optional.
                    }
                }

                string file = environment.GetVariable("AWS_SHARED_CREDENTIALS_FILE");
                if (string.IsNullOrWhiteSpace(file))
                {
                    string home = environment.HomeDirectory;
                    file = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".aws", "credentials");
                }

                Description = file == null ? "the shared credentials files" : $"'{file}' and the config file beside it";
                if (file != null)
                {
                    // SharedCredentialsFile(path) also reads the 'config' file in the same folder.
                    _stores.Add(Open(file.Trim()));
                }
            }

            public string Description { get; }

            public AWSCredentials TryGetCredentials(string name)
            {
                foreach (var store in _stores)
                {
                    if (store.TryGetProfile(name, out CredentialProfile profile)
                        && AWSCredentialsFactory.TryGetAWSCredentials(profile, store, out AWSCredentials credentials))
                    {
                        return credentials;
                    }
                }

                return null;
            }

            public AWSCredentials GetCredentialsOrThrow(string name, string origin)
            {
                bool found = false;
                foreach (var store in _stores)
                {
                    if (store.TryGetProfile(name, out CredentialProfile profile))
                    {
                        found = true;
                        if (AWSCredentialsFactory.TryGetAWSCredentials(profile, store, out AWSCredentials credentials))
                        {
                            return credentials;
                        }
                    }
                }

                string message = found
                    ? $"The profile '{name}' (from {origin}) was found in {Description} but holds no usable credentials."
                    : $"The profile '{name}' (from {origin}) was not found in {Description}.";
                throw new AmiShareException(
                    ErrorIds.ProfileNotFound,
                    AmiShareErrorKind.ObjectNotFound,
                    message,
                    name,
                    "Check the name (Get-AWSCredential -ListProfileDetail lists them), pass -ProfileLocation for a file elsewhere, or create it with Set-AWSCredential -StoreAs or 'aws configure --profile'. AmiShare does not fall back to another profile, which could belong to a different account.");
            }

            public string TryGetRegion(string name)
            {
                foreach (var store in _stores)
                {
                    if (store.TryGetProfile(name, out CredentialProfile profile) && profile.Region != null)
                    {
                        return profile.Region.SystemName;
                    }
                }

                return null;
            }

            private static ICredentialProfileSource Open(string path)
            {
                try
                {
                    return new SharedCredentialsFile(path);
                }
                catch (Exception e)
                {
                    throw new AmiShareException(
                        ErrorIds.ProfileNotFound,
                        AmiShareErrorKind.ObjectNotFound,
                        $"The shared credentials file '{path}' could not be read: {e.Message}",
                        path,
                        "Fix or remove the file, or pass -ProfileLocation with the path of a valid credentials file.",
                        e);
                }
            }
        }
    }
}
