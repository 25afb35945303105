using Amazon.EC2;
using Amazon.EC2.Model;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>Image watermarks and block public access for snapshots.</summary>
public sealed class WatermarkAndSnapshotBpaTests : FreshEmulatorTest
{
    private const string WebSnap = "snap-0a1b2c3d4e5f60001";
    private const string ThirdSnap = "snap-0f0f0f0f0f0f0f0f0";

    private static Task<AttachImageWatermarkResponse> Attach(AmazonEC2Client ec2, string imageId, string name, bool dryRun = false) =>
        ec2.AttachImageWatermarkAsync(new AttachImageWatermarkRequest { ImageId = imageId, WatermarkName = name, DryRun = dryRun });

    private Task MakeSnapshotPublic(AmazonEC2Client ec2, string snapshotId, string? user = null) =>
        ec2.ModifySnapshotAttributeAsync(new ModifySnapshotAttributeRequest
        {
            SnapshotId = snapshotId, Attribute = SnapshotAttributeName.CreateVolumePermission,
            CreateVolumePermission = new CreateVolumePermissionModifications
            {
                Add = new List<CreateVolumePermission> { user == null ? new CreateVolumePermission { Group = "all" } : new CreateVolumePermission { UserId = user } },
            },
        });

    [Fact]
    public async Task AttachImageWatermark_KeyIsAccountColonName_ShownToOwnerAndConsumers_Filterable_DetachIsIdempotent()
    {
        var r = await Attach(Owner, Demo.Web, "approved-base");
        Assert.Equal($"{Demo.Owner}:approved-base", r.WatermarkKey);
        var m = Assert.Single((await Owner.ImageAsync(Demo.Web))!.ImageWatermarks);
        Assert.Equal(($"{Demo.Owner}:approved-base", Demo.Web, "us-east-1"), (m.WatermarkKey, m.SourceImageId, m.SourceImageRegion));
        Assert.Equal(new DateTime(2026, 11, 2, 10, 0, 0, DateTimeKind.Utc), m.SourceImageCreationTime!.Value.ToUniversalTime());
        Assert.NotNull(m.WatermarkCreationTime);

        // Attaching the same name again changes nothing.
        Assert.Equal(r.WatermarkKey, (await Attach(Owner, Demo.Web, "approved-base")).WatermarkKey);
        Assert.Single(Host.World.WatermarkKeysOf("us-east-1", Demo.Web));

        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        Assert.Equal(r.WatermarkKey, Assert.Single((await Consumer.ImageAsync(Demo.Web))!.ImageWatermarks).WatermarkKey);
        var filtered = await Consumer.ImageIdsAsync(new DescribeImagesRequest
        {
            Filters = new List<Filter> { new() { Name = "image-watermark.watermark-key", Values = new List<string> { $"{Demo.Owner}:approved*" } } },
        });
        Assert.Equal(new[] { Demo.Web }, filtered);
        Assert.Equal(new[] { r.WatermarkKey }, Assert.Single(Host.State(imageId: Demo.Web).Images).WatermarkKeys);

        Assert.True((await Owner.DetachImageWatermarkAsync(new DetachImageWatermarkRequest { ImageId = Demo.Web, WatermarkKey = r.WatermarkKey })).Return);
        Assert.Null((await Owner.ImageAsync(Demo.Web))!.ImageWatermarks);
        Assert.True((await Owner.DetachImageWatermarkAsync(new DetachImageWatermarkRequest { ImageId = Demo.Web, WatermarkKey = r.WatermarkKey })).Return);
    }

    [Fact]
    public async Task AttachImageWatermark_AtMostFive_OwnerOnly_NotOnPublicAmis_NameChecked_DryRun()
    {
        for (var n = 1; n <= 5; n++) await Attach(Owner, Demo.Build, $"mark-{n}");
        await Assertions.Ec2Error(() => Attach(Owner, Demo.Build, "mark-6"), "ResourceLimitExceeded", 400, "An AMI can have up to a total of 5 watermarks.");
        Assert.Equal(5, Host.World.WatermarkKeysOf("us-east-1", Demo.Build).Count);

        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        await Assertions.Ec2Error(() => Attach(Consumer, Demo.Web, "theirs"), "AuthFailure", 400, $"Not authorized for image:{Demo.Web}");
        await Assertions.Ec2Error(() => Attach(Third, Demo.ThirdPublic, "public-one"), "OperationNotPermitted", 400, "Watermarks cannot be added to public AMIs.");
        await Assertions.Ec2Error(() => Attach(Owner, Demo.Web, "x"), "InvalidParameterValue", 400);
        await Assertions.Ec2Error(() => Attach(Owner, Demo.Web, "dry-one", dryRun: true), "DryRunOperation", 412);
        Assert.Empty(Host.World.WatermarkKeysOf("us-east-1", Demo.Web));
    }

