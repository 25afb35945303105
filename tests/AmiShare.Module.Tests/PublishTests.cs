using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmiShare.Emulator;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>Issue 9: Publish-Ami, counted on the emulator's request log.</summary>
public sealed class PublishTests
{
    private const string WestKey = "5e0e1d2c-0000-4000-8000-00000000a002";
    private const string EuKey = "5e0e1d2c-0000-4000-8000-00000000a003";
    private const string CmkKeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string Ssm = "/golden/linux/latest";

    private const string Acceptance =
        "Publish-Ami $args[0] -Region us-west-2,eu-west-1 -KmsKeyId @{ 'us-west-2' = 'alias/golden'; 'eu-west-1' = $args[2] } " +
        "-OrganizationalUnitArn $args[1] -IncludeKmsKey -SharedTag @{ release = '2026.11' } -DeprecateAfter 365d -SsmParameterName /golden/linux/latest";

    static PublishTests() => Environment.SetEnvironmentVariable("AMISHARE_COPY_POLL_SECONDS", "0.05");

    /// <summary>The demo world plus a customer managed key (alias/golden) in us-west-2 and eu-west-1.</summary>
    private static World GoldenWorld()
    {
        JsonNode doc = JsonNode.Parse(World.DemoJson())!;
        JsonArray keys = doc["keys"]!.AsArray();
        keys.Add(Key(WestKey, "us-west-2"));
        keys.Add(Key(EuKey, "eu-west-1"));
        return World.FromJson(doc.ToJsonString());

        static JsonNode Key(string id, string region) => new JsonObject
        {
            ["keyId"] = id, ["account"] = Owner, ["region"] = region, ["keyManager"] = "CUSTOMER",
            ["description"] = "golden", ["aliases"] = new JsonArray("alias/golden"),
        };
    }

    private static string KeyArn(string region, string id) => $"arn:aws:kms:{region}:{Owner}:key/{id}";

    private static JsonElement ImageState(ModuleTestContext t, string region, string imageId)
    {
        using JsonDocument d = JsonDocument.Parse(t.World.ToJson());
        foreach (JsonElement i in d.RootElement.GetProperty("images").EnumerateArray())
        {
            if (i.GetProperty("imageId").GetString() == imageId && i.GetProperty("region").GetString() == region)
            {
                return i.Clone();
            }
        }

        throw new InvalidOperationException($"{imageId} is not in {region}");
    }

