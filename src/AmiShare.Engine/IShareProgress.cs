namespace AmiShare.Engine
{
    /// <summary>
    /// The progress side of an <see cref="IShareReporter"/>, for engine work inside one item that waits (e.g. -CheckUsage's usage
    /// report): a bar under the command's, keyed by <c>key</c>. A reporter that does not show progress simply does not implement it.
    /// </summary>
    public interface IShareProgress
    {
        /// <summary>Shows (or, with <paramref name="completed"/>, ends) the bar of one part of the current item.</summary>
        /// <param name="key">What the part is (its bar's identity), e.g. "usage:ami-…".</param>
        /// <param name="activity">The bar's activity line.</param>
        /// <param name="status">The bar's status line.</param>
        /// <param name="completed">True when the part is done (its bar ends).</param>
        void Progress(string key, string activity, string status, bool completed);
    }
}
