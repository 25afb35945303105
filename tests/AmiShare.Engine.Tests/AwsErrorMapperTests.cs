using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.SecurityToken;
using AmiShare.Engine;
using AmiShare.Engine.Gateways;
using Xunit;

namespace AmiShare.Engine.Tests;

public class AwsErrorMapperTests
{
    private const string Ami = "ami-0a1b2c3d4e5f60001";

    private static AmazonEC2Exception Ec2(string code, string message, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new(message, ErrorType.Sender, code, "req-1234", status);

    private static AmiShareException Map(Exception e, string op = "ModifyImageAttribute") =>
        AwsErrorMapper.Map(e, op, Ami, "us-east-1", null);

    [Theory]
    [InlineData("InvalidAMIID.NotFound", "The image id '[ami-0a1b2c3d4e5f60001]' does not exist", "AmiNotFound", AmiShareErrorKind.ObjectNotFound)]
    [InlineData("InvalidAMIID.Unavailable", "The image ID 'ami-0a1b2c3d4e5f60001' is no longer available", "AmiNotFound", AmiShareErrorKind.ObjectNotFound)]
    [InlineData("InvalidAMIID.Malformed", "Invalid id: \"not_an_ami_id\" (expecting \"ami-...\")", "InvalidImageId", AmiShareErrorKind.InvalidArgument)]
    [InlineData("AuthFailure", "Not authorized for image:ami-0a1b2c3d4e5f60001", "AmiNotOwned", AmiShareErrorKind.PermissionDenied)]
    [InlineData("InvalidAMIAttributeItemValue", "Invalid attribute item value \"12\" for userId item type.", "InvalidPrincipal", AmiShareErrorKind.InvalidArgument)]
    [InlineData("InvalidAMIAttributeItemValue", "Invalid attribute item value \"arn:aws:organizations::1:account/o-1\" for OrganizationArn item type.", "InvalidPrincipal", AmiShareErrorKind.InvalidArgument)]
    [InlineData("InvalidUserID.Malformed", "Invalid user id: \"XXX_XXX\"", "InvalidPrincipal", AmiShareErrorKind.InvalidArgument)]
    [InlineData("UnsupportedOperation", "Encrypted snapshots can\u2019t be shared publicly. Specify another snapshot.", "EncryptedSnapshotsCannotBePublic", AmiShareErrorKind.InvalidOperation)]
    [InlineData("OperationNotPermitted", "Images with marketplace product codes may not be made public.", "ProductCodesCannotBePublic", AmiShareErrorKind.InvalidOperation)]
    [InlineData("OperationNotPermitted", "You can\u2019t publicly share this image because block public access for AMIs is enabled for this account. To publicly share the image, you must call the DisableImageBlockPublicAccess API.", "PublicSharingBlocked", AmiShareErrorKind.PermissionDenied)]
    [InlineData("OperationNotPermitted", "You can't publicly share this image because block public access for AMIs is enabled for this account.", "PublicSharingBlocked", AmiShareErrorKind.PermissionDenied)]
    [InlineData("InvalidParameter", "Snapshots encrypted with the AWS Managed CMK can\u2019t be shared. Specify another snapshot.", "EncryptedWithAwsManagedKey", AmiShareErrorKind.InvalidOperation)]
    [InlineData("ResourceLimitExceeded", "You have reached your quota of 5 for the number of public images allowed in this Region. Deregister unused public images or make them private, or request an increase in your public AMIs quota.", "PublicImageQuotaExceeded", AmiShareErrorKind.LimitsExceeded)]
    [InlineData("UnauthorizedOperation", "You are not authorized to perform this operation.", "AccessDenied", AmiShareErrorKind.PermissionDenied)]
    [InlineData("InvalidParameterCombination", "No attributes specified.", "AwsServiceError", AmiShareErrorKind.InvalidOperation)]
    [InlineData("OperationNotPermitted", "Images with watermarks may not be made public.", "WatermarkedCannotBePublic", AmiShareErrorKind.InvalidOperation)]
    [InlineData("OperationNotPermitted", "You can\u2019t publicly share this snapshot because block public access for snapshots is enabled for this account. To publicly share the snapshot, you must call the DisableSnapshotBlockPublicAccess API.", "PublicSnapshotSharingBlocked", AmiShareErrorKind.PermissionDenied)]
    public void Map_Ec2ErrorCodes_MapToStableIds(string code, string message, string errorId, AmiShareErrorKind kind)
    {
        var mapped = Map(Ec2(code, message));
        Assert.Equal(errorId, mapped.ErrorId);
        Assert.Equal(kind, mapped.Kind);
        Assert.Equal(code, mapped.AwsErrorCode);
        Assert.Equal("req-1234", mapped.AwsRequestId);
        Assert.False(string.IsNullOrWhiteSpace(mapped.Remedy));
        Assert.EndsWith(mapped.Remedy!.Trim(), mapped.Message);
        Assert.IsType<AmazonEC2Exception>(mapped.InnerException);
    }

    [Fact]
    public void Map_ThrottledAfterRetries_Throttled()
    {
        var mapped = Map(Ec2("RequestLimitExceeded", "Request limit exceeded.", HttpStatusCode.ServiceUnavailable));
        Assert.Equal(ErrorIds.Throttled, mapped.ErrorId);
        Assert.Equal(AmiShareErrorKind.LimitsExceeded, mapped.Kind);
        Assert.Contains("$env:AMISHARE_RETRY_BUDGET_SECONDS", mapped.Remedy);
        Assert.Contains("for the whole retry budget", mapped.Message);
    }

    [Theory]
    [InlineData("AuthFailure", "AWS was not able to validate the provided access credentials", HttpStatusCode.Unauthorized)]
    [InlineData("InvalidClientTokenId", "The security token included in the request is invalid.", HttpStatusCode.Forbidden)]
    [InlineData("UnrecognizedClientException", "The security token included in the request is invalid.", HttpStatusCode.BadRequest)]
    [InlineData("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.", HttpStatusCode.Forbidden)]
    public void Map_BadCredentials_CredentialsRejected(string code, string message, HttpStatusCode status)
    {
        var mapped = Map(Ec2(code, message, status));
        Assert.Equal(ErrorIds.CredentialsRejected, mapped.ErrorId);
        Assert.Equal(AmiShareErrorKind.AuthenticationError, mapped.Kind);
    }

    [Fact]
    public void Map_StsInvalidClientTokenId_CredentialsRejected()
    {
        var sts = new AmazonSecurityTokenServiceException("The security token included in the request is invalid.", ErrorType.Sender, "InvalidClientTokenId", "r", HttpStatusCode.Forbidden);
        Assert.Equal(ErrorIds.CredentialsRejected, AwsErrorMapper.Map(sts, "GetCallerIdentity", null!, "us-east-1", null).ErrorId);
    }

    [Fact]
    public void Map_AwsManagedKey_RemedyNamesCustomerManagedKeyCopy()
    {
        var mapped = Map(Ec2("InvalidParameter", "Snapshots encrypted with the AWS Managed CMK can\u2019t be shared. Specify another snapshot."));
        Assert.Contains("Copy-EC2Image", mapped.Remedy);
        Assert.Contains("-KmsKeyId", mapped.Remedy);
        Assert.Contains("-Encrypted", mapped.Remedy);
        Assert.Contains("customer managed", mapped.Remedy);
    }

    [Fact]
    public void Map_NotOwned_TargetIsImage()
    {
        var mapped = Map(Ec2("AuthFailure", "Not authorized for image:" + Ami));
        Assert.Equal(Ami, mapped.Target);
        Assert.Contains("owner", mapped.Message);
    }

    [Fact]
    public void Map_ServerError_AwsServiceErrorSaysRetry()
    {
        var mapped = Map(Ec2("InternalError", "An internal error has occurred", HttpStatusCode.InternalServerError));
        Assert.Equal(ErrorIds.AwsServiceError, mapped.ErrorId);
        Assert.Contains("InternalError", mapped.Message);
        Assert.Contains("retry", mapped.Remedy, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Map_ConnectionRefused_EndpointUnreachableNamingEndpoint()
    {
        var e = new HttpRequestException("Connection refused (127.0.0.1:9)", new SocketException((int)SocketError.ConnectionRefused));
        var mapped = AwsErrorMapper.Map(e, "DescribeImages", Ami, "us-east-1", "http://127.0.0.1:9");
        Assert.Equal(ErrorIds.EndpointUnreachable, mapped.ErrorId);
        Assert.Equal(AmiShareErrorKind.ConnectionError, mapped.Kind);
        Assert.Contains("http://127.0.0.1:9", mapped.Message);
    }

    [Fact]
    public void Map_WrappedTransportFailure_EndpointUnreachable()
    {
        var e = new AmazonServiceException("boom", new HttpRequestException("Name or service not known"));
        Assert.Equal(ErrorIds.EndpointUnreachable, Map(e).ErrorId);
    }

    [Fact]
    public void Map_UnknownException_AwsServiceError()
    {
        Assert.Equal(ErrorIds.AwsServiceError, Map(new InvalidOperationException("odd")).ErrorId);
    }

    public static IEnumerable<object[]> ServiceErrors() => new[]
    {
        new object[] { Ec2("SomeNewCode", "Something odd.") },
        new object[] { new AmazonServiceException("no code") { StatusCode = HttpStatusCode.BadGateway } },
        new object[] { new InvalidOperationException("odd") },
    };

    [Theory]
    [MemberData(nameof(ServiceErrors))]
    public void Map_OtherErrors_AdviseWhatWorksNonInteractively_NotDebugWhichPrompts(Exception error)
    {
        var mapped = Map(error);
        Assert.Equal(ErrorIds.AwsServiceError, mapped.ErrorId);
        Assert.DoesNotContain("-Debug", mapped.Remedy);
        Assert.Contains("$DebugPreference = 'Continue'", mapped.Remedy);
    }

    [Fact]
    public void Map_AmiShareException_ReturnedAsIs()
    {
        var original = new AmiShareException(ErrorIds.AmiNotFound, AmiShareErrorKind.ObjectNotFound, "x");
        Assert.Same(original, Map(original));
    }

    [Theory]
    [InlineData("Connection refused", "Connection refused. Check it.")]
    [InlineData("The AMI is gone.", "The AMI is gone. Check it.")]
    [InlineData("Is it there?", "Is it there? Check it.")]
    [InlineData("(see KmsKeyAccess)", "(see KmsKeyAccess) Check it.")]
    public void Message_WithARemedy_ReadsAsSentences(string message, string expected)
    {
        var e = new AmiShareException(ErrorIds.EndpointUnreachable, AmiShareErrorKind.ConnectionError, message, null, "Check it.");
        Assert.Equal(expected, e.Message);
    }
}