    [Fact]
    public async Task Publish_TwoRegions_PerRegionKey_OuShare_SharedTag_Deprecation_Ssm_ThenRerunWritesNothing()
    {
        await using var t = await StartAsync(GoldenWorld());
        var r = t.Run(Acceptance, Web, EngineeringOu, KeyArn("eu-west-1", EuKey)).ThrowIfErrors();

        Assert.Equal(2, r.Output.Count);
        Assert.Equal(2, t.Log.Count("CopyImage"));
        foreach (PSObject row in r.Output)
        {
            string region = (string)row.Properties["Region"].Value;
            string id = (string)row.Properties["ImageId"].Value;
            string keyId = region == "us-west-2" ? WestKey : EuKey;
            Assert.Equal("Created", row.Properties["Action"].Value);
            Assert.Equal("available", row.Properties["State"].Value);
            Assert.Equal(Web, row.Properties["SourceImageId"].Value);
            Assert.Equal("us-east-1", row.Properties["SourceRegion"].Value);
            Assert.Equal(KeyArn(region, keyId), row.Properties["KmsKeyId"].Value);

            // Each copy encrypted with its own region's key.
            JsonElement image = ImageState(t, region, id);
            string snapshot = image.GetProperty("blockDeviceMappings")[0].GetProperty("snapshotId").GetString()!;
            Assert.Equal((true, KeyArn(region, keyId)), t.World.SnapshotEncryptionOf(region, snapshot));

            // Shared with the OU, the OU's statement in that region's key policy.
            Assert.Equal(new[] { "OrganizationalUnitArn:" + EngineeringOu }, t.PermissionsOf(id, region));
            Assert.Contains("o-abc1234567/r-ab12/ou-ab12-11111111/*", t.World.KeyPolicyOf(region, keyId));

            // The shared tag, the source tag, deprecation 365 days after the source's creation (2026-11-02T10:00Z).
            IReadOnlyDictionary<string, string> tags = t.World.TagsOf(region, id);
            Assert.Equal("2026.11", tags["ec2:SharedTag/release"]);
            Assert.Equal("us-east-1/" + Web, tags["amishare:source"]);
            Assert.StartsWith("2027-11-02T10:00:00", image.GetProperty("deprecationTime").GetString());
            Assert.Equal(new DateTime(2027, 11, 2, 10, 0, 0, DateTimeKind.Utc), (DateTime)row.Properties["DeprecationTime"].Value);

            // The SSM parameter of the region holds the region's copy.
            var parameter = t.World.ParameterOf(Owner, region, Ssm);
            Assert.NotNull(parameter);
            Assert.Equal((id, "aws:ec2:image"), (parameter!.Value.Value, parameter.Value.DataType));
        }

        // The source is untouched.
        Assert.Empty(t.PermissionsOf(Web));

        t.Log.Clear();
        var again = t.Run(Acceptance, Web, EngineeringOu, KeyArn("eu-west-1", EuKey)).ThrowIfErrors();
        Assert.Equal(0, t.Log.Count("CopyImage"));
        Assert.Equal(0, t.Log.MutatingCount);
        Assert.All(again.Output, row => Assert.Equal(("Reused", 0), ((string)row.Properties["Action"].Value, (int)row.Properties["Changes"].Value)));
        Assert.Equal(
            r.Output.Select(o => (string)o.Properties["ImageId"].Value),
            again.Output.Select(o => (string)o.Properties["ImageId"].Value));
    }

