using System.Net;
using Amazon.EC2;
using Amazon.Runtime;
using AmiShare.Engine;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>
/// Issue 7, build 4: the public-AMI quota is a fact EC2 decides (its ResourceLimitExceeded is mapped after the call),
/// and a preflight read the caller may not make degrades its check to Warn instead of refusing.
/// </summary>
public sealed class PublicQuotaAndPreflightPermissionTests
{
    private const string Ami = "ami-0a1b2c3d4e5f60077";
    private const string Snap = "snap-0a1b2c3d4e5f60077";
    private const string Cmk = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string QuotaText10 = "You have reached your quota of 10 for the number of public images allowed in this Region. Deregister unused public images or make them private, or request an increase in your public AMIs quota.";

    private static readonly Principal A = PrincipalParser.Parse("111122223333");

    private readonly FakeEc2Gateway _ec2 = new();
    private readonly KmsFake _kms = new();
    private readonly ListReporter _reporter = new();

    private AmiShareService Service() => new(_ec2, _kms, null, _reporter);

    private static ShareFinding One(PreflightReport r, string check) => Assert.Single(r.Findings, f => f.Check == check);

    private static AmiShareException Ec2Refusal(string code, string text, HttpStatusCode status) =>
        AwsErrorMapper.Map(new AmazonEC2Exception(text, ErrorType.Sender, code, "req-77", status), "ModifyImageAttribute", Ami, "us-east-1", null);

    private static AmiShareException Denied(string operation) =>
        AwsErrorMapper.Map(new AmazonEC2Exception("You are not authorized to perform this operation.", ErrorType.Sender, "UnauthorizedOperation", "req-78", HttpStatusCode.Forbidden), operation, null, "us-east-1", null);

    [Fact]
    public async Task PlanSetPublic_TenPublicAlready_NotRefusedByAmiShare_TheWriteIsTried()
    {
        _ec2.WithImage(Ami);
        _ec2.OwnedPublicImages = 10;

        var plan = await Service().PlanSetPublicAsync(Ami, true, default);

        Assert.Equal(new[] { Principal.Everyone }, plan.ToAdd);
        Assert.False(plan.Preflight!.HasFailures);
        Assert.Equal(FindingStatus.Warn, One(plan.Preflight, CheckNames.PublicImageQuota).Status);
    }

    [Fact]
    public async Task Apply_Ec2RefusesWithResourceLimitExceeded_PublicImageQuotaExceeded_WithCountQuotaAndServiceQuotasCode()
    {
        _ec2.WithImage(Ami);
        _ec2.OwnedPublicImages = 10;
        var plan = await Service().PlanSetPublicAsync(Ami, true, default);
        _ec2.ModifyError = Ec2Refusal("ResourceLimitExceeded", QuotaText10, HttpStatusCode.BadRequest);
        _ec2.Calls.Clear();

        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().ApplyAsync(plan, default));

