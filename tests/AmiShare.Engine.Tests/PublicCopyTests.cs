using Amazon.EC2.Model;
using AmiShare.Engine.Facts;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>
/// Watermarked AMIs can't be public (Watermarks, WatermarkedCannotBePublic), and block public access for snapshots
/// (SnapshotBlockPublicAccess) for public AMIs consumers should be able to copy, with Set-AmiPublic -IncludeSnapshot:
/// the pure rules, then the service over the fake EC2 (plans, write order, reads per run).
/// </summary>
public class PublicCopyTests
{
    private const string Ami = "ami-0a1b2c3d4e5f60001";
    private const string Other = "ami-0a1b2c3d4e5f60002";
    private const string Snap = "snap-0a1b2c3d4e5f60001";
    private const string Snap2 = "snap-0a1b2c3d4e5f60015";
    private const string Mark = "123456789012:approved-base";
    private const string Mark2 = "210987654321:security-scanned";
    private static readonly DateTime Now = new(2026, 11, 29, 0, 0, 0, DateTimeKind.Utc);

    private readonly FakeEc2Gateway _ec2 = new();

    private static ShareFacts Facts(Action<ShareFacts>? change = null)
    {
        var facts = new ShareFacts
        {
            ImageId = Ami,
            Region = "us-east-1",
            Now = Now,
            KmsAvailable = true,
            Image = new ImageInfo
            {
                ImageId = Ami,
                OwnerId = "123456789012",
                State = "available",
                CreationDate = "2026-01-15T00:00:00.000Z",
                Snapshots = new[] { new SnapshotRef { SnapshotId = Snap, DeviceName = "/dev/xvda" } },
            },
            Current = Array.Empty<Principal>(),
            BlockPublicAccess = new ImageBlockPublicAccessInfo(),
            PublicImageCount = 0,
            SnapshotBlockPublicAccess = new SnapshotBlockPublicAccessInfo(),
        };
        change?.Invoke(facts);
        return facts;
    }

    private static List<ShareFinding> Public(ShareFacts facts, bool includeSnapshot = false)
    {
        var findings = new List<ShareFinding>();
        PublicRules.CheckPublic(facts, findings, includeSnapshot);
        return findings;
    }

    private static ShareFinding Snapshots(ShareFacts facts, bool includeSnapshot = false) =>
        Public(facts, includeSnapshot).Single(f => f.Check == CheckNames.SnapshotBlockPublicAccess);

    private AmiShareService Service(IEc2Gateway? ec2 = null) => new(ec2 ?? _ec2, null, null, new ListReporter());

    private FakeEc2Gateway WithImage(string id, string snapshot, params Principal[] permissions)
    {
        _ec2.WithImage(id, permissions);
        _ec2.Images[id].Snapshots = new[] { new SnapshotRef { SnapshotId = snapshot, DeviceName = "/dev/xvda" } };
        return _ec2;
    }

    [Fact]
    public void CheckPublic_Order_WatermarksAfterProductCodes_SnapshotBlockAfterImageBlock()
    {
        Assert.Equal(
            new[] { CheckNames.ProductCodes, CheckNames.Watermarks, CheckNames.BlockPublicAccess, CheckNames.SnapshotBlockPublicAccess, CheckNames.PublicImageQuota, CheckNames.Deprecation },
            Public(Facts()).Select(f => f.Check));
    }

    [Fact]
    public void CheckWatermarks_None_Passes()
    {
        ShareFinding finding = Public(Facts()).Single(f => f.Check == CheckNames.Watermarks);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal($"{Ami} carries no AMI watermarks.", finding.Detail);
    }

