using System;

namespace AmiShare.Engine.Aws
{
    /// <summary>Where environment variables and the home folder come from; tests substitute their own.</summary>
    public interface IEnvironment
    {
        /// <summary>The value of environment variable <paramref name="name"/>, or null when it is not set.</summary>
        string GetVariable(string name);

        /// <summary>The user's home folder (for ~/.aws/credentials and ~/.aws/config).</summary>
        string HomeDirectory { get; }
    }

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
