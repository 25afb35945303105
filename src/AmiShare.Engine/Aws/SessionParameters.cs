namespace AmiShare.Engine.Aws
{
    /// <summary>
    /// Everything a cmdlet knows about where and as whom to call AWS: the AWS.Tools common parameters
    /// (aws-tools-compat.md §1.1) plus what the PowerShell session holds. Plain values only, so the
    /// engine never sees System.Management.Automation.
    /// </summary>
    public sealed class SessionParameters
    {
        /// <summary>-Region: a system name string, or an object with a string Region/SystemName property (AWSRegion).</summary>
        public object Region { get; set; }

        /// <summary>-ProfileName: a profile in the SDK store or the shared credentials file.</summary>
        public string ProfileName { get; set; }

        /// <summary>-ProfileLocation: the shared credentials file to read instead of ~/.aws/credentials.</summary>
        public string ProfileLocation { get; set; }

        /// <summary>-AccessKey: the access key id (with <see cref="SecretKey"/>).</summary>
        public string AccessKey { get; set; }

        /// <summary>-SecretKey: the secret access key (with <see cref="AccessKey"/>).</summary>
        public string SecretKey { get; set; }

        /// <summary>-SessionToken: the token of temporary credentials (with both keys).</summary>
        public string SessionToken { get; set; }

        /// <summary>-Credential: any object with a public GetCredentials() (an SDK AWSCredentials of any loaded copy, or AWS.Tools' AWSPSCredentials).</summary>
        public object Credential { get; set; }

        /// <summary>The value of $StoredAWSCredentials (PSObject already unwrapped), or null.</summary>
        public object StoredCredentials { get; set; }

        /// <summary>The value of $StoredAWSRegion (PSObject already unwrapped), or null.</summary>
        public object StoredRegion { get; set; }

        /// <summary>The proxy from $AWSProxy (Set-AWSProxy), or null for a direct connection.</summary>
        public ProxySettings Proxy { get; set; }

        /// <summary>-EndpointUrl: sets the service URL; the region then only signs (AuthenticationRegion).</summary>
        public string EndpointUrl { get; set; }
    }
}