    [Fact]
    public void CheckWatermarks_One_FailsNamingAmiKeyAndDetachCommands()
    {
        ShareFinding finding = Public(Facts(f => f.Image.Watermarks = new[] { Mark })).Single(f => f.Check == CheckNames.Watermarks);

        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(ErrorIds.WatermarkedCannotBePublic, finding.ErrorId);
        Assert.Equal($"{Ami} carries AMI watermark {Mark}; EC2 never makes a watermarked AMI public.", finding.Detail);
        Assert.Contains("DetachImageWatermark", finding.Remedy);
        Assert.Contains($"Remove-EC2ImageWatermark -ImageId {Ami} -ImageWatermarkKey {Mark}", finding.Remedy);
        Assert.Contains($"aws ec2 detach-image-watermark --image-id {Ami} --watermark-key {Mark}", finding.Remedy);
        Assert.Contains("Grant-AmiLaunchPermission", finding.Remedy);
    }

    [Fact]
    public void CheckWatermarks_Several_NamesEveryKey_NotOwnedStillChecked()
    {
        // Watermarks are about the AMI itself (like product codes): checked even when the caller does not own it.
        List<ShareFinding> findings = Public(Facts(f =>
        {
            f.Image.Watermarks = new[] { Mark, Mark2 };
            f.Current = null;
        }));

        Assert.Equal(new[] { CheckNames.ProductCodes, CheckNames.Watermarks }, findings.Select(f => f.Check));
        Assert.Contains($"watermarks {Mark}, {Mark2};", findings[1].Detail);
        Assert.Contains($"for each of {Mark}, {Mark2}", findings[1].Remedy);
    }

    [Fact]
    public void CheckSnapshotBlock_Unblocked_Passes_WordingFollowsIncludeSnapshot()
    {
        ShareFinding plain = Snapshots(Facts());
        ShareFinding include = Snapshots(Facts(), includeSnapshot: true);

        Assert.Equal(FindingStatus.Pass, plain.Status);
        Assert.Contains("is off (unblocked) in region 'us-east-1'", plain.Detail);
        Assert.Contains($"only once its snapshot {Snap} is public too (Set-AmiPublic -IncludeSnapshot)", plain.Detail);
        Assert.Equal(FindingStatus.Pass, include.Status);
        Assert.Contains($"-IncludeSnapshot makes snapshot {Snap} public so other accounts can copy the AMI.", include.Detail);
    }

    [Theory]
    [InlineData("block-all-sharing", "not even one already shared publicly")]
    [InlineData("block-new-sharing", "one already public stays public")]
    public void CheckSnapshotBlock_Blocked_WarnsConsumersCannotCopy_WithRemedy(string state, string modeText)
    {
        ShareFinding finding = Snapshots(Facts(f => f.SnapshotBlockPublicAccess = new SnapshotBlockPublicAccessInfo { State = state, ManagedBy = "account" }));

        Assert.Equal(FindingStatus.Warn, finding.Status);
        Assert.Null(finding.ErrorId);
        Assert.Contains($"Block public access for EBS snapshots is on in region 'us-east-1' ({state}:", finding.Detail);
        Assert.Contains(modeText, finding.Detail);
        Assert.Contains("Other accounts can launch the public AMI but not copy it", finding.Detail);
        Assert.Contains(Snap, finding.Detail);
        Assert.Contains("Disable-EC2SnapshotBlockPublicAccess -Region us-east-1 (API DisableSnapshotBlockPublicAccess)", finding.Remedy);
        Assert.Contains("Grant-AmiLaunchPermission -AccountId <ids> -IncludeSnapshot", finding.Remedy);
    }

    [Fact]
    public void CheckSnapshotBlock_NewSharingBlocked_SnapshotsAlreadyPublic_PassOrWarnForTheOthersOnly()
    {
        var newSharing = new SnapshotBlockPublicAccessInfo { State = "block-new-sharing" };
        ShareFinding allPublic = Snapshots(Facts(f =>
        {
            f.SnapshotBlockPublicAccess = newSharing;
            f.PublicSnapshotIds = new[] { Snap };
        }));
        ShareFinding onePublic = Snapshots(Facts(f =>
        {
            f.Image.Snapshots = new[] { new SnapshotRef { SnapshotId = Snap }, new SnapshotRef { SnapshotId = Snap2 } };
            f.SnapshotBlockPublicAccess = newSharing;
            f.PublicSnapshotIds = new[] { Snap };
        }));

        Assert.Equal(FindingStatus.Pass, allPublic.Status);
        Assert.Contains($"but snapshot {Snap} is already public and stays public: other accounts can copy the public AMI.", allPublic.Detail);
        Assert.Equal(FindingStatus.Warn, onePublic.Status);
        Assert.Contains($"its snapshot {Snap2}, which cannot be public", onePublic.Detail);
        Assert.DoesNotContain(Snap + ",", onePublic.Detail);
    }

