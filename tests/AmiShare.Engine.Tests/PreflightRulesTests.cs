using AmiShare.Engine.Gateways;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>The preflight rules are pure functions of the facts: no gateway, no fake, no call.</summary>
public class PreflightRulesTests
{
    private const string Ami = "ami-0a1b2c3d4e5f60001";
    private static readonly DateTime Now = new(2026, 11, 29, 0, 0, 0, DateTimeKind.Utc);

    private static ShareFacts Facts(Action<ShareFacts>? change = null)
    {
        var facts = new ShareFacts
        {
            ImageId = Ami,
            Region = "us-east-1",
            Now = Now,
            KmsAvailable = true,
            Image = new ImageInfo { ImageId = Ami, OwnerId = "123456789012", State = "available", CreationDate = "2026-01-15T00:00:00.000Z" },
            Current = Array.Empty<Principal>(),
            BlockPublicAccess = new ImageBlockPublicAccessInfo(),
            PublicImageCount = 0,
        };
        change?.Invoke(facts);
        return facts;
    }

    private static List<ShareFinding> Public(ShareFacts facts)
    {
        var findings = new List<ShareFinding>();
        PublicRules.CheckPublic(facts, findings);
        return findings;
    }

    [Fact]
    public void CheckOwnership_NotOwned_FailsWithTheOwnerAndTheReadsRemedy()
    {
        var notOwned = new AmiShareException(ErrorIds.AmiNotOwned, AmiShareErrorKind.PermissionDenied, "not yours", Ami, "Run it as the owner.");
        var findings = new List<ShareFinding>();
        ImageRules.CheckOwnership(Facts(f => { f.Current = null; f.NotOwned = notOwned; }), findings);

        ShareFinding finding = Assert.Single(findings);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(ErrorIds.AmiNotOwned, finding.ErrorId);
        Assert.Equal($"{Ami} is owned by account 123456789012, not by the calling account; only the owner can share an AMI.", finding.Detail);
        Assert.Equal("Run it as the owner.", finding.Remedy);
    }

    [Fact]
    public void CheckState_Pending_FailsWithWaitRemedy()
    {
        var findings = new List<ShareFinding>();
        ImageRules.CheckState(Facts(f => f.Image.State = "pending"), findings);

        Assert.Equal(ErrorIds.AmiNotAvailable, Assert.Single(findings).ErrorId);
        Assert.StartsWith("Wait until the AMI is available", findings[0].Remedy);
    }

    [Fact]
    public void CheckPublic_QuotaNearDefault_Warns_DeprecationFromFactsNow()
    {
        List<ShareFinding> findings = Public(Facts(f => f.PublicImageCount = PreflightRunner.DefaultPublicImageQuota - 1));

        Assert.Equal(new[] { CheckNames.ProductCodes, CheckNames.Watermarks, CheckNames.BlockPublicAccess, CheckNames.SnapshotBlockPublicAccess, CheckNames.PublicImageQuota, CheckNames.Deprecation }, findings.Select(f => f.Check));
        Assert.Equal(FindingStatus.Warn, findings[4].Status);
        Assert.Contains("this one would make 5", findings[4].Detail);
        Assert.Contains("on 2028-01-15 (two years after its creation on 2026-01-15)", findings[5].Detail);
        Assert.DoesNotContain("already past", findings[5].Detail);
    }

    [Fact]
    public void CheckPublic_ReadsDenied_WarnsForBlockAndQuota()
    {
        var denied = new AmiShareException(ErrorIds.AccessDenied, AmiShareErrorKind.PermissionDenied, "denied") { AwsErrorCode = "UnauthorizedOperation" };
        List<ShareFinding> findings = Public(Facts(f =>
        {
            f.BlockPublicAccess = null;
            f.BlockPublicAccessError = denied;
            f.PublicImageCount = null;
            f.PublicImageCountError = denied;
        }));

        Assert.Equal(FindingStatus.Warn, findings.Single(f => f.Check == CheckNames.BlockPublicAccess).Status);
        Assert.Contains("ec2:GetImageBlockPublicAccessState missing (UnauthorizedOperation)", findings.Single(f => f.Check == CheckNames.BlockPublicAccess).Detail);
        Assert.Contains("ec2:DescribeImages missing (UnauthorizedOperation)", findings.Single(f => f.Check == CheckNames.PublicImageQuota).Detail);
    }

    [Fact]
    public void CheckPublic_Blocked_Fails_NotOwned_StopsAfterProductCodesAndWatermarks()
    {
        Assert.Equal(ErrorIds.PublicSharingBlocked, Public(Facts(f => f.BlockPublicAccess = new ImageBlockPublicAccessInfo { State = "block-new-sharing" }))
            .Single(f => f.Check == CheckNames.BlockPublicAccess).ErrorId);
        Assert.Equal(new[] { CheckNames.ProductCodes, CheckNames.Watermarks }, Public(Facts(f => f.Current = null)).Select(f => f.Check));
    }

    [Fact]
    public void CheckKeyManagers_WithoutKms_WarnsPerKey()
    {
        var findings = new List<ShareFinding>();
        KeyRules.CheckKeyManagers(Facts(f =>
        {
            f.KmsAvailable = false;
            f.Keys.Add(new KeyFacts { KeyId = "arn:aws:kms:us-east-1:123456789012:key/k1", SnapshotIds = { "snap-1" } });
        }), findings);

        ShareFinding finding = Assert.Single(findings);
        Assert.Equal(FindingStatus.Warn, finding.Status);
        Assert.Equal("KMS key arn:aws:kms:us-east-1:123456789012:key/k1 (snapshot snap-1) could not be checked: KMS is not available to this command.", finding.Detail);
    }
}
