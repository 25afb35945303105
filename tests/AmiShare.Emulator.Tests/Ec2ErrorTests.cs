using Amazon.EC2;
using Amazon.EC2.Model;
using Xunit;
using static AmiShare.Emulator.Tests.Ec2Extensions;

namespace AmiShare.Emulator.Tests;

/// <summary>wire-spec §3 error rows and §8 items 27–33 (code, exact message, HTTP status).</summary>
public sealed class Ec2ErrorTests : FreshEmulatorTest
{
    [Fact]
    public async Task ModifyImageAttribute_GroupOtherThanAll_InvalidAMIAttributeItemValue()
    {
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Web, new LaunchPermission { Group = new PermissionGroup("everyone") }),
            "InvalidAMIAttributeItemValue", 400, "Invalid attribute item value \"everyone\" for UserGroup item type.");
    }

    [Theory]
    [InlineData("12345678901a")]
    [InlineData("1234567890123")]
    [InlineData("12345678901")]
    public async Task ModifyImageAttribute_BadAccountId_InvalidAMIAttributeItemValue(string bad)
    {
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Web, User(bad)),
            "InvalidAMIAttributeItemValue", 400, $"Invalid attribute item value \"{bad}\" for userId item type.");
    }

    [Fact]
    public async Task ModifyImageAttribute_OneInvalidAmongValid_AddsNothing()
    {
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Web, User(Demo.Consumer), User("bad"), User(Demo.Platform)), "InvalidAMIAttributeItemValue");
        Assert.Empty(await Owner.LaunchPermissionsAsync(Demo.Web));
    }

    [Fact]
    public async Task ModifyImageAttribute_BadOrganizationArn_InvalidAMIAttributeItemValue()
    {
        const string bad = "arn:aws:organizations::123456789012:account/o-abc1234567";
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Web, Org(bad)),
            "InvalidAMIAttributeItemValue", 400, $"Invalid attribute item value \"{bad}\" for OrganizationArn item type.");
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Web, Org("o-abc1234567")), "InvalidAMIAttributeItemValue");
    }

    [Fact]
    public async Task ModifyImageAttribute_BareOuId_InvalidAMIAttributeItemValue()
    {
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Web, Ou("ou-ab12-11111111")),
            "InvalidAMIAttributeItemValue", 400, "Invalid attribute item value \"ou-ab12-11111111\" for OrganizationalUnitArn item type.");
    }

    [Fact]
    public async Task ModifyImageAttribute_UnknownAmi_InvalidAMIIDNotFound()
    {
        await Assertions.Ec2Error(() => Owner.AddAsync("ami-0123456789abcdef0", User(Demo.Consumer)),
            "InvalidAMIID.NotFound", 400, "The image id '[ami-0123456789abcdef0]' does not exist");
        await Assertions.Ec2Error(() => Owner.RemoveAsync("ami-0123456789abcdef0", User(Demo.Consumer)), "InvalidAMIID.NotFound");
    }

    [Fact]
    public async Task ModifyImageAttribute_MalformedAmi_InvalidAMIIDMalformed()
    {
        await Assertions.Ec2Error(() => Owner.AddAsync("not_an_ami_id", User(Demo.Consumer)),
            "InvalidAMIID.Malformed", 400, "Invalid id: \"not_an_ami_id\" (expecting \"ami-...\")");
    }

    [Fact]
    public async Task ModifyImageAttribute_NotOwner_AuthFailure400()
    {
        await Assertions.Ec2Error(() => Third.AddAsync(Demo.Web, User(Demo.Third)), "AuthFailure", 400, $"Not authorized for image:{Demo.Web}");
        await Assertions.Ec2Error(() => Consumer.ResetImageAttributeAsync(new ResetImageAttributeRequest { ImageId = Demo.Web, Attribute = "launchPermission" }),
            "AuthFailure", 400, $"Not authorized for image:{Demo.Web}");
    }

    [Fact]
    public async Task DescribeImageAttribute_NotOwnerOfPublicImage_AuthFailure400()
    {
        await Assertions.Ec2Error(() => Owner.LaunchPermissionsAsync(Demo.ThirdPublic), "AuthFailure", 400, $"Not authorized for image:{Demo.ThirdPublic}");
    }

    [Fact]
    public async Task DescribeImageAttribute_BlockDeviceMapping_AuthFailureRestricted()
    {
        await Assertions.Ec2Error(() => Owner.DescribeImageAttributeAsync(new DescribeImageAttributeRequest { ImageId = Demo.Web, Attribute = "blockDeviceMapping" }),
            "AuthFailure", 400, "Unauthorized attempt to access restricted resource");
    }

    [Fact]
    public async Task DescribeImageAttribute_UnknownAttribute_InvalidRequest()
    {
        await Assertions.Ec2Error(() => Owner.DescribeImageAttributeAsync(new DescribeImageAttributeRequest { ImageId = Demo.Web, Attribute = "colour" }),
            "InvalidRequest", 400, "The request received was invalid.");
    }

    [Fact]
    public async Task DescribeImageAttribute_ProductCodesAndDescription_ReturnValues()
    {
        var pc = await Owner.DescribeImageAttributeAsync(new DescribeImageAttributeRequest { ImageId = Demo.Marketplace, Attribute = "productCodes" });
        var code = Assert.Single(pc.ImageAttribute.ProductCodes);
        Assert.Equal("8fjdk3jfk3ksd3kfkd3ksdf3k", code.ProductCodeId);
        Assert.Equal(ProductCodeValues.Marketplace, code.ProductCodeType);
        var d = await Owner.DescribeImageAttributeAsync(new DescribeImageAttributeRequest { ImageId = Demo.Web, Attribute = "description" });
        Assert.Equal("Web server golden image", d.ImageAttribute.Description);
    }

    [Fact]
    public async Task ModifyImageAttribute_PublicWhileBlockPublicAccessOn_OperationNotPermitted()
    {
        using var eu = Clients.Ec2(Host, Demo.OwnerKey, "eu-west-1");
        await Assertions.Ec2Error(() => eu.AddAsync(Demo.WebEu, All()), "OperationNotPermitted", 400,
            "You can\u2019t publicly share this image because block public access for AMIs is enabled for this account. To publicly share the image, you must call the DisableImageBlockPublicAccess API.");
        Assert.Empty(Host.World.LaunchPermissionsOf("eu-west-1", Demo.WebEu));
        await eu.AddAsync(Demo.WebEu, User(Demo.Consumer));
        Assert.Single(Host.World.LaunchPermissionsOf("eu-west-1", Demo.WebEu));
    }

    [Fact]
    public async Task ModifyImageAttribute_PublicWithProductCodes_OperationNotPermitted()
    {
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Marketplace, All()), "OperationNotPermitted", 400,
            "Images with marketplace product codes may not be made public.");
    }

    [Fact]
    public async Task ModifyImageAttribute_PublicWithEncryptedSnapshot_UnsupportedOperation()
    {
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Cmk, All()), "UnsupportedOperation", 400,
            "Encrypted snapshots can\u2019t be shared publicly. Specify another snapshot.");
    }

    [Fact]
    public async Task ModifyImageAttribute_ShareAwsManagedKeyImage_InvalidParameter()
    {
        const string msg = "Snapshots encrypted with the AWS Managed CMK can\u2019t be shared. Specify another snapshot.";
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.AwsEbs, User(Demo.Consumer)), "InvalidParameter", 400, msg);
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.AwsEbs, Org(Demo.OrgArn)), "InvalidParameter", 400, msg);
        Assert.Empty(Host.World.LaunchPermissionsOf("us-east-1", Demo.AwsEbs));
    }

    [Fact]
    public async Task ModifyImageAttribute_ShareCmkImageWithAccount_Succeeds()
    {
        await Owner.AddAsync(Demo.Cmk, User(Demo.Consumer));
        Assert.Equal(new[] { ("UserId", Demo.Consumer) }, Host.World.LaunchPermissionsOf("us-east-1", Demo.Cmk));
    }

    [Fact]
    public async Task ModifyImageAttribute_SixthPublicImage_ResourceLimitExceeded()
    {
        for (var n = 0; n < 5; n++)
            Host.World.AddImage(new ImageSpec { ImageId = $"ami-00000000000000{n:x3}", Region = "us-east-1", Owner = Demo.Owner, Name = $"pub-{n}", Public = true });
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Web, All()), "ResourceLimitExceeded", 400,
            "You have reached your quota of 5 for the number of public images allowed in this Region. Deregister unused public images or make them private, or request an increase in your public AMIs quota.");
    }

    [Fact]
    public async Task ModifyImageAttribute_NothingToChange_InvalidParameterCombination()
    {
        await Assertions.Ec2Error(() => Owner.ModifyImageAttributeAsync(new ModifyImageAttributeRequest { ImageId = Demo.Web }),
            "InvalidParameterCombination", 400, "No attributes specified.");
    }

    [Fact]
    public async Task ModifyImageAttribute_OldFormWithoutAttribute_MissingParameter()
    {
        await Assertions.Ec2Error(() => Owner.ModifyImageAttributeAsync(new ModifyImageAttributeRequest
        {
            ImageId = Demo.Web, OperationType = OperationType.Add, UserIds = new List<string> { Demo.Consumer },
        }), "MissingParameter", 400, "The request must contain the parameter LaunchPermission");
    }

    [Fact]
    public async Task ModifyImageAttribute_Description_UpdatesAndRejectsNonAscii()
    {
        await Owner.ModifyImageAttributeAsync(new ModifyImageAttributeRequest { ImageId = Demo.Web, Description = "new text" });
        Assert.Equal("new text", (await Owner.ImageAsync(Demo.Web))!.Description);
        await Assertions.Ec2Error(() => Owner.ModifyImageAttributeAsync(new ModifyImageAttributeRequest { ImageId = Demo.Web, Description = "caf\u00e9" }),
            "InvalidParameterValue", 400, "Character sets beyond ASCII are not supported.");
    }

    [Fact]
    public async Task DryRun_AllowedCall_DryRunOperation412AndNoChange()
    {
        // SDK v4 marks AmazonEC2Client.DryRun(request) obsolete and it no longer sends DryRun=true; requests carry a DryRun property.
        await Assertions.Ec2Error(() => Owner.ModifyImageAttributeAsync(new ModifyImageAttributeRequest
        {
            ImageId = Demo.Web, DryRun = true,
            LaunchPermission = new LaunchPermissionModifications { Add = new List<LaunchPermission> { User(Demo.Consumer) } },
        }), "DryRunOperation", 412, "Request would have succeeded, but DryRun flag is set.");
        Assert.Empty(Host.World.LaunchPermissionsOf("us-east-1", Demo.Web));
        Assert.Equal("true", Host.Log.Entries.Last().Parameters["DryRun"]);
    }

    [Fact]
    public async Task DryRun_UnknownOrForeignImage_ResourceErrorComesFirst()
    {
        await Assertions.Ec2Error(() => Owner.ModifyImageAttributeAsync(new ModifyImageAttributeRequest
        {
            ImageId = "ami-0123456789abcdef0", DryRun = true,
            LaunchPermission = new LaunchPermissionModifications { Add = new List<LaunchPermission> { User(Demo.Consumer) } },
        }), "InvalidAMIID.NotFound");
        await Assertions.Ec2Error(() => Third.ModifyImageAttributeAsync(new ModifyImageAttributeRequest
        {
            ImageId = Demo.Web, DryRun = true,
            LaunchPermission = new LaunchPermissionModifications { Add = new List<LaunchPermission> { User(Demo.Third) } },
        }), "AuthFailure", 400, $"Not authorized for image:{Demo.Web}");
        await Assertions.Ec2Error(() => Owner.DescribeImagesAsync(new DescribeImagesRequest { DryRun = true }), "DryRunOperation", 412);
        await Assertions.Ec2Error(() => Owner.CopyImageAsync(new CopyImageRequest { SourceImageId = Demo.Web, SourceRegion = "us-east-1", Name = "dry-copy", DryRun = true }),
            "DryRunOperation", 412);
        Assert.Equal(5, Host.World.ImageIds("us-east-1", Demo.Owner).Count);
    }

    [Fact]
    public async Task DryRun_DeniedAction_UnauthorizedOperation403()
    {
        Host.World.DenyAction(Demo.Owner, "ec2:ModifyImageAttribute");
        await Assertions.Ec2Error(() => Owner.ModifyImageAttributeAsync(new ModifyImageAttributeRequest
        {
            ImageId = Demo.Web, DryRun = true,
            LaunchPermission = new LaunchPermissionModifications { Add = new List<LaunchPermission> { User(Demo.Consumer) } },
        }), "UnauthorizedOperation", 403, "You are not authorized to perform this operation.");
        await Assertions.Ec2Error(() => Owner.AddAsync(Demo.Web, User(Demo.Consumer)), "UnauthorizedOperation", 403);
        Assert.NotNull(await Owner.ImageAsync(Demo.Web));
    }

    [Fact]
    public async Task AnyCall_UnknownAccessKey_AuthFailure401()
    {
        using var stranger = Clients.Ec2(Host, "AKIAUNKNOWNKEY000000");
        await Assertions.Ec2Error(() => stranger.DescribeImagesAsync(new DescribeImagesRequest()), "AuthFailure", 401,
            "AWS was not able to validate the provided access credentials");
        Assert.Equal(1, Host.Log.Count("DescribeImages"));
    }

    [Fact]
    public async Task ResetImageAttribute_UnknownAmi_InvalidAMIIDNotFound()
    {
        await Assertions.Ec2Error(() => Owner.ResetImageAttributeAsync(new ResetImageAttributeRequest { ImageId = "ami-12345678", Attribute = "launchPermission" }),
            "InvalidAMIID.NotFound", 400, "The image id '[ami-12345678]' does not exist");
    }

    [Fact]
    public async Task DeregisterImage_Twice_SecondIsUnavailable()
    {
        await Owner.DeregisterImageAsync(new DeregisterImageRequest { ImageId = Demo.Build });
        await Assertions.Ec2Error(() => Owner.DeregisterImageAsync(new DeregisterImageRequest { ImageId = Demo.Build }),
            "InvalidAMIID.Unavailable", 400, $"The image ID '{Demo.Build}' is no longer available");
        var r = await Owner.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = new List<string> { Demo.Build } });
        Assert.Empty(r.Images ?? new List<Image>());
        Assert.False(Host.World.ImageExists("us-east-1", Demo.Build));
    }

    [Fact]
    public async Task UnknownAction_InvalidAction400()
    {
        var res = await Clients.PostForm(Host, "Action=LaunchRockets&Version=2016-11-15");
        Assert.Equal(400, (int)res.StatusCode);
        Assert.Contains("<Code>InvalidAction</Code>", await res.Content.ReadAsStringAsync());
    }
}
