using Amazon.EC2;
using Amazon.EC2.Model;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>Snapshots (§2.5, §2.6, §8 item 41), CreateTags, CopyImage, block public access, DescribeRegions.</summary>
public sealed class SnapshotAndImageOpsTests : FreshEmulatorTest
{
    private Task AddVolumePermission(string snap, CreateVolumePermission p, bool remove = false) =>
        Owner.ModifySnapshotAttributeAsync(new ModifySnapshotAttributeRequest
        {
            SnapshotId = snap, Attribute = SnapshotAttributeName.CreateVolumePermission,
            CreateVolumePermission = remove
                ? new CreateVolumePermissionModifications { Remove = new List<CreateVolumePermission> { p } }
                : new CreateVolumePermissionModifications { Add = new List<CreateVolumePermission> { p } },
        });

    private async Task<List<string>> VolumePermissions(string snap)
    {
        var r = await Owner.DescribeSnapshotAttributeAsync(new DescribeSnapshotAttributeRequest { SnapshotId = snap, Attribute = SnapshotAttributeName.CreateVolumePermission });
        return (r.CreateVolumePermissions ?? new List<CreateVolumePermission>()).Select(p => p.UserId ?? "group:" + p.Group?.Value).ToList();
    }

    [Fact]
    public async Task ModifySnapshotAttribute_AddRemoveAll_IdempotentBothWays()
    {
        const string snap = "snap-0a1b2c3d4e5f60001";
        Assert.Empty(await VolumePermissions(snap));
        await AddVolumePermission(snap, new CreateVolumePermission { Group = PermissionGroup.All });
        await AddVolumePermission(snap, new CreateVolumePermission { Group = PermissionGroup.All });
        Assert.Equal(new[] { "group:all" }, await VolumePermissions(snap));
        Assert.Equal(new[] { "all" }, Host.World.CreateVolumePermissionsOf("us-east-1", snap));
        await AddVolumePermission(snap, new CreateVolumePermission { Group = PermissionGroup.All }, remove: true);
        await AddVolumePermission(snap, new CreateVolumePermission { Group = PermissionGroup.All }, remove: true);
        Assert.Empty(await VolumePermissions(snap));
    }

    [Fact]
    public async Task ModifySnapshotAttribute_AddExistingPlusNewUser_YieldsUnion()
    {
        const string snap = "snap-0a1b2c3d4e5f60005";
        await AddVolumePermission(snap, new CreateVolumePermission { UserId = Demo.Consumer });
        await Owner.ModifySnapshotAttributeAsync(new ModifySnapshotAttributeRequest
        {
            SnapshotId = snap, Attribute = "createVolumePermission", OperationType = OperationType.Add,
            UserIds = new List<string> { Demo.Consumer, Demo.Platform },
        });
        Assert.Equal(new[] { Demo.Consumer, Demo.Platform }, await VolumePermissions(snap));
    }

    [Fact]
    public async Task ModifySnapshotAttribute_Errors_MatchSpec()
    {
        await Assertions.Ec2Error(() => AddVolumePermission("snap-0a1b2c3d4e5f60001", new CreateVolumePermission { Group = new PermissionGroup("everyone") }),
            "InvalidAMIAttributeItemValue");
        await Assertions.Ec2Error(() => AddVolumePermission("snap-0123456789abcdef0", new CreateVolumePermission { UserId = Demo.Consumer }),
            "InvalidSnapshot.NotFound", 400, "The snapshot 'snap-0123456789abcdef0' does not exist.");
        await Assertions.Ec2Error(() => AddVolumePermission("snap-0a1b2c3d4e5f60002", new CreateVolumePermission { Group = PermissionGroup.All }),
            "UnsupportedOperation", 400, "Encrypted snapshots can\u2019t be shared publicly. Specify another snapshot.");
        await Assertions.Ec2Error(() => AddVolumePermission("snap-0a1b2c3d4e5f60003", new CreateVolumePermission { UserId = Demo.Consumer }),
            "InvalidParameter", 400, "Snapshots encrypted with the AWS Managed CMK can\u2019t be shared. Specify another snapshot.");
        await AddVolumePermission("snap-0a1b2c3d4e5f60002", new CreateVolumePermission { UserId = Demo.Consumer });
        Assert.Equal(new[] { Demo.Consumer }, Host.World.CreateVolumePermissionsOf("us-east-1", "snap-0a1b2c3d4e5f60002"));
    }

