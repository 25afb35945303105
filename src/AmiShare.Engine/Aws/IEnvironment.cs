using System;

namespace AmiShare.Engine.Aws
{
    /// <summary>Where environment variables and the home folder come from; tests substitute their own.</summary>
    public interface IEnvironment
    {
        string GetVariable(string name);

        /// <summary>The user's home folder (for ~/.aws/credentials and ~/.aws/config).</summary>
        string HomeDirectory { get; }
    }

    /// <summary>The real process environment.</summary>
    public sealed class ProcessEnvironment : IEnvironment
    {
        public static readonly ProcessEnvironment Instance = new ProcessEnvironment();

        public string GetVariable(string name) => Environment.GetEnvironmentVariable(name);

        public string HomeDirectory => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    }
}