    [Fact]
    public async Task WatermarkedAmi_CannotBeMadePublic_UntilTheWatermarkIsDetached()
    {
        var key = (await Attach(Owner, Demo.Web, "internal-only")).WatermarkKey;
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Web, All()), "OperationNotPermitted", 400, "Images with watermarks may not be made public.");
        Assert.False(Host.World.IsImagePublic("us-east-1", Demo.Web));
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer), Org(Demo.OrgArn));
        await Owner.DetachImageWatermarkAsync(new DetachImageWatermarkRequest { ImageId = Demo.Web, WatermarkKey = key });
        await Owner.AddAsync(Demo.Web, All());
        Assert.True(Host.World.IsImagePublic("us-east-1", Demo.Web));
    }

    [Fact]
    public async Task CopyImage_CarriesWatermarks_WithTheirOriginalSource()
    {
        var key = (await Attach(Owner, Demo.Web, "golden")).WatermarkKey;
        using var west = Clients.Ec2(Host, Demo.OwnerKey, "us-west-2");
        var copy = await west.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.Web, SourceRegion = "us-east-1", Name = "golden-west" });
        var m = Assert.Single((await west.ImageAsync(copy.ImageId))!.ImageWatermarks);
        Assert.Equal((key, Demo.Web, "us-east-1"), (m.WatermarkKey, m.SourceImageId, m.SourceImageRegion));
        await Assertions.Ec2Error(() => west.AddAsync(copy.ImageId, All()), "OperationNotPermitted", 400, "Images with watermarks may not be made public.");
    }

    [Fact]
    public async Task SnapshotBlockPublicAccess_UnblockedByDefault_NewSharingBlocked_PerRegion()
    {
        var state = await Owner.GetSnapshotBlockPublicAccessStateAsync(new GetSnapshotBlockPublicAccessStateRequest());
        Assert.Equal(("unblocked", "account"), (state.State.Value, state.ManagedBy.Value));
        var enabled = await Owner.EnableSnapshotBlockPublicAccessAsync(new EnableSnapshotBlockPublicAccessRequest { State = SnapshotBlockPublicAccessState.BlockNewSharing });
        Assert.Equal("block-new-sharing", enabled.State.Value);
        Assert.Equal("block-new-sharing", (await Owner.GetSnapshotBlockPublicAccessStateAsync(new GetSnapshotBlockPublicAccessStateRequest())).State.Value);
        using var west = Clients.Ec2(Host, Demo.OwnerKey, "us-west-2");
        Assert.Equal("unblocked", (await west.GetSnapshotBlockPublicAccessStateAsync(new GetSnapshotBlockPublicAccessStateRequest())).State.Value);

        await Assertions.Ec2Error(() => MakeSnapshotPublic(Owner, WebSnap), "OperationNotPermitted", 400,
            "You can\u2019t publicly share this snapshot because block public access for snapshots is enabled for this account. To publicly share the snapshot, you must call the DisableSnapshotBlockPublicAccess API.");
        await MakeSnapshotPublic(Owner, WebSnap, user: Demo.Consumer);
        Assert.Equal(new[] { Demo.Consumer }, Host.World.CreateVolumePermissionsOf("us-east-1", WebSnap));

        Assert.Equal("unblocked", (await Owner.DisableSnapshotBlockPublicAccessAsync(new DisableSnapshotBlockPublicAccessRequest())).State.Value);
        await MakeSnapshotPublic(Owner, WebSnap);
        Assert.Contains("all", Host.World.CreateVolumePermissionsOf("us-east-1", WebSnap));
        Assert.Equal(new EmulatorSnapshotBlockPublicAccess(Demo.Owner, "us-east-1", "unblocked"), Assert.Single(Host.State(region: "us-east-1").SnapshotBlockPublicAccess));

        await Assertions.Ec2Error(() => Owner.EnableSnapshotBlockPublicAccessAsync(new EnableSnapshotBlockPublicAccessRequest { State = SnapshotBlockPublicAccessState.Unblocked }),
            "InvalidParameterValue", 400);
    }

    [Fact]
    public async Task SnapshotBlockAllSharing_HidesExistingPublicSnapshots_AttributeStillSaysAll_DisableRestores()
    {
        var restorableByAll = new DescribeSnapshotsRequest { RestorableByUserIds = new List<string> { "all" } };
        Assert.Contains(ThirdSnap, (await Consumer.DescribeSnapshotsAsync(restorableByAll)).Snapshots.Select(s => s.SnapshotId));

        await Third.EnableSnapshotBlockPublicAccessAsync(new EnableSnapshotBlockPublicAccessRequest { State = SnapshotBlockPublicAccessState.BlockAllSharing });
        Assert.DoesNotContain(ThirdSnap, ((await Consumer.DescribeSnapshotsAsync(restorableByAll)).Snapshots ?? new List<Snapshot>()).Select(s => s.SnapshotId));
        Assert.Null((await Consumer.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = new List<string> { ThirdSnap } })).Snapshots);
        // The public AMI stays public, but its storage is no longer readable by others: a consumer's copy is refused.
        await Assertions.Ec2Error(() => Consumer.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.ThirdPublic, SourceRegion = "us-east-1", Name = "third-copy" }),
            "InvalidRequest", 400, "You do not have permission to access the storage of this ami");
        var attr = await Third.DescribeSnapshotAttributeAsync(new DescribeSnapshotAttributeRequest { SnapshotId = ThirdSnap, Attribute = SnapshotAttributeName.CreateVolumePermission });
        Assert.Equal("all", Assert.Single(attr.CreateVolumePermissions).Group.Value);

        await Third.DisableSnapshotBlockPublicAccessAsync(new DisableSnapshotBlockPublicAccessRequest());
        Assert.Contains(ThirdSnap, (await Consumer.DescribeSnapshotsAsync(restorableByAll)).Snapshots.Select(s => s.SnapshotId));
        Assert.StartsWith("ami-", (await Consumer.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.ThirdPublic, SourceRegion = "us-east-1", Name = "third-copy" })).ImageId);
    }
}