    [Fact]
    public async Task ModifySnapshotAttribute_AddAndRemoveTogetherOrOver500_Rejected()
    {
        await Assertions.Ec2Error(() => Owner.ModifySnapshotAttributeAsync(new ModifySnapshotAttributeRequest
        {
            SnapshotId = "snap-0a1b2c3d4e5f60001",
            CreateVolumePermission = new CreateVolumePermissionModifications
            {
                Add = new List<CreateVolumePermission> { new() { UserId = Demo.Consumer } },
                Remove = new List<CreateVolumePermission> { new() { UserId = Demo.Platform } },
            },
        }), "InvalidParameterCombination");
        var many = Enumerable.Range(0, 501).Select(n => new CreateVolumePermission { UserId = (100000000000L + n).ToString() }).ToList();
        await Assertions.Ec2Error(() => Owner.ModifySnapshotAttributeAsync(new ModifySnapshotAttributeRequest
        {
            SnapshotId = "snap-0a1b2c3d4e5f60001", CreateVolumePermission = new CreateVolumePermissionModifications { Add = many },
        }), "InvalidParameterValue");
        Assert.Empty(Host.World.CreateVolumePermissionsOf("us-east-1", "snap-0a1b2c3d4e5f60001"));
    }

    [Fact]
    public async Task ResetSnapshotAttribute_CreateVolumePermission_Clears()
    {
        await AddVolumePermission("snap-0a1b2c3d4e5f60001", new CreateVolumePermission { UserId = Demo.Consumer });
        await Owner.ResetSnapshotAttributeAsync(new ResetSnapshotAttributeRequest { SnapshotId = "snap-0a1b2c3d4e5f60001", Attribute = SnapshotAttributeName.CreateVolumePermission });
        Assert.Empty(Host.World.CreateVolumePermissionsOf("us-east-1", "snap-0a1b2c3d4e5f60001"));
    }

