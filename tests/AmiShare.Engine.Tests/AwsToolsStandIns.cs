using Amazon.Runtime;

// Stand-ins for AWS.Tools types, recognised by the engine by full type name only.
namespace Amazon.PowerShell.Common
{
    /// <summary>Shaped like AWS.Tools' AWSPSCredentials: everything useful is internal.</summary>
    public class AWSPSCredentials
    {
        internal AWSPSCredentials(object? credentials, string name)
        {
            Credentials = credentials;
            Name = name;
        }

        internal object? Credentials { get; private set; }

        internal string Name { get; private set; }

        public override string ToString() => Name;
    }

    /// <summary>Shaped like AWS.Tools' AWSRegion (Get-DefaultAWSRegion output).</summary>
    public class AWSRegion
    {
        public AWSRegion(string region) => Region = region;

        public string Region { get; }

        public string Name => "display name of " + Region;
    }
}

namespace AmiShare.Engine.Tests
{
    /// <summary>An ImmutableCredentials look-alike from "another copy" of the SDK.</summary>
    public sealed class ForeignImmutableCredentials
    {
        public ForeignImmutableCredentials(string accessKey, string secretKey, string? token)
        {
            AccessKey = accessKey;
            SecretKey = secretKey;
            Token = token;
        }

        public string AccessKey { get; }

        public string SecretKey { get; }

        public string? Token { get; }
    }

    /// <summary>A credentials object that is not our AWSCredentials but has GetCredentials() (duck typing), counting calls.</summary>
    public sealed class ForeignCredentials
    {
        private readonly string _secret;

        public ForeignCredentials(string accessKey, string secret)
        {
            AccessKey = accessKey;
            _secret = secret;
        }

        public string AccessKey { get; set; }

        public int Calls { get; private set; }

        public ForeignImmutableCredentials GetCredentials()
        {
            Calls++;
            return new ForeignImmutableCredentials(AccessKey, _secret, Calls > 1 ? "token-" + Calls : null);
        }
    }

    /// <summary>Fixed credentials used to tell steps apart.</summary>
    public sealed class MarkerCredentials : AWSCredentials
    {
        public MarkerCredentials(string accessKey) => AccessKey = accessKey;

        public string AccessKey { get; }

        public override ImmutableCredentials GetCredentials() => new(AccessKey, "marker-secret", null);
    }
}
