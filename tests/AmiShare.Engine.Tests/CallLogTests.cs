using AmiShare.Engine.Gateways;
using Xunit;

namespace AmiShare.Engine.Tests;

public sealed class CallLogTests
{
    [Fact]
    public void Describe_TargetRegionNoEndpoint_AwsToolsShape() =>
        Assert.Equal("Invoking EC2 ModifyImageAttribute for ami-12345678 in region 'us-east-1'", CallLog.Describe("EC2", "ModifyImageAttribute", "ami-12345678", "us-east-1", null));

    [Fact]
    public void Describe_NoTargetWithEndpoint_RegionThenEndpoint() =>
        Assert.Equal("Invoking STS GetCallerIdentity in region 'eu-west-1' on endpoint 'http://127.0.0.1:5000'", CallLog.Describe("STS", "GetCallerIdentity", null, "eu-west-1", "http://127.0.0.1:5000"));

    [Fact]
    public void Describe_GlobalServiceWithoutRegion_EndpointOnly() =>
        Assert.Equal("Invoking Organizations ListParents for 111122223333 on endpoint 'https://organizations.us-east-1.amazonaws.com'", CallLog.Describe("Organizations", "ListParents", "111122223333", null, "https://organizations.us-east-1.amazonaws.com"));

    [Fact]
    public void Subject_WithAndWithoutTarget_ServiceOperationFor() =>
        Assert.Equal(new[] { "KMS DescribeKey for arn:aws:kms:us-east-1:111122223333:key/k", "STS GetCallerIdentity" }, new[] { CallLog.Subject("KMS", "DescribeKey", "arn:aws:kms:us-east-1:111122223333:key/k"), CallLog.Subject("STS", "GetCallerIdentity", null) });
}
