using System;
using System.Threading.Tasks;
using Amazon.Runtime;

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
    ///
    /// The class is split by feature: this file (entry point, endpoint, shared helpers), AwsSessionResolver.Credentials.cs
    /// (credential chain), AwsSessionResolver.Region.cs (region chain); CredentialObjects reads -Credential values and
    /// ProfileStores reads the profile files.
    /// </remarks>
    public sealed partial class AwsSessionResolver
    {
        /// <summary>AWS.Tools' exact text when no credentials are found.</summary>
        public const string NoCredentialsMessage = "No credentials specified or obtained from persisted/shell defaults.";

        /// <summary>AWS.Tools' exact text when no region is found.</summary>
        public const string NoRegionMessage = "No region specified or obtained from persisted/shell defaults.";

        /// <summary>The legacy AWS.Tools default profile name (SettingsStore.PSLegacyDefaultSettingName).</summary>
        public const string LegacyDefaultProfileName = "AWS PS Default";

        internal const string AwsPSCredentialsTypeName = "Amazon.PowerShell.Common.AWSPSCredentials";

        private readonly IEnvironment _environment;

        /// <summary>A resolver reading environment variables and the home folder from <paramref name="environment"/> (null: the process's).</summary>
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

        // ---------------------------------------------------------------- helpers shared by the credential and region chains

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
    }
}