    [Fact]
    public async Task DescribeSnapshots_ImageSnapshots_ExistWithSameOwner()
    {
        var r = await Owner.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = new List<string> { "self" } });
        var byId = r.Snapshots.ToDictionary(s => s.SnapshotId);
        foreach (var ami in new[] { Demo.Web, Demo.Cmk, Demo.AwsEbs, Demo.Marketplace, Demo.Build })
            foreach (var snap in Host.World.SnapshotIdsOf("us-east-1", ami))
                Assert.Equal(Demo.Owner, byId[snap].OwnerId);
        Assert.True(byId["snap-0a1b2c3d4e5f60003"].Encrypted);
        Assert.Equal(Demo.AwsEbsKeyArn, byId["snap-0a1b2c3d4e5f60003"].KmsKeyId);
        Assert.Equal(SnapshotState.Completed, byId["snap-0a1b2c3d4e5f60001"].State);
    }

    [Fact]
    public async Task DescribeSnapshots_UnknownIdAndRestorableBy_Behave()
    {
        await Assertions.Ec2Error(() => Owner.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = new List<string> { "snap-0643b6dcd0a6f01f0" } }),
            "InvalidSnapshot.NotFound", 400, "The snapshot 'snap-0643b6dcd0a6f01f0' does not exist.");
        var hidden = await Consumer.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = new List<string> { "snap-0a1b2c3d4e5f60001" } });
        Assert.Empty(hidden.Snapshots ?? new List<Snapshot>());
        await AddVolumePermission("snap-0a1b2c3d4e5f60001", new CreateVolumePermission { UserId = Demo.Consumer });
        var mine = await Consumer.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { RestorableByUserIds = new List<string> { "self" }, OwnerIds = new List<string> { Demo.Owner } });
        Assert.Equal(new[] { "snap-0a1b2c3d4e5f60001" }, mine.Snapshots.Select(s => s.SnapshotId));
        await Assertions.Ec2Error(() => Owner.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = new List<string> { "XXX_XXX" } }),
            "InvalidUserID.Malformed", 400, "Invalid user id: \"XXX_XXX\"");
    }

    [Fact]
    public async Task CreateTags_ImageAndSnapshot_OverwriteAndShowInDescribe()
    {
        await Owner.CreateTagsAsync(new CreateTagsRequest
        {
            Resources = new List<string> { Demo.Cmk, "snap-0a1b2c3d4e5f60002" },
            Tags = new List<Tag> { new("Team", "Platform"), new("SharedWith", "engineering") },
        });
        var img = (await Owner.ImageAsync(Demo.Cmk))!;
        Assert.Equal("Platform", img.Tags.Single(t => t.Key == "Team").Value);
        Assert.Equal("engineering", Host.World.TagsOf("us-east-1", "snap-0a1b2c3d4e5f60002")["SharedWith"]);
        await Assertions.Ec2Error(() => Owner.CreateTagsAsync(new CreateTagsRequest { Resources = new List<string> { Demo.Cmk }, Tags = new List<Tag> { new("aws:x", "y") } }),
            "InvalidParameterValue");
        await Assertions.Ec2Error(() => Third.CreateTagsAsync(new CreateTagsRequest { Resources = new List<string> { Demo.Web }, Tags = new List<Tag> { new("a", "b") } }),
            "AuthFailure");
    }

    [Fact]
    public async Task BlockPublicAccess_ManagedByDeclarativePolicyInWorld_IsReported()
    {
        var doc = System.Text.Json.Nodes.JsonNode.Parse(World.DemoJson())!;
        doc["blockPublicAccess"]![0]!["managedBy"] = "declarative-policy";
        await using var host = await EmulatorHost.StartAsync(World.FromJson(doc.ToJsonString()));
        using var eu = Clients.Ec2(host, Demo.OwnerKey, "eu-west-1");

        var state = await eu.GetImageBlockPublicAccessStateAsync(new GetImageBlockPublicAccessStateRequest());

        Assert.Equal("block-new-sharing", state.ImageBlockPublicAccessState);
        Assert.Equal("declarative-policy", state.ManagedBy.Value);
    }

    [Fact]
    public async Task BlockPublicAccess_EnableGetDisable_PerAccountAndRegion()
    {
        var s = await Owner.GetImageBlockPublicAccessStateAsync(new GetImageBlockPublicAccessStateRequest());
        Assert.Equal("unblocked", s.ImageBlockPublicAccessState);
        using var eu = Clients.Ec2(Host, Demo.OwnerKey, "eu-west-1");
        Assert.Equal("block-new-sharing", (await eu.GetImageBlockPublicAccessStateAsync(new GetImageBlockPublicAccessStateRequest())).ImageBlockPublicAccessState);
        Assert.Equal("account", (await eu.GetImageBlockPublicAccessStateAsync(new GetImageBlockPublicAccessStateRequest())).ManagedBy.Value);

        var en = await Owner.EnableImageBlockPublicAccessAsync(new EnableImageBlockPublicAccessRequest { ImageBlockPublicAccessState = ImageBlockPublicAccessEnabledState.BlockNewSharing });
        Assert.Equal("block-new-sharing", en.ImageBlockPublicAccessState.Value);
        Assert.True(Host.World.IsImageBlockPublicAccessEnabled(Demo.Owner, "us-east-1"));
        Assert.False(Host.World.IsImageBlockPublicAccessEnabled(Demo.Consumer, "us-east-1"));
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Web, All()), "OperationNotPermitted");

        var dis = await eu.DisableImageBlockPublicAccessAsync(new DisableImageBlockPublicAccessRequest());
        Assert.Equal("unblocked", dis.ImageBlockPublicAccessState.Value);
        await eu.AddAsync(Demo.WebEu, All());
        Assert.True(Host.World.IsImagePublic("eu-west-1", Demo.WebEu));
    }

    [Fact]
    public async Task CopyImage_ToOtherRegion_NewOwnedImageWithoutLaunchPermissions()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        using var west = Clients.Ec2(Host, Demo.OwnerKey, "us-west-2");
        var r = await west.CopyImageAsync(new CopyImageRequest
        {
            SourceImageId = Demo.Web, SourceRegion = "us-east-1", Name = "web-copy", Description = "copied", CopyImageTags = true,
        });
        Assert.StartsWith("ami-", r.ImageId);
        Assert.NotEqual(Demo.Web, r.ImageId);
        var img = (await west.ImageAsync(r.ImageId))!;
        Assert.Equal("web-copy", img.Name);
        Assert.Equal(Demo.Owner, img.OwnerId);
        Assert.Equal("copied", img.Description);
        Assert.Contains(img.Tags, t => t.Key == "Team" && t.Value == "Web");
        Assert.NotEqual("snap-0a1b2c3d4e5f60001", img.BlockDeviceMappings[0].Ebs.SnapshotId);
        Assert.Empty(Host.World.LaunchPermissionsOf("us-west-2", r.ImageId));
        Assert.Equal(1, Host.Log.Count("CopyImage"));
    }

    [Fact]
    public async Task CopyImage_EncryptedWithCmkKey_SnapshotsUseThatKey()
    {
        var r = await Owner.CopyImageAsync(new CopyImageRequest
        {
            SourceImageId = Demo.AwsEbs, SourceRegion = "us-east-1", Name = "legacy-reencrypted", Encrypted = true, KmsKeyId = Demo.CmkArn,
        });
        var img = (await Owner.ImageAsync(r.ImageId))!;
        Assert.Equal(Demo.CmkArn, img.BlockDeviceMappings[0].Ebs.KmsKeyId);
        await Owner.AddAsync(r.ImageId, User(Demo.Consumer));
        Assert.Single(Host.World.LaunchPermissionsOf("us-east-1", r.ImageId));
    }

    [Fact]
    public async Task CopyImage_UnknownOrInvisibleSource_InvalidAMIIDNotFound()
    {
        await Assertions.Ec2Error(() => Owner.CopyImageAsync(new CopyImageRequest { SourceImageId = "ami-12345678", SourceRegion = "us-east-1", Name = "copy-x" }),
            "InvalidAMIID.NotFound", 400, "The image id '[ami-12345678]' does not exist");
        await Assertions.Ec2Error(() => Owner.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.Web, SourceRegion = "eu-west-1", Name = "copy-x" }),
            "InvalidAMIID.NotFound");
        await Assertions.Ec2Error(() => Consumer.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.Web, SourceRegion = "us-east-1", Name = "copy-x" }),
            "InvalidAMIID.NotFound");
    }

    [Fact]
    public async Task CopyImage_BadName_InvalidAMINameMalformed()
    {
        var e = await Assertions.Ec2Error(() => Owner.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.Web, SourceRegion = "us-east-1", Name = "bad*name" }),
            "InvalidAMIName.Malformed");
        Assert.StartsWith("AMI names must be between 3 and 128 characters long", e.Message);
        await Assertions.Ec2Error(() => Owner.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.Web, SourceRegion = "us-east-1", Name = "web-server-2026.11" }),
            "InvalidAMIName.Duplicate", 400, $"AMI name web-server-2026.11 is already in use by AMI {Demo.Web}");
    }

    [Fact]
    public async Task DescribeRegions_ReturnsWorldRegions()
    {
        var r = await Owner.DescribeRegionsAsync(new DescribeRegionsRequest());
        Assert.Equal(new[] { "us-east-1", "us-west-2", "eu-west-1" }, r.Regions.Select(x => x.RegionName));
        Assert.Equal("ec2.eu-west-1.amazonaws.com", r.Regions[2].Endpoint);
    }
}