    [Fact]
    public async Task Publish_AwsEbsSourceWithPrincipals_ReEncryptsInItsOwnRegion_SharesTheCopy_NeverTheSource()
    {
        await using var t = await StartAsync();
        var r = t.Run("Publish-Ami $args[0] -Region us-east-1 -KmsKeyId alias/amishare-cmk -AccountId 111122223333 -IncludeKmsKey", AwsEbs).ThrowIfErrors();

        PSObject row = Assert.Single(r.Output);
        string copy = (string)row.Properties["ImageId"].Value;
        Assert.NotEqual(AwsEbs, copy);
        Assert.Equal("Created", row.Properties["Action"].Value);
        Assert.Equal("legacy-aws-ebs (re-encrypted)", row.Properties["ImageName"].Value);
        Assert.Equal(1, t.Log.Count("CopyImage"));
        string snapshot = ImageState(t, "us-east-1", copy).GetProperty("blockDeviceMappings")[0].GetProperty("snapshotId").GetString()!;
        Assert.Equal((true, KeyArn("us-east-1", CmkKeyId)), t.World.SnapshotEncryptionOf("us-east-1", snapshot));
        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(copy));
        Assert.Empty(t.PermissionsOf(AwsEbs));
        Assert.DoesNotContain(t.Log.Entries, e => e.Action == "ModifyImageAttribute" && e.Parameters.Values.Contains(AwsEbs));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Publish_TargetWhoseCopyWouldLandOnAwsEbs_WithPrincipals_IsRefusedBeforeAnyCopy(bool encryptionByDefault)
    {
        await using var t = await StartAsync();
        string source = AwsEbs;
        if (encryptionByDefault)
        {
            // An unencrypted source, but every copy in us-west-2 is encrypted with the region's default key (aws/ebs).
            t.World.SetEbsEncryptionByDefault(Owner, "us-west-2", true);
            source = Web;
        }

        var r = t.Run("Publish-Ami $args[0] -Region us-west-2 -AccountId 111122223333", source);

        ErrorRecord error = Assert.Single(r.AllErrors);
        Assert.Equal("CopyWouldUseAwsManagedKey,AmiShare.Commands.PublishAmiCommand", error.FullyQualifiedErrorId);
        Assert.Contains("us-west-2", error.Exception.Message);
        Assert.Contains("-KmsKeyId", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.Count("CopyImage"));
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Publish_WhatIf_PrintsTheWholePlan_AndWritesNothing()
    {
        await using var t = await StartAsync(GoldenWorld());
        var r = t.Run(Acceptance + " -WhatIf", Web, EngineeringOu, KeyArn("eu-west-1", EuKey)).ThrowIfErrors();

        Assert.Empty(r.Output);
        Assert.Equal(0, t.Log.MutatingCount);
        string shown = t.Ps.HostOutput.ToString()!;
        Assert.Contains("What if:", shown);
        Assert.Contains("CopyImage us-east-1/" + Web + " to us-west-2", shown);
        Assert.Contains("CopyImage us-east-1/" + Web + " to eu-west-1", shown);
        Assert.Contains("encrypted with " + KeyArn("us-west-2", WestKey), shown);
        Assert.Contains("share with " + EngineeringOu, shown);
        Assert.Contains("ec2:SharedTag/release=2026.11", shown);
        Assert.Contains("deprecate at 2027-11-02T10:00:00Z", shown);
        Assert.Contains("SSM parameter " + Ssm, shown);
    }

    [Theory]
    [InlineData("-Region us-west-2 -KmsKeyId @{ 'ap-south-1' = 'alias/golden' }", "KmsKeyRegionNotInTargets", "ap-south-1")]
    [InlineData("-Region us-west-2 -DeprecateAt '2020-01-01'", "InvalidDeprecationTime", "in the past")]
    [InlineData("-Region us-wst2", "InvalidRegion", "us-wst2")]
    [InlineData("-Region us-west-2 -SsmParameterName 'aws/x'", "InvalidSsmParameterName", "aws/x")]
    [InlineData("-Region us-west-2 -Tag @{ 'aws:x' = '1' }", "InvalidTag", "aws:x")]
    public async Task Publish_BadValue_IsRefusedBeforeAnyCall_NamingIt(string parameters, string errorId, string named)
    {
        await using var t = await StartAsync(GoldenWorld());
        var r = t.Run("Publish-Ami $args[0] " + parameters, Web);

        ErrorRecord error = Assert.Single(r.AllErrors);
        Assert.Equal(errorId + ",AmiShare.Commands.PublishAmiCommand", error.FullyQualifiedErrorId);
        Assert.Contains(named, error.Exception.Message);
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task Publish_UnusableKey_IsRefusedBeforeAnyCopy()
    {
        await using var t = await StartAsync(GoldenWorld());

        // A key of us-east-1 named for us-west-2.
        var r = t.Run("Publish-Ami $args[0] -Region us-west-2 -KmsKeyId @{ 'us-west-2' = $args[1] } -AccountId 111122223333", Web, KeyArn("us-east-1", CmkKeyId));

        ErrorRecord error = Assert.Single(r.AllErrors);
        Assert.Equal("KmsKeyNotUsable,AmiShare.Commands.PublishAmiCommand", error.FullyQualifiedErrorId);
        Assert.Contains("us-east-1", error.Exception.Message);
        Assert.Equal(0, t.Log.Count("CopyImage"));
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Publish_NoWait_ReturnsPending_ThenRerunFindsTheCopy_WaitsAndFinishes()
    {
        await using var t = await StartAsync(GoldenWorld());
        t.Emulator.Options.CopyImagePendingTime = TimeSpan.FromSeconds(2);
        const string Command = "Publish-Ami $args[0] -Region us-west-2 -KmsKeyId alias/golden -AccountId 111122223333 -SsmParameterName /golden/web";

        var first = t.Run(Command + " -NoWait", Web).ThrowIfErrors();
        PSObject pending = Assert.Single(first.Output);
        Assert.Equal(("pending", "Created"), ((string)pending.Properties["State"].Value, (string)pending.Properties["Action"].Value));
        string copy = (string)pending.Properties["ImageId"].Value;
        Assert.Equal(0, t.Log.Count("ModifyImageAttribute"));

        t.Log.Clear();
        var second = t.Run(Command, Web).ThrowIfErrors();
        PSObject done = Assert.Single(second.Output);
        Assert.Equal((copy, "available", "Reused"), ((string)done.Properties["ImageId"].Value, (string)done.Properties["State"].Value, (string)done.Properties["Action"].Value));
        Assert.Equal(0, t.Log.Count("CopyImage"));
        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(copy, "us-west-2"));
        Assert.Equal(copy, t.World.ParameterOf(Owner, "us-west-2", "/golden/web")!.Value.Value);
    }

    [Fact]
    public async Task Publish_Timeout_StopsWithCopyTimedOut_NamingTheCopyLeftRunning()
    {
        await using var t = await StartAsync(GoldenWorld());
        t.Emulator.Options.CopyImagePendingTime = TimeSpan.FromMinutes(10);

        var r = t.Run("Publish-Ami $args[0] -Region us-west-2 -KmsKeyId alias/golden -TimeoutSec 1", Web);

        ErrorRecord error = Assert.Single(r.AllErrors);
        Assert.Equal("CopyTimedOut,AmiShare.Commands.PublishAmiCommand", error.FullyQualifiedErrorId);
        Assert.Contains("us-west-2", error.Exception.Message);
        Assert.Contains("again", error.ErrorDetails.RecommendedAction);
        Assert.Equal(1, t.Log.Count("CopyImage"));
    }

    [Fact]
    public async Task Publish_SourceItselfInItsRegion_IsSharedThroughTheGrantPath_WithItsWarnings()
    {
        await using var t = await StartAsync();

        // The CMK-encrypted source in its own region is published as it is; without -IncludeKmsKey the account can't use its key.
        var r = t.Run("Publish-Ami $args[0] -Region us-east-1 -AccountId 111122223333", Cmk).ThrowIfErrors();

        PSObject row = Assert.Single(r.Output);
        Assert.Equal((Cmk, "Source"), ((string)row.Properties["ImageId"].Value, (string)row.Properties["Action"].Value));
        Assert.Equal(0, t.Log.Count("CopyImage"));
        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Cmk));
        Assert.Contains(r.Warnings, w => w.Contains("111122223333") && w.Contains("key"));
    }

