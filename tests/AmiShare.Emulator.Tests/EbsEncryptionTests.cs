using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.KeyManagementService.Model;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>
/// EBS encryption by default and the default KMS key per account × region, the key CopyImage gives the new snapshots, and
/// CopyImage's ClientToken idempotency.
/// </summary>
public sealed class EbsEncryptionTests : FreshEmulatorTest
{
    private const string WestCmkId = "22222222-2222-4222-8222-222222222222";
    private const string WestCmkArn = "arn:aws:kms:us-west-2:123456789012:key/" + WestCmkId;
    private const string CmkSnap = "snap-0a1b2c3d4e5f60002";

    /// <summary>The demo world plus a customer managed key in us-west-2.</summary>
    protected override World CreateWorld()
    {
        var doc = JsonNode.Parse(World.DemoJson())!;
        doc["keys"]!.AsArray().Add(new JsonObject
        {
            ["keyId"] = WestCmkId, ["account"] = Demo.Owner, ["region"] = "us-west-2", ["keyManager"] = "CUSTOMER",
            ["aliases"] = new JsonArray("alias/west-cmk"),
        });
        return World.FromJson(doc.ToJsonString());
    }

    private AmazonEC2Client West => _west ??= Clients.Ec2(Host, Demo.OwnerKey, "us-west-2");
    private AmazonEC2Client? _west;

    private static Task<CopyImageResponse> Copy(AmazonEC2Client ec2, string name, string source = Demo.Web, string sourceRegion = "us-east-1",
        bool? encrypted = null, string? kmsKeyId = null, string? token = null) =>
        ec2.CopyImageAsync(new CopyImageRequest
        {
            SourceImageId = source, SourceRegion = sourceRegion, Name = name, Encrypted = encrypted, KmsKeyId = kmsKeyId, ClientToken = token,
        });

    private async Task<EbsBlockDevice> RootOf(AmazonEC2Client ec2, string imageId) => (await ec2.ImageAsync(imageId))!.BlockDeviceMappings[0].Ebs;

