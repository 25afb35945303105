using AmiShare.Emulator;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// Issue 7, build 5: Revoke/Reset -IncludeKmsKey / -IncludeSnapshot take a principal's key access (snapshot permission) away
/// only when no AMI the caller owns behind that key (snapshot) is still shared with it after the run; otherwise the access
/// stays, and -Verbose, the -PassThru row (AccessKept) and -WhatIf say so. Demo world plus a second AMI behind the demo CMK
/// and a third on the CMK AMI's own snapshot.
/// </summary>
public sealed class KeyAccessFollowsAmisTests
{
    private const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string KeyArn = "arn:aws:kms:us-east-1:123456789012:key/" + KeyId;
    private const string Second = "ami-0a1b2c3d4e5f60022";
    private const string SameSnapshot = "ami-0a1b2c3d4e5f60032";
    private const string SharedSnapshot = "snap-0a1b2c3d4e5f60002";
    private const string ConsumerRoot = "arn:aws:iam::111122223333:root";

    private static async Task<ModuleTestContext> StartTwoAmiWorldAsync()
    {
        World world = World.Demo();
        world.AddSnapshot(new SnapshotSpec { SnapshotId = "snap-0a1b2c3d4e5f60022", Region = "us-east-1", Owner = Owner, KmsKeyId = KeyArn });
        world.AddImage(new ImageSpec
        {
            ImageId = Second, Region = "us-east-1", Owner = Owner, Name = "app-server-cmk-2",
            BlockDeviceMappings = { new BlockDeviceSpec { SnapshotId = "snap-0a1b2c3d4e5f60022", VolumeSize = 8 } },
        });
        world.AddImage(new ImageSpec
        {
            ImageId = SameSnapshot, Region = "us-east-1", Owner = Owner, Name = "app-server-cmk-same-snapshot",
            BlockDeviceMappings = { new BlockDeviceSpec { SnapshotId = SharedSnapshot, VolumeSize = 8 } },
        });
        var t = await StartAsync(world);
        t.Run("Grant-AmiLaunchPermission $args -AccountId 111122223333 -IncludeKmsKey -IncludeSnapshot", Cmk, Second).ThrowIfErrors();
        Assert.Contains(ConsumerRoot, t.World.KeyPolicyOf("us-east-1", KeyId));
        t.Log.Clear();
        return t;
    }

    private static string Policy(ModuleTestContext t) => t.World.KeyPolicyOf("us-east-1", KeyId);

