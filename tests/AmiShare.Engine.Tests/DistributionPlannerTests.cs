using AmiShare.Engine.Distribution;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>Publish-Ami's pure decisions: copy, reuse or source per region, keys, refusals, tokens, deprecation.</summary>
public class DistributionPlannerTests
{
    private const string Source = "ami-0a1b2c3d4e5f60003";
    private const string EastCmk = "arn:aws:kms:us-east-1:123456789012:key/1111";
    private const string EastEbs = "arn:aws:kms:us-east-1:123456789012:key/aaaa";
    private const string WestCmk = "arn:aws:kms:us-west-2:123456789012:key/2222";
    private static readonly Principal Account = PrincipalParser.Parse("111122223333");
    private static readonly DateTime Now = new(2026, 11, 29, 23, 0, 0, DateTimeKind.Utc);

    private static PublishRequest Request(string[] regions, bool share = true, string? key = null, Dictionary<string, string>? keys = null) => new()
    {
        SourceImageId = Source,
        SourceRegion = "us-east-1",
        Regions = regions,
        KmsKeyId = key,
        KmsKeyIds = keys ?? new Dictionary<string, string>(),
        Principals = share ? new[] { Account } : Array.Empty<Principal>(),
    };

    private static SourceFacts SourceOf(string? keyArn, bool awsManaged) => new()
    {
        Region = "us-east-1",
        KeyArn = keyArn,
        KeyIsAwsManaged = awsManaged,
        Image = new ImageInfo
        {
            ImageId = Source,
            Name = "legacy",
            State = "available",
            CreationDate = "2026-11-02T10:00:29.000Z",
            Snapshots = new[] { new SnapshotRef { SnapshotId = "snap-1", Encrypted = keyArn != null, KmsKeyId = keyArn } },
        },
    };

    private static RegionFacts Region(string region, KmsKeyInfo? requested = null, bool byDefault = false, string? defaultArn = null, params ImageInfo[] copies) => new()
    {
        Region = region,
        RequestedKeyId = requested?.KeyArn,
        RequestedKey = requested,
        EncryptionByDefault = byDefault,
        DefaultKeyId = defaultArn ?? "alias/aws/ebs",
        DefaultKeyArn = defaultArn,
        DefaultKeyIsAwsManaged = defaultArn == null,
        ExistingCopies = copies,
    };

    private static KmsKeyInfo Cmk(string arn, bool enabled = true) => new() { KeyArn = arn, KeyManager = "CUSTOMER", Enabled = enabled, KeyState = enabled ? "Enabled" : "Disabled" };

    private static Dictionary<string, RegionFacts> Facts(params RegionFacts[] regions) => regions.ToDictionary(r => r.Region);

    [Fact]
    public void Plan_AwsEbsSource_SourceRegionTargetWithPrincipals_ReEncryptsWithTheRequestedKey()
    {
        var plan = Assert.Single(DistributionPlanner.Plan(Request(new[] { "us-east-1" }, key: EastCmk), SourceOf(EastEbs, true), Facts(Region("us-east-1", Cmk(EastCmk)))));

        Assert.Equal(RegionPlanKind.Create, plan.Kind);
        Assert.True(plan.ReEncrypts);
        Assert.Equal(EastCmk, plan.Copy.KmsKeyId);
        Assert.True(plan.Copy.Encrypted);
        Assert.Equal("legacy (re-encrypted)", plan.Copy.Name);
        Assert.Equal("us-east-1/" + Source, plan.Copy.Tags[CopyIdentity.SourceTagKey]);
    }

    [Fact]
    public void Plan_AwsEbsSource_SourceRegionTarget_WithoutPrincipals_PublishesTheSourceItself()
    {
        var plan = Assert.Single(DistributionPlanner.Plan(Request(new[] { "us-east-1" }, share: false), SourceOf(EastEbs, true), Facts(Region("us-east-1"))));

        Assert.Equal(RegionPlanKind.Source, plan.Kind);
        Assert.Equal(Source, plan.ImageId);
        Assert.Null(plan.Copy);
    }

