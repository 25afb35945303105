using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.KeyManagementService.Model;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>
/// Conformance for Copy-SharedAmi's path through EC2 (CopyImage API reference; EC2 User Guide, "Copy an AMI", cross-account):
/// an AMI not shared with the caller is not found; a shared one, with storage and key access, is copied into the caller's
/// account, in another region too, with the caller's own key named by KmsKeyId (the demo member's alias/consumer-cmk).
/// </summary>
public sealed class ConsumerCopyConformanceTests : FreshEmulatorTest
{
    private const string CmkSnap = "snap-0a1b2c3d4e5f60002";
    private const string MemberWestKey = "arn:aws:kms:us-west-2:111122223333:key/c0c0c0c0-1111-4222-8333-0000000000a2";

    [Fact]
    public async Task CopyImage_NotSharedWithCaller_IsInvalidAmiIdNotFound()
    {
        var e = await Assert.ThrowsAsync<Amazon.EC2.AmazonEC2Exception>(() =>
            Consumer.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.Web, SourceRegion = "us-east-1", Name = "web-copy" }));
        Assert.Equal("InvalidAMIID.NotFound", e.ErrorCode);
        Assert.Empty(Host.World.ImageIds("us-east-1", Demo.Consumer));
    }

    [Fact]
    public async Task CopyImage_SharedEncryptedAmi_ToAnotherRegion_WithTheCallersKey_IsOwnedByTheCaller_AndEncryptedWithItsKey()
    {
        await Owner.AddAsync(Demo.Cmk, User(Demo.Consumer));
        await Owner.ModifySnapshotAttributeAsync(new ModifySnapshotAttributeRequest
        {
            SnapshotId = CmkSnap, Attribute = SnapshotAttributeName.CreateVolumePermission,
            CreateVolumePermission = new CreateVolumePermissionModifications { Add = new List<CreateVolumePermission> { new() { UserId = Demo.Consumer } } },
        });
        using (var kms = Clients.Kms(Host))
        {
            await kms.CreateGrantAsync(new CreateGrantRequest
            {
                KeyId = Demo.CmkArn, GranteePrincipal = $"arn:aws:iam::{Demo.Consumer}:root",
                Operations = new List<string> { "DescribeKey", "Decrypt", "CreateGrant", "ReEncryptFrom" },
            });
        }

        using var west = Clients.Ec2(Host, Demo.ConsumerKey, "us-west-2");
        var r = await west.CopyImageAsync(new CopyImageRequest
        {
            SourceImageId = Demo.Cmk, SourceRegion = "us-east-1", Name = "app-server-cmk", Encrypted = true, KmsKeyId = "alias/consumer-cmk",
        });

        Assert.Equal(new[] { r.ImageId }, Host.World.ImageIds("us-west-2", Demo.Consumer));
        string snapshot = Assert.Single(Host.World.SnapshotIdsOf("us-west-2", r.ImageId));
        Assert.Equal((true, MemberWestKey), Host.World.SnapshotEncryptionOf("us-west-2", snapshot));
        Assert.Equal(Demo.Consumer, (await west.ImageAsync(r.ImageId))!.OwnerId);
    }
}