        Assert.Equal(ErrorIds.PublicImageQuotaExceeded, e.ErrorId);
        Assert.Equal(AmiShareErrorKind.LimitsExceeded, e.Kind);
        Assert.Equal("ResourceLimitExceeded", e.AwsErrorCode);
        Assert.Equal("req-77", e.AwsRequestId);
        Assert.Contains("quota of 10 public AMIs", e.Reason);
        Assert.Contains("it has 10 public AMIs there", e.Reason);
        Assert.Contains(QuotaText10.TrimEnd('.'), e.Reason); // EC2's own words stay in the message
        Assert.Contains("L-0E3CBAB9", e.Remedy);
        Assert.Contains("Request-SQServiceQuotaIncrease -ServiceCode ec2 -QuotaCode L-0E3CBAB9", e.Remedy);
        Assert.Contains("the account has 10 public AMIs in region 'us-east-1'", e.Remedy);
        Assert.IsType<AmazonEC2Exception>(e.InnerException);
        Assert.Equal(new[] { "ModifyImageAttribute " + Ami, "DescribeImages is-public" }, _ec2.Calls); // counted after EC2 refused
    }

    [Fact]
    public async Task Apply_OtherEc2Refusal_PassesThroughUnchanged_WithoutCounting()
    {
        _ec2.WithImage(Ami);
        var plan = await Service().PlanSetPublicAsync(Ami, true, default);
        AmiShareException blocked = Ec2Refusal("OperationNotPermitted", "You can\u2019t publicly share this image because block public access for AMIs is enabled for this account. To publicly share the image, you must call the DisableImageBlockPublicAccess API.", HttpStatusCode.BadRequest);
        _ec2.ModifyError = blocked;
        _ec2.Calls.Clear();

        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().ApplyAsync(plan, default));

        Assert.Same(blocked, e);
        Assert.DoesNotContain("DescribeImages is-public", _ec2.Calls);
    }

    [Fact]
    public void Map_ResourceLimitExceeded_NamesEc2sQuotaAndTheServiceQuotasCode()
    {
        var e = Ec2Refusal("ResourceLimitExceeded", QuotaText10, HttpStatusCode.BadRequest);

        Assert.Equal(ErrorIds.PublicImageQuotaExceeded, e.ErrorId);
        Assert.Contains("quota of 10 public AMIs in region 'us-east-1'", e.Reason);
        Assert.Contains("L-0E3CBAB9", e.Remedy);
        Assert.DoesNotContain("it has", e.Reason); // no count is invented when none was read
    }

    [Fact]
    public async Task PlanSetPublic_BlockPublicAccessReadDenied_WarnsCouldNotCheck_AndPlansTheWrite()
    {
        _ec2.WithImage(Ami);
        _ec2.BlockPublicAccessError = Denied("GetImageBlockPublicAccessState");

        var plan = await Service().PlanSetPublicAsync(Ami, true, default);
        await Service().ApplyAsync(plan, default);

        var f = One(plan.Preflight!, CheckNames.BlockPublicAccess);
        Assert.Equal(FindingStatus.Warn, f.Status);
        Assert.Contains("permission ec2:GetImageBlockPublicAccessState missing", f.Detail);
        Assert.Contains("Could not check", f.Detail);
        Assert.Contains(plan.Warnings, w => w.Contains("permission ec2:GetImageBlockPublicAccessState missing"));
        Assert.Equal(new[] { Principal.Everyone }, _ec2.Permissions[Ami]);
    }

    [Fact]
    public async Task TestShareable_BlockPublicAccessReadDenied_IsWarnNotFail()
    {
        _ec2.WithImage(Ami);
        _ec2.BlockPublicAccessError = Denied("GetImageBlockPublicAccessState");

        var r = await Service().TestShareableAsync(Ami, Array.Empty<Principal>(), true, ShareOptions.None, default);

        Assert.False(r.HasFailures);
        Assert.Equal(FindingStatus.Warn, One(r, CheckNames.BlockPublicAccess).Status);
        Assert.Contains("Get-EC2ImageBlockPublicAccessState", One(r, CheckNames.BlockPublicAccess).Remedy);
    }

    [Fact]
    public async Task PlanSetPublic_BlockPublicAccessReadFailsOtherwise_StillThrows()
    {
        // Only a missing permission degrades the check; a service failure is not a fact about the account.
        _ec2.WithImage(Ami);
        _ec2.BlockPublicAccessError = Ec2Refusal("InternalError", "An internal error has occurred", HttpStatusCode.InternalServerError);

        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanSetPublicAsync(Ami, true, default));

        Assert.Equal(ErrorIds.AwsServiceError, e.ErrorId);
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task TestShareable_KmsDescribeKeyDenied_WarnsPermissionMissing_NotFail()
    {
        _ec2.WithImage(Ami);
        _ec2.Images[Ami].Snapshots = new[] { new SnapshotRef { DeviceName = "/dev/xvda", SnapshotId = Snap, Encrypted = true, KmsKeyId = Cmk } };
        var kms = new DeniedDescribeKms();

        var r = await new AmiShareService(_ec2, kms, null, _reporter).TestShareableAsync(Ami, new[] { A }, false, ShareOptions.None, default);

        var f = One(r, CheckNames.KmsKeyManager);
        Assert.Equal(FindingStatus.Warn, f.Status);
        Assert.Contains("permission kms:DescribeKey missing", f.Detail);
        Assert.False(r.HasFailures);
    }

    [Fact]
    public async Task TestShareable_KmsKeyPolicyReadDenied_WarnsPermissionMissing_NotFail()
    {
        _ec2.WithImage(Ami);
        _ec2.Images[Ami].Snapshots = new[] { new SnapshotRef { DeviceName = "/dev/xvda", SnapshotId = Snap, Encrypted = true, KmsKeyId = Cmk } };
        _kms.WithKey(Cmk);
        _kms.Policies.Remove(Cmk); // the fake answers AccessDenied for GetKeyPolicy then

        var r = await Service().TestShareableAsync(Ami, new[] { A }, false, ShareOptions.None, default);

        var f = One(r, CheckNames.KmsKeyAccess);
        Assert.Equal(FindingStatus.Warn, f.Status);
        Assert.Contains("Could not check whether 111122223333 may use key", f.Detail);
        Assert.Contains("permission kms:GetKeyPolicy missing", f.Detail);
        Assert.False(r.HasFailures);
    }

    /// <summary>A KMS whose DescribeKey is denied (AccessDeniedException mapped the way the KMS gateway maps it).</summary>
    private sealed class DeniedDescribeKms : IKmsGateway
    {
        public Task<KmsKeyInfo> DescribeKeyAsync(string keyId, CancellationToken cancellationToken) =>
            throw new AmiShareException(ErrorIds.AccessDenied, AmiShareErrorKind.PermissionDenied, $"kms:DescribeKey on {keyId} was denied.", keyId, "Allow kms:DescribeKey.") { AwsErrorCode = "AccessDeniedException" };

        public Task<string> GetKeyPolicyAsync(string keyArn, CancellationToken cancellationToken) => throw new InvalidOperationException("not reached: DescribeKey failed");

        public Task PutKeyPolicyAsync(string keyArn, string policy, CancellationToken cancellationToken) => throw new InvalidOperationException("not reached");

        public Task<IReadOnlyList<KmsGrantInfo>> ListGrantsAsync(string keyArn, CancellationToken cancellationToken) => throw new InvalidOperationException("not reached");

        public void Dispose()
        {
        }
    }
}