    [Fact]
    public async Task Loader_PublicSnapshotsReadOnlyUnderBlockNewSharing()
    {
        WithImage(Ami, Snap).SnapshotBlockPublicAccessState = "block-new-sharing";
        _ec2.VolumePermissions[Snap] = new List<string> { "all" };
        ShareFinding newSharing = (await Service().TestShareableAsync(Ami, null, true, ShareOptions.None, default)).Findings.Single(f => f.Check == CheckNames.SnapshotBlockPublicAccess);
        Assert.Equal(FindingStatus.Pass, newSharing.Status);
        Assert.Contains("DescribeSnapshotAttribute " + Snap, _ec2.Calls);

        // block-all-sharing: an already public snapshot is not available to others either, so it is not read.
        _ec2.Calls.Clear();
        _ec2.SnapshotBlockPublicAccessState = "block-all-sharing";
        ShareFinding allSharing = (await Service().TestShareableAsync(Ami, null, true, ShareOptions.None, default)).Findings.Single(f => f.Check == CheckNames.SnapshotBlockPublicAccess);
        Assert.Equal(FindingStatus.Warn, allSharing.Status);
        Assert.DoesNotContain("DescribeSnapshotAttribute " + Snap, _ec2.Calls);
    }

    [Fact]
    public void CheckSnapshotBlock_BlockedWithIncludeSnapshot_SaysTheSnapshotsAreLeft()
    {
        ShareFinding finding = Snapshots(Facts(f => f.SnapshotBlockPublicAccess = new SnapshotBlockPublicAccessInfo { State = "block-all-sharing" }), includeSnapshot: true);

        Assert.Equal(FindingStatus.Warn, finding.Status);
        Assert.Contains($"-IncludeSnapshot cannot make snapshot {Snap} public, so the AMI is made public with its snapshots left as they are", finding.Detail);
    }

    [Fact]
    public void CheckSnapshotBlock_DeclarativePolicy_RemedyAsksTheOrganization()
    {
        ShareFinding finding = Snapshots(Facts(f => f.SnapshotBlockPublicAccess = new SnapshotBlockPublicAccessInfo { State = "block-new-sharing", ManagedBy = "declarative-policy" }));

        Assert.Contains("a declarative policy of the organization manages it", finding.Detail);
        Assert.StartsWith("A declarative policy of your organization manages this setting", finding.Remedy);
        Assert.DoesNotContain("Disable-EC2SnapshotBlockPublicAccess", finding.Remedy);
    }

    [Fact]
    public void CheckSnapshotBlock_ReadDenied_WarnsNamingThePermission()
    {
        var denied = new AmiShareException(ErrorIds.AccessDenied, AmiShareErrorKind.PermissionDenied, "denied") { AwsErrorCode = "UnauthorizedOperation" };
        ShareFinding finding = Snapshots(Facts(f =>
        {
            f.SnapshotBlockPublicAccess = null;
            f.SnapshotBlockPublicAccessError = denied;
        }));

        Assert.Equal(FindingStatus.Warn, finding.Status);
        Assert.Contains("ec2:GetSnapshotBlockPublicAccessState missing (UnauthorizedOperation)", finding.Detail);
        Assert.Contains("Get-EC2SnapshotBlockPublicAccessState -Region us-east-1", finding.Remedy);
    }

