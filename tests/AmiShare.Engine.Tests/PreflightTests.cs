using AmiShare.Engine.Plans;
using AmiShare.Engine;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>An in-memory KMS that records every call (preflight / -IncludeKmsKey tests).</summary>
internal sealed class KmsFake : IKmsGateway
{
    public Dictionary<string, KmsKeyInfo> Keys { get; } = new();

    public Dictionary<string, string> Policies { get; } = new();

    public Dictionary<string, List<KmsGrantInfo>> Grants { get; } = new();

    public List<string> Calls { get; } = new();

    /// <summary>Every call across the EC2 fake and this one, in order (shared list).</summary>
    public List<string>? Journal { get; set; }

    public KmsFake WithKey(string arn, string manager = "CUSTOMER", bool enabled = true, string? policy = null)
    {
        Keys[arn] = new KmsKeyInfo { KeyId = arn.Split('/').Last(), KeyArn = arn, AccountId = "123456789012", KeyManager = manager, Enabled = enabled, KeyState = enabled ? "Enabled" : "Disabled" };
        Policies[arn] = policy ?? "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
        return this;
    }

    private void Log(string call)
    {
        Calls.Add(call);
        Journal?.Add(call);
    }

    public Task<KmsKeyInfo> DescribeKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        Log("DescribeKey " + keyId);
        return Keys.TryGetValue(keyId, out var k)
            ? Task.FromResult(k)
            : throw new AmiShareException(ErrorIds.KmsKeyNotUsable, AmiShareErrorKind.ObjectNotFound, $"KMS key {keyId} was not found.", keyId, "Use a key that exists.");
    }

    public Task<string> GetKeyPolicyAsync(string keyArn, CancellationToken cancellationToken)
    {
        Log("GetKeyPolicy " + keyArn);
        return Policies.TryGetValue(keyArn, out string? policy)
            ? Task.FromResult(policy)
            : throw new AmiShareException(ErrorIds.AccessDenied, AmiShareErrorKind.PermissionDenied, $"kms:GetKeyPolicy on {keyArn} was denied.", keyArn, "Allow kms:GetKeyPolicy.");
    }

    public Task PutKeyPolicyAsync(string keyArn, string policy, CancellationToken cancellationToken)
    {
        Log("PutKeyPolicy " + keyArn);
        Policies[keyArn] = policy;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<KmsGrantInfo>> ListGrantsAsync(string keyArn, CancellationToken cancellationToken)
    {
        Log("ListGrants " + keyArn);
        return Task.FromResult<IReadOnlyList<KmsGrantInfo>>(Grants.TryGetValue(keyArn, out var g) ? g.ToList() : new List<KmsGrantInfo>());
    }

    public void Dispose()
    {
    }
}

/// <summary>Organizations that answers ListParents from a child → parent map, or throws when unreadable.</summary>
internal sealed class ParentsFake : IOrganizationsGateway
{
    public Dictionary<string, OrganizationParent> Parents { get; } = new();

    public bool Unreadable { get; set; }

    /// <summary>Every ListParents child id asked, in order.</summary>
    public List<string> ListParentsCalls { get; } = new();

    public Task<OrganizationInfo> DescribeOrganizationAsync(CancellationToken cancellationToken) =>
        Unreadable ? throw Denied() : Task.FromResult(new OrganizationInfo { Id = "o-abc1234567", Arn = "arn:aws:organizations::123456789012:organization/o-abc1234567", ManagementAccountId = "123456789012" });

    public Task<OrganizationalUnitInfo> DescribeOrganizationalUnitAsync(string ouId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<OrganizationParent>> ListParentsAsync(string childId, CancellationToken cancellationToken)
    {
        ListParentsCalls.Add(childId);
        return Unreadable ? throw Denied() : Task.FromResult<IReadOnlyList<OrganizationParent>>(Parents.TryGetValue(childId, out var p) ? new[] { p } : Array.Empty<OrganizationParent>());
    }

    public void Dispose()
    {
    }

    private static AmiShareException Denied() => new(ErrorIds.OrganizationUnresolved, AmiShareErrorKind.PermissionDenied, "AWSOrganizationsNotInUseException");
}

public class PreflightTests
{
    private const string Ami = "ami-0a1b2c3d4e5f60002";
    private const string Snap = "snap-0a1b2c3d4e5f60002";
    private const string Cmk = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string Ebs = "arn:aws:kms:us-east-1:123456789012:key/7a6f1b2c-0000-4000-8000-0000000000eb";