    [Fact]
    public async Task Publish_AWarningTheSameForEveryRegion_IsWrittenOnce()
    {
        await using var t = await StartAsync();

        // Snapshots can't be shared with an OU: the grant plan of each region says so in the same words.
        var r = t.Run("Publish-Ami $args[0] -Region us-west-2, eu-west-1 -OrganizationalUnitArn $args[1] -IncludeSnapshot", Web, EngineeringOu).ThrowIfErrors();

        Assert.Equal(2, r.Output.Count);
        string warning = Assert.Single(r.Warnings);
        Assert.Contains("Snapshots cannot be shared with organizations or OUs", warning);
    }

    [Fact]
    public async Task Publish_DefaultOutput_IsTheFormatFilesTable_GroupedBySource_WithTheKeysShortForm()
    {
        await using var t = await StartAsync();
        t.Run("Publish-Ami $args[0] -Region us-east-1 -KmsKeyId alias/amishare-cmk -AccountId 111122223333 -IncludeKmsKey -DeprecateAt '2027-06-30T12:00:40Z' | Out-Default", AwsEbs).ThrowIfErrors();

        string[] lines = t.Ps.HostOutput.ToString()!.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
        int group = Array.FindIndex(lines, l => l.Trim() == $"Source: {AwsEbs} (us-east-1)");
        Assert.True(group >= 0, "group header missing in:\n" + string.Join("\n", lines));
        Assert.Equal("Region         ImageId               State     Action  Deprecates KmsKey", lines[group + 1]);
        Assert.Matches(@"^us-east-1      ami-[0-9a-f]{17} available Created 2027-06-30 1234abcd-12ab-34cd-56ef-1234567890ab$", lines[group + 3]);
    }

