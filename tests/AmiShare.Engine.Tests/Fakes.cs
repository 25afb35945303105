using AmiShare.Engine.Plans;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Tests;

/// <summary>An environment made of a dictionary and a temporary home folder.</summary>
internal sealed class FakeEnvironment : IEnvironment
{
    private readonly Dictionary<string, string> _vars = new(StringComparer.Ordinal);

    public FakeEnvironment(string home) => HomeDirectory = home;

    public string HomeDirectory { get; }

    public FakeEnvironment Set(string name, string value)
    {
        _vars[name] = value;
        return this;
    }

    public string GetVariable(string name) => _vars.TryGetValue(name, out var v) ? v : null!;
}

/// <summary>A temporary folder that acts as HOME, with ~/.aws files written on demand.</summary>
internal sealed class TempHome : IDisposable
{
    public TempHome()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "amishare-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(System.IO.Path.Combine(Path, ".aws"));
    }

    public string Path { get; }

    public string CredentialsFile => System.IO.Path.Combine(Path, ".aws", "credentials");

    public string ConfigFile => System.IO.Path.Combine(Path, ".aws", "config");

    public TempHome Credentials(string text)
    {
        File.WriteAllText(CredentialsFile, text);
        return this;
    }

    public TempHome Config(string text)
    {
        File.WriteAllText(ConfigFile, text);
        return this;
    }

    public string WriteFile(string name, string text)
    {
        string dir = System.IO.Path.Combine(Path, "elsewhere");
        Directory.CreateDirectory(dir);
        string file = System.IO.Path.Combine(dir, name);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Collects what the engine reports.</summary>
internal sealed class ListReporter : IShareReporter
{
    public List<string> VerboseLines { get; } = new();

    public List<string> DebugLines { get; } = new();

    public List<string> Warnings { get; } = new();

    public void Verbose(string message) => VerboseLines.Add(message);

    public void Debug(string message) => DebugLines.Add(message);

    public void Warning(string message) => Warnings.Add(message);
}

/// <summary>An in-memory EC2 that records every call.</summary>
internal sealed class FakeEc2Gateway : IEc2Gateway
{
    public Dictionary<string, List<Principal>> Permissions { get; } = new();

    public Dictionary<string, ImageInfo> Images { get; } = new();

    public HashSet<string> NotOwned { get; } = new();

    public string BlockPublicAccessState { get; set; } = "unblocked";

    public int OwnedPublicImages { get; set; }

    /// <summary>When set, GetImageBlockPublicAccessState throws it (e.g. a mapped AccessDenied).</summary>
    public AmiShareException? BlockPublicAccessError { get; set; }

    /// <summary>When set, ModifyImageAttribute throws it and writes nothing (e.g. EC2's quota refusal).</summary>
    public AmiShareException? ModifyError { get; set; }

    public List<string> Calls { get; } = new();

    public List<(string ImageId, List<Principal> Add, List<Principal> Remove)> Modifications { get; } = new();

    public List<string> Resets { get; } = new();

    public bool Disposed { get; private set; }

    public string Region { get; set; } = "us-east-1";

    public int WriteCount => Modifications.Count + Resets.Count;

    public FakeEc2Gateway WithImage(string id, params Principal[] permissions)
    {
        Permissions[id] = permissions.ToList();
        Images[id] = new ImageInfo { ImageId = id, Name = "image " + id, OwnerId = "123456789012", State = "available" };
        return this;
    }

    public Task<ImageInfo> DescribeImageAsync(string imageId, CancellationToken cancellationToken)
    {
        Calls.Add("DescribeImages " + imageId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Images.TryGetValue(imageId, out var info))
        {
            throw NotFound(imageId);
        }

        info.IsPublic = Permissions.TryGetValue(imageId, out var p) && p.Contains(Principal.Everyone);
        return Task.FromResult(info);
    }

    public Task<IReadOnlyList<ImageInfo>> DescribeImagesAsync(IReadOnlyList<string> imageIds, CancellationToken cancellationToken)
    {
        Calls.Add("DescribeImages " + string.Join(",", imageIds));
        cancellationToken.ThrowIfCancellationRequested();
        var found = new List<ImageInfo>();
        foreach (var id in imageIds)
        {
            if (Images.TryGetValue(id, out var info))
            {
                info.IsPublic = Permissions.TryGetValue(id, out var p) && p.Contains(Principal.Everyone);
                found.Add(info);
            }
        }

        return Task.FromResult<IReadOnlyList<ImageInfo>>(found);
    }

    public Task<IReadOnlyList<Principal>> GetLaunchPermissionsAsync(string imageId, CancellationToken cancellationToken)
    {
        Calls.Add("DescribeImageAttribute " + imageId);
        cancellationToken.ThrowIfCancellationRequested();
        Check(imageId);
        return Task.FromResult<IReadOnlyList<Principal>>(Permissions[imageId].ToList());
    }

    public Task ModifyLaunchPermissionsAsync(string imageId, IReadOnlyList<Principal> add, IReadOnlyList<Principal> remove, CancellationToken cancellationToken)
    {
        Calls.Add("ModifyImageAttribute " + imageId);
        cancellationToken.ThrowIfCancellationRequested();
        Check(imageId);
        if (ModifyError != null)
        {
            throw ModifyError;
        }

        Modifications.Add((imageId, add.ToList(), remove.ToList()));
        var list = Permissions[imageId];
        list.RemoveAll(remove.Contains);
        foreach (var p in add)
        {
            if (!list.Contains(p))
            {
                list.Add(p);
            }
        }

        return Task.CompletedTask;
    }

    public Task ResetLaunchPermissionsAsync(string imageId, CancellationToken cancellationToken)
    {
        Calls.Add("ResetImageAttribute " + imageId);
        cancellationToken.ThrowIfCancellationRequested();
        Check(imageId);
        Resets.Add(imageId);
        Permissions[imageId].Clear();
        return Task.CompletedTask;
    }

    public Task<string> GetImageBlockPublicAccessStateAsync(CancellationToken cancellationToken)
    {
        Calls.Add("GetImageBlockPublicAccessState");
        return Task.FromResult(BlockPublicAccessState);
    }

    public Task<int> CountOwnedPublicImagesAsync(CancellationToken cancellationToken)
    {
        Calls.Add("DescribeImages is-public");
        return Task.FromResult(OwnedPublicImages);
    }

    /// <summary>ManagedBy of image block public access ("account" or "declarative-policy").</summary>
    public string? BlockPublicAccessManagedBy { get; set; } = "account";

    /// <summary>What DescribeSnapshots reports (snapshots not listed here are left out, as EC2 does for invisible ones).</summary>
    public Dictionary<string, SnapshotInfo> SnapshotInfos { get; } = new();

    /// <summary>createVolumePermission per snapshot (account ids and "all").</summary>
    public Dictionary<string, List<string>> VolumePermissions { get; } = new();

    public List<(string SnapshotId, List<string> Add, List<string> Remove)> SnapshotModifications { get; } = new();

    public Task<ImageBlockPublicAccessInfo> GetImageBlockPublicAccessAsync(CancellationToken cancellationToken)
    {
        Calls.Add("GetImageBlockPublicAccessState");
        if (BlockPublicAccessError != null)
        {
            throw BlockPublicAccessError;
        }

        return Task.FromResult(new ImageBlockPublicAccessInfo { State = BlockPublicAccessState, ManagedBy = BlockPublicAccessManagedBy });
    }

    public Task<IReadOnlyList<SnapshotInfo>> DescribeSnapshotsAsync(IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken)
    {
        Calls.Add("DescribeSnapshots " + string.Join(",", snapshotIds));
        return Task.FromResult<IReadOnlyList<SnapshotInfo>>(snapshotIds.Where(SnapshotInfos.ContainsKey).Select(id => SnapshotInfos[id]).ToList());
    }

    public Task<IReadOnlyList<ImageInfo>> DescribeOwnedImagesAsync(CancellationToken cancellationToken)
    {
        Calls.Add("DescribeImages Owner=self");
        return Task.FromResult<IReadOnlyList<ImageInfo>>(Images.Values.Where(i => !NotOwned.Contains(i.ImageId)).ToList());
    }

    public Task<IReadOnlyList<SnapshotInfo>> DescribeOwnedEncryptedSnapshotsAsync(CancellationToken cancellationToken)
    {
        Calls.Add("DescribeSnapshots Owner=self encrypted=true");
        return Task.FromResult<IReadOnlyList<SnapshotInfo>>(SnapshotInfos.Values.Where(s => s.Encrypted).ToList());
    }

    public Task<IReadOnlyList<string>> GetCreateVolumePermissionsAsync(string snapshotId, CancellationToken cancellationToken)
    {
        Calls.Add("DescribeSnapshotAttribute " + snapshotId);
        return Task.FromResult<IReadOnlyList<string>>(VolumePermissions.TryGetValue(snapshotId, out var list) ? list.ToList() : new List<string>());
    }

    public Task ModifyCreateVolumePermissionsAsync(string snapshotId, IReadOnlyList<string> addAccounts, IReadOnlyList<string> removeAccounts, CancellationToken cancellationToken)
    {
        Calls.Add("ModifySnapshotAttribute " + snapshotId);
        var add = (addAccounts ?? Array.Empty<string>()).ToList();
        var remove = (removeAccounts ?? Array.Empty<string>()).ToList();
        if (add.Count > 0 && remove.Count > 0)
        {
            throw new InvalidOperationException("fake EC2: add and remove in one ModifySnapshotAttribute call");
        }

        if (add.Count + remove.Count > Ec2Limits.MaxSnapshotPermissionChangesPerCall || add.Count + remove.Count == 0)
        {
            throw new InvalidOperationException("fake EC2: " + (add.Count + remove.Count) + " changes in one ModifySnapshotAttribute call");
        }

        SnapshotModifications.Add((snapshotId, add, remove));
        if (!VolumePermissions.TryGetValue(snapshotId, out var list))
        {
            VolumePermissions[snapshotId] = list = new List<string>();
        }

        list.RemoveAll(remove.Contains);
        list.AddRange(add.Where(a => !list.Contains(a)).Distinct());
        return Task.CompletedTask;
    }

    /// <summary>Block public access for snapshots: "unblocked", "block-new-sharing" or "block-all-sharing".</summary>
    public string SnapshotBlockPublicAccessState { get; set; } = "unblocked";

    /// <summary>When set, GetSnapshotBlockPublicAccessState throws it (e.g. a mapped AccessDenied).</summary>
    public AmiShareException? SnapshotBlockPublicAccessError { get; set; }

    public Task<SnapshotBlockPublicAccessInfo> GetSnapshotBlockPublicAccessAsync(CancellationToken cancellationToken)
    {
        Calls.Add("GetSnapshotBlockPublicAccessState");
        if (SnapshotBlockPublicAccessError != null)
        {
            throw SnapshotBlockPublicAccessError;
        }

        return Task.FromResult(new SnapshotBlockPublicAccessInfo { State = SnapshotBlockPublicAccessState, ManagedBy = "account" });
    }

    public void Dispose() => Disposed = true;

    private void Check(string imageId)
    {
        if (!Permissions.ContainsKey(imageId))
        {
            throw NotFound(imageId);
        }

        if (NotOwned.Contains(imageId))
        {
            throw new AmiShareException(ErrorIds.AmiNotOwned, AmiShareErrorKind.PermissionDenied, "Not authorized for image:" + imageId, imageId);
        }
    }

    private static AmiShareException NotFound(string imageId) =>
        new(ErrorIds.AmiNotFound, AmiShareErrorKind.ObjectNotFound, $"The image id '[{imageId}]' does not exist", imageId);
}
