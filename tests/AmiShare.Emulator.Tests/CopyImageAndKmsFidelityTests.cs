using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.SecurityToken.Model;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>
/// Conformance for a consumer's CopyImage of a shared or public AMI (storage access: createVolumePermission on every
/// snapshot and, when encrypted, use of the source key through EC2) and for the aws/ebs key's kms:ViaService condition.
/// </summary>
public sealed class CopyImageAndKmsFidelityTests : FreshEmulatorTest
{
    private const string NoStorage = "You do not have permission to access the storage of this ami";
    private const string WebSnap = "snap-0a1b2c3d4e5f60001";
    private const string CmkSnap = "snap-0a1b2c3d4e5f60002";

    private Task ShareSnapshot(string snap, string? user = Demo.Consumer, string? group = null) =>
        Owner.ModifySnapshotAttributeAsync(new ModifySnapshotAttributeRequest
        {
            SnapshotId = snap, Attribute = SnapshotAttributeName.CreateVolumePermission,
            CreateVolumePermission = new CreateVolumePermissionModifications
            {
                Add = new List<CreateVolumePermission> { user != null ? new CreateVolumePermission { UserId = user } : new CreateVolumePermission { Group = group } },
            },
        });

    private Task<CopyImageResponse> ConsumerCopy(string imageId, string name, bool dryRun = false) =>
        Consumer.CopyImageAsync(new CopyImageRequest { SourceImageId = imageId, SourceRegion = "us-east-1", Name = name, DryRun = dryRun });

    private int ConsumerImageCount => Host.World.ImageIds("us-east-1", Demo.Consumer).Count;

    [Fact]
    public async Task CopyImage_SharedAmiWithoutSnapshotPermission_InvalidRequestAlsoOnDryRun()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        await Assertions.Ec2Error(() => ConsumerCopy(Demo.Web, "web-copy"), "InvalidRequest", 400, NoStorage);
        await Assertions.Ec2Error(() => ConsumerCopy(Demo.Web, "web-copy", dryRun: true), "InvalidRequest", 400, NoStorage);
        Assert.Equal(0, ConsumerImageCount);

