using AmiShare.Engine.Plans;
using AmiShare.Engine;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

public class AmiShareServiceTests
{
    private const string Ami = "ami-0a1b2c3d4e5f60001";
    private static readonly Principal A = PrincipalParser.Parse("111122223333");
    private static readonly Principal B = PrincipalParser.Parse("444455556666");
    private static readonly Principal C = PrincipalParser.Parse("777788889999");
    private static readonly Principal Org = PrincipalParser.Parse("arn:aws:organizations::123456789012:organization/o-abcd123456");
    private static readonly Principal Ou = PrincipalParser.Parse("arn:aws:organizations::123456789012:ou/o-abcd123456/ou-ab12-abcd1234");

    private readonly FakeEc2Gateway _ec2 = new();
    private readonly ListReporter _reporter = new();

    private AmiShareService Service() => new(_ec2, null, null, _reporter);

    [Fact]
    public async Task PlanGrantAsync_SomeAlreadyGranted_AddsOnlyMissing()
    {
        _ec2.WithImage(Ami, A);
        var plan = await Service().PlanGrantAsync(Ami, new[] { A, B, Org }, ShareOptions.None, default);
        Assert.Equal(new[] { B, Org }, plan.ToAdd);
        Assert.Equal(new[] { A }, plan.Unchanged);
        Assert.Equal(new[] { A }, plan.Current);
        Assert.Equal(ShareOperation.Grant, plan.Operation);
        Assert.Equal("us-east-1", plan.Region);
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task ApplyAsync_GrantManyPrincipals_OneWriteWithAllOfThem()
    {
        _ec2.WithImage(Ami);
        var service = Service();
        var plan = await service.PlanGrantAsync(Ami, new[] { A, B, C, Org, Ou }, ShareOptions.None, default);
        var result = await service.ApplyAsync(plan, default);

        var write = Assert.Single(_ec2.Modifications);
        Assert.Equal(Ami, write.ImageId);
        Assert.Equal(new[] { A, B, C, Org, Ou }, write.Add);
        Assert.Empty(write.Remove);
        Assert.True(result.Changed);
        Assert.Equal(new[] { A, B, C, Org, Ou }, result.Added);
        Assert.Equal(new[] { A, B, C, Org, Ou }, result.LaunchPermissions);
        // The cmdlet's path: the preflight reads the image (batched by the job's DescribeImages) and its permissions, then one write.
        Assert.Equal(new[] { "DescribeImages " + Ami, "DescribeImageAttribute " + Ami, "ModifyImageAttribute " + Ami }, _ec2.Calls);
    }

    [Fact]
    public async Task ApplyAsync_GrantAllAlreadyPresent_NoWrite()
    {
        _ec2.WithImage(Ami, A, B);
        var service = Service();
        var plan = await service.PlanGrantAsync(Ami, new[] { B, A }, ShareOptions.None, default);
        var result = await service.ApplyAsync(plan, default);

        Assert.False(plan.HasChanges);
        Assert.False(result.Changed);
        Assert.Equal(0, _ec2.WriteCount);
        Assert.Equal(new[] { A, B }, result.LaunchPermissions);
        Assert.Equal(new[] { B, A }, result.Unchanged);
        Assert.Contains(_reporter.VerboseLines, l => l.Contains("nothing to change"));
    }

    [Fact]
    public async Task PlanGrantAsync_DuplicatePrincipals_CountedOnce()
    {
        _ec2.WithImage(Ami);
        var plan = await Service().PlanGrantAsync(Ami, new[] { A, A, B }, ShareOptions.None, default);
        Assert.Equal(new[] { A, B }, plan.ToAdd);
    }

    [Fact]
    public async Task PlanGrantAsync_NoPrincipals_ThrowsMissingPrincipalWithoutCall()
    {
        _ec2.WithImage(Ami);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanGrantAsync(Ami, Array.Empty<Principal>(), ShareOptions.None, default));
        Assert.Equal(ErrorIds.MissingPrincipal, e.ErrorId);
        Assert.Empty(_ec2.Calls);
    }

