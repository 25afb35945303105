using System.Net;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using AmiShare.Engine;
using AmiShare.Engine.Gateways;
using Xunit;

namespace AmiShare.Engine.Tests;

public class KmsErrorMapperTests
{
    private const string Key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static AmiShareException Map(string code, string message, string op = "GetKeyPolicy", HttpStatusCode status = HttpStatusCode.BadRequest) =>
        AwsErrorMapper.MapKms(new AmazonKeyManagementServiceException(message, ErrorType.Sender, code, "req-kms-1", status), op, Key, "us-east-1", null);

    [Theory]
    [InlineData("NotFoundException", "Key '" + Key + "' does not exist", "DescribeKey", "KmsKeyNotUsable", AmiShareErrorKind.ObjectNotFound)]
    [InlineData("InvalidArnException", "Invalid arn", "DescribeKey", "KmsKeyNotUsable", AmiShareErrorKind.ObjectNotFound)]
    [InlineData("DisabledException", Key + " is disabled.", "DescribeKey", "KmsKeyNotUsable", AmiShareErrorKind.InvalidOperation)]
    [InlineData("KMSInvalidStateException", "pending deletion", "GetKeyPolicy", "KmsKeyNotUsable", AmiShareErrorKind.InvalidOperation)]
    [InlineData("AccessDeniedException", "User: x is not authorized to perform: kms:PutKeyPolicy", "PutKeyPolicy", "AccessDenied", AmiShareErrorKind.PermissionDenied)]
    [InlineData("MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future.", "PutKeyPolicy", "AwsServiceError", AmiShareErrorKind.InvalidOperation)]
    [InlineData("LimitExceededException", "policy too large", "PutKeyPolicy", "KmsPolicyTooLarge", AmiShareErrorKind.LimitsExceeded)]
    [InlineData("LimitExceededException", "too many grants", "CreateGrant", "AwsServiceError", AmiShareErrorKind.LimitsExceeded)]
    [InlineData("ThrottlingException", "Rate exceeded", "ListGrants", "Throttled", AmiShareErrorKind.LimitsExceeded)]
    [InlineData("UnrecognizedClientException", "The security token included in the request is invalid.", "DescribeKey", "CredentialsRejected", AmiShareErrorKind.AuthenticationError)]
    public void MapKms_ServiceError_StableIdKindCodeAndRemedy(string code, string message, string op, string errorId, AmiShareErrorKind kind)
    {
        var e = Map(code, message, op);
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(kind, e.Kind);
        Assert.Equal(code, e.AwsErrorCode);
        Assert.Equal("req-kms-1", e.AwsRequestId);
        Assert.False(string.IsNullOrWhiteSpace(e.Remedy));
        Assert.Contains(e.Remedy!, e.Message);
    }

    [Fact]
    public void MapKms_AccessDenied_NamesKmsActionNotEc2()
    {
        var e = Map("AccessDeniedException", "denied", "PutKeyPolicy");
        Assert.Contains("kms:PutKeyPolicy", e.Remedy);
        Assert.Contains(Key, e.Message);
        Assert.DoesNotContain("ec2:", e.Message);
    }

    [Fact]
    public void MapKms_UnknownCode_SaysKmsWithCode()
    {
        var e = Map("DependencyTimeoutException", "timeout", "DescribeKey", HttpStatusCode.InternalServerError);
        Assert.Equal(ErrorIds.AwsServiceError, e.ErrorId);
        Assert.Contains("KMS DescribeKey", e.Message);
        Assert.Contains("DependencyTimeoutException", e.Message);
    }
}
