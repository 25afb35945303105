using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Reports;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>The share report's rules that the emulator world does not reach: KMS or Organizations missing, key reads cached.</summary>
public sealed class ShareReportTests
{
    private const string Cmk = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static FakeEc2Gateway Ec2WithEncryptedImages(int count, string keyArn)
    {
        var ec2 = new FakeEc2Gateway();
        for (int i = 1; i <= count; i++)
        {
            string id = $"ami-{i:x17}";
            ec2.WithImage(id, Principal.FromWire(PrincipalType.Account, "999988887777"));
            ec2.Images[id].Snapshots = [new SnapshotRef { SnapshotId = $"snap-{i:x17}", Encrypted = true, KmsKeyId = keyArn }];
        }

        return ec2;
    }

    [Fact]
    public async Task WithoutKmsAndOrganizations_KeyManagerAndExternalAreUnknown()
    {
        using var service = new AmiShareService(Ec2WithEncryptedImages(1, Cmk), null!, null!, new ListReporter());

        ShareReportRow row = (await service.GetShareReportAsync(null!, null!, default)).Single();

        Assert.Equal(ShareReportRow.Unknown, row.KeyManager);
        Assert.False(row.ExternalKnown);
        Assert.Null(row.External);
        Assert.Equal(["999988887777"], row.Accounts);
    }

    [Fact]
    public async Task KeyIsDescribedOncePerKey_AndOrganizationsPlacesEachAccount()
    {
        var kms = new KmsFake().WithKey(Cmk);
        var organizations = new FakeOrganizationsGateway();
        using var service = new AmiShareService(Ec2WithEncryptedImages(3, Cmk), kms, organizations, new ListReporter());
        var progress = new List<(int Done, int Total)>();

        IReadOnlyList<ShareReportRow> rows = await service.GetShareReportAsync(null!, (d, t) => progress.Add((d, t)), default);

        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("CMK", r.KeyManager));
        Assert.All(rows, r => Assert.Equal(["999988887777"], r.External!));
        Assert.Single(kms.Calls, c => c.StartsWith("DescribeKey", StringComparison.Ordinal));
        Assert.Equal([(0, 3), (1, 3), (2, 3), (3, 3)], progress);
    }
}
