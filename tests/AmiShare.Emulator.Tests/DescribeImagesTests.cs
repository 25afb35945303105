using Amazon.EC2;
using Amazon.EC2.Model;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>wire-spec §2.1 and §8 items 17–25, 31.</summary>
public sealed class DescribeImagesTests : FreshEmulatorTest
{
    private static Filter F(string name, params string[] values) => new() { Name = name, Values = values.ToList() };

    [Fact]
    public async Task DescribeImages_IsPublicFilter_SplitsPublicAndPrivate()
    {
        await Owner.AddAsync(Demo.Web, All());
        var pub = await Owner.ImageIdsAsync(new DescribeImagesRequest { Owners = new List<string> { "self" }, Filters = new List<Filter> { F("is-public", "true") } });
        var priv = await Owner.ImageIdsAsync(new DescribeImagesRequest { Owners = new List<string> { "self" }, Filters = new List<Filter> { F("is-public", "false") } });
        Assert.Equal(new[] { Demo.Web }, pub);
        Assert.Equal(new[] { Demo.Cmk, Demo.AwsEbs, Demo.Marketplace, Demo.Build }, priv);
    }

    [Fact]
    public async Task DescribeImages_ExecutableByAccount_ReturnsImagesSharedWithThatAccountOnly()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        await Owner.AddAsync(Demo.Build, User(Demo.Platform));
        var forConsumer = await Owner.ImageIdsAsync(new DescribeImagesRequest { ExecutableUsers = new List<string> { Demo.Consumer } });
        Assert.Equal(new[] { Demo.Web }, forConsumer);
        var forThird = await Owner.ImageIdsAsync(new DescribeImagesRequest { ExecutableUsers = new List<string> { Demo.Third } });
        Assert.Empty(forThird);
    }

    [Fact]
    public async Task DescribeImages_ExecutableByWithStateFilter_StillReturnsSharedImage()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        var ids = await Owner.ImageIdsAsync(new DescribeImagesRequest
        {
            ExecutableUsers = new List<string> { Demo.Consumer }, Filters = new List<Filter> { F("state", "available") },
        });
        Assert.Equal(new[] { Demo.Web }, ids);
    }

    [Fact]
    public async Task DescribeImages_ExecutableBySelf_ReturnsDirectAndOrgShares()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        await Owner.AddAsync(Demo.Build, Ou(Demo.EngineeringOuArn));
        await Owner.AddAsync(Demo.Cmk, Ou(Demo.FinanceOuArn));
        var ids = await Consumer.ImageIdsAsync(new DescribeImagesRequest { ExecutableUsers = new List<string> { "self" } });
        Assert.Equal(new[] { Demo.Web, Demo.Build }, ids);
    }

    [Fact]
    public async Task DescribeImages_ExecutableByAnotherAccount_LeavesOutItsOrgOuAndPublicShares_OwnIdActsAsSelf()
    {
        // [DOC] "If you specify an AWS account ID that is not your own, only AMIs shared with that specific AWS account ID are
        // returned. However, AMIs that are shared with the account's organization or organizational unit (OU) are not returned."
        // (Demo.ThirdPublic is public and visible to the owner: not returned for the consumer's id either.)
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        await Owner.AddAsync(Demo.Build, Ou(Demo.EngineeringOuArn));
        await Owner.AddAsync(Demo.Cmk, Org(Demo.OrgArn));
        Assert.Equal(new[] { Demo.Web }, await Owner.ImageIdsAsync(new DescribeImagesRequest { ExecutableUsers = new List<string> { Demo.Consumer } }));
        // "If you specify self or your own AWS account ID, AMIs shared with your account are returned. In addition, AMIs that are
        // shared with the organization or OU of which you are member are also returned." Public AMIs are ExecutableBy=all.
        var self = await Consumer.ImageIdsAsync(new DescribeImagesRequest { ExecutableUsers = new List<string> { "self" } });
        Assert.Equal(new[] { Demo.Web, Demo.Cmk, Demo.Build }, self);
        Assert.Equal(self, await Consumer.ImageIdsAsync(new DescribeImagesRequest { ExecutableUsers = new List<string> { Demo.Consumer } }));
        Assert.Equal(new[] { Demo.ThirdPublic }, await Consumer.ImageIdsAsync(new DescribeImagesRequest { ExecutableUsers = new List<string> { "all" } }));
    }

    [Fact]
    public async Task DescribeImages_ExecutableByAll_ReturnsPublicImages()
    {
        var ids = await Consumer.ImageIdsAsync(new DescribeImagesRequest { ExecutableUsers = new List<string> { "all" } });
        Assert.Equal(new[] { Demo.ThirdPublic }, ids);
    }

    [Fact]
    public async Task DescribeImages_OwnerSelfAndOwnerId_ScopeByOwner()
    {
        var self = await Owner.ImageIdsAsync(new DescribeImagesRequest { Owners = new List<string> { "self" } });
        Assert.Equal(new[] { Demo.Web, Demo.Cmk, Demo.AwsEbs, Demo.Marketplace, Demo.Build }, self);
        var byId = await Owner.ImageIdsAsync(new DescribeImagesRequest { Owners = new List<string> { Demo.Third } });
        Assert.Equal(new[] { Demo.ThirdPublic }, byId);
        var alias = await Owner.ImageIdsAsync(new DescribeImagesRequest { Filters = new List<Filter> { F("owner-alias", "unknown") } });
        Assert.Empty(alias);
    }

    [Fact]
    public async Task DescribeImages_NameWildcardAndTagFilters_Match()
    {
        var web = await Owner.ImageIdsAsync(new DescribeImagesRequest { Filters = new List<Filter> { F("name", "web-server-*") } });
        Assert.Equal(new[] { Demo.Web }, web);
        var q = await Owner.ImageIdsAsync(new DescribeImagesRequest { Filters = new List<Filter> { F("name", "build-agent-2026.1?") } });
        Assert.Equal(new[] { Demo.Build }, q);
        var tagged = await Owner.ImageIdsAsync(new DescribeImagesRequest { Filters = new List<Filter> { F("tag:Team", "Web", "Build") } });
        Assert.Equal(new[] { Demo.Web, Demo.Build }, tagged);
        var both = await Owner.ImageIdsAsync(new DescribeImagesRequest { Filters = new List<Filter> { F("tag:Team", "Web"), F("tag:Stage", "prod") } });
        Assert.Equal(new[] { Demo.Web }, both);
        var none = await Owner.ImageIdsAsync(new DescribeImagesRequest { Filters = new List<Filter> { F("tag:Team", "App"), F("tag:Stage", "prod") } });
        Assert.Empty(none);
        var keyed = await Owner.ImageIdsAsync(new DescribeImagesRequest { Filters = new List<Filter> { F("tag-key", "Stage") } });
        Assert.Equal(new[] { Demo.Web }, keyed);
    }

    [Fact]
    public async Task DescribeImages_FilterWithoutValues_MatchesNothing()
    {
        var res = await Clients.PostForm(Host, "Action=DescribeImages&Version=2016-11-15&Filter.1.Name=name");
        var body = await res.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)res.StatusCode);
        Assert.Contains("<imagesSet/>", body);
    }

    [Fact]
    public async Task DescribeImages_FilterWithoutName_InvalidParameterValue()
    {
        await Assertions.Ec2Error(() => Owner.DescribeImagesAsync(new DescribeImagesRequest { Filters = new List<Filter> { new() { Values = new List<string> { "x" } } } }),
            "InvalidParameterValue");
    }

    [Fact]
    public async Task DescribeImages_UnknownIds_NotFoundWithSingularAndPluralMessages()
    {
        await Assertions.Ec2Error(() => Owner.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = new List<string> { "ami-abcd1234" } }),
            "InvalidAMIID.NotFound", 400, "The image id '[ami-abcd1234]' does not exist");
        await Assertions.Ec2Error(() => Owner.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = new List<string> { "ami-abcd1234", Demo.Web, "ami-1234abcd" } }),
            "InvalidAMIID.NotFound", 400, "The image ids '[ami-abcd1234, ami-1234abcd]' do not exist");
    }

    [Fact]
    public async Task DescribeImages_MalformedIds_ReportsOnlyFirst()
    {
        await Assertions.Ec2Error(() => Owner.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = new List<string> { "ami-abcd1234", "not_an_ami_id", "bad2" } }),
            "InvalidAMIID.Malformed", 400, "Invalid id: \"not_an_ami_id\" (expecting \"ami-...\")");
    }

    [Fact]
    public async Task DescribeImages_PrivateImageOfOtherAccount_NotFoundForNonOwner()
    {
        await Assertions.Ec2Error(() => Consumer.ImageAsync(Demo.Web), "InvalidAMIID.NotFound", 400, $"The image id '[{Demo.Web}]' does not exist");
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        var img = await Consumer.ImageAsync(Demo.Web);
        Assert.Equal(Demo.Owner, img!.OwnerId);
    }

    [Fact]
    public async Task DescribeImages_NonOwner_SeesNoTags()
    {
        await Owner.AddAsync(Demo.Web, User(Demo.Consumer));
        Assert.Equal(2, (await Owner.ImageAsync(Demo.Web))!.Tags.Count);
        Assert.Empty((await Consumer.ImageAsync(Demo.Web))!.Tags ?? new List<Tag>());
    }

    [Fact]
    public async Task DescribeImages_DefaultView_OwnPlusPublicPlusShared()
    {
        Assert.Equal(new[] { Demo.ThirdPublic }, await Consumer.ImageIdsAsync(new DescribeImagesRequest()));
        await Owner.AddAsync(Demo.Cmk, Org(Demo.OrgArn));
        Assert.Equal(new[] { Demo.Cmk, Demo.ThirdPublic }, await Consumer.ImageIdsAsync(new DescribeImagesRequest()));
        Assert.Equal(6, (await Owner.ImageIdsAsync(new DescribeImagesRequest())).Count);
    }

    [Fact]
    public async Task DescribeImages_ImageShape_CarriesSnapshotsEncryptionAndProductCodes()
    {
        var cmk = (await Owner.ImageAsync(Demo.Cmk))!;
        Assert.Equal("app-server-cmk", cmk.Name);
        Assert.Equal(ImageState.Available, cmk.State);
        Assert.False(cmk.Public);
        var ebs = Assert.Single(cmk.BlockDeviceMappings).Ebs;
        Assert.Equal("snap-0a1b2c3d4e5f60002", ebs.SnapshotId);
        Assert.True(ebs.Encrypted);
        Assert.Equal(Demo.CmkArn, ebs.KmsKeyId);
        Assert.Equal("2026-11-03T10:00:00.000Z", cmk.CreationDate);
        var build = (await Owner.ImageAsync(Demo.Build))!;
        Assert.Equal(new[] { "snap-0a1b2c3d4e5f60005", "snap-0a1b2c3d4e5f60015" }, build.BlockDeviceMappings.Select(b => b.Ebs.SnapshotId));
        var mp = (await Owner.ImageAsync(Demo.Marketplace))!;
        Assert.Equal("8fjdk3jfk3ksd3kfkd3ksdf3k", Assert.Single(mp.ProductCodes).ProductCodeId);
    }

    [Fact]
    public async Task DescribeImages_MaxResults_PaginatesWithNextToken()
    {
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var r = await Owner.DescribeImagesAsync(new DescribeImagesRequest { MaxResults = 2, NextToken = token });
            seen.AddRange(r.Images.Select(i => i.ImageId));
            token = r.NextToken;
            pages++;
        } while (token != null);
        Assert.Equal(3, pages);
        Assert.Equal(6, seen.Distinct().Count());
    }

    [Fact]
    public async Task DescribeImages_RegionFromCredentialScope_SeparatesState()
    {
        using var eu = Clients.Ec2(Host, Demo.OwnerKey, "eu-west-1");
        Assert.Equal(new[] { Demo.WebEu }, await eu.ImageIdsAsync(new DescribeImagesRequest { Owners = new List<string> { "self" } }));
        Assert.Equal("eu-west-1", Host.Log.Entries.Last().Region);
        await Assertions.Ec2Error(() => Owner.ImageAsync(Demo.WebEu), "InvalidAMIID.NotFound");
    }
}
