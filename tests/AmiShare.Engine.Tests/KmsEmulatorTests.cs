using System.Text.Json;
using Amazon.Runtime;
using AmiShare.Emulator;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>Preflight, -IncludeKmsKey and -IncludeSnapshot through the real gateways against the emulator's demo world.</summary>
public sealed class KmsEmulatorTests : IAsyncLifetime
{
    private const string Region = "us-east-1";
    private const string CmkAmi = "ami-0a1b2c3d4e5f60002";
    private const string AwsEbsAmi = "ami-0a1b2c3d4e5f60003";
    private const string TwoSnapshotAmi = "ami-0a1b2c3d4e5f60005";
    private const string PlainAmi = "ami-0a1b2c3d4e5f60001";
    private const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string KeyArn = "arn:aws:kms:us-east-1:123456789012:key/" + KeyId;

    private static readonly Principal Consumer = PrincipalParser.Parse("111122223333");
    private static readonly Principal Member = PrincipalParser.Parse("444455556666");
    private static readonly Principal EngineeringOu = PrincipalParser.Parse("arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111");

    private readonly ListReporter _reporter = new();
    private EmulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await EmulatorHost.StartAsync(World.Demo());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private AwsSession Session() =>
        new(new BasicAWSCredentials("AKIAAMISHAREOWNER001", "owner-secret"), "the supplied key parameters", Region, "region parameter", _host.Endpoint);

    private AmiShareService Service()
    {
        AwsSession session = Session();
        return new AmiShareService(
            new Ec2Gateway(session, _reporter),
            new KmsGateway(session, _reporter),
            new OrganizationsGateway(session, _reporter),
            _reporter);
    }