    [Fact]
    public void Plan_CmkSource_SourceRegionTarget_PublishesTheSourceItself()
    {
        var plan = Assert.Single(DistributionPlanner.Plan(Request(new[] { "us-east-1" }), SourceOf(EastCmk, false), Facts(Region("us-east-1"))));
        Assert.Equal(RegionPlanKind.Source, plan.Kind);
    }

    [Fact]
    public void Plan_EncryptedSource_TargetDefaultKeyAwsEbs_WithPrincipals_IsRefusedNamingTheRegion()
    {
        var e = Assert.Throws<AmiShareException>(() => DistributionPlanner.Plan(Request(new[] { "us-west-2" }), SourceOf(EastCmk, false), Facts(Region("us-west-2"))));

        Assert.Equal(ErrorIds.CopyWouldUseAwsManagedKey, e.ErrorId);
        Assert.Contains("'us-west-2'", e.Message);
        Assert.Contains("-KmsKeyId @{ 'us-west-2'", e.Remedy);
    }

    [Fact]
    public void Plan_UnencryptedSource_EncryptionByDefaultOn_WithPrincipals_IsRefused_WithoutPrincipals_CopiesEncrypted()
    {
        var e = Assert.Throws<AmiShareException>(() => DistributionPlanner.Plan(Request(new[] { "us-west-2" }), SourceOf(null, false), Facts(Region("us-west-2", byDefault: true))));
        Assert.Equal(ErrorIds.CopyWouldUseAwsManagedKey, e.ErrorId);
        Assert.Contains("EBS encryption by default", e.Message);

        var plan = Assert.Single(DistributionPlanner.Plan(Request(new[] { "us-west-2" }, share: false), SourceOf(null, false), Facts(Region("us-west-2", byDefault: true))));
        Assert.True(plan.Copy.Encrypted);
        Assert.Null(plan.Copy.KmsKeyId);
    }

    [Fact]
    public void Plan_TargetDefaultKeyIsCustomerManaged_CopyNamesItExplicitly_AndSharingIsAllowed()
    {
        var plan = Assert.Single(DistributionPlanner.Plan(Request(new[] { "us-west-2" }), SourceOf(EastCmk, false), Facts(Region("us-west-2", defaultArn: WestCmk))));
        Assert.Equal((RegionPlanKind.Create, WestCmk), (plan.Kind, plan.Copy.KmsKeyId));
    }

    [Fact]
    public void Plan_UnencryptedSource_NoKey_NoDefaultEncryption_CopiesUnencrypted()
    {
        var plan = Assert.Single(DistributionPlanner.Plan(Request(new[] { "us-west-2" }), SourceOf(null, false), Facts(Region("us-west-2"))));
        Assert.False(plan.Copy.Encrypted);
        Assert.Null(plan.KmsKeyArn);
    }

    [Theory]
    [InlineData("wrong-region")]
    [InlineData("disabled")]
    [InlineData("aws-managed")]
    [InlineData("describe-failed")]
    public void Plan_RequestedKeyNotUsable_IsRefused(string why)
    {
        var facts = Region("us-west-2");
        facts.RequestedKeyId = "alias/golden";
        switch (why)
        {
            case "wrong-region": facts.RequestedKey = Cmk(EastCmk); break;
            case "disabled": facts.RequestedKey = Cmk(WestCmk, enabled: false); break;
            case "aws-managed": facts.RequestedKey = new KmsKeyInfo { KeyArn = WestCmk, KeyManager = "AWS", Enabled = true }; break;
            default: facts.RequestedKeyError = new AmiShareException(ErrorIds.KmsKeyNotUsable, AmiShareErrorKind.ObjectNotFound, "KMS key alias/golden was not found in region 'us-west-2' (Alias is not found.)."); break;
        }

        var e = Assert.Throws<AmiShareException>(() => DistributionPlanner.Plan(Request(new[] { "us-west-2" }, key: "alias/golden"), SourceOf(null, false), Facts(facts)));
        Assert.Equal(ErrorIds.KmsKeyNotUsable, e.ErrorId);
        Assert.Contains("'alias/golden'", e.Message);
        Assert.DoesNotContain("..", e.Message, StringComparison.Ordinal);
        Assert.Equal("alias/golden", e.Target);
    }