    [Fact]
    public async Task Loader_SnapshotBlockReadRefusedByEndpoint_WarnsInsteadOfFailing()
    {
        // An endpoint that does not know the action (another partition, an older stand-in): the check warns, the AMI is still checked.
        var unknown = new AmiShareException(ErrorIds.AwsServiceError, AmiShareErrorKind.InvalidOperation, "EC2 GetSnapshotBlockPublicAccessState failed with InvalidAction (HTTP 400): not valid.");
        WithImage(Ami, Snap).SnapshotBlockPublicAccessError = unknown;

        PreflightReport report = await Service().TestShareableAsync(Ami, null, true, ShareOptions.None, default);

        ShareFinding finding = report.Findings.Single(f => f.Check == CheckNames.SnapshotBlockPublicAccess);
        Assert.Equal(FindingStatus.Warn, finding.Status);
        Assert.Contains("failed with InvalidAction (HTTP 400)", finding.Detail);
        Assert.False(report.HasFailures);

        // A throttled or 5xx read is not a fact about the account: it fails the check run (and is retried by the gateway first).
        _ec2.SnapshotBlockPublicAccessError = new AmiShareException(ErrorIds.AwsServiceError, AmiShareErrorKind.NotSpecified, "EC2 failed with InternalError (HTTP 500).");
        await Assert.ThrowsAsync<AmiShareException>(() => Service().TestShareableAsync(Ami, null, true, ShareOptions.None, default));
    }

    [Fact]
    public void CheckSnapshotBlock_NoEbsSnapshots_Passes()
    {
        ShareFinding finding = Snapshots(Facts(f =>
        {
            f.Image.Snapshots = Array.Empty<SnapshotRef>();
            f.SnapshotBlockPublicAccess = null;
        }));

        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("has no EBS snapshots", finding.Detail);
    }

    [Fact]
    public void Ec2Wire_ToInfo_CarriesWatermarkKeys_AndCopiesKeepThem()
    {
        var image = new Image
        {
            ImageId = Ami,
            ImageWatermarks = new List<ImageWatermark> { new() { WatermarkKey = Mark }, new() { WatermarkKey = "" }, new() { WatermarkKey = Mark2 }, new() { WatermarkKey = Mark } },
        };

        ImageInfo info = Ec2Wire.ToInfo(image);
        Assert.Equal(new[] { Mark, Mark2 }, info.Watermarks);
        Assert.Equal(new[] { Mark, Mark2 }, ImageBatcher.Copy(info).Watermarks);
        Assert.Empty(Ec2Wire.ToInfo(new Image { ImageId = Ami }).Watermarks);
    }

    [Fact]
    public async Task PlanSetPublic_Watermarked_RefusedBeforeAnyWrite()
    {
        WithImage(Ami, Snap).Images[Ami].Watermarks = new[] { Mark };

        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanSetPublicAsync(Ami, true, default));

