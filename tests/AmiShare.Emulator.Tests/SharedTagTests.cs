using Amazon.EC2;
using Amazon.EC2.Model;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>Tags with the ec2:SharedTag/ prefix: visible, read-only, to every account the AMI is shared with; nothing else is.</summary>
public sealed class SharedTagTests : FreshEmulatorTest
{
    private const string Release = "ec2:SharedTag/release";

    private Task TagRelease() =>
        Owner.CreateTagsAsync(new CreateTagsRequest { Resources = new List<string> { Demo.Web }, Tags = new List<Tag> { new(Release, "2026.11") } });

    private static Dictionary<string, string> TagsOf(Image i) => (i.Tags ?? new List<Tag>()).ToDictionary(t => t.Key, t => t.Value);

    [Fact]
    public async Task SharedTags_VisibleToAccountsTheAmiIsSharedWith_ThroughOuOrPublic_OwnerSeesAll()
    {
        await TagRelease();
        Assert.Equal("2026.11", Host.World.TagsOf("us-east-1", Demo.Web)[Release]);
        Assert.Equal(3, TagsOf((await Owner.ImageAsync(Demo.Web))!).Count);

        await Owner.AddAsync(Demo.Web, Ou(Demo.EngineeringOuArn));
        Assert.Equal(new Dictionary<string, string> { [Release] = "2026.11" }, TagsOf((await Consumer.ImageAsync(Demo.Web))!));
        await Assertions.Ec2Error(() => Third.ImageAsync(Demo.Web), "InvalidAMIID.NotFound", 400);

        await Owner.AddAsync(Demo.Web, All());
        Assert.Equal(new Dictionary<string, string> { [Release] = "2026.11" }, TagsOf((await Third.ImageAsync(Demo.Web))!));
    }

    [Fact]
    public async Task SharedTags_NonOwnerTagFiltersSeeOnlySharedTags()
    {
        await TagRelease();
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        DescribeImagesRequest ByFilter(string name, string value) =>
            new() { Filters = new List<Filter> { new() { Name = name, Values = new List<string> { value } } } };

        Assert.Equal(new[] { Demo.Web }, await Consumer.ImageIdsAsync(ByFilter("tag:" + Release, "2026.11")));
        Assert.Equal(new[] { Demo.Web }, await Consumer.ImageIdsAsync(ByFilter("tag-key", "ec2:SharedTag/*")));
        Assert.Empty(await Consumer.ImageIdsAsync(ByFilter("tag:Team", "Web")));
        Assert.Empty(await Consumer.ImageIdsAsync(ByFilter("tag-key", "Team")));
        Assert.Equal(new[] { Demo.Web }, await Owner.ImageIdsAsync(ByFilter("tag:Team", "Web")));
    }

    [Fact]
    public async Task SharedTags_ReadOnlyForConsumers()
    {
        await TagRelease();
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        await Assertions.Ec2Error(() => Consumer.CreateTagsAsync(new CreateTagsRequest { Resources = new List<string> { Demo.Web }, Tags = new List<Tag> { new(Release, "hacked") } }),
            "AuthFailure", 400);
        await Assertions.Ec2Error(() => Consumer.DeleteTagsAsync(new DeleteTagsRequest { Resources = new List<string> { Demo.Web }, Tags = new List<Tag> { new(Release) } }),
            "AuthFailure", 400);
        Assert.Equal("2026.11", Host.World.TagsOf("us-east-1", Demo.Web)[Release]);
    }

    [Fact]
    public async Task CopyImageTags_ConsumersCopyGetsOnlyTheSharedTags_OwnersCopyGetsAll()
    {
        await TagRelease();
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        await Owner.ModifySnapshotAttributeAsync(new ModifySnapshotAttributeRequest
        {
            SnapshotId = "snap-0a1b2c3d4e5f60001", Attribute = SnapshotAttributeName.CreateVolumePermission,
            CreateVolumePermission = new CreateVolumePermissionModifications { Add = new List<CreateVolumePermission> { new() { UserId = Demo.Consumer } } },
        });
        var consumerCopy = await Consumer.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.Web, SourceRegion = "us-east-1", Name = "consumer-copy", CopyImageTags = true });
        Assert.Equal(new Dictionary<string, string> { [Release] = "2026.11" }, new Dictionary<string, string>(Host.World.TagsOf("us-east-1", consumerCopy.ImageId)));

        var ownerCopy = await Owner.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.Web, SourceRegion = "us-east-1", Name = "owner-copy", CopyImageTags = true });
        Assert.Equal(new[] { "Stage", "Team", Release }.OrderBy(k => k, StringComparer.Ordinal),
            Host.World.TagsOf("us-east-1", ownerCopy.ImageId).Keys.OrderBy(k => k, StringComparer.Ordinal));

        var untagged = await Consumer.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.Web, SourceRegion = "us-east-1", Name = "consumer-copy-2" });
        Assert.Empty(Host.World.TagsOf("us-east-1", untagged.ImageId));
    }
}
