using System.Management.Automation;
using AmiShare.Emulator;
using AmiShare.Sandbox;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// Issue 10, build 4 and its acceptance: as the member account 111122223333, Copy-SharedAmi copies the owner's
/// CMK-encrypted AMI into its own account, re-encrypted with its own key (the demo world's alias/consumer-cmk) in each
/// region, tagged with its source; a rerun makes no CopyImage; a missing grant of the owner is refused before any
/// CopyImage, naming the exact grant.
/// </summary>
public sealed class CopySharedAmiTests
{
    private const string AsConsumer = $"-AccessKey {ConsumerKey} -SecretKey {ConsumerSecret}";
    private const string CmkSnapshot = "snap-0a1b2c3d4e5f60002";
    private const string OwnerKeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string ConsumerEastKey = "arn:aws:kms:us-east-1:111122223333:key/c0c0c0c0-1111-4222-8333-0000000000e1";
    private const string ConsumerWestKey = "arn:aws:kms:us-west-2:111122223333:key/c0c0c0c0-1111-4222-8333-0000000000a2";
    private const string Copy = $"Copy-SharedAmi $args[0] {AsConsumer} -KmsKeyId alias/consumer-cmk";

    static CopySharedAmiTests() => Environment.SetEnvironmentVariable("AMISHARE_COPY_POLL_SECONDS", "0.05");

    private static string P(PSObject o, string name) => Convert.ToString(o.Properties[name].Value, System.Globalization.CultureInfo.InvariantCulture)!;

    /// <summary>The context's defaults cover *-Ami* cmdlets only: Copy-SharedAmi gets the emulator's endpoint here.</summary>
    private static async Task<ModuleTestContext> StartCopyAsync()
    {
        ModuleTestContext t = await StartAsync();
        t.Run("$global:PSDefaultParameterValues['Copy-SharedAmi:EndpointUrl'] = $Endpoint").ThrowIfErrors();
        return t;
    }