    [Fact]
    public void Plan_EarlierCopyWithTheSameKey_IsReused_OtherKeyOrFailedCopy_IsNot()
    {
        ImageInfo Copy(string id, string state, string key) => new() { ImageId = id, State = state, Snapshots = new[] { new SnapshotRef { Encrypted = true, KmsKeyId = key } } };
        var request = Request(new[] { "us-west-2" }, key: WestCmk);

        var reuse = Assert.Single(DistributionPlanner.Plan(request, SourceOf(EastCmk, false), Facts(Region("us-west-2", Cmk(WestCmk), copies: Copy("ami-11111111", "available", WestCmk)))));
        Assert.Equal((RegionPlanKind.Reuse, "ami-11111111"), (reuse.Kind, reuse.ImageId));

        var otherKey = Assert.Single(DistributionPlanner.Plan(request, SourceOf(EastCmk, false), Facts(Region("us-west-2", Cmk(WestCmk), copies: Copy("ami-11111111", "available", "arn:aws:kms:us-west-2:123456789012:key/9999")))));
        Assert.Equal(RegionPlanKind.Create, otherKey.Kind);

        var failed = Assert.Single(DistributionPlanner.Plan(request, SourceOf(EastCmk, false), Facts(Region("us-west-2", Cmk(WestCmk), copies: Copy("ami-11111111", "failed", WestCmk)))));
        Assert.Equal(RegionPlanKind.Create, failed.Kind);

        var pending = Assert.Single(DistributionPlanner.Plan(request, SourceOf(EastCmk, false), Facts(Region("us-west-2", Cmk(WestCmk), copies: Copy("ami-22222222", "pending", WestCmk)))));
        Assert.Equal((RegionPlanKind.Reuse, "ami-22222222"), (pending.Kind, pending.ImageId));
    }

    [Fact]
    public void ClientToken_IsDeterministic_AtMost64Ascii_AndDiffersByRegionAndKey()
    {
        string a = CopyIdentity.ClientToken("us-east-1", Source, "us-west-2", WestCmk);
        Assert.Equal(a, CopyIdentity.ClientToken("us-east-1", Source, "us-west-2", WestCmk));
        Assert.True(a.Length <= 64 && a.All(c => c < 128));
        Assert.NotEqual(a, CopyIdentity.ClientToken("us-east-1", Source, "eu-west-1", WestCmk));
        Assert.NotEqual(a, CopyIdentity.ClientToken("us-east-1", Source, "us-west-2", null));
    }

    [Fact]
    public void DeprecationFor_After_CountsFromTheSourceCreation_RoundedToTheNearestMinute()
    {
        var request = Request(new[] { "us-west-2" });
        request.DeprecateAfter = TimeSpan.FromDays(365);

        // Created 10:00:29 -> 10:00 (29 s rounds down); independent of when it runs.
        Assert.Equal(new DateTime(2027, 11, 2, 10, 0, 0, DateTimeKind.Utc), DistributionPlanner.DeprecationFor(request, SourceOf(null, false), Now));
        Assert.Equal(new DateTime(2027, 11, 2, 10, 0, 0, DateTimeKind.Utc), DistributionPlanner.DeprecationFor(request, SourceOf(null, false), Now.AddDays(30)));
        Assert.Equal(new DateTime(2026, 1, 1, 0, 1, 0, DateTimeKind.Utc), DeprecationTime.Round(new DateTime(2026, 1, 1, 0, 0, 30, DateTimeKind.Utc)));
    }

