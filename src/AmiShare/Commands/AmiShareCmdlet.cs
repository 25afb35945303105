using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// Base of every AmiShare cmdlet: the AWS.Tools common parameters (aws-tools-compat.md §1.1),
    /// session resolution in AWS.Tools' order, a cancellation token cancelled by Ctrl+C, and a pump that
    /// writes the engine's verbose/debug/warning messages on the pipeline thread while engine tasks run.
    /// It holds no AWS logic: that lives in AmiShare.Engine.
    /// </summary>
    public abstract partial class AmiShareCmdlet : PSCmdlet, IDisposable
    {
        private bool _sdkChecked;
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private readonly BlockingCollection<KeyValuePair<StreamKind, string>> _messages = new BlockingCollection<KeyValuePair<StreamKind, string>>();
        private readonly Dictionary<string, AwsSession> _sessions = new Dictionary<string, AwsSession>(StringComparer.Ordinal);
        private AmiShareServiceFactory _factory;
        private QueueReporter _reporter;
        private bool _disposed;

        // Progress: every command instance gets its own ActivityId (no collision with another AmiShare command, the user's
        // Write-Progress or a parallel runspace); a command whose progress starts while another AmiShare command's is
        // open on the same pipeline thread (e.g. Grant -PassThru | Set-AmiPublic) nests under it.
        private static int s_lastActivityId = 0x414D5300;
        [ThreadStatic]
        private static List<AmiShareCmdlet> t_openProgress;
        private int _activityId;
        private int _parentActivityId = -1;
        private int _total = -1;

        private enum StreamKind
        {
            Verbose,
            Debug,
            Warning,

            /// <summary>Marks the end of the engine task that <see cref="Run{T}"/> waits for.</summary>
            Completed,
        }

        /// <summary>The AMI ids (ami-…). Accepts strings, Get-EC2Image objects, Import-Csv rows and AmiShare output rows.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ImageIds")]
        // Blank values (an empty line of a file) reach the engine, which gives them a non-terminating
        // InvalidImageId like any other malformed id, so the other AMIs go on.
        [AllowEmptyString]
        [AllowNull]
        [ArgumentCompleter(typeof(ImageIdCompleter))]
        public string[] ImageId { get; set; }

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

        /// <summary>Cancelled when the user presses Ctrl+C.</summary>
        protected CancellationToken CancellationToken => _cancellation.Token;

        /// <summary>Creates engine services for resolved sessions (one per region/endpoint/identity).</summary>
        protected AmiShareServiceFactory Services => _factory ?? (_factory = new AmiShareServiceFactory(Reporter));

        /// <summary>The engine's reporting channel (queues messages for the pipeline thread).</summary>
        internal IShareReporter Reporter => _reporter ?? (_reporter = new QueueReporter(_messages));

        /// <summary>How many AMIs the command will handle, when the ids came by parameter (unknown for pipeline input).</summary>
        protected int KnownTotal
        {
            get
            {
                if (_total < 0 && MyInvocation.BoundParameters.ContainsKey(nameof(ImageId)) && !MyInvocation.ExpectingInput && ImageId != null)
                {
                    _total = ImageId.Length;
                }

                return _total;
            }
        }

        /// <summary>
        /// Writes this command's progress: "&lt;ami&gt; (n done)" and, when the number of AMIs is known, "n of total" with
        /// PercentComplete. Its ActivityId is its own; ParentActivityId is the AmiShare command it runs under, if any.
        /// </summary>
        protected void WriteItemProgress(string activity, string imageId, int done)
        {
            if (_activityId == 0)
            {
                _activityId = Interlocked.Increment(ref s_lastActivityId);
                List<AmiShareCmdlet> open = t_openProgress ?? (t_openProgress = new List<AmiShareCmdlet>());
                _parentActivityId = open.Count > 0 ? open[open.Count - 1]._activityId : -1;
                open.Add(this);
            }

            int total = KnownTotal;
            string status = total > 0 ? $"{imageId} ({done} of {total} done)" : $"{imageId} ({done} done)";
            var record = new ProgressRecord(_activityId, activity, status) { ParentActivityId = _parentActivityId };
            if (total > 0)
            {
                record.PercentComplete = Math.Min(100, done * 100 / total);
            }

            WriteProgress(record);
        }

        /// <summary>Ends this command's progress bar, if it wrote one.</summary>
        protected void CompleteProgress(string activity)
        {
            if (_activityId == 0)
            {
                return;
            }

            WriteProgress(new ProgressRecord(_activityId, activity, "Done") { ParentActivityId = _parentActivityId, RecordType = ProgressRecordType.Completed });
            t_openProgress?.Remove(this);
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            _cancellation.Cancel();
        }

        /// <summary>
        /// Resolves the session for the current record (parameters may be bound from the pipeline) and
        /// returns the engine service for it. A session failure ends the command: every item would fail.
        /// </summary>
        protected AmiShareService ResolveService()
        {
            ThrowIfAwsSdkConflict();
            return ResolveServiceCore();
        }

        /// <summary>
        /// Windows PowerShell 5.1 only: stops with AwsSdkConflict when another module's AWSSDK.Core build is
        /// loaded (the engine would bind to it and fail). Runs before any engine code that touches AWSSDK is compiled.
        /// </summary>
        private void ThrowIfAwsSdkConflict()
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
        /// Checks the current record's session parameters on their own (blank or malformed -EndpointUrl, -Region,
        /// -ProfileName, keys …) before any id is looked at or any AWS call is made. A bad value ends the command.
        /// </summary>
        protected void ValidateSessionInput()
        {
            ThrowIfAwsSdkConflict();
            ValidateSessionInputCore();
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private void ValidateSessionInputCore()
        {
            try
            {
                SessionInput.Validate(BuildSessionParameters());
            }
            catch (AmiShareException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, e.Target));
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private SessionParameters BuildSessionParameters()
        {
            return new SessionParameters
            {
                Region = Given(nameof(Region), Unwrap(Region)),
                AccessKey = Given(nameof(AccessKey), AccessKey),
                SecretKey = Given(nameof(SecretKey), SecretKey),
                SessionToken = Given(nameof(SessionToken), SessionToken),
                ProfileName = Given(nameof(ProfileName), ProfileName),
                ProfileLocation = Given(nameof(ProfileLocation), ProfileLocation),
                Credential = Unwrap(Credential),
                StoredCredentials = Unwrap(SessionState.PSVariable.GetValue("StoredAWSCredentials")),
                StoredRegion = Unwrap(SessionState.PSVariable.GetValue("StoredAWSRegion")),
                EndpointUrl = Given(nameof(EndpointUrl), EndpointUrl),
                Proxy = ReadProxy(SessionState.PSVariable.GetValue("AWSProxy")),
            };
        }

        /// <summary>
        /// A parameter that was given as $null (an unset variable, an empty CSV cell) counts as given blank, so the
        /// engine refuses it instead of silently falling through to the environment or another profile.
        /// </summary>
        private T Given<T>(string name, T value) where T : class
            => value == null && MyInvocation.BoundParameters.ContainsKey(name) ? (T)(object)string.Empty : value;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private AmiShareService ResolveServiceCore()
        {
            SessionParameters parameters = BuildSessionParameters();
            string key = SessionKey(parameters);
            if (!_sessions.TryGetValue(key, out AwsSession session))
            {
                try
                {
                    var debugLines = new List<string>();
                    var warnings = new List<string>();
                    session = new AwsSessionResolver(ProcessEnvironment.Instance).Resolve(parameters, debugLines.Add, warnings.Add);
                    foreach (string line in debugLines)
                    {
                        WriteDebug(line);
                    }

                    foreach (string line in warnings)
                    {
                        WriteWarning(line);
                    }
                }
                catch (AmiShareException e)
                {
                    ThrowTerminatingError(ToErrorRecord(e, e.Target));
                    throw; // unreachable: ThrowTerminatingError always throws
                }

                _sessions[key] = session;
            }

            try
            {
                return Services.For(session);
            }
            catch (AmiShareException e)
            {
                // A setting every call depends on (the AMISHARE_RETRY_* knobs) is bad: stop before any call.
                ThrowTerminatingError(ToErrorRecord(e, e.Target));
                throw; // unreachable: ThrowTerminatingError always throws
            }
        }

        /// <summary>
        /// The current record's AMI ids, validated, each with the engine service of the current record's session.
        /// The session parameters are checked first (a bad one ends the command), then every id of the record: a
        /// malformed one gets an InvalidImageId error and is skipped; all of this happens before the first AWS call.
        /// </summary>
        protected IEnumerable<KeyValuePair<string, AmiShareService>> ValidImages()
        {
            ValidateSessionInput();
            var valid = new List<string>();
            foreach (string raw in ImageId ?? new string[] { null })
            {
                try
                {
                    valid.Add(ImageIds.Normalize(raw));
                }
                catch (AmiShareException e)
                {
                    WriteItemError(e, raw);
                }
            }

            return ValidImagesWithService(valid);
        }

        private IEnumerable<KeyValuePair<string, AmiShareService>> ValidImagesWithService(IReadOnlyList<string> imageIds)
        {
            foreach (string imageId in imageIds)
            {
                yield return new KeyValuePair<string, AmiShareService>(imageId, ResolveService());
            }
        }

        private static object Unwrap(object value) => value is PSObject pso ? pso.BaseObject : value;

        /// <summary>
        /// Reads $AWSProxy (AWS.Tools' ProxySettings from Set-AWSProxy, or any object with the same public
        /// properties) by property name, so AWS.Tools.Common need not be loaded or share our AWSSDK copy.
        /// </summary>
        internal static ProxySettings ReadProxy(object value)
        {
            if (value == null)
            {
                return null;
            }

            PSObject proxy = PSObject.AsPSObject(value);
            string host = proxy.Properties["Hostname"]?.Value as string;
            if (string.IsNullOrWhiteSpace(host))
            {
                return null;
            }

            var bypass = new List<string>();
            if (Unwrap(proxy.Properties["BypassList"]?.Value) is System.Collections.IEnumerable list && !(list is string))
            {
                foreach (object item in list)
                {
                    if (item != null)
                    {
                        bypass.Add(Unwrap(item).ToString());
                    }
                }
            }

            return new ProxySettings
            {
                Hostname = host,
                Port = LanguagePrimitives.ConvertTo<int>(Unwrap(proxy.Properties["Port"]?.Value) ?? 0),
                Credentials = Unwrap(proxy.Properties["Credentials"]?.Value) as System.Net.ICredentials,
                BypassList = bypass,
                BypassOnLocal = LanguagePrimitives.IsTrue(Unwrap(proxy.Properties["BypassOnLocal"]?.Value)),
            };
        }

        private static string SessionKey(SessionParameters p)
        {
            // Identity of the inputs, not their secrets' text: object references stand for themselves.
            return string.Join("\u001f", new[]
            {
                p.Region?.ToString(), p.AccessKey, p.SecretKey?.GetHashCode().ToString(), p.SessionToken?.GetHashCode().ToString(),
                p.ProfileName, p.ProfileLocation, p.EndpointUrl,
                p.Credential == null ? null : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(p.Credential).ToString(),
                p.StoredCredentials == null ? null : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(p.StoredCredentials).ToString(),
                p.StoredRegion?.ToString(),
                p.Proxy?.Hostname, p.Proxy?.Port.ToString(), p.Proxy == null ? null : string.Join(",", p.Proxy.BypassList),
            });
        }
    }
}
