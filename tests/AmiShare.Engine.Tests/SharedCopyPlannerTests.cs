using AmiShare.Engine.Consumer;
using AmiShare.Engine.Distribution;
using AmiShare.Engine.Gateways;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>Copy-SharedAmi's pure decisions: the refusals naming the owner's grant, the caller's key per region, copy or reuse.</summary>
public class SharedCopyPlannerTests
{
    private const string Source = "ami-0a1b2c3d4e5f60002";
    private const string Owner = "123456789012";
    private const string Me = "111122223333";
    private const string OwnerKey = "arn:aws:kms:us-east-1:123456789012:key/1111";
    private const string MyEast = "arn:aws:kms:us-east-1:111122223333:key/e1";
    private const string MyWest = "arn:aws:kms:us-west-2:111122223333:key/w2";

    private static SharedCopyRequest Request(params string[] regions)
    {
        var r = new SharedCopyRequest { SourceImageId = Source, SourceRegion = "us-east-1", Regions = regions, KmsKeyId = "alias/mine" };
        r.Validate();
        return r;
    }

    private static SharedSourceFacts SourceFacts(bool encrypted = true, bool restorable = true, string? keyProblem = null, string owner = Owner, bool visible = true) => new()
    {
        CallerAccount = Me,
        Region = "us-east-1",
        ImageId = Source,
        Image = !visible ? null : new ImageInfo
        {
            ImageId = Source,
            Name = "app-server",
            OwnerId = owner,
            State = "available",
            Snapshots = new[] { new SnapshotRef { SnapshotId = "snap-1", Encrypted = encrypted, KmsKeyId = encrypted ? OwnerKey : null } },
        },
        KeyProblems = encrypted ? new Dictionary<string, string> { [OwnerKey] = keyProblem! } : new Dictionary<string, string>(),
        Restorable = restorable ? new HashSet<string> { "snap-1" } : new HashSet<string>(),
    };

    private static KmsKeyInfo Key(string arn, string account = Me, string manager = "CUSTOMER", bool enabled = true) =>
        new() { KeyArn = arn, AccountId = account, KeyManager = manager, Enabled = enabled, KeyState = enabled ? "Enabled" : "Disabled" };

    private static RegionFacts Region(string region, KmsKeyInfo? requested, params ImageInfo[] copies) => new()
    {
        Region = region,
        RequestedKeyId = requested == null ? null : "alias/mine",
        RequestedKey = requested,
        ExistingCopies = copies,
    };

    private static Dictionary<string, RegionFacts> Facts(params RegionFacts[] regions) => regions.ToDictionary(r => r.Region);

    [Fact]
    public void Plan_TwoRegions_CopiesWithMyKeyPerRegion_TaggedWithSource_WithDeterministicTokens()
    {
        var plans = SharedCopyPlanner.Plan(Request("us-east-1", "us-west-2"), SourceFacts(), Facts(Region("us-east-1", Key(MyEast)), Region("us-west-2", Key(MyWest))));

        Assert.Equal(new[] { "us-east-1", "us-west-2" }, plans.Select(p => p.Region));
        Assert.All(plans, p => Assert.Equal(RegionPlanKind.Create, p.Kind));
        Assert.Equal((true, MyEast), (plans[0].Copy.Encrypted, plans[0].Copy.KmsKeyId));
        Assert.Equal(MyWest, plans[1].Copy.KmsKeyId);
        Assert.Equal("us-east-1", plans[1].Copy.SourceRegion);
        Assert.Equal("app-server", plans[1].Copy.Name);
        Assert.Equal("us-east-1/" + Source, plans[0].Copy.Tags[CopyIdentity.SourceTagKey]);
        Assert.False(plans[0].Copy.CopyImageTags);
        Assert.Equal(CopyIdentity.ClientToken("us-east-1", Source, "us-west-2", MyWest), plans[1].Copy.ClientToken);
        Assert.NotEqual(plans[0].Copy.ClientToken, plans[1].Copy.ClientToken);
    }

