using AmiShare.Engine.Gateways;
using AmiShare.Engine.Manifests;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>The desired-state operation (Set / Copy) over the fake gateway: plan, one write with adds and removes, order of the writes.</summary>
public class SetPlanTests
{
    private const string Ami = "ami-0a1b2c3d4e5f60001";
    private const string Other = "ami-0a1b2c3d4e5f60002";
    private const string Snap = "snap-0123456789abcdef0";
    private static readonly Principal A = PrincipalParser.Parse("111122223333");
    private static readonly Principal B = PrincipalParser.Parse("444455556666");
    private static readonly Principal C = PrincipalParser.Parse("777788889999");
    private static readonly Principal Ou = PrincipalParser.Parse("arn:aws:organizations::123456789012:ou/o-abcd123456/ou-ab12-abcd1234");

    private readonly FakeEc2Gateway _ec2 = new();
    private readonly ListReporter _reporter = new();

    private AmiShareService Service() => new(_ec2, null, null, _reporter);

    private static DesiredLaunchPermissions Exactly(bool? isPublic, params Principal[] principals) => new(principals, isPublic);

    [Fact]
    public async Task Set_AddsTheMissing_RemovesTheExtra_InOneWrite()
    {
        _ec2.WithImage(Ami, A, B);
        var service = Service();

        var plan = await service.PlanSetAsync(Ami, Exactly(null, B, C, Ou), ShareOptions.None, default);
        Assert.Equal(ShareOperation.Set, plan.Operation);
        Assert.Equal(new[] { C, Ou }, plan.ToAdd);
        Assert.Equal(new[] { A }, plan.ToRemove);
        Assert.Equal(new[] { B }, plan.Unchanged);
        Assert.Equal($"Set launch permissions to {B.Value}, {C.Value}, {Ou.Value} (add: {C.Value}, {Ou.Value}; remove: {A.Value})", plan.Describe());

        var result = await service.ApplyAsync(plan, default);
        var write = Assert.Single(_ec2.Modifications);
        Assert.Equal(new[] { C, Ou }, write.Add);
        Assert.Equal(new[] { A }, write.Remove);
        Assert.True(result.Changed);
        Assert.Equal(new[] { A }, result.Removed);
    }

    [Fact]
    public async Task Set_AlreadyExactly_NoChange_NoWrite()
    {
        _ec2.WithImage(Ami, A, Ou);
        var service = Service();

        var plan = await service.PlanSetAsync(Ami, Exactly(false, Ou, A), ShareOptions.None, default);
        await service.ApplyAsync(plan, default);

        Assert.False(plan.HasChanges);
        Assert.Equal(0, _ec2.WriteCount);
        Assert.Contains(_reporter.VerboseLines, l => l.Contains("already exactly"));
    }

    [Fact]
    public async Task Set_PublicAmi_PublicNotSaid_Refused_PublicFalse_RemovesAll_PublicTrue_KeepsIt()
    {
        _ec2.WithImage(Ami, Principal.Everyone, A);

        var refused = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanSetAsync(Ami, Exactly(null, A), ShareOptions.None, default));
        Assert.Equal(ErrorIds.PublicRemovalNotConfirmed, refused.ErrorId);

        var makePrivate = await Service().PlanSetAsync(Ami, Exactly(false, A), ShareOptions.None, default);
        Assert.Equal(new[] { Principal.Everyone }, makePrivate.ToRemove);
        Assert.Empty(makePrivate.ToAdd);

