using System.Management.Automation;
using AmiShare.Emulator;
using AmiShare.Sandbox;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// Issue 10, build 3: Get-AmiSharedWithMe as the member account 111122223333 (Engineering OU) against the emulator. AMIs
/// shared directly and through its OU are listed (Via DirectOrOrganization: EC2 does not tell a consumer which), public
/// ones only with -IncludePublic (Via Public), its own never; CanCopy follows the snapshots' createVolumePermission.
/// </summary>
public sealed class SharedWithMeTests
{
    private const string Direct = "ami-0d0d0d0d0d0d0d0d1";
    private const string ThroughOu = "ami-0d0d0d0d0d0d0d0d2";
    private const string PublicAmi = "ami-0d0d0d0d0d0d0d0d3";
    private const string Own = "ami-0d0d0d0d0d0d0d0d4";
    private const string NotShared = "ami-0d0d0d0d0d0d0d0d5";
    private const string DirectSnapshot = "snap-0d0d0d0d0d0d0d0d1";
    private const string OuSnapshot = "snap-0d0d0d0d0d0d0d0d2";
    private const string AsConsumer = $"-AccessKey {ConsumerKey} -SecretKey {ConsumerSecret}";

    private static void AddWorld(ModuleTestContext t)
    {
        t.World.AddSnapshot(new SnapshotSpec { SnapshotId = DirectSnapshot, Region = "us-east-1", Owner = Owner, CreateVolumePermissions = { Consumer } });
        t.World.AddSnapshot(new SnapshotSpec { SnapshotId = OuSnapshot, Region = "us-east-1", Owner = Owner });
        t.World.AddImage(new ImageSpec
        {
            ImageId = Direct, Region = "us-east-1", Owner = Owner, Name = "direct",
            BlockDeviceMappings = { new BlockDeviceSpec { SnapshotId = DirectSnapshot } },
            LaunchPermissions = { new LaunchPermissionSpec { UserId = Consumer } },
        });
        t.World.AddImage(new ImageSpec
        {
            ImageId = ThroughOu, Region = "us-east-1", Owner = Owner, Name = "through-ou",
            BlockDeviceMappings = { new BlockDeviceSpec { SnapshotId = OuSnapshot } },
            LaunchPermissions = { new LaunchPermissionSpec { OrganizationalUnitArn = EngineeringOu } },
        });
        t.World.AddImage(new ImageSpec { ImageId = PublicAmi, Region = "us-east-1", Owner = ThirdPartyOwner, Name = "public", Public = true, LaunchPermissions = { new LaunchPermissionSpec { Group = "all" } } });
        t.World.AddImage(new ImageSpec { ImageId = Own, Region = "us-east-1", Owner = Consumer, Name = "own", Public = true, LaunchPermissions = { new LaunchPermissionSpec { Group = "all" } } });
        t.World.AddImage(new ImageSpec { ImageId = NotShared, Region = "us-east-1", Owner = Owner, Name = "not-shared" });
    }

    private const string ThirdPartyOwner = "999988887777";

    private sealed record Row(PSObject O)
    {
        public object? this[string name] => O.Properties[name]?.Value;
        public string? Via => (string?)this["Via"];
        public string? OwnerId => (string?)this["OwnerId"];
        public string? Region => (string?)this["Region"];
        public string? Problem => (string?)this["Problem"];
        public bool Public => (bool)this["Public"]!;
        public bool CanCopy => (bool)this["CanCopy"]!;
        public bool? CanUseKey => (bool?)this["CanUseKey"];
    }

    private static Dictionary<string, Row> Rows(PsResult r) =>
        r.Output.Select(o => new Row(o)).ToDictionary(x => (string)x["ImageId"]!);

