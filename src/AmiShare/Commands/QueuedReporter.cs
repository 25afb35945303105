using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using AmiShare.Engine;

namespace AmiShare.Commands
{
    /// <summary>
    /// Engine messages from worker threads, kept for the pipeline thread: <see cref="Wait{T}"/> writes them (warnings as warnings,
    /// the rest as verbose) while a task runs, with a progress tick. For the report cmdlets, which run outside the job engine.
    /// </summary>
    internal sealed class QueuedReporter : IShareReporter
    {
        private readonly ConcurrentQueue<KeyValuePair<bool, string>> _queue = new ConcurrentQueue<KeyValuePair<bool, string>>();

        public void Verbose(string message) => _queue.Enqueue(new KeyValuePair<bool, string>(false, message));

        public void Debug(string message)
        {
        }

        public void Warning(string message) => _queue.Enqueue(new KeyValuePair<bool, string>(true, message));

        /// <summary>Writes the queued messages through <paramref name="cmdlet"/>; call on the pipeline thread only.</summary>
        public void Flush(Cmdlet cmdlet)
        {
            while (_queue.TryDequeue(out KeyValuePair<bool, string> message))
            {
                if (message.Key)
                {
                    cmdlet.WriteWarning(message.Value);
                }
                else
                {
                    cmdlet.WriteVerbose(message.Value);
                }
            }
        }

        /// <summary>
        /// Waits for <paramref name="task"/> on the pipeline thread, flushing messages and calling <paramref name="tick"/> (progress)
        /// every 100 ms; a cancelled task (Ctrl+C) becomes <see cref="PipelineStoppedException"/>.
        /// </summary>
        public T Wait<T>(Cmdlet cmdlet, Task<T> task, Action tick = null)
        {
            while (!task.Wait(100))
            {
                Flush(cmdlet);
                tick?.Invoke();
            }

            Flush(cmdlet);
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
        }
    }
}