    private static readonly Principal A = PrincipalParser.Parse("111122223333");
    private static readonly Principal B = PrincipalParser.Parse("444455556666");
    private static readonly Principal Org = PrincipalParser.Parse("arn:aws:organizations::123456789012:organization/o-abc1234567");
    private static readonly Principal Ou = PrincipalParser.Parse("arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-33333333");

    private readonly FakeEc2Gateway _ec2 = new();
    private readonly KmsFake _kms = new();
    private readonly ParentsFake _orgs = new();
    private readonly ListReporter _reporter = new();
    private readonly List<string> _journal = new();

    public PreflightTests()
    {
        _kms.Journal = _journal;
        _orgs.Parents["ou-ab12-33333333"] = new OrganizationParent { Id = "ou-ab12-11111111", Type = "ORGANIZATIONAL_UNIT" };
        _orgs.Parents["ou-ab12-11111111"] = new OrganizationParent { Id = "r-ab12", Type = "ROOT" };
    }

    private AmiShareService Service() => new(_ec2, _kms, _orgs, _reporter);

    private void EncryptedImage(string? keyOnImage, params Principal[] permissions)
    {
        _ec2.WithImage(Ami, permissions);
        _ec2.Images[Ami].CreationDate = "2026-11-03T10:00:00.000Z";
        _ec2.Images[Ami].Snapshots = new[] { new SnapshotRef { DeviceName = "/dev/xvda", SnapshotId = Snap, Encrypted = true, KmsKeyId = keyOnImage } };
    }

    private static ShareFinding One(PreflightReport r, string check) => Assert.Single(r.Findings, f => f.Check == check);

    [Fact]
    public async Task TestShareableAsync_PlainImageForAccount_AllPassNoKmsCalls()
    {
        _ec2.WithImage(Ami);
        var r = await Service().TestShareableAsync(Ami, new[] { A }, false, ShareOptions.None, default);
        Assert.Equal(new[] { CheckNames.Ownership, CheckNames.State, CheckNames.SnapshotEncryption }, r.Findings.Select(f => f.Check));
        Assert.All(r.Findings, f => { Assert.Equal(FindingStatus.Pass, f.Status); Assert.Equal(string.Empty, f.Remedy); Assert.Equal(Ami, f.ImageId); Assert.Equal("us-east-1", f.Region); });
        Assert.Empty(_kms.Calls);
    }

    [Fact]
    public async Task TestShareableAsync_NotOwned_FailsOwnershipAndSkipsAccountChecks()
    {
        _ec2.WithImage(Ami);
        _ec2.NotOwned.Add(Ami);
        var r = await Service().TestShareableAsync(Ami, Array.Empty<Principal>(), true, ShareOptions.None, default);
        var f = One(r, CheckNames.Ownership);
        Assert.Equal(FindingStatus.Fail, f.Status);
        Assert.Equal(ErrorIds.AmiNotOwned, f.ErrorId);
        Assert.Contains("123456789012", f.Detail);
        Assert.DoesNotContain(r.Findings, x => x.Check == CheckNames.BlockPublicAccess || x.Check == CheckNames.PublicImageQuota);
        Assert.DoesNotContain("GetImageBlockPublicAccessState", _ec2.Calls);
    }

    [Fact]
    public async Task TestShareableAsync_PendingState_FailsAmiNotAvailableWithWaitRemedy()
    {
        _ec2.WithImage(Ami);
        _ec2.Images[Ami].State = "pending";
        var f = One(await Service().TestShareableAsync(Ami, new[] { A }, false, ShareOptions.None, default), CheckNames.State);
        Assert.Equal(FindingStatus.Fail, f.Status);
        Assert.Equal(ErrorIds.AmiNotAvailable, f.ErrorId);
        Assert.Contains("Wait", f.Remedy);
    }

