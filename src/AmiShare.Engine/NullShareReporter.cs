namespace AmiShare.Engine
{
    /// <summary>A reporter that drops everything.</summary>
    public sealed class NullShareReporter : IShareReporter
    {
        /// <summary>The one instance.</summary>
        public static readonly NullShareReporter Instance = new NullShareReporter();

        /// <inheritdoc />
        public void Verbose(string message) { }

        /// <inheritdoc />
        public void Debug(string message) { }

        /// <inheritdoc />
        public void Warning(string message) { }
    }
}
