using AmiShare.Engine.Consumer;
using AmiShare.Engine.Gateways;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>Get-AmiSharedWithMe's engine over fake gateways: own AMIs left out, Via, keys asked once, snapshots in chunks of 200.</summary>
public sealed class SharedWithMeReaderTests
{
    private const string Me = "111122223333";
    private const string Other = "123456789012";

    private static ImageInfo Image(string id, string owner, bool isPublic = false, params SnapshotRef[] snapshots) =>
        new() { ImageId = id, Name = id, OwnerId = owner, IsPublic = isPublic, Snapshots = snapshots };

    private static SnapshotRef Snap(string id, string? key = null) => new() { SnapshotId = id, Encrypted = key != null, KmsKeyId = key };

    [Fact]
    public async Task OwnAmisAreLeftOut_PublicOnlyWhenAsked_SelfWinsOverPublic()
    {
        var ec2 = new FakeEc2
        {
            Self = { Image("ami-1", Other), Image("ami-2", Me), Image("ami-3", Other, isPublic: true) },
            All = { Image("ami-3", Other, isPublic: true), Image("ami-4", Other, isPublic: true), Image("ami-5", Me, isPublic: true) },
        };

        var without = await new SharedWithMeReader(ec2, new FakeKms()).ReadAsync(Me, false, CancellationToken.None);
        Assert.Equal(new[] { "ami-1", "ami-3" }, without.Select(r => r.ImageId));
        Assert.Equal(new[] { "self" }, ec2.ExecutableByCalls);

        var with = await new SharedWithMeReader(ec2, new FakeKms()).ReadAsync(Me, true, CancellationToken.None);
        Assert.Equal(new[] { "ami-1", "ami-3", "ami-4" }, with.Select(r => r.ImageId));
        Assert.Equal(SharedVia.DirectOrOrganization, with.Single(r => r.ImageId == "ami-3").Via);
        Assert.Equal(SharedVia.Public, with.Single(r => r.ImageId == "ami-4").Via);
    }

    [Fact]
    public async Task EachKeyIsAskedOnce_ADeniedKeyMakesCanUseKeyFalse_WithWhatToAskFor()
    {
        var ec2 = new FakeEc2
        {
            Self = { Image("ami-1", Other, false, Snap("snap-1", "key-ok")), Image("ami-2", Other, false, Snap("snap-2", "key-ok"), Snap("snap-3", "key-denied")) },
        };
        var kms = new FakeKms { Denied = { "key-denied" } };

        var rows = (await new SharedWithMeReader(ec2, kms).ReadAsync(Me, false, CancellationToken.None)).ToDictionary(r => r.ImageId);

        Assert.Equal(new[] { "key-denied", "key-ok" }, kms.Asked);
        Assert.True(rows["ami-1"].CanUseKey);
        Assert.False(rows["ami-2"].CanUseKey);
        Assert.Equal(new[] { "key-ok", "key-denied" }, rows["ami-2"].KmsKeyIds);
        Assert.Contains("key-denied", rows["ami-2"].Problem);
        Assert.DoesNotContain("key-ok", rows["ami-2"].Problem);
    }

    [Fact]
    public async Task SnapshotsAreCheckedInChunksOf200_CanCopyNeedsEverySnapshot()
    {
        var images = Enumerable.Range(0, 250).Select(i => Image($"ami-{i:D3}", Other, false, Snap($"snap-{i:D3}"))).ToList();
        var ec2 = new FakeEc2 { Restorable = images.Select(i => i.Snapshots[0].SnapshotId).Where(s => s != "snap-007").ToHashSet() };
        ec2.Self.AddRange(images);

        var rows = (await new SharedWithMeReader(ec2, new FakeKms()).ReadAsync(Me, false, CancellationToken.None)).ToDictionary(r => r.ImageId);

        Assert.Equal(new[] { 200, 50 }, ec2.RestorableChunks);
        Assert.False(rows["ami-007"].CanCopy);
        Assert.Contains("snap-007", rows["ami-007"].Problem);
        Assert.True(rows["ami-008"].CanCopy);
        Assert.Null(rows["ami-008"].Problem);
        Assert.Null(rows["ami-008"].CanUseKey);
    }

    private sealed class FakeEc2 : IEc2ConsumerGateway
    {
        public List<ImageInfo> Self { get; } = new();
        public List<ImageInfo> All { get; } = new();
        public HashSet<string>? Restorable { get; init; }
        public List<string> ExecutableByCalls { get; } = new();
        public List<int> RestorableChunks { get; } = new();
        public string Region => "us-east-1";

        public Task<IReadOnlyList<ImageInfo>> DescribeExecutableImagesAsync(string executableBy, CancellationToken cancellationToken)
        {
            ExecutableByCalls.Add(executableBy);
            return Task.FromResult<IReadOnlyList<ImageInfo>>(executableBy == "self" ? Self : All);
        }

        public Task<IReadOnlyList<string>> DescribeRestorableSnapshotIdsAsync(IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken)
        {
            RestorableChunks.Add(snapshotIds.Count);
            return Task.FromResult<IReadOnlyList<string>>(snapshotIds.Where(s => Restorable == null || Restorable.Contains(s)).ToList());
        }

        public void Dispose()
        {
        }
    }

    private sealed class FakeKms : IKmsGateway
    {
        public HashSet<string> Denied { get; } = new();
        public List<string> Asked { get; } = new();

        public Task<KmsKeyInfo> DescribeKeyAsync(string keyId, CancellationToken cancellationToken)
        {
            Asked.Add(keyId);
            if (Denied.Contains(keyId))
            {
                throw new AmiShareException(ErrorIds.AccessDenied, AmiShareErrorKind.PermissionDenied, $"kms:DescribeKey on {keyId} was denied.", keyId) { AwsErrorCode = "AccessDeniedException" };
            }

            return Task.FromResult(new KmsKeyInfo { KeyId = keyId, Enabled = true, KeyState = "Enabled" });
        }

        public Task<string> GetKeyPolicyAsync(string keyArn, CancellationToken cancellationToken) => throw new InvalidOperationException("a consumer does not read key policies");

        public Task PutKeyPolicyAsync(string keyArn, string policy, CancellationToken cancellationToken) => throw new InvalidOperationException("not reached");

        public Task<IReadOnlyList<KmsGrantInfo>> ListGrantsAsync(string keyArn, CancellationToken cancellationToken) => throw new InvalidOperationException("not reached");

        public void Dispose()
        {
        }
    }
}