    [Fact]
    public async Task TestShareableAsync_KeyMissingOnImage_FilledFromDescribeSnapshots()
    {
        EncryptedImage(null);
        _ec2.SnapshotInfos[Snap] = new SnapshotInfo { SnapshotId = Snap, Encrypted = true, KmsKeyId = Cmk, OwnerId = "123456789012" };
        _kms.WithKey(Cmk);
        var r = await Service().TestShareableAsync(Ami, new[] { A }, false, ShareOptions.None, default);
        Assert.Contains("DescribeSnapshots " + Snap, _ec2.Calls);
        Assert.Equal(Cmk, One(r, CheckNames.KmsKeyManager).Resource);
        Assert.Equal(FindingStatus.Pass, One(r, CheckNames.KmsKeyManager).Status);
    }

    [Fact]
    public async Task TestShareableAsync_AwsManagedKey_FailsForAccountSharingWithCopyRemedy()
    {
        EncryptedImage(Ebs);
        _kms.WithKey(Ebs, manager: "AWS");
        var r = await Service().TestShareableAsync(Ami, new[] { A }, false, ShareOptions.None, default);
        var f = One(r, CheckNames.KmsKeyManager);
        Assert.Equal(FindingStatus.Fail, f.Status);
        Assert.Equal(ErrorIds.EncryptedWithAwsManagedKey, f.ErrorId);
        Assert.Contains("Copy-EC2Image -Encrypted $true -KmsKeyId", f.Remedy);
        Assert.DoesNotContain(r.Findings, x => x.Check == CheckNames.KmsKeyAccess);
        Assert.DoesNotContain(_kms.Calls, c => c.StartsWith("GetKeyPolicy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TestShareableAsync_OneEncryptedSnapshot_SaysSnapshotIs_TwoSaySnapshotsAre()
    {
        EncryptedImage(Cmk);
        _kms.WithKey(Cmk);
        var one = One(await Service().TestShareableAsync(Ami, new[] { A }, false, ShareOptions.None, default), CheckNames.KmsKeyManager);
        Assert.StartsWith($"Snapshot {Snap} is encrypted with customer managed key {Cmk}", one.Detail);

        const string Data = "snap-0a1b2c3d4e5f60012";
        _ec2.Images[Ami].Snapshots = new[]
        {
            new SnapshotRef { DeviceName = "/dev/xvda", SnapshotId = Snap, Encrypted = true, KmsKeyId = Cmk },
            new SnapshotRef { DeviceName = "/dev/sdb", SnapshotId = Data, Encrypted = true, KmsKeyId = Cmk },
        };
        var two = One(await Service().TestShareableAsync(Ami, new[] { A }, false, ShareOptions.None, default), CheckNames.KmsKeyManager);
        Assert.StartsWith($"Snapshots {Snap}, {Data} are encrypted with customer managed key {Cmk}", two.Detail);
    }

    [Fact]
    public async Task TestShareableAsync_PublicEncrypted_RemedySharesWithKeyAccess_AndNeverSuggestsAnUnencryptedCopy()
    {
        EncryptedImage(Cmk);
        _kms.WithKey(Cmk);
        var f = One(await Service().TestShareableAsync(Ami, Array.Empty<Principal>(), true, ShareOptions.None, default), CheckNames.SnapshotEncryption);
        Assert.Equal(ErrorIds.EncryptedSnapshotsCannotBePublic, f.ErrorId);
        Assert.Contains("-IncludeKmsKey", f.Remedy);
        Assert.Contains("cannot make an unencrypted copy", f.Remedy);
        Assert.Contains("build a new AMI from an unencrypted source", f.Remedy);
        Assert.DoesNotContain("Copy-EC2Image", f.Remedy);
    }

    [Fact]
    public async Task TestShareableAsync_DisabledKey_FailsKmsKeyNotUsable()
    {
        EncryptedImage(Cmk);
        _kms.WithKey(Cmk, enabled: false);
        var f = One(await Service().TestShareableAsync(Ami, new[] { A }, false, ShareOptions.None, default), CheckNames.KmsKeyManager);
        Assert.Equal(ErrorIds.KmsKeyNotUsable, f.ErrorId);
        Assert.Contains("Enable-KMSKey", f.Remedy);
    }

    [Fact]
    public async Task TestShareableAsync_CmkPerPrincipal_WarnsThoseWithoutAccessPassesOthers()
    {
        EncryptedImage(Cmk);
        _kms.WithKey(Cmk);
        _kms.Grants[Cmk] = new List<KmsGrantInfo> { new() { GrantId = "g", GranteePrincipal = "arn:aws:iam::444455556666:root", Operations = new[] { "Decrypt", "DescribeKey", "CreateGrant", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo" } } };
        var r = await Service().TestShareableAsync(Ami, new[] { A, B, Ou, PrincipalParser.Parse("123456789012") }, false, ShareOptions.None, default);

        var access = r.Findings.Where(f => f.Check == CheckNames.KmsKeyAccess).ToDictionary(f => f.Principal!);
        Assert.Equal(FindingStatus.Warn, access["111122223333"].Status);
        Assert.Contains("rerun with -IncludeKmsKey", access["111122223333"].Remedy, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(FindingStatus.Pass, access["444455556666"].Status);
        Assert.Contains("grant g", access["444455556666"].Detail);
        Assert.Equal(FindingStatus.Warn, access[Ou.Value].Status);
        Assert.Equal(FindingStatus.Pass, access["123456789012"].Status);
        Assert.False(r.HasFailures);
    }

    [Fact]
    public async Task TestShareableAsync_OuWhenOrganizationsUnreadable_DetailGivesWildcardPattern()
    {
        EncryptedImage(Cmk);
        _kms.WithKey(Cmk);
        _orgs.Unreadable = true;
        var f = One(await Service().TestShareableAsync(Ami, new[] { Ou }, false, ShareOptions.None, default), CheckNames.KmsKeyAccess);
        Assert.Contains("o-abc1234567/*/ou-ab12-33333333/*", f.Detail);
    }

    [Fact]
    public async Task TestShareableAsync_PublicWithProductCodesBlockedByDeclarativePolicy_FailsWithPolicyRemedy()
    {
        _ec2.WithImage(Ami);
        _ec2.Images[Ami].ProductCodes = new[] { "abcdefghijklmnopqrstuvwx" };
        _ec2.BlockPublicAccessState = "block-new-sharing";
        _ec2.BlockPublicAccessManagedBy = "declarative-policy";
        var r = await Service().TestShareableAsync(Ami, Array.Empty<Principal>(), true, ShareOptions.None, default);

        Assert.Equal(ErrorIds.ProductCodesCannotBePublic, One(r, CheckNames.ProductCodes).ErrorId);
        var bpa = One(r, CheckNames.BlockPublicAccess);
        Assert.Equal(ErrorIds.PublicSharingBlocked, bpa.ErrorId);
        Assert.Contains("declarative policy", bpa.Remedy);
        Assert.Contains("declarative policy", bpa.Detail);
    }

    [Theory]
    [InlineData(0, FindingStatus.Pass)]
    [InlineData(3, FindingStatus.Pass)]
    [InlineData(4, FindingStatus.Warn)]
    [InlineData(5, FindingStatus.Warn)]
    [InlineData(7, FindingStatus.Warn)]
    [InlineData(1000, FindingStatus.Warn)]
    public async Task TestShareableAsync_PublicQuota_CountIsInformation_WarnNearDefault_NeverFail(int count, FindingStatus expected)
    {
        _ec2.WithImage(Ami);
        _ec2.OwnedPublicImages = count;
        var r = await Service().TestShareableAsync(Ami, Array.Empty<Principal>(), true, ShareOptions.None, default);
        var f = One(r, CheckNames.PublicImageQuota);
        Assert.Equal(expected, f.Status);
        Assert.Contains($"has {count} public AMIs", f.Detail);
        Assert.Contains("L-0E3CBAB9", f.Detail);
        Assert.Null(f.ErrorId);
        Assert.False(r.HasFailures);
        if (expected == FindingStatus.Warn)
        {
            Assert.Contains($"would make {count + 1}", f.Detail);
            Assert.Contains("Get-SQServiceQuota -ServiceCode ec2 -QuotaCode L-0E3CBAB9", f.Remedy);
        }
    }

    [Fact]
    public async Task TestShareableAsync_AlreadyPublicAtQuota_PassesQuotaAndBlock()
    {
        _ec2.WithImage(Ami, Principal.Everyone);
        _ec2.OwnedPublicImages = 5;
        _ec2.BlockPublicAccessState = "block-new-sharing";
        var r = await Service().TestShareableAsync(Ami, Array.Empty<Principal>(), true, ShareOptions.None, default);
        Assert.Equal(FindingStatus.Pass, One(r, CheckNames.PublicImageQuota).Status);
        Assert.Equal(FindingStatus.Pass, One(r, CheckNames.BlockPublicAccess).Status);
    }

    [Fact]
    public async Task TestShareableAsync_PublicDeprecation_WarnsWithDateTwoYearsAfterCreation()
    {
        _ec2.WithImage(Ami);
        _ec2.Images[Ami].CreationDate = "2026-11-03T10:00:00.000Z";
        var f = One(await Service().TestShareableAsync(Ami, Array.Empty<Principal>(), true, ShareOptions.None, default), CheckNames.Deprecation);
        Assert.Equal(FindingStatus.Warn, f.Status);
        Assert.Contains("2028-11-03", f.Detail);
        Assert.Contains("Enable-EC2ImageDeprecation", f.Remedy);
    }

    [Fact]
    public async Task TestShareableAsync_IncludeSnapshotWithOrg_WarnsNamingOrg()
    {
        _ec2.WithImage(Ami);
        var f = One(await Service().TestShareableAsync(Ami, new[] { A, Org }, false, new ShareOptions { IncludeSnapshot = true }, default), CheckNames.SnapshotSharing);
        Assert.Equal(FindingStatus.Warn, f.Status);
        Assert.Contains(Org.Value, f.Detail);
        Assert.DoesNotContain("111122223333", f.Detail);
    }

    [Fact]
    public async Task TestShareableAsync_BadImageId_ThrowsInvalidImageIdWithoutCalls()
    {
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().TestShareableAsync("ami-nope", new[] { A }, false, ShareOptions.None, default));
        Assert.Equal(ErrorIds.InvalidImageId, e.ErrorId);
        Assert.Empty(_ec2.Calls);
    }

    [Fact]
    public async Task PlanGrantAsync_AwsManagedKey_ThrowsBeforeAnyWrite()
    {
        EncryptedImage(Ebs);
        _kms.WithKey(Ebs, manager: "AWS");
        var e = await Assert.ThrowsAsync<AmiShareException>(() => Service().PlanGrantAsync(Ami, new[] { A }, new ShareOptions { IncludeKmsKey = true }, default));
        Assert.Equal(ErrorIds.EncryptedWithAwsManagedKey, e.ErrorId);
        Assert.Contains("KmsKeyManager", e.Message);
        Assert.Contains("Copy-EC2Image", e.Message);
        Assert.Equal(0, _ec2.WriteCount);
        Assert.DoesNotContain(_kms.Calls, c => c.StartsWith("PutKeyPolicy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanGrantAsync_KmsWarningWithoutOption_InPlanWarningsNoKeyChange()
    {
        EncryptedImage(Cmk);
        _kms.WithKey(Cmk);
        var plan = await Service().PlanGrantAsync(Ami, new[] { A }, ShareOptions.None, default);
        Assert.Contains(plan.Warnings, w => w.Contains("111122223333") && w.Contains("-IncludeKmsKey"));
        Assert.Empty(plan.KeyPolicyChanges);
        Assert.NotNull(plan.Preflight);
        Assert.Equal(new[] { A }, plan.ToAdd);
    }

    [Fact]
    public async Task PlanGrantAsync_OuBehindKeyForTwoPlans_OneOrganizationsWalkPerRun()
    {
        EncryptedImage(Cmk);
        _kms.WithKey(Cmk);
        var service = Service();
        var options = new ShareOptions { IncludeKmsKey = true };

        var first = await service.PlanGrantAsync(Ami, new[] { Ou }, options, default);
        var second = await service.PlanGrantAsync(Ami, new[] { Ou }, options, default);

        // One Organizations reader per service: the OU's path is walked once (OU, then its parent OU, then the root).
        Assert.Equal(new[] { "ou-ab12-33333333", "ou-ab12-11111111" }, _orgs.ListParentsCalls);
        Assert.Contains("o-abc1234567/r-ab12/ou-ab12-11111111/ou-ab12-33333333/*", Assert.Single(first.KeyPolicyChanges).NewPolicy);
        Assert.Equal(Assert.Single(first.KeyPolicyChanges).NewPolicy, Assert.Single(second.KeyPolicyChanges).NewPolicy);
    }

    [Fact]
    public async Task ApplyAsync_GrantWithKmsAndSnapshot_WritesKmsThenSnapshotsThenImage()
    {
        EncryptedImage(Cmk);
        _kms.WithKey(Cmk);
        var service = Service();
        var plan = await service.PlanGrantAsync(Ami, new[] { A, Ou }, new ShareOptions { IncludeKmsKey = true, IncludeSnapshot = true }, default);
        var change = Assert.Single(plan.KeyPolicyChanges);
        Assert.Contains("o-abc1234567/r-ab12/ou-ab12-11111111/ou-ab12-33333333/*", change.NewPolicy);
        Assert.Equal(new[] { "111122223333" }, Assert.Single(plan.SnapshotChanges).AddAccounts);
        Assert.Contains("Update the AmiShare statements of KMS key policy " + Cmk, plan.Describe());

        _ec2.Calls.Clear();
        _kms.Calls.Clear();
        var result = await service.ApplyAsync(plan, default);

        Assert.Equal(new[] { "GetKeyPolicy " + Cmk, "PutKeyPolicy " + Cmk }, _kms.Calls);
        Assert.Equal(new[] { "ModifySnapshotAttribute " + Snap, "ModifyImageAttribute " + Ami }, _ec2.Calls);
        Assert.Equal(new[] { Cmk }, result.KeyPoliciesChanged);
        Assert.Equal(new[] { Snap }, result.SnapshotsChanged);
        Assert.True(result.Changed);
        Assert.Equal(new[] { "111122223333" }, _ec2.VolumePermissions[Snap]);
    }

    [Fact]
    public async Task PlanGrantAsync_LaunchPermissionPresentButKeyNeedsStatement_StillPlansKeyChangeOnly()
    {
        EncryptedImage(Cmk, A);
        _kms.WithKey(Cmk);
        var service = Service();
        var plan = await service.PlanGrantAsync(Ami, new[] { A }, new ShareOptions { IncludeKmsKey = true }, default);
        Assert.False(plan.HasImageChanges);
        Assert.True(plan.HasChanges);
        var result = await service.ApplyAsync(plan, default);
        Assert.Equal(0, _ec2.WriteCount);
        Assert.Equal(new[] { Cmk }, result.KeyPoliciesChanged);

        var again = await service.PlanGrantAsync(Ami, new[] { A }, new ShareOptions { IncludeKmsKey = true }, default);
        Assert.False(again.HasChanges);
    }

    [Fact]
    public async Task ApplyAsync_RevokeWithKmsAndSnapshot_ImageFirstThenKmsThenSnapshots()
    {
        EncryptedImage(Cmk);
        _kms.WithKey(Cmk);
        var service = Service();
        await service.ApplyAsync(await service.PlanGrantAsync(Ami, new[] { A, B }, new ShareOptions { IncludeKmsKey = true, IncludeSnapshot = true }, default), default);
        _journal.Clear();
        _ec2.Calls.Clear();

        var revoke = await service.PlanRevokeAsync(Ami, new[] { B }, new ShareOptions { IncludeKmsKey = true, IncludeSnapshot = true }, default);
        var order = new List<string>();
        _kms.Journal = order;
        int before = _ec2.Calls.Count;
        await service.ApplyAsync(revoke, default);

        Assert.Equal("ModifyImageAttribute " + Ami, _ec2.Calls[before]);
        Assert.Equal("ModifySnapshotAttribute " + Snap, _ec2.Calls.Last());
        Assert.Contains("PutKeyPolicy " + Cmk, order);
        Assert.Equal(new[] { "111122223333" }, _ec2.VolumePermissions[Snap]);
        Assert.DoesNotContain("444455556666", _kms.Policies[Cmk]);
        Assert.Contains("arn:aws:iam::111122223333:root", _kms.Policies[Cmk]);
        Assert.Empty(Assert.Single(_ec2.SnapshotModifications.Skip(1)).Add);
    }

    [Fact]
    public async Task PlanResetAsync_IncludeKmsKeyAndSnapshot_RemovesThePrincipalsThatHadLaunchPermission_AndWarnsOnlyAboutOthers()
    {
        EncryptedImage(Cmk);
        _kms.WithKey(Cmk);
        var service = Service();
        await service.ApplyAsync(await service.PlanGrantAsync(Ami, new[] { A, B }, new ShareOptions { IncludeKmsKey = true, IncludeSnapshot = true }, default), default);
        await service.ApplyAsync(await service.PlanRevokeAsync(Ami, new[] { B }, ShareOptions.None, default), default); // B keeps key and snapshot access

        var plan = await service.PlanResetAsync(Ami, new ShareOptions { IncludeKmsKey = true, IncludeSnapshot = true }, default);
        var result = await service.ApplyAsync(plan, default);

        Assert.Equal(new[] { A }, plan.Current);
        Assert.DoesNotContain("111122223333", _kms.Policies[Cmk]);
        Assert.Contains("arn:aws:iam::444455556666:root", _kms.Policies[Cmk]);
        Assert.Equal(new[] { "444455556666" }, _ec2.VolumePermissions[Snap]);
        Assert.Equal(new[] { Cmk }, result.KeyPoliciesChanged);
        Assert.Equal(new[] { Snap }, result.SnapshotsChanged);
        Assert.Equal(2, plan.Warnings.Count);
        Assert.StartsWith($"AmiShare's statements in the key policy of {Cmk} keep giving 444455556666 access to the key", plan.Warnings[0]);
        Assert.EndsWith($"run Revoke-AmiLaunchPermission {Ami} -Principal 444455556666 -IncludeKmsKey.", plan.Warnings[0]);
        Assert.StartsWith($"Snapshot {Snap} is shared with 444455556666 (createVolumePermission)", plan.Warnings[1]);
    }

    [Fact]
    public async Task PlanResetAsync_AccountInAForeignKeyStatement_WarnsItKeepsKeyAccess_AndLeavesThatStatement()
    {
        const string Foreign = "{\"Sid\":\"PartnerUse\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":[\"kms:Decrypt\",\"kms:DescribeKey\",\"kms:CreateGrant\",\"kms:GenerateDataKey*\",\"kms:ReEncrypt*\",\"kms:Encrypt\"],\"Resource\":\"*\"}";
        EncryptedImage(Cmk, A);
        _kms.WithKey(Cmk, policy: "{\"Version\":\"2012-10-17\",\"Statement\":[" + Foreign + "]}");

        var plan = await Service().PlanResetAsync(Ami, new ShareOptions { IncludeKmsKey = true }, default);

        Assert.Empty(plan.KeyPolicyChanges);
        string warning = Assert.Single(plan.Warnings);
        Assert.StartsWith($"Account 111122223333 keeps access to KMS key {Cmk} through key-policy statements AmiShare does not own", warning);
        Assert.Contains("PartnerUse", warning);
    }

    [Fact]
    public async Task PlanResetAsync_WithoutOptions_ChangesOnlyLaunchPermissions_AndSaysWhatStays()
    {
        EncryptedImage(Cmk);
        _kms.WithKey(Cmk);
        var service = Service();
        await service.ApplyAsync(await service.PlanGrantAsync(Ami, new[] { A }, new ShareOptions { IncludeKmsKey = true, IncludeSnapshot = true }, default), default);
        string policy = _kms.Policies[Cmk];

        var plan = await service.PlanResetAsync(Ami, ShareOptions.None, default);
        await service.ApplyAsync(plan, default);

        Assert.Empty(plan.KeyPolicyChanges);
        Assert.Empty(plan.SnapshotChanges);
        Assert.Equal(policy, _kms.Policies[Cmk]);
        Assert.Equal(new[] { "111122223333" }, _ec2.VolumePermissions[Snap]);
        Assert.Equal(2, plan.Warnings.Count);
        Assert.Contains($"still give 111122223333 access to the key after the reset. Add -IncludeKmsKey", plan.Warnings[0]);
        Assert.StartsWith($"Snapshot {Snap} stays shared with 111122223333 (createVolumePermission)", plan.Warnings[1]);
    }

    [Fact]
    public async Task PlanResetAsync_WithoutOptions_KeyThatCannotBeDescribed_StillResets_AndVerboseSaysWhy()
    {
        EncryptedImage(Cmk, A); // no such key in the KMS fake: DescribeKey fails

        var plan = await Service().PlanResetAsync(Ami, ShareOptions.None, default);

        Assert.True(plan.HasChanges);
        Assert.Contains(_reporter.VerboseLines, l => l == $"{Ami}: KMS key {Cmk} not checked for AmiShare statements (KMS key {Cmk} was not found)");
    }

    [Fact]
    public async Task PlanResetAsync_WithoutOptions_UnreadableKeyPolicy_StillResets_AndSaysSoInVerbose()
    {
        EncryptedImage(Cmk, A);
        _kms.WithKey(Cmk);
        _kms.Policies.Remove(Cmk); // GetKeyPolicy is now denied

        var plan = await Service().PlanResetAsync(Ami, ShareOptions.None, default);

        Assert.True(plan.HasChanges);
        Assert.Empty(plan.Warnings);
        Assert.Contains(_reporter.VerboseLines, l => l.StartsWith($"{Ami}: the key policy of {Cmk} could not be read"));
    }

    [Fact]
    public async Task ApplyAsync_SnapshotChangeOf1201Accounts_ThreeCallsOfAtMost500()
    {
        _ec2.WithImage(Ami);
        _ec2.Images[Ami].Snapshots = new[] { new SnapshotRef { SnapshotId = Snap, DeviceName = "/dev/xvda" } };
        var accounts = Enumerable.Range(0, 1201).Select(i => (100000000000L + i).ToString()).ToList();
        var plan = new SharePlan
        {
            ImageId = Ami, Region = "us-east-1", Operation = ShareOperation.Grant,
            SnapshotChanges = new[] { new SnapshotPermissionChange { SnapshotId = Snap, AddAccounts = accounts } },
        };
        await Service().ApplyAsync(plan, default);

        Assert.Equal(new[] { 500, 500, 201 }, _ec2.SnapshotModifications.Select(m => m.Add.Count));
        Assert.All(_ec2.SnapshotModifications, m => Assert.Empty(m.Remove));
        Assert.Equal(1201, _ec2.VolumePermissions[Snap].Count);

        _ec2.SnapshotModifications.Clear();
        var revoke = new SharePlan
        {
            ImageId = Ami, Region = "us-east-1", Operation = ShareOperation.Revoke,
            SnapshotChanges = new[] { new SnapshotPermissionChange { SnapshotId = Snap, RemoveAccounts = accounts.Take(501).ToList() } },
        };
        await Service().ApplyAsync(revoke, default);
        Assert.Equal(new[] { 500, 1 }, _ec2.SnapshotModifications.Select(m => m.Remove.Count));
        Assert.Equal(0, _ec2.WriteCount);
    }

    [Fact]
    public async Task PlanSetPublicAsync_QuotaAtFour_AllowedWithCountWarning()
    {
        _ec2.WithImage(Ami);
        _ec2.OwnedPublicImages = 4;
        var plan = await Service().PlanSetPublicAsync(Ami, true, default);
        Assert.Equal(new[] { Principal.Everyone }, plan.ToAdd);
        Assert.Contains(plan.Warnings, w => w.Contains("has 4 public AMIs") && w.Contains("L-0E3CBAB9"));
        Assert.Equal(FindingStatus.Warn, One(plan.Preflight!, CheckNames.PublicImageQuota).Status);
    }
}