    [Fact]
    public void DeprecationFor_InThePast_OrBeyondTenYears_IsRefused()
    {
        var request = Request(new[] { "us-west-2" });
        request.DeprecateAfter = TimeSpan.FromDays(1);
        var past = Assert.Throws<AmiShareException>(() => DistributionPlanner.DeprecationFor(request, SourceOf(null, false), Now));
        Assert.Equal(ErrorIds.InvalidDeprecationTime, past.ErrorId);
        Assert.Contains("source's creation", past.Message);

        request.DeprecateAfter = null;
        request.DeprecateAt = Now.AddYears(11);
        Assert.Equal(ErrorIds.InvalidDeprecationTime, Assert.Throws<AmiShareException>(() => DistributionPlanner.DeprecationFor(request, SourceOf(null, false), Now)).ErrorId);
    }

    [Fact]
    public void TagsToSet_AndNeedsDeprecation_OnlyWhatDiffers()
    {
        var image = new ImageInfo
        {
            Tags = new Dictionary<string, string> { ["ec2:SharedTag/release"] = "2026.11", ["team"] = "old" },
            DeprecationTime = "2027-11-02T10:00:00.000Z",
        };
        var wanted = new Dictionary<string, string> { ["ec2:SharedTag/release"] = "2026.11", ["team"] = "platform", ["new"] = "1" };

        Assert.Equal(new[] { "new", "team" }, DistributionPlanner.TagsToSet(image, wanted).Keys.OrderBy(k => k));
        Assert.False(DistributionPlanner.NeedsDeprecation(image, new DateTime(2027, 11, 2, 10, 0, 0, DateTimeKind.Utc)));
        Assert.True(DistributionPlanner.NeedsDeprecation(image, new DateTime(2027, 11, 2, 10, 1, 0, DateTimeKind.Utc)));
        Assert.False(DistributionPlanner.NeedsDeprecation(image, null));
    }

    [Fact]
    public void Validate_KeyTableRegionNotTargeted_BadRegion_AwsTag_ReservedSsmName_AreRefused_AndRegionsNormalized()
    {
        var ok = Request(new[] { " US-West-2 ", "us-west-2", "eu-west-1" }, keys: new Dictionary<string, string> { ["us-west-2"] = " alias/golden " });
        PublishInput.Validate(ok, Now);
        Assert.Equal(new[] { "us-west-2", "eu-west-1" }, ok.Regions);
        Assert.Equal("alias/golden", PublishInput.KeyFor(ok, "us-west-2"));
        Assert.Null(PublishInput.KeyFor(ok, "eu-west-1"));

        Assert.Equal(ErrorIds.KmsKeyRegionNotInTargets, Assert.Throws<AmiShareException>(() =>
            PublishInput.Validate(Request(new[] { "us-west-2" }, keys: new Dictionary<string, string> { ["ap-south-1"] = "alias/k" }), Now)).ErrorId);
        Assert.Equal(ErrorIds.InvalidRegion, Assert.Throws<AmiShareException>(() => PublishInput.Validate(Request(new[] { "uswest2" }), Now)).ErrorId);

        var tag = Request(new[] { "us-west-2" });
        tag.Tags = new Dictionary<string, string> { ["aws:x"] = "1" };
        Assert.Equal(ErrorIds.InvalidTag, Assert.Throws<AmiShareException>(() => PublishInput.Validate(tag, Now)).ErrorId);

        var ssm = Request(new[] { "us-west-2" });
        ssm.SsmParameterName = "/ssm/x";
        Assert.Equal(ErrorIds.InvalidSsmParameterName, Assert.Throws<AmiShareException>(() => PublishInput.Validate(ssm, Now)).ErrorId);
    }

