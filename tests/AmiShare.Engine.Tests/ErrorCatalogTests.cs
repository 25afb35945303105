using AmiShare.Engine.Gateways;
using Xunit;

namespace AmiShare.Engine.Tests;

public sealed class ErrorCatalogTests
{
    public static TheoryData<string> Catalogues => new() { "EC2", "KMS", "Organizations" };

    private static IReadOnlyList<AwsErrorRow> Rows(string catalogue) => catalogue switch
    {
        "EC2" => Ec2ErrorCatalog.Rows,
        "KMS" => KmsErrorCatalog.Rows,
        _ => OrganizationsErrorCatalog.Rows,
    };

    /// <summary>A row after an unconditional row of the same code could never match: the table's order would hide it.</summary>
    [Theory]
    [MemberData(nameof(Catalogues))]
    public void Rows_NoRowAfterAnUnconditionalRowOfItsCode(string catalogue)
    {
        var closed = new HashSet<string>();
        var unreachable = new List<string>();
        foreach (AwsErrorRow row in Rows(catalogue))
        {
            if (closed.Contains(row.Code))
            {
                unreachable.Add(row.Code);
            }

            if (!row.IsConditional)
            {
                closed.Add(row.Code);
            }
        }

        Assert.Empty(unreachable);
    }

    [Theory]
    [MemberData(nameof(Catalogues))]
    public void Rows_EveryRowHasACodeAndAnErrorId(string catalogue) =>
        Assert.All(Rows(catalogue), row =>
        {
            Assert.False(string.IsNullOrEmpty(row.Code));
            Assert.False(string.IsNullOrEmpty(row.Template.ErrorId));
        });
}
