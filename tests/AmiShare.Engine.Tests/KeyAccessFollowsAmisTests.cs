using Amazon.Runtime;
using AmiShare.Engine.Plans;
using AmiShare.Emulator;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>
/// Issue 7, build 5: key access (and a snapshot's createVolumePermission) belongs to the key (snapshot), not to one AMI.
/// Revoke / Reset with -IncludeKmsKey / -IncludeSnapshot take it away only when no AMI the caller owns behind it is still
/// shared with the principal after the run. Real gateways against the emulator's demo world plus a second AMI behind the
/// demo CMK (and a third on the CMK AMI's own snapshot).
/// </summary>
public sealed class KeyAccessFollowsAmisTests : IAsyncLifetime
{
    private const string Region = "us-east-1";
    private const string Owner = "123456789012";
    private const string First = "ami-0a1b2c3d4e5f60002";
    private const string Second = "ami-0a1b2c3d4e5f60022";
    private const string SameSnapshot = "ami-0a1b2c3d4e5f60032";
    private const string SharedSnapshot = "snap-0a1b2c3d4e5f60002";
    private const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string KeyArn = "arn:aws:kms:us-east-1:123456789012:key/" + KeyId;

    private static readonly Principal A = PrincipalParser.Parse("111122223333");
    private static readonly Principal Member = PrincipalParser.Parse("444455556666");
    private static readonly Principal EngineeringOu = PrincipalParser.Parse("arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111");
    private static readonly ShareOptions WithKey = new() { IncludeKmsKey = true };
    private static readonly ShareOptions WithSnapshot = new() { IncludeSnapshot = true };

    private readonly ListReporter _reporter = new();
    private EmulatorHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await EmulatorHost.StartAsync(World.Demo());
        AddSecondAmiBehindTheKey(_host.World);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>ami-…22 on its own snapshot encrypted with the demo CMK; ami-…32 on the CMK AMI's own snapshot.</summary>
    internal static void AddSecondAmiBehindTheKey(World world)
    {
        world.AddSnapshot(new SnapshotSpec { SnapshotId = "snap-0a1b2c3d4e5f60022", Region = Region, Owner = Owner, KmsKeyId = KeyArn });
        world.AddImage(new ImageSpec
        {
            ImageId = Second, Region = Region, Owner = Owner, Name = "app-server-cmk-2",
            BlockDeviceMappings = { new BlockDeviceSpec { SnapshotId = "snap-0a1b2c3d4e5f60022", VolumeSize = 8 } },
        });
        world.AddImage(new ImageSpec
        {
            ImageId = SameSnapshot, Region = Region, Owner = Owner, Name = "app-server-cmk-same-snapshot",
            BlockDeviceMappings = { new BlockDeviceSpec { SnapshotId = SharedSnapshot, VolumeSize = 8 } },
        });
    }

    private AmiShareService Service()
    {
        var session = new AwsSession(new BasicAWSCredentials("AKIAAMISHAREOWNER001", "owner-secret"), "the supplied key parameters", Region, "region parameter", _host.Endpoint);
        return new AmiShareService(new Ec2Gateway(session, _reporter), new KmsGateway(session, _reporter), new OrganizationsGateway(session, _reporter), _reporter);
    }

    private string Policy => _host.World.KeyPolicyOf(Region, KeyId);

    private async Task GrantAsync(Principal who, ShareOptions options, params string[] images)
    {
        using var service = Service();
        foreach (string image in images)
        {
            await service.ApplyAsync(await service.PlanGrantAsync(image, new[] { who }, options, default), default);
        }
    }

    private int OwnedImageListings => _host.Log.Entries.Count(e => e.Action == "DescribeImages" && e.Parameters.Values.Contains("self"));

    [Fact]
    public async Task Revoke_FromTheFirstOfTwoAmisBehindTheKey_KeepsTheKeyAccess_AndSaysWhy()
    {
        await GrantAsync(A, WithKey, First, Second);
        Assert.Contains("111122223333", Policy);
        _host.Log.Clear();

        using var service = Service();
        var plan = await service.PlanRevokeAsync(First, new[] { A }, WithKey, default);

        Assert.Empty(plan.KeyPolicyChanges);
        var kept = Assert.Single(plan.AccessKept);
        Assert.Equal(KeyArn, kept.Resource);
        Assert.Equal("111122223333", kept.Principal);
        Assert.Equal($"{Second} is still shared with 111122223333", kept.Reason);
        Assert.Contains($"Keep the access of 111122223333 on {KeyArn}: {Second} is still shared with 111122223333", plan.Describe());
        Assert.Contains(_reporter.VerboseLines, l => l.Contains("keeping the access of 111122223333 on " + KeyArn));

        var result = await service.ApplyAsync(plan, default);
        Assert.Empty(result.KeyPoliciesChanged);
        Assert.Same(kept, Assert.Single(result.AccessKept));
        Assert.Contains("111122223333", Policy);
        Assert.Equal(0, _host.Log.Count("PutKeyPolicy"));
        Assert.Empty(_host.World.LaunchPermissionsOf(Region, First));
        Assert.Equal(new[] { ("UserId", "111122223333") }, _host.World.LaunchPermissionsOf(Region, Second));
    }