    [Fact]
    public void Plan_EarlierCopyWithMyKey_IsReused_OneWithAnotherKeyIsNot()
    {
        ImageInfo mine = new() { ImageId = "ami-mine", State = "available", Snapshots = new[] { new SnapshotRef { Encrypted = true, KmsKeyId = MyEast } } };
        ImageInfo other = new() { ImageId = "ami-other", State = "available", Snapshots = new[] { new SnapshotRef { Encrypted = true, KmsKeyId = "arn:aws:kms:us-east-1:111122223333:key/old" } } };
        ImageInfo failed = new() { ImageId = "ami-failed", State = "failed", Snapshots = new[] { new SnapshotRef { Encrypted = true, KmsKeyId = MyEast } } };

        var reuse = Assert.Single(SharedCopyPlanner.Plan(Request("us-east-1"), SourceFacts(), Facts(Region("us-east-1", Key(MyEast), other, mine, failed))));
        var create = Assert.Single(SharedCopyPlanner.Plan(Request("us-east-1"), SourceFacts(), Facts(Region("us-east-1", Key(MyEast), other, failed))));

        Assert.Equal((RegionPlanKind.Reuse, "ami-mine"), (reuse.Kind, reuse.ImageId));
        Assert.Equal(RegionPlanKind.Create, create.Kind);
    }

    [Fact]
    public void CheckSource_NotVisible_NamesTheLaunchPermissionGrant()
    {
        var e = Assert.Throws<AmiShareException>(() => SharedCopyPlanner.CheckSource(SourceFacts(visible: false)));

        Assert.Equal(ErrorIds.SharedAmiNotFound, e.ErrorId);
        Assert.Contains($"Grant-AmiLaunchPermission -ImageId {Source} -AccountId {Me}", e.Remedy);
        Assert.Contains($"--launch-permission \"Add=[{{UserId={Me}}}]\"", e.Remedy);
    }

    [Fact]
    public void CheckSource_SnapshotNotRestorable_NamesTheSnapshotGrant_AndOnlyThat()
    {
        var e = Assert.Throws<AmiShareException>(() => SharedCopyPlanner.CheckSource(SourceFacts(restorable: false)));

        Assert.Equal(ErrorIds.SharedSnapshotNotRestorable, e.ErrorId);
        Assert.Contains("snap-1", e.Message);
        Assert.Contains($"aws ec2 modify-snapshot-attribute --snapshot-id snap-1 --attribute createVolumePermission --operation-type add --user-ids {Me} --region us-east-1", e.Remedy);
        Assert.Contains("-IncludeSnapshot", e.Remedy);
        Assert.DoesNotContain("kms:", e.Remedy);
    }

    [Fact]
    public void CheckSource_KeyNotUsable_NamesTheKeyAndThePermissions()
    {
        var e = Assert.Throws<AmiShareException>(() => SharedCopyPlanner.CheckSource(SourceFacts(keyProblem: "AccessDeniedException")));

        Assert.Equal(ErrorIds.SharedKeyNotUsable, e.ErrorId);
        Assert.Contains(OwnerKey, e.Message);
        Assert.Contains("AccessDeniedException", e.Message);
        Assert.Contains("kms:DescribeKey, kms:ReEncrypt*, kms:CreateGrant and kms:Decrypt", e.Remedy);
        Assert.Contains("-IncludeKmsKey", e.Remedy);
    }

    [Fact]
    public void CheckSource_BothMissing_NamesBothGrantsInOneError()
    {
        var e = Assert.Throws<AmiShareException>(() => SharedCopyPlanner.CheckSource(SourceFacts(restorable: false, keyProblem: "AccessDeniedException")));

        Assert.Equal(ErrorIds.SharedSnapshotNotRestorable, e.ErrorId);
        Assert.Contains("createVolumePermission", e.Remedy);
        Assert.Contains("kms:ReEncrypt*", e.Remedy);
    }

    [Fact]
    public void CheckSource_OwnAmi_IsRefused()
    {
        var e = Assert.Throws<AmiShareException>(() => SharedCopyPlanner.CheckSource(SourceFacts(owner: Me)));
        Assert.Equal(ErrorIds.SharedAmiIsOwn, e.ErrorId);
    }