    [Fact]
    public async Task EncryptionByDefault_OffUntilEnabled_PerRegion_AndShownInState()
    {
        Assert.False((await Owner.GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest())).EbsEncryptionByDefault);
        Assert.True((await Owner.EnableEbsEncryptionByDefaultAsync(new EnableEbsEncryptionByDefaultRequest())).EbsEncryptionByDefault);
        Assert.True((await Owner.GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest())).EbsEncryptionByDefault);
        Assert.False((await West.GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest())).EbsEncryptionByDefault);
        Assert.False((await Consumer.GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest())).EbsEncryptionByDefault);
        Assert.True(Host.World.IsEbsEncryptionByDefault(Demo.Owner, "us-east-1"));
        var state = Host.State(region: "us-east-1").EbsEncryption;
        Assert.Equal(new EmulatorEbsEncryption(Demo.Owner, "us-east-1", true, null), Assert.Single(state));

        Assert.False((await Owner.DisableEbsEncryptionByDefaultAsync(new DisableEbsEncryptionByDefaultRequest())).EbsEncryptionByDefault);
        Assert.False((await Owner.GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest())).EbsEncryptionByDefault);
        Assert.Equal(2, Host.Log.MutatingCount);
    }

    [Fact]
    public async Task DefaultKmsKeyId_AliasAwsEbsUntilModified_ModifyAnswersTheArn_ResetAnswersTheAwsManagedKeyArn()
    {
        Assert.Equal("alias/aws/ebs", (await Owner.GetEbsDefaultKmsKeyIdAsync(new GetEbsDefaultKmsKeyIdRequest())).KmsKeyId);
        var modified = await Owner.ModifyEbsDefaultKmsKeyIdAsync(new ModifyEbsDefaultKmsKeyIdRequest { KmsKeyId = "alias/amishare-cmk" });
        Assert.Equal(Demo.CmkArn, modified.KmsKeyId);
        Assert.Equal(Demo.CmkArn, (await Owner.GetEbsDefaultKmsKeyIdAsync(new GetEbsDefaultKmsKeyIdRequest())).KmsKeyId);
        Assert.Equal("alias/aws/ebs", (await West.GetEbsDefaultKmsKeyIdAsync(new GetEbsDefaultKmsKeyIdRequest())).KmsKeyId);
        Assert.Equal(Demo.CmkArn, Host.World.EbsDefaultKmsKeyIdOf(Demo.Owner, "us-east-1"));

        var reset = await Owner.ResetEbsDefaultKmsKeyIdAsync(new ResetEbsDefaultKmsKeyIdRequest());
        Assert.Equal(Demo.AwsEbsKeyArn, reset.KmsKeyId);
        Assert.Equal("alias/aws/ebs", (await Owner.GetEbsDefaultKmsKeyIdAsync(new GetEbsDefaultKmsKeyIdRequest())).KmsKeyId);
        Assert.Null(Host.World.EbsDefaultKmsKeyIdOf(Demo.Owner, "us-east-1"));

        await Assertions.Ec2Error(() => Owner.ModifyEbsDefaultKmsKeyIdAsync(new ModifyEbsDefaultKmsKeyIdRequest { KmsKeyId = Demo.CmkArn, DryRun = true }), "DryRunOperation", 412);
    }

    [Fact]
    public async Task CopyImage_UnencryptedSource_StaysUnencrypted_UnlessEncryptionByDefault_ThenTheRegionsDefaultKey()
    {
        var plain = await Copy(Owner, "plain-copy");
        Assert.False((await RootOf(Owner, plain.ImageId)).Encrypted);

        await Owner.EnableEbsEncryptionByDefaultAsync(new EnableEbsEncryptionByDefaultRequest());
        var byDefault = await Copy(Owner, "default-copy");
        var ebs = await RootOf(Owner, byDefault.ImageId);
        Assert.True(ebs.Encrypted);
        Assert.Equal(Demo.AwsEbsKeyArn, ebs.KmsKeyId);

        await Owner.ModifyEbsDefaultKmsKeyIdAsync(new ModifyEbsDefaultKmsKeyIdRequest { KmsKeyId = Demo.CmkArn });
        var cmk = await Copy(Owner, "default-cmk-copy");
        Assert.Equal(Demo.CmkArn, (await RootOf(Owner, cmk.ImageId)).KmsKeyId);
        var snap = Host.World.SnapshotIdsOf("us-east-1", cmk.ImageId)[0];
        Assert.Equal((true, Demo.CmkArn), Host.World.SnapshotEncryptionOf("us-east-1", snap));
    }

    [Fact]
    public async Task CopyImage_EncryptedWithoutKey_UsesTheDefaultKey_EncryptedWithKey_UsesThatKey()
    {
        var withoutKey = await Copy(Owner, "encrypted-copy", encrypted: true);
        Assert.Equal(Demo.AwsEbsKeyArn, (await RootOf(Owner, withoutKey.ImageId)).KmsKeyId);
        var withKey = await Copy(Owner, "cmk-copy", encrypted: true, kmsKeyId: "alias/amishare-cmk");
        Assert.Equal(Demo.CmkArn, (await RootOf(Owner, withKey.ImageId)).KmsKeyId);

        // Re-encrypting an aws/ebs AMI in its own region with a customer managed key (the re-encrypt-then-share remedy).
        var reencrypted = await Copy(Owner, "reencrypted", source: Demo.AwsEbs, encrypted: true, kmsKeyId: Demo.CmkArn);
        Assert.Equal(Demo.CmkArn, (await RootOf(Owner, reencrypted.ImageId)).KmsKeyId);
        await Owner.AddAsync(reencrypted.ImageId, User(Demo.Consumer));
        Assert.Contains(("UserId", Demo.Consumer), Host.World.LaunchPermissionsOf("us-east-1", reencrypted.ImageId));
    }

    [Fact]
    public async Task CopyImage_OwnEncryptedSourceSameRegion_KeepsItsKey_EvenWhenTheDefaultKeyDiffers()
    {
        await Owner.ModifyEbsDefaultKmsKeyIdAsync(new ModifyEbsDefaultKmsKeyIdRequest { KmsKeyId = Demo.AwsEbsKeyArn });
        await Owner.EnableEbsEncryptionByDefaultAsync(new EnableEbsEncryptionByDefaultRequest());
        var r = await Copy(Owner, "same-key", source: Demo.Cmk);
        Assert.Equal(Demo.CmkArn, (await RootOf(Owner, r.ImageId)).KmsKeyId);
    }

    [Fact]
    public async Task CopyImage_EncryptedSourceToAnotherRegion_GetsTheDestinationsDefaultKey()
    {
        var toAwsEbs = await Copy(West, "west-copy", source: Demo.Cmk);
        var ebs = await RootOf(West, toAwsEbs.ImageId);
        Assert.True(ebs.Encrypted);
        Assert.StartsWith("arn:aws:kms:us-west-2:123456789012:key/", ebs.KmsKeyId);
        using var kms = Clients.Kms(Host, region: "us-west-2");
        var key = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = ebs.KmsKeyId })).KeyMetadata;
        Assert.Equal("AWS", key.KeyManager.Value);
        Assert.Equal(ebs.KmsKeyId, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/ebs" })).KeyMetadata.Arn);

        await West.ModifyEbsDefaultKmsKeyIdAsync(new ModifyEbsDefaultKmsKeyIdRequest { KmsKeyId = "alias/west-cmk" });
        var toCmk = await Copy(West, "west-copy-2", source: Demo.Cmk);
        Assert.Equal(WestCmkArn, (await RootOf(West, toCmk.ImageId)).KmsKeyId);
        var img = (await West.ImageAsync(toCmk.ImageId))!;
        Assert.Equal(Demo.Cmk, img.SourceImageId);
        Assert.Equal("us-east-1", img.SourceImageRegion);
        var stateImage = Assert.Single(Host.State(imageId: toCmk.ImageId).Images);
        Assert.Equal((Demo.Cmk, "us-east-1"), (stateImage.SourceImageId, stateImage.SourceImageRegion));

        // A key of another region is not usable in the destination: the copy fails later, not the call.
        var wrongRegion = await Copy(West, "west-copy-3", encrypted: true, kmsKeyId: Demo.CmkArn);
        Assert.Equal("failed", (await West.ImageAsync(wrongRegion.ImageId))!.State.Value);
    }

    [Fact]
    public async Task CopyImage_SharedEncryptedSource_GetsTheCallersDefaultKey()
    {
        await Owner.AddAsync(Demo.Cmk, User(Demo.Consumer));
        await Owner.ModifySnapshotAttributeAsync(new ModifySnapshotAttributeRequest
        {
            SnapshotId = CmkSnap, Attribute = SnapshotAttributeName.CreateVolumePermission,
            CreateVolumePermission = new CreateVolumePermissionModifications { Add = new List<CreateVolumePermission> { new() { UserId = Demo.Consumer } } },
        });
        using var kms = Clients.Kms(Host);
        await kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = Demo.CmkArn, GranteePrincipal = $"arn:aws:iam::{Demo.Consumer}:root",
            Operations = new List<string> { "DescribeKey", "Decrypt", "CreateGrant", "ReEncryptFrom" },
        });
        var r = await Copy(Consumer, "consumer-copy", source: Demo.Cmk);
        var ebs = await RootOf(Consumer, r.ImageId);
        Assert.StartsWith($"arn:aws:kms:us-east-1:{Demo.Consumer}:key/", ebs.KmsKeyId);
    }

    [Fact]
    public async Task ModifyEbsDefaultKmsKeyId_UnknownKey_AcceptedAsGiven_TheCopiesThatUseItFail()
    {
        const string bogus = "alias/no-such-key";
        Assert.Equal(bogus, (await Owner.ModifyEbsDefaultKmsKeyIdAsync(new ModifyEbsDefaultKmsKeyIdRequest { KmsKeyId = bogus })).KmsKeyId);
        Assert.Equal(bogus, (await Owner.GetEbsDefaultKmsKeyIdAsync(new GetEbsDefaultKmsKeyIdRequest())).KmsKeyId);
        var unencrypted = await Copy(Owner, "still-plain");
        Assert.Equal("available", (await Owner.ImageAsync(unencrypted.ImageId))!.State.Value);
        var encrypted = await Copy(Owner, "needs-default", encrypted: true);
        var img = (await Owner.ImageAsync(encrypted.ImageId))!;
        Assert.Equal("failed", img.State.Value);
        Assert.Equal("Client.InvalidKMSKey.InvalidState", img.StateReason.Code);
    }

    [Fact]
    public async Task CopyImage_ClientToken_SameRequestReturnsTheSameImage_OtherParametersMismatch()
    {
        var first = await Copy(West, "golden-west", token: "tok-1");
        var before = Host.World.ImageIds("us-west-2", Demo.Owner).Count;
        var again = await Copy(West, "golden-west", token: "tok-1");
        Assert.Equal(first.ImageId, again.ImageId);
        Assert.Equal(before, Host.World.ImageIds("us-west-2", Demo.Owner).Count);

        await Assertions.Ec2Error(() => Copy(West, "golden-west-renamed", token: "tok-1"), "IdempotentParameterMismatch", 400,
            "The request uses the same client token as a previous, but non-identical request. Do not reuse a client token with different requests, unless the requests are identical.");
        await Assertions.Ec2Error(() => Copy(West, "golden-west", encrypted: true, token: "tok-1"), "IdempotentParameterMismatch", 400);
        Assert.Equal(before, Host.World.ImageIds("us-west-2", Demo.Owner).Count);

        // Another token is another request (here a duplicate name), and tokens are per region.
        await Assertions.Ec2Error(() => Copy(West, "golden-west", token: "tok-2"), "InvalidAMIName.Duplicate", 400);
        var east = await Copy(Owner, "golden-west", token: "tok-1");
        Assert.NotEqual(first.ImageId, east.ImageId);
    }

    public override async Task DisposeAsync()
    {
        _west?.Dispose();
        await base.DisposeAsync();
    }
}