    [Fact]
    public async Task Revoke_FromBothInOneRun_RemovesTheKeyAccessWithTheLast_ReadingOwnedAmisOnce()
    {
        await GrantAsync(A, WithKey, First, Second);
        _host.Log.Clear();

        using var service = Service();
        var first = await service.ApplyAsync(await service.PlanRevokeAsync(First, new[] { A }, WithKey, default), default);
        var second = await service.ApplyAsync(await service.PlanRevokeAsync(Second, new[] { A }, WithKey, default), default);

        Assert.Empty(first.KeyPoliciesChanged);
        Assert.Single(first.AccessKept);
        Assert.Equal(new[] { KeyArn }, second.KeyPoliciesChanged);
        Assert.Empty(second.AccessKept);
        Assert.DoesNotContain("111122223333", Policy);
        Assert.Equal(1, _host.Log.Count("PutKeyPolicy"));
        Assert.Equal(1, OwnedImageListings);
        Assert.Equal(1, _host.Log.Entries.Count(e => e.Action == "DescribeSnapshots" && e.Parameters.Values.Contains("self")));
    }

    [Fact]
    public async Task Revoke_FromBothInTwoRuns_RemovesTheKeyAccessInTheSecond()
    {
        await GrantAsync(A, WithKey, First, Second);

        using (var run1 = Service())
        {
            await run1.ApplyAsync(await run1.PlanRevokeAsync(First, new[] { A }, WithKey, default), default);
        }

        Assert.Contains("111122223333", Policy);
        using (var run2 = Service())
        {
            var plan = await run2.PlanRevokeAsync(Second, new[] { A }, WithKey, default);
            Assert.Empty(plan.AccessKept);
            Assert.Equal(KeyArn, Assert.Single(plan.KeyPolicyChanges).KeyArn);
            await run2.ApplyAsync(plan, default);
        }

        Assert.DoesNotContain("111122223333", Policy);
    }

    [Fact]
    public async Task Revoke_WhatIfOfTheFirst_LetsTheSecondPlanShowTheRemoval_WithoutAnyWrite()
    {
        await GrantAsync(A, WithKey, First, Second);
        int writes = _host.Log.MutatingCount;

        using var service = Service();
        var plan1 = await service.PlanRevokeAsync(First, new[] { A }, WithKey, default);
        Assert.Single(plan1.AccessKept);
        service.AssumeApplied(plan1);
        var plan2 = await service.PlanRevokeAsync(Second, new[] { A }, WithKey, default);

        Assert.Empty(plan2.AccessKept);
        Assert.Single(plan2.KeyPolicyChanges);
        Assert.Equal(writes, _host.Log.MutatingCount);
    }

    [Fact]
    public async Task Revoke_AccountWhoseOuStillHasAnotherAmi_KeepsItsKeyAccess_WhenTheOuHasNoStatementOfItsOwn()
    {
        await GrantAsync(Member, WithKey, First);
        await GrantAsync(EngineeringOu, ShareOptions.None, Second);

        using var service = Service();
        var plan = await service.PlanRevokeAsync(First, new[] { Member }, WithKey, default);

        var kept = Assert.Single(plan.AccessKept);
        Assert.Equal("444455556666", kept.Principal);
        Assert.Equal($"{Second} is still shared with {EngineeringOu.Value}, which holds 444455556666", kept.Reason);
        Assert.Empty(plan.KeyPolicyChanges);
    }

    [Fact]
    public async Task Revoke_AccountWhoseOuHasItsOwnStatement_LosesItsAccountStatement()
    {
        await GrantAsync(Member, WithKey, First);
        await GrantAsync(EngineeringOu, WithKey, Second);

        using var service = Service();
        var plan = await service.PlanRevokeAsync(First, new[] { Member }, WithKey, default);

        Assert.Empty(plan.AccessKept);
        Assert.Equal(new[] { "444455556666" }, Assert.Single(plan.KeyPolicyChanges).Principals);
        await service.ApplyAsync(plan, default);
        Assert.DoesNotContain("444455556666", Policy);
        Assert.Contains("ou-ab12-11111111", Policy);
    }