    [Fact]
    public async Task AsMember_ListsDirectAndOuShares_NotItsOwn_NorUnshared_NorPublicByDefault()
    {
        await using var t = await StartAsync();
        AddWorld(t);

        var r = t.Run($"Get-AmiSharedWithMe {AsConsumer}");
        r.ThrowIfErrors();
        var rows = Rows(r);

        Assert.Equal("DirectOrOrganization", rows[Direct].Via);
        Assert.Equal("DirectOrOrganization", rows[ThroughOu].Via);
        Assert.Equal(Owner, rows[ThroughOu].OwnerId);
        Assert.Equal("us-east-1", rows[Direct].Region);
        Assert.DoesNotContain(Own, rows.Keys);
        Assert.DoesNotContain(NotShared, rows.Keys);
        Assert.DoesNotContain(PublicAmi, rows.Keys);
        Assert.All(rows.Values, x => Assert.NotEqual(Consumer, x.OwnerId));
    }

    [Fact]
    public async Task IncludePublic_AddsPublicAmisOfOthers_WithViaPublic_StillNotItsOwn()
    {
        await using var t = await StartAsync();
        AddWorld(t);

        var rows = Rows(t.Run($"Get-AmiSharedWithMe {AsConsumer} -IncludePublic").ThrowIfErrors());

        Assert.Equal("Public", rows[PublicAmi].Via);
        Assert.True(rows[PublicAmi].Public);
        Assert.Equal(ThirdPartyOwner, rows[PublicAmi].OwnerId);
        Assert.Equal("DirectOrOrganization", rows[Direct].Via);
        Assert.DoesNotContain(Own, rows.Keys);
    }

    [Fact]
    public async Task CanCopy_FollowsSnapshotCreateVolumePermission_AndNamesTheGrant()
    {
        await using var t = await StartAsync();
        AddWorld(t);

        var rows = Rows(t.Run($"Get-AmiSharedWithMe {AsConsumer}").ThrowIfErrors());

        Assert.True(rows[Direct].CanCopy);
        Assert.Null(rows[Direct].Problem);
        Assert.Null(rows[Direct].CanUseKey);
        Assert.False(rows[ThroughOu].CanCopy);
        Assert.Contains(OuSnapshot, rows[ThroughOu].Problem);
        Assert.Contains("createVolumePermission", rows[ThroughOu].Problem);
    }

    [Fact]
    public async Task Rows_PipeByImageIdAndRegion_IntoOtherCmdlets()
    {
        await using var t = await StartAsync();
        AddWorld(t);
        t.World.AddImage(new ImageSpec { ImageId = "ami-0d0d0d0d0d0d0d0e1", Region = "eu-west-1", Owner = Owner, Name = "eu-direct", LaunchPermissions = { new LaunchPermissionSpec { UserId = Consumer } } });

        // The owner reads the launch permissions of what the consumer sees: the rows bind by ImageId and Region.
        var r = t.Run($"Get-AmiSharedWithMe {AsConsumer} -Region eu-west-1 | Get-AmiLaunchPermission -AccessKey {OwnerKey} -SecretKey {OwnerSecret}").ThrowIfErrors();

        var row = Assert.Single(r.Output);
        Assert.Equal("ami-0d0d0d0d0d0d0d0e1", row.Properties["ImageId"].Value);
        Assert.Equal("eu-west-1", row.Properties["Region"].Value);
        Assert.Equal(Consumer, row.Properties["Principal"].Value);
    }

    [Fact]
    public async Task Regions_AreEachRead_AndRowsCarryTheirRegion()
    {
        await using var t = await StartAsync();
        AddWorld(t);
        t.World.AddImage(new ImageSpec { ImageId = "ami-0d0d0d0d0d0d0d0e1", Region = "eu-west-1", Owner = Owner, Name = "eu-direct", LaunchPermissions = { new LaunchPermissionSpec { UserId = Consumer } } });

        var rows = Rows(t.Run($"Get-AmiSharedWithMe {AsConsumer} -Region us-east-1, eu-west-1").ThrowIfErrors());

        Assert.Equal("eu-west-1", rows["ami-0d0d0d0d0d0d0d0e1"].Region);
        Assert.Equal("us-east-1", rows[Direct].Region);
    }

