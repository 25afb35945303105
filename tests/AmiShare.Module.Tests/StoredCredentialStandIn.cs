// A stand-in for AWS.Tools.Common's session object, so the module's "$StoredAWSCredentials read by
// type name and reflection" path is tested without AWS.Tools (not installable here). AWS.Tools keeps
// the SDK credentials in an internal Credentials property; this class does the same, holding an object
// that duck-types AWSCredentials.GetCredentials().
namespace Amazon.PowerShell.Common
{
    public sealed class AWSPSCredentials
    {
        public AWSPSCredentials(string accessKey, string secretKey, string name)
        {
            Credentials = new FakeSdkCredentials(accessKey, secretKey);
            Name = name;
        }

        public string Name { get; }

        internal FakeSdkCredentials Credentials { get; }
    }

    public sealed class FakeSdkCredentials
    {
        private readonly string _accessKey;
        private readonly string _secretKey;

        public FakeSdkCredentials(string accessKey, string secretKey)
        {
            _accessKey = accessKey;
            _secretKey = secretKey;
        }

        public int Calls { get; private set; }

        public FakeImmutableCredentials GetCredentials()
        {
            Calls++;
            return new FakeImmutableCredentials(_accessKey, _secretKey);
        }
    }

    public sealed class FakeImmutableCredentials
    {
        public FakeImmutableCredentials(string accessKey, string secretKey)
        {
            AccessKey = accessKey;
            SecretKey = secretKey;
        }

        public string AccessKey { get; }

        public string SecretKey { get; }

        public string? Token => null;
    }
}
