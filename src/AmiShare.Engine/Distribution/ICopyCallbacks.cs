using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Jobs;

namespace AmiShare.Engine.Distribution
{
    /// <summary>
    /// How a copying command's engine (<see cref="Publisher"/>, Copy-SharedAmi's copier) talks back: approval per region,
    /// progress per region, warnings, verbose lines, rows of <typeparamref name="TResult"/>, and a stop note.
    /// </summary>
    /// <typeparam name="TResult">The command's row type.</typeparam>
    public interface ICopyCallbacks<in TResult>
    {
        /// <summary>Asks to approve one region's changes (<paramref name="details"/>: one line per step).</summary>
        Task<ApprovalAnswer> ApproveAsync(string action, string target, IReadOnlyList<string> details, CancellationToken cancellationToken);

        /// <summary>One region's progress.</summary>
        void Progress(JobProgress progress);

        /// <summary>A warning.</summary>
        void Warning(string message);

        /// <summary>A verbose line.</summary>
        void Verbose(string message);

        /// <summary>One output row.</summary>
        void Result(TResult result);

        /// <summary>What to tell the user if the command is stopped now (copies left running); null takes it back.</summary>
        void StopNote(string note);
    }
}