    [Fact]
    public async Task EncryptedShare_CanUseKey_FollowsTheOwnersKeyPolicy_AskedOncePerKey()
    {
        await using var t = await StartAsync();

        // The owner shares the CMK-encrypted AMI without touching its key policy: the member cannot use the key.
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1] -WarningAction SilentlyContinue", Cmk, Consumer).ThrowIfErrors();
        var before = Rows(t.Run($"Get-AmiSharedWithMe {AsConsumer}").ThrowIfErrors())[Cmk];
        Assert.True((bool)before["Encrypted"]!);
        Assert.False(before.CanUseKey);
        Assert.Contains("kms:DescribeKey", before.Problem);
        Assert.Contains("AccessDenied", before.Problem);

        // With -IncludeKmsKey the owner's key policy lets the member in: DescribeKey as the member succeeds.
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId $args[1] -IncludeKmsKey", Cmk, Consumer).ThrowIfErrors();
        t.Log.Clear();
        var after = Rows(t.Run($"Get-AmiSharedWithMe {AsConsumer}").ThrowIfErrors())[Cmk];
        Assert.True(after.CanUseKey);
        Assert.Equal(1, t.Log.Count("DescribeKey"));
    }

    [Theory]
    [InlineData("us-east-1, 'x y'")]
    [InlineData("us-east-1, nowhere-1")]
    [InlineData("us-east-1, eu-west")]
    public async Task EveryRegion_IsCheckedBeforeAnyCall_NotOnlyTheFirst(string regions)
    {
        await using var t = await StartAsync();
        AddWorld(t);

        var r = t.Run($"Get-AmiSharedWithMe {AsConsumer} -Region {regions}");

        Assert.Contains(r.ErrorIds, id => id.StartsWith("InvalidRegion,", StringComparison.Ordinal));
        Assert.Empty(r.Output);
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task RegionsDifferingOnlyInCase_AreOneRegion()
    {
        await using var t = await StartAsync();
        AddWorld(t);

        var r = t.Run($"Get-AmiSharedWithMe {AsConsumer} -Region us-east-1, US-EAST-1").ThrowIfErrors();

        Assert.Single(r.Output, o => (string)o.Properties["ImageId"].Value == Direct);
        Assert.All(r.Output, o => Assert.Equal("us-east-1", o.Properties["Region"].Value));
        Assert.All(r.Output, o => Assert.Equal(DateTimeKind.Utc, Assert.IsType<DateTime>(o.Properties["CreationDate"].Value).Kind));
    }

    [Fact]
    public async Task KeyAndSnapshotBothMissing_ProblemNamesTheOwnersCommands_AndOneCommandForBoth()
    {
        await using var t = await StartAsync();
        // The demo world's app-server-cmk: encrypted with the owner's CMK, whose default policy doesn't let the member use it.
        t.Run($"Grant-AmiLaunchPermission -ImageId ami-0a1b2c3d4e5f60002 -AccountId {Consumer} -WarningAction SilentlyContinue").ThrowIfErrors();

        var row = Rows(t.Run($"Get-AmiSharedWithMe {AsConsumer}").ThrowIfErrors())["ami-0a1b2c3d4e5f60002"];

        Assert.False(row.CanCopy);
        Assert.False(row.CanUseKey);
        Assert.Contains($"Grant-AmiLaunchPermission -ImageId ami-0a1b2c3d4e5f60002 -AccountId {Consumer} -IncludeKmsKey -Region us-east-1", row.Problem);
        Assert.Contains($"Grant-AmiLaunchPermission -ImageId ami-0a1b2c3d4e5f60002 -AccountId {Consumer} -IncludeSnapshot -Region us-east-1", row.Problem);
        Assert.Contains($"both at once: Grant-AmiLaunchPermission -ImageId ami-0a1b2c3d4e5f60002 -AccountId {Consumer} -IncludeKmsKey -IncludeSnapshot -Region us-east-1", row.Problem);
    }
}
