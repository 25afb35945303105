using System.Text.Json.Nodes;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// Issue 9, build 4, against the emulator: a watermarked AMI is never made public (WatermarkedCannotBePublic, before any
/// ModifyImageAttribute, the run goes on), and block public access for snapshots (read once per run, not per AMI) warns
/// that consumers of a public AMI cannot copy it; Set-AmiPublic -IncludeSnapshot then leaves the snapshots as they are.
/// </summary>
public sealed class PublicCopyModuleTests
{
    private const string WebSnapshot = "snap-0a1b2c3d4e5f60001";
    private const string Mark = Owner + ":approved-base";

    /// <summary>The demo world with <paramref name="watermarked"/> carrying <see cref="Mark"/>, and snapshot block public access in us-east-1.</summary>
    private static AmiShare.Emulator.World WorldWith(string? watermarked = null, string? snapshotBlock = null, string managedBy = "account")
    {
        var doc = JsonNode.Parse(AmiShare.Emulator.World.DemoJson())!;
        if (watermarked != null)
        {
            var image = doc["images"]!.AsArray().Single(i => (string)i!["imageId"]! == watermarked)!;
            image["watermarks"] = new JsonArray(new JsonObject
            {
                ["watermarkKey"] = Mark,
                ["sourceImageId"] = watermarked,
                ["sourceImageRegion"] = "us-east-1",
            });
        }

        if (snapshotBlock != null)
        {
            doc["snapshotBlockPublicAccess"] = new JsonArray(new JsonObject
            {
                ["account"] = Owner,
                ["region"] = "us-east-1",
                ["state"] = snapshotBlock,
                ["managedBy"] = managedBy,
            });
        }

        return AmiShare.Emulator.World.FromJson(doc.ToJsonString());
    }

    [Fact]
    public async Task SetAmiPublic_WatermarkedAmi_RefusedBeforeModifyImageAttribute_TheRunGoesOn()
    {
        await using var t = await StartAsync(WorldWith(watermarked: Web));
        Assert.Equal(new[] { Mark }, t.World.WatermarkKeysOf("us-east-1", Web));

        var r = t.Run("Set-AmiPublic $args[0], $args[1] -Force -WarningAction SilentlyContinue", Web, Agent);

        var error = Assert.Single(r.Errors);
        Assert.Equal("WatermarkedCannotBePublic,AmiShare.Commands.SetAmiPublicCommand", error.FullyQualifiedErrorId);
        Assert.Equal("InvalidOperation", error.CategoryInfo.Category.ToString());
        Assert.Equal(Web, error.TargetObject?.ToString());
        string message = error.ErrorDetails?.Message ?? error.Exception.Message;
        Assert.Contains(Web, message);
        Assert.Contains(Mark, message);
        Assert.Contains($"Remove-EC2ImageWatermark -ImageId {Web} -ImageWatermarkKey {Mark}", error.ErrorDetails!.RecommendedAction);
        Assert.Contains("DetachImageWatermark", error.ErrorDetails.RecommendedAction);

        // 0 ModifyImageAttribute for the watermarked AMI; the other AMI of the same command is made public.
        Assert.Equal(1, t.Log.Count("ModifyImageAttribute"));
        Assert.DoesNotContain(t.Log.Entries, e => e.Action == "ModifyImageAttribute" && e.Parameters.Values.Contains(Web));
        Assert.Empty(t.PermissionsOf(Web));
        Assert.Equal(new[] { "Group:all" }, t.PermissionsOf(Agent));
    }

