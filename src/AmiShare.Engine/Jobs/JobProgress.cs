namespace AmiShare.Engine.Jobs
{
    /// <summary>The progress of one part of a long item (e.g. one region's copy), shown as a bar under the command's.</summary>
    public sealed class JobProgress
    {
        /// <summary>Gets or sets what the part is (its bar's identity), e.g. the region.</summary>
        public string Key { get; set; }

        /// <summary>Gets or sets the bar's activity line, e.g. "Copying ami-… to us-west-2".</summary>
        public string Activity { get; set; }

        /// <summary>Gets or sets the bar's status line, e.g. "pending (2 min)".</summary>
        public string Status { get; set; }

        /// <summary>Gets or sets a value indicating whether the part is done (its bar ends).</summary>
        public bool Completed { get; set; }
    }
}