    [Fact]
    public async Task Revoke_OfAPrincipalNoOtherAmiNeeds_StillRemovesIt_AlongsideOneThatIsKept()
    {
        await GrantAsync(A, WithKey, First, Second);
        await GrantAsync(Member, WithKey, First);

        using var service = Service();
        var plan = await service.PlanRevokeAsync(First, new[] { A, Member }, WithKey, default);

        Assert.Equal("111122223333", Assert.Single(plan.AccessKept).Principal);
        var change = Assert.Single(plan.KeyPolicyChanges);
        Assert.Equal(new[] { "444455556666" }, change.Principals);
        await service.ApplyAsync(plan, default);
        Assert.Contains("111122223333", Policy);
        Assert.DoesNotContain("444455556666", Policy);
    }

    [Fact]
    public async Task Reset_IncludeKmsKey_KeepsTheKeyAccessOfAPrincipalAnotherAmiIsSharedWith()
    {
        await GrantAsync(A, WithKey, First, Second);

        using var service = Service();
        var plan = await service.PlanResetAsync(First, WithKey, default);

        Assert.Empty(plan.KeyPolicyChanges);
        Assert.Equal($"{Second} is still shared with 111122223333", Assert.Single(plan.AccessKept).Reason);
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("keep giving 111122223333"));
        await service.ApplyAsync(plan, default);
        Assert.Contains("111122223333", Policy);

        var last = await service.PlanResetAsync(Second, WithKey, default);
        Assert.Empty(last.AccessKept);
        await service.ApplyAsync(last, default);
        Assert.DoesNotContain("111122223333", Policy);
    }

    [Fact]
    public async Task Revoke_IncludeSnapshot_KeepsCreateVolumePermissionWhileAnotherAmiOnTheSnapshotIsShared()
    {
        await GrantAsync(A, WithSnapshot, First, SameSnapshot);
        Assert.Equal(new[] { "111122223333" }, _host.World.CreateVolumePermissionsOf(Region, SharedSnapshot));

        using var service = Service();
        var plan = await service.PlanRevokeAsync(First, new[] { A }, WithSnapshot, default);
        Assert.Empty(plan.SnapshotChanges);
        var kept = Assert.Single(plan.AccessKept);
        Assert.Equal(SharedSnapshot, kept.Resource);
        Assert.Equal($"{SameSnapshot} is still shared with 111122223333", kept.Reason);
        await service.ApplyAsync(plan, default);
        Assert.Equal(new[] { "111122223333" }, _host.World.CreateVolumePermissionsOf(Region, SharedSnapshot));

        var last = await service.PlanRevokeAsync(SameSnapshot, new[] { A }, WithSnapshot, default);
        Assert.Equal(SharedSnapshot, Assert.Single(last.SnapshotChanges).SnapshotId);
        await service.ApplyAsync(last, default);
        Assert.Empty(_host.World.CreateVolumePermissionsOf(Region, SharedSnapshot));
        Assert.Equal(1, OwnedImageListings);
    }

    [Fact]
    public async Task Revoke_WithoutIncludeKmsKey_NeverListsTheOwnedAmis()
    {
        await GrantAsync(A, WithKey, First, Second);
        _host.Log.Clear();

        using var service = Service();
        await service.ApplyAsync(await service.PlanRevokeAsync(First, new[] { A }, ShareOptions.None, default), default);
        Assert.Equal(0, OwnedImageListings);
    }

    [Fact]
    public async Task PlanRevokeAsync_TwoAmisPlannedBeforeEitherApplies_BothKeepTheKeyAccess_SoSuchRunsGoInOrder()
    {
        await GrantAsync(A, WithKey, First, Second);
        Assert.True(AmiShareService.PlansDependOnEachOther(ShareOperation.Revoke, WithKey));
        Assert.True(AmiShareService.PlansDependOnEachOther(ShareOperation.Reset, WithSnapshot));
        Assert.False(AmiShareService.PlansDependOnEachOther(ShareOperation.Revoke, ShareOptions.None));
        Assert.False(AmiShareService.PlansDependOnEachOther(ShareOperation.Grant, WithKey));

        using var service = Service();
        var first = await service.PlanRevokeAsync(First, new[] { A }, WithKey, default);
        var second = await service.PlanRevokeAsync(Second, new[] { A }, WithKey, default);

        // Each plan still sees the other AMI shared with A: concurrent planning keeps access rather than removing it wrongly.
        Assert.Empty(first.KeyPolicyChanges);
        Assert.Empty(second.KeyPolicyChanges);
        Assert.Contains(first.AccessKept, k => k.Reason.Contains(Second));
        Assert.Contains(second.AccessKept, k => k.Reason.Contains(First));
    }
}
