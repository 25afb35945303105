using System;

namespace AmiShare.Engine.Aws
{
    /// <summary>The real process environment.</summary>
    public sealed class ProcessEnvironment : IEnvironment
    {
        /// <summary>The one instance (the process has one environment).</summary>
        public static readonly ProcessEnvironment Instance = new ProcessEnvironment();

        /// <inheritdoc/>
        public string GetVariable(string name) => Environment.GetEnvironmentVariable(name);

        /// <inheritdoc/>
        public string HomeDirectory => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    }
}
