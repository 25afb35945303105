using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Plans;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Jobs;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// Base of every AmiShare cmdlet that works on AMIs: -ImageId, and one engine job per invocation. A cmdlet validates
    /// each record's input (bad input: an error, no call), then <see cref="Submit"/>s one work item per AMI (its engine
    /// operation as a delegate over the record's <see cref="AmiShareService"/>); the job runs them concurrently and the
    /// pump writes their output on the pipeline thread, in input order. It holds no AWS logic: that lives in AmiShare.Engine.
    /// </summary>
    public abstract class AmiShareCmdlet : AwsSessionCmdlet, IDisposable
    {
        private readonly SessionCache _sessions = new SessionCache();
        private EngineJob _job;
        private JobPump _pump;
        private ChangeApproval _approval;
        private AmiShareServiceFactory _factory;
        private int _total = -1;
        private bool _disposed;

        /// <summary>The AMI ids (ami-…). Accepts strings, Get-EC2Image objects, Import-Csv rows and AmiShare output rows.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ImageIds")]
        // Blank values (an empty line of a file) reach the engine, which gives them a non-terminating
        // InvalidImageId like any other malformed id, so the other AMIs go on.
        [AllowEmptyString]
        [AllowNull]
        [ArgumentCompleter(typeof(ImageIdCompleter))]
        public string[] ImageId { get; set; }

        /// <summary>The progress bar's activity; null for a command without one.</summary>
        protected virtual string Activity => null;

        /// <summary>
        /// False when one AMI's plan depends on another's write in the same run (key policies and snapshot permissions
        /// shared between AMIs, the public-AMI count): the job then runs one item at a time per region.
        /// </summary>
        protected virtual bool ItemsAreIndependent => true;

        /// <summary>-Force of a high-impact cmdlet: skips the confirmation prompt, never -WhatIf.</summary>
        protected virtual bool ForceWithoutPrompt => false;

        /// <summary>How many AMIs the command will handle, when the ids came by parameter (unknown for pipeline input).</summary>
        private int KnownTotal
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

        /// <summary>True when -WhatIf is in force (parameter or $WhatIfPreference).</summary>
        protected bool IsWhatIf => Approval.IsWhatIf;

        private ChangeApproval Approval => _approval ?? (_approval = new ChangeApproval(this, ReadConfirmImpact(), ForceWithoutPrompt));

        /// <summary>This invocation's job; created on first use (a bad AMISHARE_CONCURRENCY stops the command before any call).</summary>
        private EngineJob Job
        {
            get
            {
                if (_job == null)
                {
                    JobOptions options;
                    try
                    {
                        options = JobOptions.FromEnvironment(ProcessEnvironment.Instance);
                    }
                    catch (AmiShareException e)
                    {
                        ThrowTerminatingError(ErrorRecords.From(e, e.Target));
                        throw; // unreachable: ThrowTerminatingError always throws
                    }

                    if (!ItemsAreIndependent)
                    {
                        options.MaxInFlightPerLane = 1;
                    }

                    options.ApproveWithoutWaiting = Approval.AnswersWithoutAsking;
                    _job = new EngineJob(options);
                    _pump = new JobPump(this, _job, () => Approval, Activity, () => KnownTotal);
                }

                return _job;
            }
        }

        /// <summary>
        /// Adds one AMI's work to the job: <paramref name="operation"/> runs over <paramref name="service"/> when the region has
        /// room; its messages, output and errors (an AmiShareException: one ErrorRecord with <paramref name="errorTarget"/>,
        /// default the AMI id) come out in input order. Writes what is ready meanwhile.
        /// </summary>
        protected void Submit(string imageId, AmiShareService service, Func<AmiShareService, JobItemContext, CancellationToken, Task> operation, object errorTarget = null)
        {
            Job.Submit(service, imageId, operation, errorTarget);
            _pump.Drain();
        }

        /// <summary>A non-terminating error for input refused before any call; it comes out in its place among the items.</summary>
        protected void SubmitError(AmiShareException error, object target)
        {
            Job.SubmitError(error, target);
            _pump.Drain();
        }

        /// <summary>Stops the command with <paramref name="error"/> after writing the output of everything submitted before it.</summary>
        protected void ThrowTerminating(AmiShareException error, object target = null)
        {
            _pump?.Flush();
            ThrowTerminatingError(ErrorRecords.From(error, target ?? error.Target));
        }

        /// <summary>Plans, asks and applies one AMI's change (the shared steps of every changing cmdlet).</summary>
        protected void SubmitChange(string imageId, AmiShareService service, Func<AmiShareService, CancellationToken, Task<SharePlan>> planner, bool passThru)
            => Submit(imageId, service, (s, item, ct) => ShareSteps.PlanApplyAsync(s, item, t => planner(s, t), passThru, AmiShareResult.From, ct));

        /// <summary>
        /// The current record's AMI ids, validated, each with the engine service of the current record's session.
        /// The session parameters are checked first (a bad one ends the command), then every id of the record: a
        /// malformed one gets an InvalidImageId error and is skipped; all of this happens before the first AWS call.
        /// </summary>
        protected IReadOnlyList<KeyValuePair<string, AmiShareService>> ValidImages()
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
                    SubmitError(e, raw);
                }
            }

            var images = new List<KeyValuePair<string, AmiShareService>>();
            foreach (string imageId in valid)
            {
                images.Add(new KeyValuePair<string, AmiShareService>(imageId, ResolveService()));
            }

            // The whole record's ids are hinted before its first item starts, so their DescribeImages reads go together.
            if (images.Count > 0)
            {
                Job.Prefetch(images[0].Value, valid);
            }

            return images;
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
        /// The engine service for the current record's session in <paramref name="region"/> instead of its own region (e.g.
        /// Copy-AmiLaunchPermission's -SourceRegion); null keeps the record's region. A session failure ends the command.
        /// </summary>
        protected AmiShareService ResolveService(string region)
        {
            ThrowIfAwsSdkConflict();
            return ResolveServiceInCore(region);
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

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            _pump?.RunToEnd();
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            _job?.Cancel();
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _pump?.Close();
            _job?.Dispose();
            DisposeCommandResources();
            _factory?.Dispose();
        }

        /// <summary>The command's engine service factory (null until the first service was resolved).</summary>
        protected AmiShareServiceFactory ServiceFactory => _factory;

        /// <summary>Disposes what a command built on top of its services; runs after the job stopped, before the services go.</summary>
        protected virtual void DisposeCommandResources()
        {
        }

        private ConfirmImpact ReadConfirmImpact() => GetType().GetCustomAttribute<CmdletAttribute>()?.ConfirmImpact ?? ConfirmImpact.Medium;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private void ValidateSessionInputCore()
        {
            try
            {
                SessionInput.Validate(ReadSessionParameters());
            }
            catch (AmiShareException e)
            {
                ThrowTerminating(e);
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private AmiShareService ResolveServiceCore() => _sessions.Get(ReadSessionParameters(), CreateService);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private AmiShareService ResolveServiceInCore(string region)
        {
            SessionParameters parameters = ReadSessionParameters();
            if (region != null)
            {
                parameters.Region = region;
            }

            return _sessions.Get(parameters, CreateService);
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private AmiShareService CreateService(SessionParameters parameters)
        {
            AwsSession session = null;
            try
            {
                var debugLines = new List<string>();
                var warnings = new List<string>();
                session = new AwsSessionResolver(ProcessEnvironment.Instance).Resolve(parameters, debugLines.Add, warnings.Add);
                debugLines.ForEach(WriteDebug);
                warnings.ForEach(WriteWarning);
                _factory = _factory ?? new AmiShareServiceFactory(Job.Reporter);
                return _factory.For(session);
            }
            catch (AmiShareException e)
            {
                // No credentials, no region, or a setting every call depends on (the AMISHARE_RETRY_* knobs) is bad:
                // stop before any call for this session.
                ThrowTerminating(e);
                throw; // unreachable: ThrowTerminatingError always throws
            }
        }
    }
}