    private static List<JsonElement> Statements(string policy)
    {
        using var doc = JsonDocument.Parse(policy);
        return doc.RootElement.GetProperty("Statement").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static string? Sid(JsonElement e) => e.TryGetProperty("Sid", out var s) ? s.GetString() : null;

    [Fact]
    public async Task PlanGrantAsync_AwsManagedKeyAmi_FailsEncryptedWithAwsManagedKeyWithoutAnyWrite()
    {
        using var service = Service();
        var e = await Assert.ThrowsAsync<AmiShareException>(() => service.PlanGrantAsync(AwsEbsAmi, new[] { Consumer }, new ShareOptions { IncludeKmsKey = true, IncludeSnapshot = true }, default));

        Assert.Equal(ErrorIds.EncryptedWithAwsManagedKey, e.ErrorId);
        Assert.Contains("Copy-EC2Image -Encrypted $true -KmsKeyId", e.Message);
        Assert.Contains("aws/ebs", e.Message);
        Assert.Equal(0, _host.Log.MutatingCount);
        Assert.Equal(1, _host.Log.Count("DescribeKey"));
    }

    [Fact]
    public async Task TestShareableAsync_CmkAmiToConsumer_WarnsKmsAccessThenPassesWithIncludeKmsKey()
    {
        using var service = Service();
        var report = await service.TestShareableAsync(CmkAmi, new[] { Consumer }, false, ShareOptions.None, default);

        Assert.False(report.HasFailures);
        Assert.Equal(FindingStatus.Pass, report.Findings.Single(f => f.Check == CheckNames.KmsKeyManager).Status);
        var access = report.Findings.Single(f => f.Check == CheckNames.KmsKeyAccess);
        Assert.Equal(FindingStatus.Warn, access.Status);
        Assert.Equal(KeyArn, access.Resource);
        Assert.Equal("111122223333", access.Principal);
        Assert.Contains("kms:Decrypt", access.Detail);
        Assert.Contains("-IncludeKmsKey", access.Remedy);

        var withKms = await service.TestShareableAsync(CmkAmi, new[] { Consumer }, false, new ShareOptions { IncludeKmsKey = true }, default);
        var granted = withKms.Findings.Single(f => f.Check == CheckNames.KmsKeyAccess);
        Assert.Equal(FindingStatus.Pass, granted.Status);
        Assert.Contains("will grant", granted.Detail);
        Assert.Equal(0, _host.Log.MutatingCount);
    }

    [Fact]
    public async Task ApplyAsync_GrantOuWithIncludeKmsKey_OneOrgPathsStatementIdempotentAndRevokedAlone()
    {
        string before = _host.World.KeyPolicyOf(Region, KeyId);
        List<string> earlier = Statements(before).Select(s => s.GetRawText()).ToList();
        var options = new ShareOptions { IncludeKmsKey = true };

        using (var service = Service())
        {
            var plan = await service.PlanGrantAsync(CmkAmi, new[] { EngineeringOu, Consumer }, options, default);
            var change = Assert.Single(plan.KeyPolicyChanges);
            Assert.Null(change.StatementsBefore);
            Assert.Contains("o-abc1234567/r-ab12/ou-ab12-11111111/*", change.StatementsAfter);
            var result = await service.ApplyAsync(plan, default);
            Assert.Equal(new[] { KeyArn }, result.KeyPoliciesChanged);
        }

        string after = _host.World.KeyPolicyOf(Region, KeyId);
        var statements = Statements(after);
        var ours = statements.Where(s => Sid(s)?.StartsWith("AmiShare", StringComparison.Ordinal) == true).ToList();
        var ouStatement = Assert.Single(ours, s => s.GetRawText().Contains("aws:PrincipalOrgPaths"));
        Assert.Equal("AmiShareOrganizationalUnits", Sid(ouStatement));
        Assert.Equal("*", ouStatement.GetProperty("Principal").GetString());
        Assert.Equal(
            new[] { "o-abc1234567/r-ab12/ou-ab12-11111111/*" },
            ouStatement.GetProperty("Condition").GetProperty("ForAnyValue:StringLike").GetProperty("aws:PrincipalOrgPaths").EnumerateArray().Select(x => x.GetString()));
        Assert.Contains(ours, s => Sid(s) == "AmiShareAccounts");
        Assert.Equal(earlier, statements.Take(earlier.Count).Select(s => s.GetRawText()));
        Assert.StartsWith(before.Substring(0, before.LastIndexOf(']')), after, StringComparison.Ordinal);
        Assert.Equal(1, _host.Log.Count("PutKeyPolicy"));
        Assert.Equal(1, _host.Log.Count("ModifyImageAttribute"));

        // Again: nothing to change, no write at all.
        int writes = _host.Log.MutatingCount;
        using (var service = Service())
        {
            var again = await service.PlanGrantAsync(CmkAmi, new[] { EngineeringOu, Consumer }, options, default);
            Assert.False(again.HasChanges);
            Assert.Empty(again.KeyPolicyChanges);
            await service.ApplyAsync(again, default);
        }

        Assert.Equal(writes, _host.Log.MutatingCount);
        Assert.Equal(after, _host.World.KeyPolicyOf(Region, KeyId));

        // Revoke the OU only: its path goes, the account stays, earlier statements stay byte for byte.
        using (var service = Service())
        {
            var revoke = await service.PlanRevokeAsync(CmkAmi, new[] { EngineeringOu }, options, default);
            var change = Assert.Single(revoke.KeyPolicyChanges);
            Assert.Contains("ou-ab12-11111111", change.StatementsBefore);
            Assert.DoesNotContain("ou-ab12-11111111", change.StatementsAfter);
            var result = await service.ApplyAsync(revoke, default);
            Assert.Equal(new[] { KeyArn }, result.KeyPoliciesChanged);
        }

        string revoked = _host.World.KeyPolicyOf(Region, KeyId);
        var left = Statements(revoked);
        Assert.DoesNotContain(left, s => Sid(s) == "AmiShareOrganizationalUnits");
        var accounts = Assert.Single(left, s => Sid(s) == "AmiShareAccounts");
        Assert.Equal(new[] { "arn:aws:iam::111122223333:root" }, accounts.GetProperty("Principal").GetProperty("AWS").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(earlier, left.Take(earlier.Count).Select(s => s.GetRawText()));
        Assert.Equal(new[] { ("UserId", "111122223333") }, _host.World.LaunchPermissionsOf(Region, CmkAmi).Select(p => (p.Kind, p.Value)));
    }

    [Fact]
    public async Task ApplyAsync_GrantOuWithIncludeKmsKey_KmsWriteComesBeforeImageWrite()
    {
        using var service = Service();
        var plan = await service.PlanGrantAsync(CmkAmi, new[] { EngineeringOu }, new ShareOptions { IncludeKmsKey = true }, default);
        await service.ApplyAsync(plan, default);

        var writes = _host.Log.Entries.Where(e => RequestLog.IsMutating(e.Action)).Select(e => e.Action).ToList();
        Assert.Equal(new[] { "PutKeyPolicy", "ModifyImageAttribute" }, writes);
    }

    [Fact]
    public async Task ApplyAsync_GrantTwoAccountsWithIncludeSnapshot_BothOnEverySnapshot()
    {
        using var service = Service();
        var plan = await service.PlanGrantAsync(TwoSnapshotAmi, new[] { Consumer, Member }, new ShareOptions { IncludeSnapshot = true }, default);
        Assert.Equal(2, plan.SnapshotChanges.Count);
        var result = await service.ApplyAsync(plan, default);

        Assert.Equal(new[] { "snap-0a1b2c3d4e5f60005", "snap-0a1b2c3d4e5f60015" }, result.SnapshotsChanged);
        foreach (string snap in new[] { "snap-0a1b2c3d4e5f60005", "snap-0a1b2c3d4e5f60015" })
        {
            Assert.Equal(new[] { "111122223333", "444455556666" }, _host.World.CreateVolumePermissionsOf(Region, snap).OrderBy(x => x));
            using var gateway = new Ec2Gateway(Session(), _reporter);
            Assert.Equal(new[] { "111122223333", "444455556666" }, (await gateway.GetCreateVolumePermissionsAsync(snap, default)).OrderBy(x => x));
        }

        Assert.Equal(2, _host.Log.Count("ModifySnapshotAttribute"));

        var revoke = await service.PlanRevokeAsync(TwoSnapshotAmi, new[] { Member }, new ShareOptions { IncludeSnapshot = true }, default);
        await service.ApplyAsync(revoke, default);
        Assert.Equal(new[] { "111122223333" }, _host.World.CreateVolumePermissionsOf(Region, "snap-0a1b2c3d4e5f60015"));
        Assert.Equal(new[] { "111122223333" }, _host.World.CreateVolumePermissionsOf(Region, "snap-0a1b2c3d4e5f60005"));
    }

    [Fact]
    public async Task PlanGrantAsync_IncludeSnapshotWithOu_WarnsOuLeftOut()
    {
        using var service = Service();
        var plan = await service.PlanGrantAsync(TwoSnapshotAmi, new[] { Consumer, EngineeringOu }, new ShareOptions { IncludeSnapshot = true }, default);
        Assert.Contains(plan.Warnings, w => w.Contains(EngineeringOu.Value) && w.Contains("cannot be shared with organizations or OUs"));
        Assert.All(plan.SnapshotChanges, c => Assert.Equal(new[] { "111122223333" }, c.AddAccounts));
    }

    [Fact]
    public async Task TestShareableAsync_PublicInBlockedRegion_FailsPublicSharingBlockedNamingApi()
    {
        AwsSession eu = new(new BasicAWSCredentials("AKIAAMISHAREOWNER001", "owner-secret"), "keys", "eu-west-1", "region parameter", _host.Endpoint);
        using var service = new AmiShareService(new Ec2Gateway(eu, _reporter), new KmsGateway(eu, _reporter), null, _reporter);
        var report = await service.TestShareableAsync("ami-0a1b2c3d4e5f60006", Array.Empty<Principal>(), true, ShareOptions.None, default);

        var bpa = report.Findings.Single(f => f.Check == CheckNames.BlockPublicAccess);
        Assert.Equal(FindingStatus.Fail, bpa.Status);
        Assert.Equal(ErrorIds.PublicSharingBlocked, bpa.ErrorId);
        Assert.Contains("DisableImageBlockPublicAccess", bpa.Remedy);
        Assert.Equal(FindingStatus.Warn, report.Findings.Single(f => f.Check == CheckNames.Deprecation).Status);
        Assert.Contains("2028-11-02", report.Findings.Single(f => f.Check == CheckNames.Deprecation).Detail);
    }

    [Fact]
    public async Task TestShareableAsync_PublicCmkAmi_FailsEncryptionAndNeverWrites()
    {
        using var service = Service();
        var report = await service.TestShareableAsync(CmkAmi, null!, true, ShareOptions.None, default);
        var enc = report.Findings.Single(f => f.Check == CheckNames.SnapshotEncryption);
        Assert.Equal(FindingStatus.Fail, enc.Status);
        Assert.Equal(ErrorIds.EncryptedSnapshotsCannotBePublic, enc.ErrorId);
        Assert.Equal(new[] { CheckNames.Ownership, CheckNames.State, CheckNames.SnapshotEncryption, CheckNames.KmsKeyManager, CheckNames.ProductCodes, CheckNames.Watermarks, CheckNames.BlockPublicAccess, CheckNames.SnapshotBlockPublicAccess, CheckNames.PublicImageQuota, CheckNames.Deprecation },
            report.Findings.Select(f => f.Check));
        Assert.Equal(0, _host.Log.MutatingCount);
    }

    [Fact]
    public async Task KmsGateway_Calls_VerboseLineAndMappedErrors()
    {
        using var kms = new KmsGateway(Session(), _reporter);
        var info = await kms.DescribeKeyAsync(KeyArn, default);
        Assert.Equal("CUSTOMER", info.KeyManager);
        Assert.True(info.Enabled);
        Assert.Equal("123456789012", info.AccountId);
        Assert.Contains($"Invoking KMS DescribeKey for {KeyArn} in region 'us-east-1' on endpoint '{_host.Endpoint}'", _reporter.VerboseLines);

        var ebs = await kms.DescribeKeyAsync("alias/aws/ebs", default);
        Assert.True(ebs.IsAwsManaged);

        var missing = await Assert.ThrowsAsync<AmiShareException>(() => kms.DescribeKeyAsync("arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000", default));
        Assert.Equal(ErrorIds.KmsKeyNotUsable, missing.ErrorId);
        Assert.Equal("NotFoundException", missing.AwsErrorCode);

        var denied = await Assert.ThrowsAsync<AmiShareException>(() => kms.PutKeyPolicyAsync(ebs.KeyArn, "{\"Statement\":[]}", default));
        Assert.Equal(ErrorIds.AccessDenied, denied.ErrorId);
        Assert.Contains("kms:PutKeyPolicy", denied.Remedy);

        var malformed = await Assert.ThrowsAsync<AmiShareException>(() => kms.PutKeyPolicyAsync(KeyArn, "not json", default));
        Assert.Equal("MalformedPolicyDocumentException", malformed.AwsErrorCode);

        Assert.Empty(await kms.ListGrantsAsync(KeyArn, default));
        Assert.Contains("kms:*", await kms.GetKeyPolicyAsync(KeyArn, default));
    }

    [Fact]
    public async Task Ec2Gateway_SnapshotCalls_DescribeAndBlockPublicAccessManagedBy()
    {
        using var gateway = new Ec2Gateway(Session(), _reporter);
        var snaps = await gateway.DescribeSnapshotsAsync(new[] { "snap-0a1b2c3d4e5f60002", "snap-0a1b2c3d4e5f60001" }, default);
        var encrypted = snaps.Single(s => s.SnapshotId == "snap-0a1b2c3d4e5f60002");
        Assert.True(encrypted.Encrypted);
        Assert.Equal(KeyArn, encrypted.KmsKeyId);
        Assert.Equal("123456789012", encrypted.OwnerId);
        Assert.False(snaps.Single(s => s.SnapshotId == "snap-0a1b2c3d4e5f60001").Encrypted);

        var bpa = await gateway.GetImageBlockPublicAccessAsync(default);
        Assert.Equal("unblocked", bpa.State);
        Assert.Equal("account", bpa.ManagedBy);

        await Assert.ThrowsAsync<ArgumentException>(() => gateway.ModifyCreateVolumePermissionsAsync("snap-0a1b2c3d4e5f60001", new[] { "111122223333" }, new[] { "444455556666" }, default));
        await gateway.ModifyCreateVolumePermissionsAsync("snap-0a1b2c3d4e5f60001", new[] { "111122223333" }, Array.Empty<string>(), default);
        Assert.Equal(new[] { "111122223333" }, await gateway.GetCreateVolumePermissionsAsync("snap-0a1b2c3d4e5f60001", default));
        await gateway.ModifyCreateVolumePermissionsAsync("snap-0a1b2c3d4e5f60001", Array.Empty<string>(), new[] { "111122223333" }, default);
        Assert.Empty(await gateway.GetCreateVolumePermissionsAsync("snap-0a1b2c3d4e5f60001", default));
    }
}