    [Fact]
    public void CheckSource_AllGranted_Passes_AndUnencryptedNeedsNoKey()
    {
        SharedCopyPlanner.CheckSource(SourceFacts());
        SharedCopyPlanner.CheckSource(SourceFacts(encrypted: false));
        var plan = Assert.Single(SharedCopyPlanner.Plan(
            new SharedCopyRequest { SourceImageId = Source, SourceRegion = "us-east-1" }.Also(r => r.Validate()),
            SourceFacts(encrypted: false),
            Facts(Region("us-east-1", null))));
        Assert.Equal((false, (string?)null), (plan.Copy.Encrypted, plan.Copy.KmsKeyId));
    }

    [Theory]
    [InlineData("CUSTOMER", true, Owner, "belongs to account 123456789012")]
    [InlineData("CUSTOMER", false, Me, "Disabled")]
    public void Plan_RequestedKey_NotMineOrDisabled_IsKmsKeyNotUsable(string manager, bool enabled, string account, string named)
    {
        var facts = Facts(Region("us-east-1", Key(MyEast, account, manager, enabled)));
        var e = Assert.Throws<AmiShareException>(() => SharedCopyPlanner.Plan(Request("us-east-1"), SourceFacts(), facts));
        Assert.Equal(ErrorIds.KmsKeyNotUsable, e.ErrorId);
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void Plan_RequestedAwsManagedKey_OrNoKeyOnAwsEbsDefault_ForEncryptedSource_IsRefused()
    {
        var awsKey = Facts(Region("us-east-1", Key(MyEast, manager: "AWS")));
        var noKey = Facts(new RegionFacts { Region = "us-west-2", DefaultKeyId = "alias/aws/ebs", DefaultKeyIsAwsManaged = true });

        Assert.Equal(ErrorIds.CopyWouldUseAwsManagedKey, Assert.Throws<AmiShareException>(() => SharedCopyPlanner.Plan(Request("us-east-1"), SourceFacts(), awsKey)).ErrorId);
        var request = new SharedCopyRequest { SourceImageId = Source, SourceRegion = "us-east-1", Regions = new[] { "us-west-2" } };
        request.Validate();
        var e = Assert.Throws<AmiShareException>(() => SharedCopyPlanner.Plan(request, SourceFacts(), noKey));
        Assert.Equal(ErrorIds.CopyWouldUseAwsManagedKey, e.ErrorId);
        Assert.Contains("us-west-2", e.Message);
    }

    [Fact]
    public void Plan_NoKey_MyCustomerManagedEbsDefault_IsUsed()
    {
        var facts = Facts(new RegionFacts { Region = "us-east-1", DefaultKeyId = MyEast, DefaultKeyArn = MyEast, DefaultKeyIsAwsManaged = false });
        var request = new SharedCopyRequest { SourceImageId = Source, SourceRegion = "us-east-1" };
        request.Validate();

        var plan = Assert.Single(SharedCopyPlanner.Plan(request, SourceFacts(), facts));
        Assert.Equal((true, MyEast), (plan.Copy.Encrypted, plan.Copy.KmsKeyId));
    }

    [Fact]
    public void Validate_DefaultTarget_IsTheSourceRegion_AndATableKeepsOnlyItsKey()
    {
        var r = new SharedCopyRequest
        {
            SourceImageId = Source,
            SourceRegion = "eu-west-1",
            KmsKeyIds = new Dictionary<string, string> { ["us-east-1"] = "alias/a", ["eu-west-1"] = "alias/b" },
        };
        r.Validate();

        Assert.Equal(new[] { "eu-west-1" }, r.Regions);
        Assert.Equal("alias/b", r.KeyFor("eu-west-1"));
        Assert.Null(r.KeyFor("us-east-1"));
    }

    [Fact]
    public void Validate_ExplicitRegions_KeyTableForAnotherRegion_IsRefused()
    {
        var r = new SharedCopyRequest { SourceImageId = Source, SourceRegion = "us-east-1", Regions = new[] { "us-west-2" }, KmsKeyIds = new Dictionary<string, string> { ["eu-west-1"] = "alias/a" } };
        Assert.Equal(ErrorIds.KmsKeyRegionNotInTargets, Assert.Throws<AmiShareException>(r.Validate).ErrorId);
    }
}

internal static class SharedCopyTestExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
