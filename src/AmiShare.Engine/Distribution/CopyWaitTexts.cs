using System;

namespace AmiShare.Engine.Distribution
{
    /// <summary>What <see cref="CopyWaiter"/> says for one command: its name, its progress bars' activity and its remedies.</summary>
    internal sealed class CopyWaitTexts
    {
        /// <summary>Gets or sets the command's name, e.g. "Publish-Ami".</summary>
        public string Command { get; set; }

        /// <summary>Gets or sets what a rerun does with copies left running, e.g. "finish them".</summary>
        public string Rerun { get; set; }

        /// <summary>Gets or sets the source as "region/ami-…".</summary>
        public string Source { get; set; }

        /// <summary>Gets or sets a region's progress activity line (the argument is the region).</summary>
        public Func<string, string> Activity { get; set; }

        /// <summary>Gets or sets the remedy of <see cref="ErrorIds.CopyTimedOut"/>.</summary>
        public string TimeoutRemedy { get; set; }

        /// <summary>Gets or sets the remedy of <see cref="ErrorIds.CopyFailed"/>.</summary>
        public string FailedRemedy { get; set; }
    }
}
