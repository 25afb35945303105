using AmiShare.Engine.Principals;
using Xunit;

namespace AmiShare.Engine.Tests;

public class PrincipalSetTests
{
    private static readonly Principal A = PrincipalParser.Parse("111122223333");
    private static readonly Principal B = PrincipalParser.Parse("444455556666");

    [Fact]
    public void Distinct_DropsNullsAndRepeats_KeepsFirstSeenOrder()
    {
        Assert.Equal(new[] { B, A }, PrincipalSet.Distinct(new[] { B, null!, A, B, A }));
        Assert.Empty(PrincipalSet.Distinct(null!));
    }

    [Fact]
    public void Require_NoPrincipal_ThrowsMissingPrincipalNamingTheImage()
    {
        var e = Assert.Throws<AmiShareException>(() => PrincipalSet.Require(new Principal[] { null! }, "ami-12345678", "revoke"));
        Assert.Equal(ErrorIds.MissingPrincipal, e.ErrorId);
        Assert.Equal("No principal was given to revoke launch permission for ami-12345678.", e.Reason);
        Assert.Equal("ami-12345678", e.Target);
    }

    [Fact]
    public void MissingFor_NamesEveryImageOfTheItem()
    {
        var e = PrincipalSet.MissingFor(new[] { "ami-12345678", "ami-87654321" });
        Assert.Equal(ErrorIds.MissingPrincipal, e.ErrorId);
        Assert.Equal("No principal was given for ami-12345678, ami-87654321.", e.Reason);
        Assert.Contains("-AccountId", e.Remedy);
    }

    [Fact]
    public void RejectPublic_GroupAll_ThrowsPublicNotAllowedHere_OthersPass()
    {
        PrincipalSet.RejectPublic("ami-12345678", new[] { A, B });
        var e = Assert.Throws<AmiShareException>(() => PrincipalSet.RejectPublic("ami-12345678", new[] { A, Principal.Everyone }));
        Assert.Equal(ErrorIds.PublicNotAllowedHere, e.ErrorId);
        Assert.Contains("Set-AmiPublic", e.Remedy);
    }
}