    [Fact]
    public async Task TestAmiShareable_Public_WatermarkedAmi_FailFindingWithTheRemedy_NoWrite()
    {
        await using var t = await StartAsync(WorldWith(watermarked: Web));

        var r = t.Run("Test-AmiShareable $args[0] -Public", Web).ThrowIfErrors();
        var finding = r.Output.Single(o => (string)o.Properties["Check"].Value == "Watermarks");

        Assert.Equal("Fail", finding.Properties["Status"].Value.ToString());
        Assert.Equal("WatermarkedCannotBePublic", finding.Properties["ErrorId"].Value);
        Assert.Equal($"{Web} carries AMI watermark {Mark}; EC2 never makes a watermarked AMI public.", finding.Properties["Detail"].Value);
        Assert.Contains("aws ec2 detach-image-watermark --image-id " + Web, (string)finding.Properties["Remedy"].Value);
        Assert.Equal(false, t.Run("Test-AmiShareable $args[0] -Public -Quiet", Web).ThrowIfErrors().Output.Single().BaseObject);
        Assert.Equal(true, t.Run("Test-AmiShareable $args[0] -AccountId 111122223333 -Quiet", Web).ThrowIfErrors().Output.Single().BaseObject);
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task SetAmiPublic_IncludeSnapshot_SnapshotsBlocked_AmisPublic_SnapshotsLeft_BlockReadOncePerRun()
    {
        await using var t = await StartAsync(WorldWith(snapshotBlock: "block-new-sharing"));

        var r = t.Run("Set-AmiPublic $args[0], $args[1] -IncludeSnapshot -Force", Web, Agent).ThrowIfErrors();

        Assert.Equal(new[] { "Group:all" }, t.PermissionsOf(Web));
        Assert.Equal(new[] { "Group:all" }, t.PermissionsOf(Agent));
        Assert.Equal(0, t.Log.Count("ModifySnapshotAttribute"));
        Assert.Equal(2, t.Log.Count("ModifyImageAttribute"));
        Assert.Empty(t.World.CreateVolumePermissionsOf("us-east-1", WebSnapshot));
        Assert.Equal(2, r.Warnings.Count(w => w.Contains("-IncludeSnapshot cannot make") && w.Contains("Disable-EC2SnapshotBlockPublicAccess")));

        // Account-level: one read per run, not per AMI.
        Assert.Equal(1, t.Log.Count("GetSnapshotBlockPublicAccessState"));
    }

    [Fact]
    public async Task TestAmiShareable_Public_ManyAmis_SnapshotBlockReadOnce_WarnSaysConsumersCannotCopy()
    {
        await using var t = await StartAsync(WorldWith(snapshotBlock: "block-all-sharing", managedBy: "declarative-policy"));

        var r = t.Run("Test-AmiShareable $args[0], $args[1], $args[2] -Public", Web, Agent, Market).ThrowIfErrors();
        var findings = r.Output.Where(o => (string)o.Properties["Check"].Value == "SnapshotBlockPublicAccess").ToList();

        Assert.Equal(3, findings.Count);
        Assert.All(findings, f => Assert.Equal("Warn", f.Properties["Status"].Value.ToString()));
        Assert.All(findings, f => Assert.Contains("Other accounts can launch the public AMI but not copy it", (string)f.Properties["Detail"].Value));
        Assert.All(findings, f => Assert.StartsWith("A declarative policy of your organization manages this setting", (string)f.Properties["Remedy"].Value));
        Assert.Equal(1, t.Log.Count("GetSnapshotBlockPublicAccessState"));
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task SetAmiPublic_IncludeSnapshot_Unblocked_ConsumerCanCopy_ThenPrivateAgain()
    {
        await using var t = await StartAsync();

        // Public AMI alone: launchable, but a consumer's CopyImage cannot read its snapshot.
        t.Run("Set-AmiPublic $args[0] -Force -WarningAction SilentlyContinue", Web).ThrowIfErrors();
        (int status, string body) = await ConsumerCopyAsync(t);
        Assert.Equal(400, status);
        Assert.Contains("You do not have permission to access the storage of this ami", body);

        // -IncludeSnapshot on the already public AMI: only the snapshot is written; then the consumer can copy.
        t.Log.Clear();
        t.Run("Set-AmiPublic $args[0] -IncludeSnapshot -Force -WarningAction SilentlyContinue", Web).ThrowIfErrors();
        Assert.Equal(new[] { "ModifySnapshotAttribute" }, t.Log.Entries.Where(e => e.Action.StartsWith("Modify", StringComparison.Ordinal)).Select(e => e.Action));
        Assert.Equal(new[] { "all" }, t.World.CreateVolumePermissionsOf("us-east-1", WebSnapshot));
        (status, body) = await ConsumerCopyAsync(t);
        Assert.Equal(200, status);
        Assert.Contains("<imageId>ami-", body);

        // Rerun: nothing left to write.
        int before = t.Log.MutatingCount;
        t.Run("Set-AmiPublic $args[0] -IncludeSnapshot -Force -WarningAction SilentlyContinue", Web).ThrowIfErrors();
        Assert.Equal(before, t.Log.MutatingCount);

        t.Run("Set-AmiPublic $args[0] -IncludeSnapshot -Public:$false -Force", Web).ThrowIfErrors();
        Assert.Empty(t.PermissionsOf(Web));
        Assert.Empty(t.World.CreateVolumePermissionsOf("us-east-1", WebSnapshot));
    }

    /// <summary>The consumer account copies <see cref="Web"/> with a plain EC2 query (the emulator reads the account from the credential scope).</summary>
    private static async Task<(int Status, string Body)> ConsumerCopyAsync(ModuleTestContext t)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, t.Emulator.Endpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Action"] = "CopyImage",
                ["Version"] = "2016-11-15",
                ["SourceImageId"] = Web,
                ["SourceRegion"] = "us-east-1",
                ["Name"] = "consumer-copy",
            }),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={ConsumerKey}/20261129/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0");
        using HttpResponseMessage response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
