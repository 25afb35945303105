using System.Text.Json.Nodes;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// Issue 7, build 4, against the emulator: the public-AMI quota is EC2's to decide (it is adjustable, L-0E3CBAB9),
/// and a denied preflight read (GetImageBlockPublicAccessState) is a warning, not a refusal.
/// </summary>
public sealed class PublicQuotaTests
{
    /// <summary>The demo world with the given public-AMI quota, <paramref name="alreadyPublic"/> public AMIs of the owner in us-east-1, and IAM denies for the owner.</summary>
    private static AmiShare.Emulator.World WorldWith(int? quota, int alreadyPublic, params string[] ownerDenied)
    {
        var doc = JsonNode.Parse(AmiShare.Emulator.World.DemoJson())!;
        if (quota != null)
        {
            doc["publicImageQuota"] = quota.Value;
        }

        var images = doc["images"]!.AsArray();
        for (int i = 0; i < alreadyPublic; i++)
        {
            images.Add(new JsonObject
            {
                ["imageId"] = $"ami-0b0b0b0b0b0b0b{i:x3}",
                ["region"] = "us-east-1",
                ["owner"] = Owner,
                ["name"] = $"already-public-{i}",
                ["public"] = true,
            });
        }

        if (ownerDenied.Length > 0)
        {
            var owner = doc["accounts"]!.AsArray().Single(a => (string)a!["id"]! == Owner)!;
            owner["deniedActions"] = new JsonArray(ownerDenied.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray());
        }

        return AmiShare.Emulator.World.FromJson(doc.ToJsonString());
    }

    [Fact]
    public async Task SetAmiPublic_SixthPublicAmi_QuotaRaisedTo10_Succeeds_WithCountWarning()
    {
        await using var t = await StartAsync(WorldWith(quota: 10, alreadyPublic: 5));

        var r = t.Run("Set-AmiPublic $args[0] -Force", Web).ThrowIfErrors();

        Assert.Equal(new[] { "Group:all" }, t.PermissionsOf(Web));
        Assert.Equal(1, t.Log.SuccessfulMutatingCount);
        Assert.Contains(r.Warnings, w => w.Contains("has 5 public AMIs") && w.Contains("L-0E3CBAB9"));
    }

    [Fact]
    public async Task SetAmiPublic_EleventhPublicAmi_QuotaOf10_FailsWithEc2sOwnError_AndTheRemedy()
    {
        await using var t = await StartAsync(WorldWith(quota: 10, alreadyPublic: 10));

        var r = t.Run("Set-AmiPublic $args[0] -Force", Web);

        var error = Assert.Single(r.Errors);
        Assert.Equal("PublicImageQuotaExceeded,AmiShare.Commands.SetAmiPublicCommand", error.FullyQualifiedErrorId);
        Assert.Equal("LimitsExceeded", error.CategoryInfo.Category.ToString());
        string message = error.ErrorDetails?.Message ?? error.Exception.Message;
        Assert.Contains("You have reached your quota of 10 for the number of public images allowed in this Region", message);
        Assert.Contains("it has 10 public AMIs there", message);
        string remedy = error.ErrorDetails!.RecommendedAction;
        Assert.Contains("L-0E3CBAB9", remedy);
        Assert.Contains("Set-AmiPublic -Public:$false", remedy);
        Assert.Contains("the account has 10 public AMIs in region 'us-east-1'", remedy);

        // AmiShare did not refuse by itself: EC2 was asked, and refused.
        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
        Assert.Equal(0, t.Log.SuccessfulMutatingCount);
        Assert.Empty(t.PermissionsOf(Web));
    }

    [Fact]
    public async Task TestAmiShareable_Public_CountAtTheDefault_IsAWarnNeverAFail()
    {
        await using var t = await StartAsync(WorldWith(quota: null, alreadyPublic: 5));

        var r = t.Run("Test-AmiShareable $args[0] -Public", Web).ThrowIfErrors();

        var quota = r.Output.Single(o => (string)o.Properties["Check"].Value == "PublicImageQuota");
        Assert.Equal("Warn", quota.Properties["Status"].Value.ToString());
        Assert.Contains("has 5 public AMIs", (string)quota.Properties["Detail"].Value);
        Assert.DoesNotContain(r.Output, o => o.Properties["Status"].Value.ToString() == "Fail");
        Assert.Equal(true, t.Run("Test-AmiShareable $args[0] -Public -Quiet", Web).ThrowIfErrors().Output.Single().BaseObject);
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task SetAmiPublic_GetImageBlockPublicAccessStateDenied_WarnsAndTheAmiIsPublic()
    {
        await using var t = await StartAsync(WorldWith(quota: null, alreadyPublic: 0, "ec2:GetImageBlockPublicAccessState"));

        var r = t.Run("Set-AmiPublic $args[0] -Force", Web).ThrowIfErrors();

        Assert.Contains(r.Warnings, w => w.Contains("Could not check block public access") && w.Contains("permission ec2:GetImageBlockPublicAccessState missing"));
        Assert.Equal(new[] { "Group:all" }, t.PermissionsOf(Web));
        Assert.Equal(1, t.Log.Count("GetImageBlockPublicAccessState"));
    }

    [Fact]
    public async Task SetAmiPublic_GetImageBlockPublicAccessStateDenied_BlockOn_Ec2RefusesWithPublicSharingBlocked()
    {
        // EuWeb's region (eu-west-1) has the block on in the demo world: without the read, EC2 decides and says so.
        await using var t = await StartAsync(WorldWith(quota: null, alreadyPublic: 0, "ec2:GetImageBlockPublicAccessState"));

        var r = t.Run("Set-AmiPublic $args[0] -Region eu-west-1 -Force", EuWeb);

        Assert.Contains(r.Warnings, w => w.Contains("permission ec2:GetImageBlockPublicAccessState missing"));
        var error = Assert.Single(r.Errors);
        Assert.Equal("PublicSharingBlocked,AmiShare.Commands.SetAmiPublicCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Disable-EC2ImageBlockPublicAccess", error.ErrorDetails!.RecommendedAction);
        Assert.Equal(0, t.Log.SuccessfulMutatingCount);
        Assert.Empty(t.PermissionsOf(EuWeb, "eu-west-1"));
    }

    [Fact]
    public async Task TestAmiShareable_Public_GetImageBlockPublicAccessStateDenied_WarnNotFail()
    {
        await using var t = await StartAsync(WorldWith(quota: null, alreadyPublic: 0, "GetImageBlockPublicAccessState"));

        var r = t.Run("Test-AmiShareable $args[0] -Public", Web).ThrowIfErrors();

        var bpa = r.Output.Single(o => (string)o.Properties["Check"].Value == "BlockPublicAccess");
        Assert.Equal("Warn", bpa.Properties["Status"].Value.ToString());
        Assert.Contains("permission ec2:GetImageBlockPublicAccessState missing", (string)bpa.Properties["Detail"].Value);
    }
}
