using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Jobs;

namespace AmiShare.Engine.Distribution
{
    /// <summary><see cref="ICopyCallbacks{TResult}"/> over an engine job's item: everything comes out in the item's place.</summary>
    /// <typeparam name="TResult">The command's row type.</typeparam>
    public sealed class JobCopyCallbacks<TResult> : ICopyCallbacks<TResult>
    {
        private readonly JobItemContext _context;
        private readonly Func<TResult, object> _output;

        /// <summary>Callbacks writing to <paramref name="context"/>; rows become <paramref name="output"/>'s objects.</summary>
        public JobCopyCallbacks(JobItemContext context, Func<TResult, object> output)
        {
            _context = context ?? throw new ArgumentNullException(nameof(context));
            _output = output ?? (r => r);
        }

        /// <inheritdoc />
        public Task<ApprovalAnswer> ApproveAsync(string action, string target, IReadOnlyList<string> details, CancellationToken cancellationToken)
            => _context.RequestApprovalAsync(action, target, details, cancellationToken);

        /// <inheritdoc />
        public void Progress(JobProgress progress) => _context.Progress(progress);

        /// <inheritdoc />
        public void Warning(string message) => _context.Warning(message);

        /// <inheritdoc />
        public void Verbose(string message) => _context.Verbose(message);

        /// <inheritdoc />
        public void Result(TResult result) => _context.WriteResult(_output(result));

        /// <inheritdoc />
        public void StopNote(string note) => _context.SetStopNote(note);
    }
}
