using System;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;
using AmiShare.Engine;
using AmiShare.Engine.Jobs;

namespace AmiShare.Commands
{
    /// <summary>
    /// Turns the engine job's events into Write* calls on the pipeline thread, in input order: messages, output, one
    /// ErrorRecord per failed item, ShouldProcess for each planned change, and progress (done/total). An
    /// AuthenticationError stops the command (every other AMI would fail the same way); Ctrl+C stops it at once and
    /// says how many AMIs were changed whose results could no longer be written.
    /// </summary>
    internal sealed class JobPump
    {
        private static readonly TimeSpan s_wait = TimeSpan.FromMilliseconds(250);
        private readonly PSCmdlet _cmdlet;
        private readonly EngineJob _job;
        private readonly Func<ChangeApproval> _approval;
        private readonly ItemProgress _progress;
        private readonly string _activity;
        private readonly Func<int> _total;
        private int _lastItem = -1;
        private int _done;
        private bool _stopReported;

        public JobPump(PSCmdlet cmdlet, EngineJob job, Func<ChangeApproval> approval, string activity, Func<int> total)
        {
            _cmdlet = cmdlet;
            _job = job;
            _approval = approval;
            _activity = activity;
            _total = total;
            _progress = activity == null ? null : new ItemProgress(cmdlet.WriteProgress);
        }

        /// <summary>Writes what is there now without waiting.</summary>
        public void Drain()
        {
            while (Take(TimeSpan.Zero, out JobEvent e))
            {
                Handle(e);
            }
        }

        /// <summary>Waits until every item submitted so far has been written.</summary>
        public void Flush()
        {
            while (_job.Reported < _job.Submitted)
            {
                if (Take(s_wait, out JobEvent e))
                {
                    Handle(e);
                }
            }
        }

        /// <summary>Ends the input and writes everything until the job is done; then ends the progress bar.</summary>
        public void RunToEnd()
        {
            _job.CompleteInput();
            while (!_job.IsEnded)
            {
                if (Take(s_wait, out JobEvent e))
                {
                    Handle(e);
                }
            }

            if (_activity != null)
            {
                _progress.Complete(_activity);
            }
        }

        /// <summary>Takes the progress bar off the open list when the command ends without finishing.</summary>
        public void Close() => _progress?.Close();

        private bool Take(TimeSpan wait, out JobEvent jobEvent)
        {
            try
            {
                return _job.TryTake(out jobEvent, wait, CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                ReportStop();
                throw new PipelineStoppedException();
            }
        }

        private void Handle(JobEvent e)
        {
            try
            {
                HandleCore(e);
            }
            catch (PipelineStoppedException)
            {
                // Ctrl+C while a row, a message or progress was being written (a slow command further down the pipeline):
                // the job stops here too, and the AMIs it changed whose rows were not written are counted.
                _job.Cancel();
                ReportStop();
                throw;
            }
        }

        private void HandleCore(JobEvent e)
        {
            if (e.Item != null && e.Item.Sequence != _lastItem && !e.Item.Rejected && _activity != null)
            {
                _lastItem = e.Item.Sequence;
                _progress.Write(_activity, e.Item.ImageId, _done, _total());
            }

            switch (e.Kind)
            {
                case JobEventKind.Verbose:
                    _cmdlet.WriteVerbose(e.Text);
                    break;
                case JobEventKind.Debug:
                    _cmdlet.WriteDebug(e.Text);
                    break;
                case JobEventKind.Warning:
                    _cmdlet.WriteWarning(e.Text);
                    break;
                case JobEventKind.Result:
                    _cmdlet.WriteObject(e.Result);
                    break;
                case JobEventKind.Approval:
                    ApprovalAnswer answer = e.Approval.Plan != null
                        ? _approval().Ask(e.Approval.Plan)
                        : _approval().Ask(e.Approval.Action, e.Approval.Target, e.Approval.Details);
                    e.Approval.Answer(answer);
                    break;
                case JobEventKind.Error:
                    if (e.Error.Kind == AmiShareErrorKind.AuthenticationError)
                    {
                        // AWS rejected the credentials themselves: every other AMI of the run would fail the same way,
                        // one call each, so the command stops at the first (as for NoCredentials).
                        _job.Cancel();
                        _cmdlet.ThrowTerminatingError(ErrorRecords.From(e.Error, e.Target));
                    }

                    _cmdlet.WriteError(ErrorRecords.From(e.Error, e.Target));
                    break;
                case JobEventKind.Fault:
                    _job.Cancel();
                    ExceptionDispatchInfo.Capture(e.Fault).Throw();
                    break;
                case JobEventKind.Progress:
                    _progress?.WritePart(e.Progress.Key, e.Progress.Activity, e.Progress.Status, e.Progress.Completed);
                    break;
                case JobEventKind.Completed:
                    if (!e.Item.Rejected)
                    {
                        _done++;
                    }

                    break;
            }
        }

        /// <summary>After Ctrl+C the pipeline takes no more output; the host still shows a warning line.</summary>
        private void ReportStop()
        {
            if (_stopReported)
            {
                return;
            }

            _stopReported = true;
            foreach (string note in _job.StopNotes)
            {
                try
                {
                    _cmdlet.Host?.UI?.WriteWarningLine(note);
                }
                catch (Exception ex) when (ex is PipelineStoppedException || ex is InvalidOperationException || ex is NotImplementedException)
                {
                    // A host without a UI.
                }
            }

            var changed = _job.WrittenUnreported;
            if (changed.Count == 0)
            {
                return;
            }

            try
            {
                _cmdlet.Host?.UI?.WriteWarningLine(StoppedWarning.Text(changed));
            }
            catch (Exception ex) when (ex is PipelineStoppedException || ex is InvalidOperationException || ex is NotImplementedException)
            {
                // A host without a UI: nothing more can be said.
            }
        }
    }
}