    private static void ShareFully(ModuleTestContext t) =>
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1] -IncludeKmsKey -IncludeSnapshot", Cmk, Consumer).ThrowIfErrors();

    [Fact]
    public async Task Member_CopiesEncryptedShare_WithItsOwnKey_ToTwoRegions_TaggedWithSource_AndRerunMakesNoCopy()
    {
        await using var t = await StartCopyAsync();
        ShareFully(t);
        t.Log.Clear();

        var r = t.Run(Copy + " -Region us-east-1, us-west-2", Cmk).ThrowIfErrors();

        Assert.Equal(2, t.Log.Count("CopyImage"));
        Assert.Equal(new[] { "us-east-1", "us-west-2" }, r.Output.Select(o => P(o, "Region")));
        foreach (PSObject row in r.Output)
        {
            string region = P(row, "Region");
            string copy = P(row, "ImageId");
            string key = region == "us-east-1" ? ConsumerEastKey : ConsumerWestKey;
            Assert.Equal(("available", "Created", "1", key, Owner), (P(row, "State"), P(row, "Action"), P(row, "Changes"), P(row, "KmsKeyId"), P(row, "SourceOwnerId")));
            Assert.Contains(copy, t.World.ImageIds(region, Consumer));
            string snapshot = Assert.Single(t.World.SnapshotIdsOf(region, copy));
            Assert.Equal((true, key), t.World.SnapshotEncryptionOf(region, snapshot));
            Assert.Equal("us-east-1/" + Cmk, t.World.TagsOf(region, copy)["amishare:source"]);
        }

        t.Log.Clear();
        var again = t.Run(Copy + " -Region us-east-1, us-west-2", Cmk).ThrowIfErrors();
        Assert.Equal(0, t.Log.Count("CopyImage"));
        Assert.Equal(0, t.Log.MutatingCount);
        Assert.Equal(r.Output.Select(o => P(o, "ImageId")), again.Output.Select(o => P(o, "ImageId")));
        Assert.All(again.Output, o => Assert.Equal(("Reused", "0"), (P(o, "Action"), P(o, "Changes"))));
    }

    [Fact]
    public async Task OwnerWithoutSnapshotGrant_IsRefusedBeforeCopyImage_WithTheExactGrant()
    {
        await using var t = await StartCopyAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1] -IncludeKmsKey", Cmk, Consumer).ThrowIfErrors();
        t.Log.Clear();

        var r = t.Run(Copy + " -Region us-east-1, us-west-2", Cmk);

        ErrorRecord error = Assert.Single(r.AllErrors);
        Assert.Equal("SharedSnapshotNotRestorable,AmiShare.Commands.CopySharedAmiCommand", error.FullyQualifiedErrorId);
        Assert.Contains(CmkSnapshot, error.Exception.Message);
        Assert.Contains("createVolumePermission", error.Exception.Message);
        Assert.DoesNotContain("KMS key", error.Exception.Message);
        string remedy = error.ErrorDetails.RecommendedAction;
        Assert.Contains($"Grant-AmiLaunchPermission -ImageId {Cmk} -AccountId {Consumer} -IncludeSnapshot -Region us-east-1", remedy);
        Assert.Contains($"aws ec2 modify-snapshot-attribute --snapshot-id {CmkSnapshot} --attribute createVolumePermission --operation-type add --user-ids {Consumer} --region us-east-1", remedy);
        Assert.Empty(r.Output);
        Assert.Equal(0, t.Log.Count("CopyImage"));
        Assert.Equal(0, t.Log.MutatingCount);

        // The grant it names is the one that was missing: after it, the same command copies.
        t.Run($"Grant-AmiLaunchPermission -ImageId {Cmk} -AccountId {Consumer} -IncludeSnapshot -Region us-east-1").ThrowIfErrors();
        Assert.Equal(2, t.Run(Copy + " -Region us-east-1, us-west-2", Cmk).ThrowIfErrors().Output.Count);
    }

    [Fact]
    public async Task NoAccessToTheSourceKey_IsRefused_NamingTheKeyAndThePermissions()
    {
        await using var t = await StartCopyAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1] -IncludeSnapshot -WarningAction SilentlyContinue", Cmk, Consumer).ThrowIfErrors();
        t.Log.Clear();

        var r = t.Run(Copy, Cmk);

        ErrorRecord error = Assert.Single(r.AllErrors);
        Assert.Equal("SharedKeyNotUsable,AmiShare.Commands.CopySharedAmiCommand", error.FullyQualifiedErrorId);
        Assert.Contains(OwnerKeyArn, error.Exception.Message);
        Assert.Contains("kms:DescribeKey, kms:ReEncrypt*, kms:CreateGrant and kms:Decrypt", error.ErrorDetails.RecommendedAction);
        Assert.Contains($"-IncludeKmsKey", error.ErrorDetails.RecommendedAction);
        Assert.Contains("owner (account " + Owner + ")", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.Count("CopyImage"));
    }

    [Fact]
    public async Task NotShared_IsRefused_NamingTheLaunchPermissionGrant()
    {
        await using var t = await StartCopyAsync();

        var r = t.Run(Copy, Cmk);

        ErrorRecord error = Assert.Single(r.AllErrors);
        Assert.Equal("SharedAmiNotFound,AmiShare.Commands.CopySharedAmiCommand", error.FullyQualifiedErrorId);
        Assert.Contains($"Grant-AmiLaunchPermission -ImageId {Cmk} -AccountId {Consumer}", error.ErrorDetails.RecommendedAction);
        Assert.Contains("launch-permission", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.Count("CopyImage"));
    }

    [Fact]
    public async Task EncryptedSource_WithoutKey_WouldLandOnAwsEbs_IsRefused()
    {
        await using var t = await StartCopyAsync();
        ShareFully(t);
        t.Log.Clear();

        var r = t.Run($"Copy-SharedAmi $args[0] {AsConsumer} -Region us-west-2", Cmk);

        ErrorRecord error = Assert.Single(r.AllErrors);
        Assert.Equal("CopyWouldUseAwsManagedKey,AmiShare.Commands.CopySharedAmiCommand", error.FullyQualifiedErrorId);
        Assert.Contains("us-west-2", error.Exception.Message);
        Assert.Contains("-KmsKeyId", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.Count("CopyImage"));
    }

    [Theory]
    [InlineData("alias/no-such-key", "not found")]
    [InlineData(OwnerKeyArn, "belongs to account 123456789012")]
    public async Task AKeyTheCallerCantUse_OrAnotherAccountsKey_IsRefused(string key, string why)
    {
        await using var t = await StartCopyAsync();
        ShareFully(t);
        t.Log.Clear();

        // The owner's key is describable by the member after -IncludeKmsKey, but a copy on it would still depend on the owner.
        var r = t.Run($"Copy-SharedAmi $args[0] {AsConsumer} -KmsKeyId $args[1]", Cmk, key);

        ErrorRecord error = Assert.Single(r.AllErrors);
        Assert.Equal("KmsKeyNotUsable,AmiShare.Commands.CopySharedAmiCommand", error.FullyQualifiedErrorId);
        Assert.Contains(key, error.Exception.Message);
        Assert.Contains(why, error.Exception.Message);
        Assert.Equal(0, t.Log.Count("CopyImage"));
    }

    [Fact]
    public async Task CopyOfOwnAmi_IsRefused_PointingToPublishAmi()
    {
        await using var t = await StartCopyAsync();

        var r = t.Run($"Copy-SharedAmi $args[0] -AccessKey {OwnerKey} -SecretKey {OwnerSecret} -KmsKeyId alias/amishare-cmk", Cmk);

        ErrorRecord error = Assert.Single(r.AllErrors);
        Assert.Equal("SharedAmiIsOwn,AmiShare.Commands.CopySharedAmiCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Publish-Ami", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.Count("CopyImage"));
    }

    [Fact]
    public async Task RowsOfGetAmiSharedWithMe_PipeIn_ByImageIdAndRegion_AsDoBareIds()
    {
        await using var t = await StartCopyAsync();
        ShareFully(t);
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1] -IncludeSnapshot -Region eu-west-1", EuWeb, Consumer).ThrowIfErrors();

        // The eu-west-1 row's Region is the source's: the copy goes there (the session's region is us-east-1).
        var r = t.Run($"Get-AmiSharedWithMe {AsConsumer} -Region us-east-1, eu-west-1 | Copy-SharedAmi {AsConsumer} -KmsKeyId @{{ 'us-east-1' = 'alias/consumer-cmk' }}").ThrowIfErrors();

        var rows = r.Output.ToDictionary(o => P(o, "SourceImageId"));
        Assert.Equal(new[] { Cmk, EuWeb }.OrderBy(x => x), rows.Keys.OrderBy(x => x));
        Assert.Equal(("us-east-1", "us-east-1", ConsumerEastKey), (P(rows[Cmk], "SourceRegion"), P(rows[Cmk], "Region"), P(rows[Cmk], "KmsKeyId")));
        Assert.Equal(("eu-west-1", "eu-west-1", string.Empty), (P(rows[EuWeb], "SourceRegion"), P(rows[EuWeb], "Region"), P(rows[EuWeb], "KmsKeyId")));
        Assert.Contains(P(rows[EuWeb], "ImageId"), t.World.ImageIds("eu-west-1", Consumer));

        // A bare id from the pipeline: the session's region is the source's; the earlier copy is found.
        t.Log.Clear();
        var bare = t.Run($"$args[0] | Copy-SharedAmi {AsConsumer} -KmsKeyId alias/consumer-cmk", Cmk).ThrowIfErrors();
        Assert.Equal("Reused", P(Assert.Single(bare.Output), "Action"));
        Assert.Equal(0, t.Log.Count("CopyImage"));
    }

    [Fact]
    public async Task WhatIf_ShowsThePlan_PerRegion_AndCopiesNothing()
    {
        await using var t = await StartCopyAsync();
        ShareFully(t);
        t.Log.Clear();

        var r = t.Run(Copy + " -Region us-east-1, us-west-2 -WhatIf", Cmk).ThrowIfErrors();

        Assert.Empty(r.Output);
        Assert.Equal(0, t.Log.MutatingCount);
        string shown = t.Ps.HostOutput.ToString()!;
        Assert.Contains($"CopyImage us-east-1/{Cmk} to us-east-1 as 'app-server-cmk', encrypted with {ConsumerEastKey}", shown);
        Assert.Contains($"CopyImage us-east-1/{Cmk} to us-west-2 as 'app-server-cmk', encrypted with {ConsumerWestKey}", shown);
        Assert.Contains($"amishare:source=us-east-1/{Cmk}", shown);
    }

    [Fact]
    public async Task NoWait_ReturnsPending_ThenRerunFindsTheCopy_AndWaits()
    {
        await using var t = await StartCopyAsync();
        ShareFully(t);
        t.Emulator.Options.CopyImagePendingTime = TimeSpan.FromSeconds(2);

        PSObject pending = Assert.Single(t.Run(Copy + " -NoWait", Cmk).ThrowIfErrors().Output);
        Assert.Equal(("pending", "Created"), (P(pending, "State"), P(pending, "Action")));

        t.Log.Clear();
        PSObject done = Assert.Single(t.Run(Copy, Cmk).ThrowIfErrors().Output);
        Assert.Equal((P(pending, "ImageId"), "available", "Reused"), (P(done, "ImageId"), P(done, "State"), P(done, "Action")));
        Assert.Equal(0, t.Log.Count("CopyImage"));
    }

    [Fact]
    public async Task Timeout_StopsWithCopyTimedOut_AndTheCopyGoesOn()
    {
        await using var t = await StartCopyAsync();
        ShareFully(t);
        t.Emulator.Options.CopyImagePendingTime = TimeSpan.FromMinutes(10);

        var r = t.Run(Copy + " -TimeoutSec 1", Cmk);

        ErrorRecord error = Assert.Single(r.AllErrors);
        Assert.Equal("CopyTimedOut,AmiShare.Commands.CopySharedAmiCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Copy-SharedAmi again", error.ErrorDetails.RecommendedAction);
        Assert.Equal(1, t.Log.Count("CopyImage"));
    }

    [Fact]
    public async Task CtrlCWhileWaiting_StopsAtOnce_LeavesTheCopyRunning_AndNamesIt()
    {
        await using var t = await StartCopyAsync();
        ShareFully(t);
        t.Emulator.Options.CopyImagePendingTime = TimeSpan.FromMinutes(10);

        using var ps = PowerShell.Create();
        ps.Runspace = t.Ps.Runspace;
        ps.AddScript(Copy).AddArgument(Cmk);
        IAsyncResult running = ps.BeginInvoke();
        Assert.True(SpinWait.SpinUntil(() => t.Log.Count("CopyImage") == 1 && t.Log.Count("DescribeImages") >= 4, TimeSpan.FromSeconds(60)), "the copy was never started and polled");

        ps.Stop();
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));

        string copy = Assert.Single(t.World.ImageIds("us-east-1", Consumer));
        string host = t.Ps.HostOutput.ToString()!;
        Assert.Contains($"left running: {copy} (us-east-1)", host);
        Assert.Contains("Run the same Copy-SharedAmi again", host);
    }

    [Fact]
    public async Task GetAmiSharedWithMe_Problem_NamesTheSameGrant_CopySharedAmiAsksFor()
    {
        await using var t = await StartCopyAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1] -IncludeKmsKey", Cmk, Consumer).ThrowIfErrors();

        PSObject row = t.Run($"Get-AmiSharedWithMe {AsConsumer}").ThrowIfErrors().Output.Single(o => P(o, "ImageId") == Cmk);
        ErrorRecord error = Assert.Single(t.Run(Copy, Cmk).AllErrors);

        string grant = $"Grant-AmiLaunchPermission -ImageId {Cmk} -AccountId {Consumer} -IncludeSnapshot -Region us-east-1 (or: aws ec2 modify-snapshot-attribute --snapshot-id {CmkSnapshot} --attribute createVolumePermission --operation-type add --user-ids {Consumer} --region us-east-1)";
        Assert.Contains(grant, P(row, "Problem"));
        Assert.Contains(grant, error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public async Task UnknownTargetRegion_IsWarnedAboutFirst_NotOnlyBlamedOnTheKey()
    {
        await using var t = await StartCopyAsync();
        ShareFully(t);

        var r = t.Run(Copy + " -Region us-est-1", Cmk);

        string warning = Assert.Single(r.Warnings, w => w.Contains("'us-est-1'", StringComparison.Ordinal));
        Assert.Contains("not one this AWS SDK build knows", warning, StringComparison.Ordinal);
        Assert.Equal(0, t.Log.Count("CopyImage"));
    }
}
