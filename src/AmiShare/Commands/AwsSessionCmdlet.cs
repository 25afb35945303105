using System;
using System.Management.Automation;
using AmiShare.Engine.Aws;

namespace AmiShare.Commands
{
    /// <summary>
    /// The AWS.Tools common parameters (aws-tools-compat.md §1.1), with AWS.Tools' names and aliases, and the
    /// <see cref="SessionParameters"/> they make together with what the session stores ($StoredAWS*, $AWSProxy).
    /// Nothing else: resolution is the engine's (AwsSessionResolver).
    /// </summary>
    public abstract class AwsSessionCmdlet : PSCmdlet
    {
        private bool _sdkChecked;

        /// <summary>
        /// Windows PowerShell 5.1 only: stops with AwsSdkConflict when another module's AWSSDK.Core build is
        /// loaded (the engine would bind to it and fail). Runs before any engine code that touches AWSSDK is compiled.
        /// </summary>
        protected void ThrowIfAwsSdkConflict()
        {
            if (!ModuleInitializer.IsNetFramework || _sdkChecked)
            {
                return;
            }

            AwsSdkCheck check = AwsSdkConflict.CheckSession();
            if (check.Decision == AwsSdkDecision.Conflict)
            {
                var record = new ErrorRecord(new InvalidOperationException(check.Message), AwsSdkConflict.ErrorId, ErrorCategory.ResourceUnavailable, check.Loaded.Location)
                {
                    ErrorDetails = new ErrorDetails(check.Message) { RecommendedAction = AwsSdkConflict.Remedy },
                };
                ThrowTerminatingError(record);
            }

            _sdkChecked = true;
        }

        /// <summary>
        /// <para>The AWS region to call, e.g. us-east-1. Without it, $StoredAWSRegion (Set-DefaultAWSRegion), the default
        /// profile's region, then AWS_REGION / AWS_DEFAULT_REGION are used.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("RegionToCall")]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public object Region { get; set; }

        /// <summary>The AWS access key id; use with -SecretKey (and -SessionToken for temporary keys).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("AK")]
        public string AccessKey { get; set; }

        /// <summary>The AWS secret access key that goes with -AccessKey. Never written to any output stream.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("SK", "SecretAccessKey")]
        public string SecretKey { get; set; }

        /// <summary>The session token of temporary credentials.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ST")]
        public string SessionToken { get; set; }

        /// <summary>The name of a profile in the shared credentials/config files (or the .NET SDK store).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("StoredCredentials", "AWSProfileName")]
        public string ProfileName { get; set; }

        /// <summary>The path of the shared credentials file to search instead of the default locations.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("AWSProfilesLocation", "ProfilesLocation")]
        public string ProfileLocation { get; set; }

        /// <summary>A credentials object, such as the output of Get-AWSCredential or New-AWSCredential.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object Credential { get; set; }

        /// <summary>The service URL to call instead of the public EC2 endpoint (e.g. a local emulator).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string EndpointUrl { get; set; }

        /// <summary>The current record's session input: the parameters above plus $StoredAWSCredentials, $StoredAWSRegion and $AWSProxy.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        internal SessionParameters ReadSessionParameters()
        {
            var parameters = new SessionParameters
            {
                Region = SessionRegion,
                AccessKey = Given(nameof(AccessKey), AccessKey),
                SecretKey = Given(nameof(SecretKey), SecretKey),
                SessionToken = Given(nameof(SessionToken), SessionToken),
                ProfileName = Given(nameof(ProfileName), ProfileName),
                ProfileLocation = Given(nameof(ProfileLocation), ProfileLocation),
                Credential = StoredAwsSettings.Unwrap(Credential),
                EndpointUrl = Given(nameof(EndpointUrl), EndpointUrl),
            };
            return StoredAwsSettings.AddTo(parameters, SessionState.PSVariable);
        }

        /// <summary>
        /// The region the session is for: -Region. A cmdlet whose -Region means something else (Publish-Ami: the target
        /// regions) overrides it with its own parameter (Publish-Ami: -SourceRegion).
        /// </summary>
        internal virtual object SessionRegion => Given(nameof(Region), StoredAwsSettings.Unwrap(Region));

        /// <summary>
        /// A parameter that was given as $null (an unset variable, an empty CSV cell) counts as given blank, so the
        /// engine refuses it instead of silently falling through to the environment or another profile.
        /// </summary>
        private T Given<T>(string name, T value) where T : class
            => value == null && MyInvocation.BoundParameters.ContainsKey(name) ? (T)(object)string.Empty : value;
    }
}
