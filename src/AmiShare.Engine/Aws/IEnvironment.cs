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

}