    [Fact]
    public async Task Publish_CtrlCWhileWaiting_StopsAtOnce_LeavesTheCopyRunning_AndNamesIt_ThenRerunFinishesIt()
    {
        await using var t = await StartAsync(GoldenWorld());
        t.Emulator.Options.CopyImagePendingTime = TimeSpan.FromMinutes(10);

        using var ps = PowerShell.Create();
        ps.Runspace = t.Ps.Runspace;
        ps.AddScript("Publish-Ami $args[0] -Region us-west-2 -KmsKeyId alias/golden -AccountId 111122223333").AddArgument(Web);
        IAsyncResult running = ps.BeginInvoke();
        Assert.True(SpinWait.SpinUntil(() => t.Log.Count("CopyImage") == 1 && t.Log.Count("DescribeImages") >= 3, TimeSpan.FromSeconds(60)), "the copy was never started and polled");

        ps.Stop();
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));

        string copy = t.Log.Entries.Where(e => e.Action == "DescribeImages" && e.Region == "us-west-2").Select(e => e.Parameters.Values.FirstOrDefault(v => v.StartsWith("ami-", StringComparison.Ordinal))).Last(v => v != null)!;
        string host = t.Ps.HostOutput.ToString()!;
        Assert.Contains($"left running: {copy} (us-west-2)", host);
        Assert.Contains("Run the same Publish-Ami again", host);
        Assert.Equal(0, t.Log.Count("ModifyImageAttribute"));

        // The copy goes on; the rerun finds it (no new CopyImage) and finishes once it is available.
        t.Emulator.Options.Clock = new LaterClock(TimeSpan.FromMinutes(11));
        var again = t.Run("Publish-Ami $args[0] -Region us-west-2 -KmsKeyId alias/golden -AccountId 111122223333", Web).ThrowIfErrors();
        Assert.Equal((copy, "Reused"), ((string)again.Output[0].Properties["ImageId"].Value, (string)again.Output[0].Properties["Action"].Value));
        Assert.Equal(1, t.Log.Count("CopyImage"));
        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(copy, "us-west-2"));
    }

    [Fact]
    public async Task Publish_CtrlCWhileARerunWaitsForAnEarlierCopy_NamesThatCopy_NotTheRegionAlreadyAvailable()
    {
        await using var t = await StartAsync(GoldenWorld());
        const string Command = "Publish-Ami $args[0] -Region us-west-2, eu-west-1 -KmsKeyId alias/golden -AccountId 111122223333";

        // eu-west-1's copy is made and available at once; us-west-2's copy is left pending by -NoWait.
        string available = (string)Assert.Single(t.Run("Publish-Ami $args[0] -Region eu-west-1 -KmsKeyId alias/golden", Web).ThrowIfErrors().Output).Properties["ImageId"].Value;
        t.Emulator.Options.CopyImagePendingTime = TimeSpan.FromMinutes(10);
        string pending = (string)Assert.Single(t.Run("Publish-Ami $args[0] -Region us-west-2 -KmsKeyId alias/golden -NoWait", Web).ThrowIfErrors().Output).Properties["ImageId"].Value;

        t.Log.Clear();
        using var ps = PowerShell.Create();
        ps.Runspace = t.Ps.Runspace;
        ps.AddScript(Command).AddArgument(Web);
        IAsyncResult running = ps.BeginInvoke();
        Assert.True(SpinWait.SpinUntil(() => t.Log.Entries.Count(e => e.Action == "DescribeImages" && e.Region == "us-west-2") >= 3, TimeSpan.FromSeconds(60)), "the pending copy was never polled");
        ps.Stop();
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));

        string host = t.Ps.HostOutput.ToString()!;
        Assert.Contains($"left running: {pending} (us-west-2).", host);
        Assert.DoesNotContain(available, host);
        Assert.Equal(0, t.Log.Count("CopyImage"));
    }

    /// <summary>The system clock moved forward, so a pending copy's time has come.</summary>
    private sealed class LaterClock(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
    }
}