    [Fact]
    public async Task PlanGrantAsync_Everyone_ThrowsPublicNotAllowedHereWithoutCall()
    {
        _ec2.WithImage(Ami);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanGrantAsync(Ami, new[] { A, Principal.Everyone }, ShareOptions.None, default));
        Assert.Equal(ErrorIds.PublicNotAllowedHere, e.ErrorId);
        Assert.Contains("Set-AmiPublic", e.Message);
        Assert.Empty(_ec2.Calls);
    }

    [Fact]
    public async Task PlanGrantAsync_BadImageId_ThrowsInvalidImageIdWithoutCall()
    {
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanGrantAsync("ami-XYZ", new[] { A }, ShareOptions.None, default));
        Assert.Equal(ErrorIds.InvalidImageId, e.ErrorId);
        Assert.Empty(_ec2.Calls);
    }

    [Fact]
    public async Task PlanGrantAsync_PaddedImageId_Normalized()
    {
        _ec2.WithImage(Ami);
        var plan = await Service().PlanGrantAsync("  " + Ami + " ", new[] { A }, ShareOptions.None, default);
        Assert.Equal(Ami, plan.ImageId);
    }

    [Fact]
    public async Task PlanGrantAsync_NotOwned_SurfacesAmiNotOwned()
    {
        _ec2.WithImage(Ami);
        _ec2.NotOwned.Add(Ami);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanGrantAsync(Ami, new[] { A }, ShareOptions.None, default));
        Assert.Equal(ErrorIds.AmiNotOwned, e.ErrorId);
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task PlanGrantAsync_UnknownAmi_SurfacesAmiNotFound()
    {
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanGrantAsync("ami-0a1b2c3d4e5f69999", new[] { A }, ShareOptions.None, default));
        Assert.Equal(ErrorIds.AmiNotFound, e.ErrorId);
    }

    [Fact]
    public async Task PlanGrantAsync_Cancelled_ThrowsOperationCanceled()
    {
        _ec2.WithImage(Ami);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Service().PlanGrantAsync(Ami, new[] { A }, ShareOptions.None, cts.Token));
        Assert.Empty(_ec2.Calls);
    }

    [Fact]
    public async Task PlanRevokeAsync_MixedPresence_RemovesOnlyPresent()
    {
        _ec2.WithImage(Ami, A, B);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { B, C }, ShareOptions.None, default);
        Assert.Equal(new[] { B }, plan.ToRemove);
        Assert.Equal(new[] { C }, plan.Unchanged);
        Assert.Equal(new[] { A }, plan.Expected);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public async Task ApplyAsync_Revoke_OneWriteWithRemovals()
    {
        _ec2.WithImage(Ami, A, B, C);
        var service = Service();
        var result = await service.ApplyAsync(await service.PlanRevokeAsync(Ami, new[] { A, C }, ShareOptions.None, default), default);
        var write = Assert.Single(_ec2.Modifications);
        Assert.Empty(write.Add);
        Assert.Equal(new[] { A, C }, write.Remove);
        Assert.Equal(new[] { B }, result.LaunchPermissions);
        Assert.Equal(new[] { A, C }, result.Removed);
        Assert.Equal(new[] { B }, _ec2.Permissions[Ami]);
    }

    [Fact]
    public async Task ApplyAsync_RevokeNothingPresent_NoWrite()
    {
        _ec2.WithImage(Ami, A);
        var service = Service();
        var result = await service.ApplyAsync(await service.PlanRevokeAsync(Ami, new[] { B }, ShareOptions.None, default), default);
        Assert.False(result.Changed);
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task PlanRevokeAsync_AccountWhileOrgStaysShared_WarnsWithOrgArn()
    {
        _ec2.WithImage(Ami, A, Org);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { A }, ShareOptions.None, default);
        string warning = Assert.Single(plan.Warnings);
        Assert.StartsWith($"Account 111122223333 may keep launch access to {Ami} through organization {Org.Value}", warning);
        Assert.Contains("EC2 reports success, yet access persists", warning);
        Assert.Contains("Test-AmiLaunchAccess", warning);
    }

    [Fact]
    public async Task PlanRevokeAsync_AccountWhileOrgAndOuStay_WarningNamesBoth()
    {
        _ec2.WithImage(Ami, A, B, Org, Ou);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { A, B }, ShareOptions.None, default);
        Assert.Equal(2, plan.Warnings.Count);
        Assert.All(plan.Warnings, w => Assert.Contains($"organization {Org.Value} / OU {Ou.Value}", w));
    }

    [Fact]
    public async Task PlanRevokeAsync_AccountAndOrgTogether_NoWarning()
    {
        _ec2.WithImage(Ami, A, Org);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { A, Org }, ShareOptions.None, default);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public async Task PlanRevokeAsync_AccountWhilePublic_WarnsAboutPublic()
    {
        _ec2.WithImage(Ami, A, Principal.Everyone);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { A }, ShareOptions.None, default);
        Assert.Contains("group 'all'", Assert.Single(plan.Warnings));
    }

    [Fact]
    public async Task PlanRevokeAsync_Everyone_AllowedAndRemoved()
    {
        _ec2.WithImage(Ami, A, Principal.Everyone);
        var plan = await Service().PlanRevokeAsync(Ami, new[] { Principal.Everyone }, ShareOptions.None, default);
        Assert.Equal(new[] { Principal.Everyone }, plan.ToRemove);
    }

    [Fact]
    public async Task PlanRevokeAsync_NoPrincipals_ThrowsMissingPrincipal()
    {
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanRevokeAsync(Ami, null!, ShareOptions.None, default));
        Assert.Equal(ErrorIds.MissingPrincipal, e.ErrorId);
    }

    [Fact]
    public async Task PlanSetPublicAsync_ShareableImage_AddsEveryoneAfterChecks()
    {
        _ec2.WithImage(Ami, A);
        var service = Service();
        var plan = await service.PlanSetPublicAsync(Ami, true, default);
        Assert.Equal(new[] { Principal.Everyone }, plan.ToAdd);
        Assert.Equal(ShareOperation.SetPublic, plan.Operation);
        Assert.Equal("image " + Ami, plan.ImageName);
        Assert.Equal(
            new[] { "DescribeImages " + Ami, "DescribeImageAttribute " + Ami, "GetImageBlockPublicAccessState", "DescribeImages is-public" },
            _ec2.Calls);

        var result = await service.ApplyAsync(plan, default);
        var write = Assert.Single(_ec2.Modifications);
        Assert.Equal(new[] { Principal.Everyone }, write.Add);
        Assert.Equal(new[] { A, Principal.Everyone }, result.LaunchPermissions);
    }

    [Fact]
    public async Task PlanSetPublicAsync_AlreadyPublic_NoChangesNoWrite()
    {
        _ec2.WithImage(Ami, Principal.Everyone);
        _ec2.OwnedPublicImages = 5;
        _ec2.BlockPublicAccessState = "block-new-sharing";
        var service = Service();
        var plan = await service.PlanSetPublicAsync(Ami, true, default);
        Assert.False(plan.HasChanges);
        var result = await service.ApplyAsync(plan, default);
        Assert.False(result.Changed);
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task PlanSetPublicAsync_EncryptedSnapshot_RefusedBeforeWrite()
    {
        _ec2.WithImage(Ami);
        _ec2.Images[Ami].Snapshots = new[] { new SnapshotRef { SnapshotId = "snap-0123456789abcdef0", Encrypted = true, DeviceName = "/dev/xvda" } };
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanSetPublicAsync(Ami, true, default));
        Assert.Equal(ErrorIds.EncryptedSnapshotsCannotBePublic, e.ErrorId);
        Assert.Contains("snap-0123456789abcdef0", e.Message);
        Assert.Contains("Grant-AmiLaunchPermission", e.Remedy);
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task PlanSetPublicAsync_ProductCodes_RefusedBeforeWrite()
    {
        _ec2.WithImage(Ami);
        _ec2.Images[Ami].ProductCodes = new[] { "abcdefghijklmnopqrstuvwx" };
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanSetPublicAsync(Ami, true, default));
        Assert.Equal(ErrorIds.ProductCodesCannotBePublic, e.ErrorId);
        Assert.Contains("Marketplace", e.Message);
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task PlanSetPublicAsync_BlockPublicAccess_RefusedNamingDisableCmdlet()
    {
        _ec2.WithImage(Ami);
        _ec2.BlockPublicAccessState = "block-new-sharing";
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanSetPublicAsync(Ami, true, default));
        Assert.Equal(ErrorIds.PublicSharingBlocked, e.ErrorId);
        Assert.Contains("Disable-EC2ImageBlockPublicAccess", e.Message);
        Assert.Contains("DisableImageBlockPublicAccess", e.Message);
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task PlanSetPublicAsync_FiveOrMorePublic_NotRefused_EC2Decides()
    {
        // The quota (L-0E3CBAB9) is adjustable: five public AMIs is EC2's default, not a limit AmiShare may assume.
        _ec2.WithImage(Ami);
        _ec2.OwnedPublicImages = 5;
        var plan = await Service().PlanSetPublicAsync(Ami, true, default);
        Assert.Equal(new[] { Principal.Everyone }, plan.ToAdd);
        await Service().ApplyAsync(plan, default);
        Assert.Equal(1, _ec2.WriteCount);
    }

    [Fact]
    public async Task PlanSetPublicAsync_FourPublicAlready_Allowed()
    {
        _ec2.WithImage(Ami);
        _ec2.OwnedPublicImages = 4;
        var plan = await Service().PlanSetPublicAsync(Ami, true, default);
        Assert.True(plan.HasChanges);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("failed")]
    [InlineData("deregistered")]
    public async Task PlanSetPublicAsync_NotAvailable_ThrowsAmiNotAvailable(string state)
    {
        _ec2.WithImage(Ami);
        _ec2.Images[Ami].State = state;
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanSetPublicAsync(Ami, true, default));
        Assert.Equal(ErrorIds.AmiNotAvailable, e.ErrorId);
        Assert.Contains(state, e.Message);
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task PlanSetPublicAsync_NotOwned_ThrowsAmiNotOwnedBeforeChecks()
    {
        _ec2.WithImage(Ami);
        _ec2.NotOwned.Add(Ami);
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanSetPublicAsync(Ami, true, default));
        Assert.Equal(ErrorIds.AmiNotOwned, e.ErrorId);
        Assert.DoesNotContain("GetImageBlockPublicAccessState", _ec2.Calls);
    }

    [Fact]
    public async Task PlanSetPublicAsync_MakePrivateWhenPublic_RemovesEveryone()
    {
        _ec2.WithImage(Ami, A, Principal.Everyone);
        var service = Service();
        var plan = await service.PlanSetPublicAsync(Ami, false, default);
        Assert.Equal(ShareOperation.SetPrivate, plan.Operation);
        Assert.Equal(new[] { Principal.Everyone }, plan.ToRemove);
        var result = await service.ApplyAsync(plan, default);
        Assert.Equal(new[] { A }, result.LaunchPermissions);
        Assert.Equal(new[] { Principal.Everyone }, Assert.Single(_ec2.Modifications).Remove);
    }

    [Fact]
    public async Task PlanSetPublicAsync_MakePrivateWhenPrivate_NoWrite()
    {
        _ec2.WithImage(Ami, A);
        var service = Service();
        var result = await service.ApplyAsync(await service.PlanSetPublicAsync(Ami, false, default), default);
        Assert.False(result.Changed);
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task ApplyAsync_Reset_OneResetCall()
    {
        _ec2.WithImage(Ami, A, Org, Principal.Everyone);
        var service = Service();
        var plan = await service.PlanResetAsync(Ami, ShareOptions.None, default);
        Assert.Equal(new[] { A, Org, Principal.Everyone }, plan.Current);
        var result = await service.ApplyAsync(plan, default);
        Assert.Equal(new[] { Ami }, _ec2.Resets);
        Assert.Empty(_ec2.Modifications);
        Assert.True(result.Changed);
        Assert.Empty(result.LaunchPermissions);
        Assert.Equal(new[] { A, Org, Principal.Everyone }, result.Removed);
    }

    [Fact]
    public async Task ApplyAsync_ResetOfPrivateAmi_NoCall()
    {
        _ec2.WithImage(Ami);
        var service = Service();
        var result = await service.ApplyAsync(await service.PlanResetAsync(Ami, ShareOptions.None, default), default);
        Assert.False(result.Changed);
        Assert.Empty(_ec2.Resets);
    }

    [Fact]
    public async Task ApplyAsync_Cancelled_NoWrite()
    {
        _ec2.WithImage(Ami);
        var service = Service();
        var plan = await service.PlanGrantAsync(Ami, new[] { A }, ShareOptions.None, default);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.ApplyAsync(plan, cts.Token));
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task GetLaunchPermissionsAsync_ReturnsCurrent()
    {
        _ec2.WithImage(Ami, A, Ou);
        Assert.Equal(new[] { A, Ou }, await Service().GetLaunchPermissionsAsync(Ami, default));
    }

    [Fact]
    public async Task GetLaunchPermissionsAsync_InvalidId_ThrowsWithoutCall()
    {
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().GetLaunchPermissionsAsync("ami-nope", default));
        Assert.Equal(ErrorIds.InvalidImageId, e.ErrorId);
        Assert.Empty(_ec2.Calls);
    }

    [Fact]
    public void Dispose_DisposesGateway()
    {
        Service().Dispose();
        Assert.True(_ec2.Disposed);
    }
}
