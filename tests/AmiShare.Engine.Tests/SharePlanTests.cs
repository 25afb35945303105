using AmiShare.Engine.Kms;
using AmiShare.Engine.Plans;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

public class SharePlanTests
{
    private static readonly Principal A = PrincipalParser.Parse("111122223333");
    private static readonly Principal B = PrincipalParser.Parse("444455556666");
    private static readonly Principal Org = PrincipalParser.Parse("arn:aws:organizations::111122223333:organization/o-abcd123456");

    [Fact]
    public void Expected_GrantPlan_IsCurrentPlusAdds()
    {
        var plan = new SharePlan { Operation = ShareOperation.Grant, Current = new[] { A }, ToAdd = new[] { B, Org } };
        Assert.Equal(new[] { A, B, Org }, plan.Expected);
        Assert.True(plan.HasChanges);
    }

    [Fact]
    public void Expected_RevokePlan_IsCurrentMinusRemoves()
    {
        var plan = new SharePlan { Operation = ShareOperation.Revoke, Current = new[] { A, B, Org }, ToRemove = new[] { B } };
        Assert.Equal(new[] { A, Org }, plan.Expected);
    }

    [Fact]
    public void Expected_ResetPlan_IsEmpty()
    {
        var plan = new SharePlan { Operation = ShareOperation.Reset, Current = new[] { A, Principal.Everyone } };
        Assert.Empty(plan.Expected);
        Assert.True(plan.HasChanges);
    }

    [Fact]
    public void HasChanges_ResetOfNothing_False()
    {
        Assert.False(new SharePlan { Operation = ShareOperation.Reset }.HasChanges);
    }

    [Fact]
    public void HasChanges_NoAddsOrRemoves_False()
    {
        var plan = new SharePlan { Operation = ShareOperation.Grant, Current = new[] { A }, Unchanged = new[] { A } };
        Assert.False(plan.HasChanges);
        Assert.Equal("No change", plan.Describe());
    }

    [Fact]
    public void Describe_GrantAndRevoke_ListsBoth()
    {
        var plan = new SharePlan { Operation = ShareOperation.Grant, ToAdd = new[] { A, B }, ToRemove = new[] { Org } };
        Assert.Equal("Grant launch permission to 111122223333, 444455556666; Revoke launch permission from " + Org.Value, plan.Describe());
    }

    [Fact]
    public void Describe_Reset_CountsWhatIsRemoved()
    {
        var plan = new SharePlan { Operation = ShareOperation.Reset, Current = new[] { A, Principal.Everyone } };
        Assert.Equal("Reset launch permissions (remove all 2: 111122223333, all)", plan.Describe());
    }

    [Fact]
    public void Describe_ResetWithKeyAndSnapshotChanges_SaysAllThreeForWhatIf()
    {
        var plan = new SharePlan
        {
            Operation = ShareOperation.Reset,
            Current = new[] { A },
            KeyPolicyChanges = new[] { new KeyPolicyChange { KeyArn = "arn:aws:kms:us-east-1:123456789012:key/k1" } },
            SnapshotChanges = new[] { new SnapshotPermissionChange { SnapshotId = "snap-1", RemoveAccounts = new[] { "111122223333" } } },
        };

        Assert.Equal(
            "Reset launch permissions (remove all 1: 111122223333); Update the AmiShare statements of KMS key policy arn:aws:kms:us-east-1:123456789012:key/k1; " +
            "Remove createVolumePermission on snap-1 from 111122223333",
            plan.Describe());
    }

    [Fact]
    public void Describe_SetPublicAndPrivate_NameGroupAll()
    {
        Assert.Contains("group 'all'", new SharePlan { Operation = ShareOperation.SetPublic, ToAdd = new[] { Principal.Everyone } }.Describe());
        Assert.StartsWith("Make private", new SharePlan { Operation = ShareOperation.SetPrivate, ToRemove = new[] { Principal.Everyone } }.Describe());
        Assert.Equal("No change", new SharePlan { Operation = ShareOperation.SetPublic }.Describe());
    }
}