    [Fact]
    public async Task Revoke_IncludeKmsKey_FromTheFirstOfTwoAmis_KeepsTheKeyAccess_SaysSoInVerboseAndPassThru()
    {
        await using var t = await StartTwoAmiWorldAsync();

        var r = t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey -PassThru -Verbose", Cmk).ThrowIfErrors();

        Assert.Contains(ConsumerRoot, Policy(t));
        Assert.Equal(0, t.Log.Count("PutKeyPolicy"));
        Assert.Empty(t.PermissionsOf(Cmk));
        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Second));
        var row = Assert.Single(r.Output);
        Assert.Empty((IEnumerable<string>)row.Properties["KeyPoliciesChanged"].Value);
        string kept = Assert.Single((IEnumerable<string>)row.Properties["AccessKept"].Value);
        Assert.StartsWith($"111122223333 on {KeyArn}: ", kept);
        Assert.Contains("is still shared with 111122223333", kept);
        Assert.Contains(r.Verbose, v => v.Contains("keeping the access of 111122223333 on " + KeyArn));
    }

    [Fact]
    public async Task Revoke_IncludeKmsKey_FromBothInOneRun_RemovesTheKeyAccessOnce_ListingOwnedAmisOnce()
    {
        await using var t = await StartTwoAmiWorldAsync();

        var r = t.Run("$args | Revoke-AmiLaunchPermission -AccountId 111122223333 -IncludeKmsKey -PassThru", Cmk, Second).ThrowIfErrors();

        Assert.DoesNotContain(ConsumerRoot, Policy(t));
        Assert.Equal(1, t.Log.Count("PutKeyPolicy"));
        Assert.Equal(2, r.Output.Count);
        Assert.Single((IEnumerable<string>)r.Output[0].Properties["AccessKept"].Value);
        Assert.Empty((IEnumerable<string>)r.Output[1].Properties["AccessKept"].Value);
        Assert.Equal(new[] { KeyArn }, (IEnumerable<string>)r.Output[1].Properties["KeyPoliciesChanged"].Value);
        Assert.Equal(1, t.Log.Entries.Count(e => e.Action == "DescribeImages" && e.Parameters.Values.Contains("self")));
    }

    [Fact]
    public async Task Revoke_IncludeKmsKey_FromBothInTwoRuns_RemovesTheKeyAccessInTheSecond()
    {
        await using var t = await StartTwoAmiWorldAsync();

        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey", Cmk).ThrowIfErrors();
        Assert.Contains(ConsumerRoot, Policy(t));

        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeKmsKey", Second).ThrowIfErrors();
        Assert.DoesNotContain(ConsumerRoot, Policy(t));
    }

    [Fact]
    public async Task Revoke_IncludeKmsKey_WhatIf_ShowsTheSameDecisions_AndWritesNothing()
    {
        await using var t = await StartTwoAmiWorldAsync();
        string before = Policy(t);

        t.Run("$args | Revoke-AmiLaunchPermission -AccountId 111122223333 -IncludeKmsKey -WhatIf", Cmk, Second).ThrowIfErrors();

        string shown = t.Ps.HostOutput.ToString()!;
        var whatIf = shown.Split('\n').Where(l => l.StartsWith("What if:")).ToList();
        Assert.Equal(2, whatIf.Count);
        Assert.Contains($"Keep the access of 111122223333 on {KeyArn}", whatIf[0]);
        Assert.DoesNotContain("Update the AmiShare statements", whatIf[0]);
        Assert.Contains("Update the AmiShare statements of KMS key policy " + KeyArn, whatIf[1]);
        Assert.DoesNotContain("Keep the access", whatIf[1]);
        Assert.Equal(before, Policy(t));
        Assert.Equal(0, t.Log.MutatingCount);
    }

    [Fact]
    public async Task Reset_IncludeKmsKey_KeepsTheKeyAccessAnotherAmiStillNeeds()
    {
        await using var t = await StartTwoAmiWorldAsync();

        var r = t.Run("Reset-AmiLaunchPermission $args[0] -IncludeKmsKey -Force -PassThru", Cmk).ThrowIfErrors();

        Assert.Contains(ConsumerRoot, Policy(t));
        Assert.Empty(t.PermissionsOf(Cmk));
        Assert.Contains("is still shared with 111122223333", Assert.Single((IEnumerable<string>)Assert.Single(r.Output).Properties["AccessKept"].Value));
    }

    [Fact]
    public async Task Revoke_IncludeSnapshot_KeepsCreateVolumePermissionOfASnapshotBackingAnotherSharedAmi()
    {
        await using var t = await StartTwoAmiWorldAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeSnapshot", SameSnapshot).ThrowIfErrors();
        t.Log.Clear();
        Assert.Equal(new[] { Consumer }, t.World.CreateVolumePermissionsOf("us-east-1", SharedSnapshot));

        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeSnapshot", Cmk).ThrowIfErrors();
        Assert.Equal(new[] { Consumer }, t.World.CreateVolumePermissionsOf("us-east-1", SharedSnapshot));
        Assert.Equal(0, t.Log.Count("ModifySnapshotAttribute"));

        t.Run("Revoke-AmiLaunchPermission $args[0] -AccountId 111122223333 -IncludeSnapshot", SameSnapshot).ThrowIfErrors();
        Assert.Empty(t.World.CreateVolumePermissionsOf("us-east-1", SharedSnapshot));
    }
}
