using System;

namespace AmiShare
{
    /// <summary>An AWSSDK.Core assembly: its identity version, file version and where it was loaded from.</summary>
    public sealed class AwsSdkAssembly
    {
        public AwsSdkAssembly(Version version, string fileVersion, string location)
        {
            Version = version;
            FileVersion = fileVersion ?? string.Empty;
            Location = location ?? string.Empty;
        }

        /// <summary>The AssemblyVersion (4.0.0.0 for every AWS SDK for .NET v4 release, 3.3.0.0 for v3).</summary>
        public Version Version { get; }

        /// <summary>The file version, which tells builds apart (e.g. 4.1.0.0, 4.0.3.3).</summary>
        public string FileVersion { get; }

        /// <summary>The file it was loaded from; empty when it was loaded from bytes.</summary>
        public string Location { get; }
    }
}