    [Theory]
    [InlineData("2027-11-03T10:00:00.000Z", "(currently 2027-11-03T10:00:00Z)")]
    [InlineData(null, "(currently not deprecated)")]
    public void The_plan_line_of_a_new_deprecation_time_says_the_AMIs_current_one_not_now(string? current, string shown)
    {
        var work = new RegionWork
        {
            Image = new ImageInfo { ImageId = "ami-0326989ad1c3b040a", State = "available", DeprecationTime = current },
            DeprecateAt = new DateTime(2027, 12, 8, 10, 0, 0, DateTimeKind.Utc),
        };

        string line = Assert.Single(RegionSteps.Describe(work, Request(new[] { "us-west-2" })));

        Assert.Equal("ami-0326989ad1c3b040a: deprecate at 2027-12-08T10:00:00Z " + shown, line);
    }

    [Fact]
    public void A_key_ARN_of_another_region_is_refused_before_any_call_naming_both_regions()
    {
        const string westKey = "arn:aws:kms:us-west-2:123456789012:key/5e0e1d2c-0000-4000-8000-00000000a002";
        var table = Request(new[] { "us-west-2", "eu-west-1" }, keys: new Dictionary<string, string> { ["eu-west-1"] = westKey });
        var single = Request(new[] { "us-west-2", "eu-west-1" });
        single.KmsKeyId = westKey;

        foreach (PublishRequest request in new[] { table, single })
        {
            var refusal = Assert.Throws<AmiShareException>(() => PublishInput.Validate(request, Now));
            Assert.Equal(ErrorIds.KmsKeyNotUsable, refusal.ErrorId);
            Assert.Contains("for region 'eu-west-1'", refusal.Message, StringComparison.Ordinal);
            Assert.Contains("the key is in region 'us-west-2'", refusal.Message, StringComparison.Ordinal);
        }

        var own = Request(new[] { "us-west-2", "eu-west-1" }, keys: new Dictionary<string, string> { ["us-west-2"] = westKey });
        Assert.Null(Record.Exception(() => PublishInput.Validate(own, Now)));
    }

    [Theory]
    [InlineData("golden/linux/latest", "must be fully qualified")]
    [InlineData("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p", "at most 15 levels in a path")]
    [InlineData("/golden/linux latest", "letters, digits")]
    public void An_SSM_name_SSM_would_refuse_is_refused_with_the_reason(string name, string reason)
    {
        var request = Request(new[] { "us-west-2" });
        request.SsmParameterName = name;

        var refusal = Assert.Throws<AmiShareException>(() => PublishInput.Validate(request, Now));

        Assert.Equal(ErrorIds.InvalidSsmParameterName, refusal.ErrorId);
        Assert.Contains(name, refusal.Message, StringComparison.Ordinal);
        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o")]
    [InlineData("golden-latest")]
    [InlineData("/golden/linux/latest")]
    public void SSM_names_SSM_accepts_pass(string name)
    {
        var request = Request(new[] { "us-west-2" });
        request.SsmParameterName = name;

        Assert.Null(Record.Exception(() => PublishInput.Validate(request, Now)));
    }

    [Theory]
    [InlineData("365d", 365 * 24.0)]
    [InlineData("52w", 52 * 7 * 24.0)]
    [InlineData("12h", 12.0)]
    [InlineData("90m", 1.5)]
    [InlineData("30.00:00:00", 30 * 24.0)]
    public void DurationText_ReadsUnitsAndTimeSpans(string text, double hours) =>
        Assert.Equal(TimeSpan.FromHours(hours), DurationText.Parse(text, "-DeprecateAfter"));

    [Theory]
    [InlineData("5x")]
    [InlineData("0d")]
    [InlineData("-1.00:00:00")]
    public void DurationText_RefusesNonDurations(string text) =>
        Assert.Equal(ErrorIds.InvalidDeprecationTime, Assert.Throws<AmiShareException>(() => DurationText.Parse(text, "-DeprecateAfter")).ErrorId);
}