        await ShareSnapshot(WebSnap);
        await Assertions.Ec2Error(() => ConsumerCopy(Demo.Web, "web-copy", dryRun: true), "DryRunOperation", 412);
        var r = await ConsumerCopy(Demo.Web, "web-copy");
        var img = (await Consumer.ImageAsync(r.ImageId))!;
        Assert.Equal(Demo.Consumer, img.OwnerId);
        Assert.Equal(Demo.Web, img.SourceImageId);
        Assert.Equal(1, ConsumerImageCount);
    }

    [Fact]
    public async Task CopyImage_PublicAmi_NeedsSnapshotPublicOrSharedWithCaller()
    {
        await Owner.AddAsync(Demo.Web, All());
        await Assertions.Ec2Error(() => ConsumerCopy(Demo.Web, "public-copy"), "InvalidRequest", 400, NoStorage);
        await ShareSnapshot(WebSnap, user: null, group: "all");
        var r = await ConsumerCopy(Demo.Web, "public-copy");
        Assert.StartsWith("ami-", r.ImageId);

        // Another account's public AMI whose snapshot is public (demo world): copyable by anyone.
        var third = await ConsumerCopy(Demo.ThirdPublic, "third-copy");
        Assert.Equal(Demo.Consumer, (await Consumer.ImageAsync(third.ImageId))!.OwnerId);
    }

    [Fact]
    public async Task CopyImage_MultiSnapshotAmi_EverySnapshotNeedsPermission()
    {
        await Owner.AddAsync(Demo.Build, User(Demo.Consumer));
        var snaps = Host.World.SnapshotIdsOf("us-east-1", Demo.Build);
        Assert.Equal(2, snaps.Count);
        await ShareSnapshot(snaps[0]);
        await Assertions.Ec2Error(() => ConsumerCopy(Demo.Build, "build-copy"), "InvalidRequest", 400, NoStorage);
        await ShareSnapshot(snaps[1]);
        Assert.StartsWith("ami-", (await ConsumerCopy(Demo.Build, "build-copy")).ImageId);
    }

    [Fact]
    public async Task CopyImage_EncryptedSnapshotShared_ButKeyNotShared_InvalidRequest_ThenKeyPolicyAllows()
    {
        await Owner.AddAsync(Demo.Cmk, User(Demo.Consumer));
        await ShareSnapshot(CmkSnap);
        // The demo key's policy only names the owner's root: the consumer cannot use the key.
        await Assertions.Ec2Error(() => ConsumerCopy(Demo.Cmk, "cmk-copy"), "InvalidRequest", 400, NoStorage);
        await Assertions.Ec2Error(() => ConsumerCopy(Demo.Cmk, "cmk-copy", dryRun: true), "InvalidRequest", 400, NoStorage);

        using var kms = Clients.Kms(Host);
        // A statement missing kms:CreateGrant is not enough.
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = Demo.CmkArn, Policy = PolicyFor(Demo.Consumer, "\"kms:DescribeKey\",\"kms:Decrypt\",\"kms:ReEncrypt*\"") });
        await Assertions.Ec2Error(() => ConsumerCopy(Demo.Cmk, "cmk-copy"), "InvalidRequest", 400, NoStorage);

        // Use through EC2 only (kms:ViaService = ec2.us-east-1.amazonaws.com) is what CopyImage exercises.
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest
        {
            KeyId = Demo.CmkArn,
            Policy = PolicyFor(Demo.Consumer, "\"kms:DescribeKey\",\"kms:CreateGrant\",\"kms:Decrypt\",\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\"",
                ",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"ec2.us-east-1.amazonaws.com\"}}"),
        });
        await Assertions.Ec2Error(() => ConsumerCopy(Demo.Cmk, "cmk-copy", dryRun: true), "DryRunOperation", 412);
        var r = await ConsumerCopy(Demo.Cmk, "cmk-copy");
        Assert.StartsWith("ami-", r.ImageId);
        // The same policy does not let the consumer call KMS directly (no kms:ViaService on a direct call).
        using var consumerKms = Clients.Kms(Host, Demo.ConsumerKey);
        var denied = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => consumerKms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = Demo.CmkArn }));
        Assert.Equal("AccessDeniedException", denied.ErrorCode);
    }

    [Fact]
    public async Task CopyImage_EncryptedSnapshot_KeyAccessByGrant()
    {
        await Owner.AddAsync(Demo.Cmk, User(Demo.Consumer));
        await ShareSnapshot(CmkSnap);
        using var kms = Clients.Kms(Host);
        await kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = Demo.CmkArn, GranteePrincipal = $"arn:aws:iam::{Demo.Consumer}:root",
            Operations = new List<string> { "DescribeKey", "Decrypt" },
        });
        await Assertions.Ec2Error(() => ConsumerCopy(Demo.Cmk, "cmk-copy"), "InvalidRequest", 400, NoStorage);
        await kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = Demo.CmkArn, GranteePrincipal = $"arn:aws:iam::{Demo.Consumer}:root",
            Operations = new List<string> { "DescribeKey", "Decrypt", "CreateGrant", "ReEncryptFrom" },
        });
        Assert.StartsWith("ami-", (await ConsumerCopy(Demo.Cmk, "cmk-copy")).ImageId);

        // An explicit Deny in the key policy overrides the grant.
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest
        {
            KeyId = Demo.CmkArn,
            Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" +
                     "{\"Sid\":\"root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}," +
                     "{\"Sid\":\"deny\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + Demo.Consumer + ":root\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}",
        });
        await Assertions.Ec2Error(() => ConsumerCopy(Demo.Cmk, "cmk-copy-2"), "InvalidRequest", 400, NoStorage);
    }

    [Fact]
    public async Task CopyImage_OwnersOwnEncryptedAmis_StillCopy()
    {
        // The owner's copies are not storage-checked: its own CMK (IAM delegation) and its aws/ebs key through EC2.
        var a = await Owner.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.Cmk, SourceRegion = "us-east-1", Name = "own-cmk-copy" });
        var b = await Owner.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.AwsEbs, SourceRegion = "us-east-1", Name = "own-ebs-copy" });
        Assert.Equal(Demo.CmkArn, (await Owner.ImageAsync(a.ImageId))!.BlockDeviceMappings[0].Ebs.KmsKeyId);
        Assert.Equal(Demo.AwsEbsKeyArn, (await Owner.ImageAsync(b.ImageId))!.BlockDeviceMappings[0].Ebs.KmsKeyId);
    }

    [Fact]
    public async Task CreateGrant_DirectOnAwsManagedEbsKey_AccessDeniedByViaService()
    {
        using var kms = Clients.Kms(Host);
        using var sts = Clients.Sts(Host);
        var me = (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn;
        foreach (var keyId in new[] { Demo.AwsEbsKeyArn, "alias/aws/ebs" })
        {
            var e = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => kms.CreateGrantAsync(new CreateGrantRequest
            {
                KeyId = keyId, GranteePrincipal = $"arn:aws:iam::{Demo.Consumer}:root", Operations = new List<string> { "Decrypt" },
            }));
            Assert.Equal("AccessDeniedException", e.ErrorCode);
            Assert.Equal(400, (int)e.StatusCode);
            Assert.Equal($"User: {me} is not authorized to perform: kms:CreateGrant on resource: {Demo.AwsEbsKeyArn} because no resource-based policy allows the kms:CreateGrant action", e.Message);
        }
        Assert.Empty(Host.World.GrantsOf("us-east-1", Demo.AwsEbsKeyArn));

        // The key policy's metadata statement still lets the account read the key directly.
        Assert.Equal("AWS", (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/ebs" })).KeyMetadata.KeyManager.Value);
        Assert.Contains("kms:ViaService", (await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = Demo.AwsEbsKeyArn })).Policy);
        Assert.Empty((await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = Demo.AwsEbsKeyArn })).Grants);
        // A customer managed key in the same account still takes a direct grant.
        var ok = await kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = Demo.CmkArn, GranteePrincipal = $"arn:aws:iam::{Demo.Consumer}:root", Operations = new List<string> { "Decrypt" },
        });
        Assert.Equal(64, ok.GrantId.Length);
    }

    private static string PolicyFor(string account, string actions, string condition = "") =>
        "{\"Version\":\"2012-10-17\",\"Statement\":[" +
        "{\"Sid\":\"root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}," +
        "{\"Sid\":\"consumer\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + account + ":root\"},\"Action\":[" + actions + "],\"Resource\":\"*\"" +
        condition + "}]}";
}