        Assert.Equal(ErrorIds.WatermarkedCannotBePublic, e.ErrorId);
        Assert.Contains($"AMI {Ami} in region 'us-east-1' failed the Watermarks check", e.Message);
        Assert.Contains(Mark, e.Message);
        Assert.Contains("DetachImageWatermark", e.Remedy);
        Assert.Equal(0, _ec2.WriteCount);
        Assert.Empty(_ec2.SnapshotModifications);
    }

    [Fact]
    public async Task TestShareable_PublicPrincipal_WatermarkedFails_SharingWithAccountsDoesNotCheckWatermarks()
    {
        WithImage(Ami, Snap).Images[Ami].Watermarks = new[] { Mark };
        using AmiShareService service = Service();

        PreflightReport viaAll = await service.TestShareableAsync(Ami, new[] { Principal.Everyone }, false, ShareOptions.None, default);
        PreflightReport toAccount = await service.TestShareableAsync(Ami, new[] { PrincipalParser.Parse("111122223333") }, false, ShareOptions.None, default);

        Assert.Equal(ErrorIds.WatermarkedCannotBePublic, Assert.Single(viaAll.Failures).ErrorId);
        Assert.False(toAccount.HasFailures);
        Assert.DoesNotContain(toAccount.Findings, f => f.Check == CheckNames.Watermarks);
    }

    [Fact]
    public async Task SetPublic_SnapshotBlockOn_MakesAmiPublicWithWarning()
    {
        WithImage(Ami, Snap).SnapshotBlockPublicAccessState = "block-new-sharing";
        using AmiShareService service = Service();

        SharePlan plan = await service.PlanSetPublicAsync(Ami, true, default);
        await service.ApplyAsync(plan, default);

        Assert.Equal(new[] { Principal.Everyone }, plan.ToAdd);
        Assert.Contains(plan.Warnings, w => w.Contains("Other accounts can launch the public AMI but not copy it") && w.Contains("Disable-EC2SnapshotBlockPublicAccess"));
        Assert.Single(_ec2.Modifications);
        Assert.Empty(_ec2.SnapshotModifications);
    }

    [Fact]
    public async Task SetPublic_IncludeSnapshot_Unblocked_SnapshotsMadePublicBeforeTheAmi()
    {
        WithImage(Ami, Snap);
        _ec2.Images[Ami].Snapshots = new[] { new SnapshotRef { SnapshotId = Snap, DeviceName = "/dev/xvda" }, new SnapshotRef { SnapshotId = Snap2, DeviceName = "/dev/xvdb" } };
        _ec2.VolumePermissions[Snap2] = new List<string> { "all" };
        using AmiShareService service = Service();

        SharePlan plan = await service.PlanSetPublicAsync(Ami, true, new ShareOptions { IncludeSnapshot = true }, default);
        Assert.Equal($"Make public (add launch permission group 'all'); Make snapshot {Snap} public (add createVolumePermission group 'all')", plan.Describe());
        ShareResult result = await service.ApplyAsync(plan, default);

        var change = Assert.Single(_ec2.SnapshotModifications);
        Assert.Equal(Snap, change.SnapshotId);
        Assert.Equal(new[] { "all" }, change.Add);
        Assert.True(_ec2.Calls.IndexOf("ModifySnapshotAttribute " + Snap) < _ec2.Calls.IndexOf("ModifyImageAttribute " + Ami));
        Assert.Equal(new[] { Snap }, result.SnapshotsChanged);
        Assert.Contains("all", _ec2.VolumePermissions[Snap]);
    }

    [Fact]
    public async Task SetPublic_IncludeSnapshot_Blocked_AmiPublicSnapshotsLeftWithWarning()
    {
        WithImage(Ami, Snap).SnapshotBlockPublicAccessState = "block-all-sharing";
        using AmiShareService service = Service();

        SharePlan plan = await service.PlanSetPublicAsync(Ami, true, new ShareOptions { IncludeSnapshot = true }, default);
        await service.ApplyAsync(plan, default);

        Assert.Empty(plan.SnapshotChanges);
        Assert.Contains(plan.Warnings, w => w.Contains("-IncludeSnapshot cannot make snapshot " + Snap + " public"));
        Assert.Equal(new[] { Principal.Everyone }, Assert.Single(_ec2.Modifications).Add);
        Assert.Empty(_ec2.SnapshotModifications);
        Assert.DoesNotContain("DescribeSnapshotAttribute " + Snap, _ec2.Calls);
    }

    [Fact]
    public async Task SetPublic_IncludeSnapshot_AlreadyPublicAmi_OnlyTheSnapshotsChange()
    {
        WithImage(Ami, Snap, Principal.Everyone);
        using AmiShareService service = Service();

        SharePlan plan = await service.PlanSetPublicAsync(Ami, true, new ShareOptions { IncludeSnapshot = true }, default);
        await service.ApplyAsync(plan, default);

        Assert.Empty(plan.ToAdd);
        Assert.Equal($"Make snapshot {Snap} public (add createVolumePermission group 'all')", plan.Describe());
        Assert.Empty(_ec2.Modifications);
        Assert.Single(_ec2.SnapshotModifications);

        // Run again: nothing left to do.
        SharePlan again = await service.PlanSetPublicAsync(Ami, true, new ShareOptions { IncludeSnapshot = true }, default);
        Assert.False(again.HasChanges);
    }

    [Fact]
    public async Task SetPrivate_IncludeSnapshot_RemovesGroupAll_KeepsASnapshotAnotherPublicAmiNeeds()
    {
        WithImage(Ami, Snap, Principal.Everyone);
        _ec2.VolumePermissions[Snap] = new List<string> { "all", "111122223333" };
        using (AmiShareService service = Service())
        {
            SharePlan plan = await service.PlanSetPublicAsync(Ami, false, new ShareOptions { IncludeSnapshot = true }, default);
            Assert.Equal($"Make private (remove launch permission group 'all'); Make snapshot {Snap} private (remove createVolumePermission group 'all')", plan.Describe());
            await service.ApplyAsync(plan, default);
            Assert.Equal(new List<string> { "111122223333" }, _ec2.VolumePermissions[Snap]);
            Assert.True(_ec2.Calls.IndexOf("ModifyImageAttribute " + Ami) < _ec2.Calls.IndexOf("ModifySnapshotAttribute " + Snap));
        }

        // A second AMI on the same snapshot stays public: the snapshot stays public too, and the plan says why.
        var ec2 = new FakeEc2Gateway();
        ec2.WithImage(Ami, Principal.Everyone).WithImage(Other, Principal.Everyone);
        ec2.Images[Ami].Snapshots = new[] { new SnapshotRef { SnapshotId = Snap } };
        ec2.Images[Other].Snapshots = new[] { new SnapshotRef { SnapshotId = Snap } };
        ec2.VolumePermissions[Snap] = new List<string> { "all" };
        using (var service = new AmiShareService(ec2, null, null, new ListReporter()))
        {
            SharePlan plan = await service.PlanSetPublicAsync(Ami, false, new ShareOptions { IncludeSnapshot = true }, default);
            Assert.Empty(plan.SnapshotChanges);
            AccessKept kept = Assert.Single(plan.AccessKept);
            Assert.Equal((Snap, "all"), (kept.Resource, kept.Principal));
            Assert.Contains(Other, kept.Reason);
        }
    }

    [Fact]
    public void PlansDependOnEachOther_SetPrivateWithIncludeSnapshotOnly()
    {
        Assert.True(AmiShareService.PlansDependOnEachOther(ShareOperation.SetPrivate, new ShareOptions { IncludeSnapshot = true }));
        Assert.False(AmiShareService.PlansDependOnEachOther(ShareOperation.SetPrivate, ShareOptions.None));
        Assert.False(AmiShareService.PlansDependOnEachOther(ShareOperation.SetPublic, new ShareOptions { IncludeSnapshot = true }));
    }

    [Fact]
    public async Task RunFacts_SnapshotBlockReadOncePerRun_NotPerAmi_AndNotForAmisWithoutSnapshots()
    {
        var ids = Enumerable.Range(1, 5).Select(n => "ami-0a1b2c3d4e5f6000" + n).ToList();
        foreach (string id in ids)
        {
            WithImage(id, "snap-" + id.Substring(4));
        }

        using var facts = new RunEc2Facts(_ec2);
        using AmiShareService service = Service(facts);
        foreach (string id in ids)
        {
            await service.TestShareableAsync(id, null, true, ShareOptions.None, default);
        }

        Assert.Equal(1, _ec2.Calls.Count(c => c == "GetSnapshotBlockPublicAccessState"));

        var bare = new FakeEc2Gateway().WithImage(Ami);
        using AmiShareService plain = Service(bare);
        await plain.TestShareableAsync(Ami, null, true, ShareOptions.None, default);
        Assert.DoesNotContain("GetSnapshotBlockPublicAccessState", bare.Calls);
    }
}
