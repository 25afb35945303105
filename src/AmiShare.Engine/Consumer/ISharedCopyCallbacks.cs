using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Jobs;

namespace AmiShare.Engine.Consumer
{
    /// <summary>How <see cref="SharedCopier"/> talks back: approval per region, progress per region, verbose lines, rows, and a stop note.</summary>
    public interface ISharedCopyCallbacks
    {
        /// <summary>Asks to approve one region's copy (<paramref name="details"/>: one line per step).</summary>
        Task<ApprovalAnswer> ApproveAsync(string action, string target, IReadOnlyList<string> details, CancellationToken cancellationToken);

        /// <summary>One region's progress.</summary>
        void Progress(JobProgress progress);

        /// <summary>A verbose line.</summary>
        void Verbose(string message);

        /// <summary>One output row.</summary>
        void Result(SharedCopyResult result);

        /// <summary>What to tell the user if the command is stopped now (copies left running); null takes it back.</summary>
        void StopNote(string note);
    }
}