        var keep = await Service().PlanSetAsync(Ami, Exactly(true, A, B), ShareOptions.None, default);
        Assert.Equal(new[] { B }, keep.ToAdd);
        Assert.Empty(keep.ToRemove);
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task Set_AllAmongThePrincipals_Refused()
    {
        _ec2.WithImage(Ami);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanSetAsync(Ami, Exactly(null, Principal.Everyone), ShareOptions.None, default));
        Assert.Equal(ErrorIds.PublicNotAllowedHere, e.ErrorId);
        Assert.Empty(_ec2.Calls);
    }

    [Fact]
    public async Task Set_MakingPublic_RunsThePublicChecks_BlockPublicAccessRefuses()
    {
        _ec2.WithImage(Ami, A);
        _ec2.BlockPublicAccessState = "block-new-sharing";

        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanSetAsync(Ami, Exactly(true, A), ShareOptions.None, default));

        Assert.Equal(ErrorIds.PublicSharingBlocked, e.ErrorId);
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task Set_IncludeSnapshot_GivesTheAddedBeforeTheImageWrite_TakesFromTheRemovedAfterIt()
    {
        _ec2.WithImage(Ami, A);
        _ec2.Images[Ami].Snapshots = new[] { new SnapshotRef { SnapshotId = Snap, DeviceName = "/dev/xvda" } };
        _ec2.VolumePermissions[Snap] = new List<string> { A.Value };
        var service = Service();

        var plan = await service.PlanSetAsync(Ami, Exactly(null, B), new ShareOptions { IncludeSnapshot = true }, default);
        _ec2.Calls.Clear();
        await service.ApplyAsync(plan, default);

        Assert.Equal(new[] { "ModifySnapshotAttribute " + Snap, "ModifyImageAttribute " + Ami, "ModifySnapshotAttribute " + Snap },
            _ec2.Calls.Where(c => c.StartsWith("Modify", StringComparison.Ordinal)));
        Assert.Equal(new[] { B.Value }, _ec2.VolumePermissions[Snap]);
    }

    [Fact]
    public async Task Copy_ReadsTheSourceOnce_ForAnyNumberOfTargets_AndRefusesTheSourceAsTarget()
    {
        _ec2.WithImage(Ami, A, Ou).WithImage(Other, B);
        _ec2.WithImage("ami-0a1b2c3d4e5f60003");
        var service = Service();

        var first = await service.PlanCopyAsync(service, Ami, Other, ShareOptions.None, default);
        var second = await service.PlanCopyAsync(service, Ami, "ami-0a1b2c3d4e5f60003", ShareOptions.None, default);
        var self = await Assert.ThrowsAsync<AmiShareException>(() => service.PlanCopyAsync(service, Ami, Ami, ShareOptions.None, default));

        Assert.Equal(1, _ec2.Calls.Count(c => c == "DescribeImageAttribute " + Ami));
        Assert.Equal(new[] { A, Ou }, first.ToAdd);
        Assert.Equal(new[] { B }, first.ToRemove);
        Assert.Equal(new[] { A, Ou }, second.ToAdd);
        Assert.Equal(ErrorIds.SourceIsTarget, self.ErrorId);
    }

    [Fact]
    public async Task Manifest_PatternsMatchOwnedNames_IgnoringCase_OwnedImagesReadOnce()
    {
        _ec2.WithImage(Ami).WithImage(Other).WithImage("ami-0a1b2c3d4e5f60003");
        _ec2.Images[Ami].Name = "Golden-Linux-1";
        _ec2.Images[Other].Name = "golden-linux-22";
        _ec2.Images["ami-0a1b2c3d4e5f60003"].Name = "golden-windows-1";
        var root = ManifestDocument.NewTable();
        root["images"] = new List<object>
        {
            Entry(("Name", "golden-linux-?"), ("Principals", new List<object> { A.Value })),
            Entry(("Name", "GOLDEN-*-22"), ("Principals", new List<object>()), ("Public", false)),
        };

        var targets = await Service().ResolveManifestAsync(new ManifestDocument("m.psd1", root), default);

        Assert.Equal(new[] { Ami, Other }, targets.Select(t => t.ImageId));
        Assert.Equal(new[] { A }, targets[0].Desired.Principals);
        Assert.Null(targets[0].Desired.Public);
        Assert.Equal(false, targets[1].Desired.Public);
        Assert.Equal(1, _ec2.Calls.Count(c => c == "DescribeImages Owner=self"));
    }

    [Fact]
    public void Manifest_JsonNumbersAreNotPrincipals()
    {
        var doc = ManifestJson.Parse("m.json", "{ \"Images\": [ { \"ImageId\": \"" + Ami + "\", \"Principals\": [ 111122223333 ] } ] }");

        var e = Assert.Throws<AmiShareException>(() => ManifestRules.Validate(doc));

        Assert.Equal(ErrorIds.InvalidManifest, e.ErrorId);
        Assert.Contains("Principals value '111122223333' is not text", e.Message);
        Assert.Equal("m.json", e.Target);
    }

    [Fact]
    public void Manifest_ListsEveryProblem_UpToTen()
    {
        var images = new List<object>();
        for (int i = 0; i < 12; i++)
        {
            images.Add(Entry(("ImageId", "ami-bad" + i), ("Principals", new List<object>())));
        }

        var root = ManifestDocument.NewTable();
        root["Images"] = images;
        var e = Assert.Throws<AmiShareException>(() => ManifestRules.Validate(new ManifestDocument("m.psd1", root)));

        Assert.Contains("has 12 problems", e.Message);
        Assert.Contains("entry 10: ImageId 'ami-bad9'", e.Message);
        Assert.DoesNotContain("entry 11:", e.Message);
        Assert.Contains("and 2 more", e.Message);
    }

    private static IDictionary<string, object> Entry(params (string Key, object Value)[] pairs)
    {
        var table = ManifestDocument.NewTable();
        foreach (var (key, value) in pairs)
        {
            table[key] = value;
        }

        return table;
    }
}
