using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AmiShare.Emulator;

/// <summary>The emulated AWS state: accounts, organization, KMS keys, snapshots and AMIs. Thread-safe.</summary>
public sealed class World
{
    internal readonly object Sync = new();
    internal WorldDocument Doc { get; private set; }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A key given twice (say two "instances" lists) is refused, not silently reduced to the last one.
        AllowDuplicateProperties = false,
    };

    private World(WorldDocument doc)
    {
        Doc = doc;
        Normalize();
    }

    public static World FromJson(string json)
    {
        var doc = JsonSerializer.Deserialize<WorldDocument>(json, JsonOptions)
                  ?? throw new InvalidDataException("The world JSON is empty.");
        return new World(doc);
    }

    public static World Load(string path) => FromJson(File.ReadAllText(path));

    /// <summary>Path of worlds/demo.json next to the emulator assembly (copied to every referencing output folder).</summary>
    public static string DemoPath => Path.Combine(AppContext.BaseDirectory, "worlds", "demo.json");

    /// <summary>The demo world (embedded copy of worlds/demo.json).</summary>
    public static World Demo() => FromJson(DemoJson());

    public static string DemoJson()
    {
        var asm = typeof(World).Assembly;
        var name = asm.GetManifestResourceNames().First(n => n.EndsWith("demo.json", StringComparison.Ordinal));
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    /// <summary>Serializes the current state as a world document.</summary>
    public string ToJson() { lock (Sync) return JsonSerializer.Serialize(Doc, JsonOptions); }

    /// <summary>Replaces the whole live state with a world document (as written by <see cref="ToJson"/>); used by reset.</summary>
    internal void ResetTo(string json)
    {
        var doc = JsonSerializer.Deserialize<WorldDocument>(json, JsonOptions) ?? throw new InvalidDataException("The world JSON is empty.");
        Normalize(doc);
        lock (Sync) Doc = doc;
    }

    private void Normalize() => Normalize(Doc);

    private static void Normalize(WorldDocument d)
    {
        foreach (var a in d.Accounts)
            if (!Ec2Ids.IsAccountId(a.Id)) throw new InvalidDataException($"World: account id '{a.Id}' is not 12 digits.");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var k in d.Accounts.SelectMany(a => a.AccessKeys))
            if (!keys.Add(k.AccessKeyId)) throw new InvalidDataException($"World: access key '{k.AccessKeyId}' is used twice.");
        foreach (var r in d.Images.Select(i => i.Region).Concat(d.Snapshots.Select(s => s.Region)).Concat(d.Keys.Select(k => k.Region)))
            if (!string.IsNullOrEmpty(r) && !d.Regions.Contains(r)) d.Regions.Add(r);
        if (d.Regions.Count == 0) d.Regions.AddRange(new[] { "us-east-1", "us-west-2", "eu-west-1" });
        foreach (var o in d.OptInRegions)
            if (!d.Regions.Contains(o.Region)) d.Regions.Add(o.Region);
        foreach (var k in d.Keys)
        {
            k.CreationDate ??= new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            k.Policy ??= k.KeyManager == "AWS" ? AwsManagedPolicy(k.Account, k.Region) : DefaultKeyPolicy(k.Account);
            if (k.KeyManager == "AWS" && k.Aliases.Count == 0) k.Aliases.Add("alias/aws/ebs");
        }
        foreach (var s in d.Snapshots)
        {
            s.VolumeId ??= "vol-" + s.SnapshotId.Replace("snap-", "");
            s.StartTime ??= new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
            if (s.KmsKeyId != null && !s.KmsKeyId.StartsWith("arn:", StringComparison.Ordinal))
                s.KmsKeyId = $"arn:aws:kms:{s.Region}:{s.Owner}:key/{s.KmsKeyId}";
            if (s.KmsKeyId != null) s.Encrypted = true;
        }
        foreach (var i in d.Images)
        {
            i.CreationDate ??= new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
            if (i.Public && !i.IsPublic) i.LaunchPermissions.Add(new LaunchPermissionSpec { Group = "all" });
            i.Public = false;
        }
        var n = 0;
        foreach (var x in d.Instances)
        {
            n++;
            x.InstanceId ??= "i-" + n.ToString("x17", System.Globalization.CultureInfo.InvariantCulture);
            x.LaunchTime ??= new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
            if (!string.IsNullOrEmpty(x.Region) && !d.Regions.Contains(x.Region)) d.Regions.Add(x.Region);
        }
        n = 0;
        foreach (var t in d.LaunchTemplates)
        {
            n++;
            t.LaunchTemplateId ??= "lt-" + n.ToString("x17", System.Globalization.CultureInfo.InvariantCulture);
            if (!string.IsNullOrEmpty(t.Region) && !d.Regions.Contains(t.Region)) d.Regions.Add(t.Region);
        }
    }

    /// <summary>
    /// LastLaunchedTime: the later of the image's own value and the launch time of the newest instance launched from it in its region
    /// (any account). [DOC] "When the AMI is used to launch an instance, there is a 24-hour delay before that usage is reported"; the
    /// emulator reports it at once (a world states the times it wants).
    /// </summary>
    internal DateTime? LastLaunched(ImageSpec i)
    {
        var fromInstances = Doc.Instances.Where(x => x.Region == i.Region && x.ImageId == i.ImageId && x.LaunchTime != null)
                                         .Select(x => x.LaunchTime!.Value).DefaultIfEmpty().Max();
        DateTime? latest = fromInstances == default ? null : fromInstances;
        if (i.LastLaunchedTime is { } own && (latest == null || own > latest)) latest = own;
        return latest;
    }

    internal static string DefaultKeyPolicy(string account) =>
        "{\"Version\":\"2012-10-17\",\"Id\":\"key-default-1\",\"Statement\":[{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + account + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";

    internal static string AwsManagedPolicy(string account, string region) =>
        "{\"Version\":\"2012-10-17\",\"Id\":\"auto-ebs-2\",\"Statement\":[{\"Sid\":\"Allow access through EBS for all principals in the account that are authorized to use EBS\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\",\"kms:CreateGrant\",\"kms:DescribeKey\"],\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":\""
        + account + "\",\"kms:ViaService\":\"ec2." + region + ".amazonaws.com\"}}},{\"Sid\":\"Allow direct access to key metadata to the account\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + account + ":root\"},\"Action\":[\"kms:Describe*\",\"kms:Get*\",\"kms:List*\",\"kms:RevokeGrant\"],\"Resource\":\"*\"}]}";

    // ---------------------------------------------------------------- lookups (call under Sync)

    internal (AccountSpec Account, AccessKeySpec Key)? FindAccessKey(string akid)
    {
        foreach (var a in Doc.Accounts)
            foreach (var k in a.AccessKeys)
                if (k.AccessKeyId == akid) return (a, k);
        return null;
    }

    internal AccountSpec? FindAccount(string id) => Doc.Accounts.FirstOrDefault(a => a.Id == id);

    internal ImageSpec? FindImage(string region, string imageId) =>
        Doc.Images.FirstOrDefault(i => i.Region == region && i.ImageId == imageId);

    internal SnapshotSpec? FindSnapshot(string region, string snapshotId) =>
        Doc.Snapshots.FirstOrDefault(s => s.Region == region && s.SnapshotId == snapshotId);

    internal KeySpec? FindKeyByArn(string arn) => Doc.Keys.FirstOrDefault(k => k.Arn == arn);

    internal KeySpec? FindKey(string region, string keyIdOrArn)
    {
        if (keyIdOrArn.StartsWith("arn:", StringComparison.Ordinal)) return FindKeyByArn(keyIdOrArn);
        return Doc.Keys.FirstOrDefault(k => k.Region == region && k.KeyId == keyIdOrArn);
    }

    internal bool BpaOn(string account, string region) =>
        Doc.BlockPublicAccess.Any(b => b.Account == account && b.Region == region && b.State == "block-new-sharing");

    internal string BpaManagedBy(string account, string region) =>
        Doc.BlockPublicAccess.FirstOrDefault(b => b.Account == account && b.Region == region)?.ManagedBy ?? "account";

    internal void SetBpa(string account, string region, bool on)
    {
        Doc.BlockPublicAccess.RemoveAll(b => b.Account == account && b.Region == region);
        Doc.BlockPublicAccess.Add(new BlockPublicAccessSpec { Account = account, Region = region, State = on ? "block-new-sharing" : "unblocked" });
    }

    internal EbsEncryptionSpec? EbsSettings(string account, string region) =>
        Doc.EbsEncryption.FirstOrDefault(e => e.Account == account && e.Region == region);

    internal EbsEncryptionSpec EnsureEbsSettings(string account, string region)
    {
        var e = EbsSettings(account, region);
        if (e != null) return e;
        e = new EbsEncryptionSpec { Account = account, Region = region };
        Doc.EbsEncryption.Add(e);
        return e;
    }

    internal bool EncryptionByDefault(string account, string region) => EbsSettings(account, region)?.EncryptionByDefault ?? false;

    /// <summary>
    /// The key ARN a new encrypted volume or snapshot copy gets when no key is named: the ModifyEbsDefaultKmsKeyId key, else the
    /// account's aws/ebs key in the region (created on first use, as AWS does). Null when the configured identifier does not resolve
    /// (AWS checks it asynchronously, so the copy fails later rather than the call).
    /// </summary>
    internal string? DefaultEbsKeyArn(string account, string region)
    {
        var configured = EbsSettings(account, region)?.KmsKeyId;
        if (configured == null) return EnsureAwsManagedKey(account, region).Arn;
        return KmsApi.ResolveKey(this, region, account, configured)?.Arn;
    }

    internal SnapshotBlockPublicAccessSpec? SnapshotBpa(string account, string region) =>
        Doc.SnapshotBlockPublicAccess.FirstOrDefault(b => b.Account == account && b.Region == region);

    internal string SnapshotBpaState(string account, string region) => SnapshotBpa(account, region)?.State ?? "unblocked";

    /// <summary>
    /// A snapshot shared with group all that anyone can see and use: [DOC] block-all-sharing "snapshots that are already publicly
    /// shared are treated as private and they are no longer publicly available" (their attribute still says all).
    /// </summary>
    internal bool PubliclyAvailable(SnapshotSpec s) =>
        s.CreateVolumePermissions.Contains("all") && SnapshotBpaState(s.Owner, s.Region) != "block-all-sharing";

    /// <summary>opt-in-not-required, opted-in or not-opted-in for the account.</summary>
    internal string OptInStatus(string account, string region) =>
        Doc.OptInRegions.FirstOrDefault(o => o.Region == region) is { } r
            ? (r.OptedInAccounts.Contains(account) ? "opted-in" : "not-opted-in")
            : "opt-in-not-required";

    internal string OrganizationArn(OrganizationSpec o) => $"arn:aws:organizations::{o.ManagementAccountId}:organization/{o.Id}";

    internal bool InOrganization(string account)
    {
        var o = Doc.Organization;
        return o != null && (o.ManagementAccountId == account || OrgPathOf(account) != null);
    }

    /// <summary>OU ids from the root down to the account's parent (empty when directly under root); null when not in the org.</summary>
    internal List<OuSpec>? OrgPathOf(string account)
    {
        var o = Doc.Organization;
        if (o == null) return null;
        if (o.Accounts.Contains(account)) return new List<OuSpec>();
        foreach (var ou in o.OrganizationalUnits)
        {
            var p = FindPath(ou, account);
            if (p != null) return p;
        }
        return o.ManagementAccountId == account ? new List<OuSpec>() : null;
    }

    private static List<OuSpec>? FindPath(OuSpec ou, string account)
    {
        if (ou.Accounts.Contains(account)) return new List<OuSpec> { ou };
        foreach (var c in ou.OrganizationalUnits)
        {
            var p = FindPath(c, account);
            if (p != null) { p.Insert(0, ou); return p; }
        }
        return null;
    }

    internal IEnumerable<OuSpec> AllOus()
    {
        var o = Doc.Organization;
        if (o == null) yield break;
        var stack = new Stack<OuSpec>(o.OrganizationalUnits.AsEnumerable().Reverse());
        while (stack.Count > 0)
        {
            var ou = stack.Pop();
            yield return ou;
            foreach (var c in ou.OrganizationalUnits.AsEnumerable().Reverse()) stack.Push(c);
        }
    }

    /// <summary>True when the launch permission grants the account access (directly, via org or via OU, nested).</summary>
    internal bool PermissionCovers(LaunchPermissionSpec p, string account, bool includeOrgAndOu = true)
    {
        if (p.UserId != null) return p.UserId == account;
        if (p.Group != null) return false;
        if (!includeOrgAndOu) return false;
        var o = Doc.Organization;
        if (o == null) return false;
        var path = OrgPathOf(account);
        if (path == null) return false;
        if (p.OrganizationArn != null) return p.OrganizationArn == OrganizationArn(o);
        if (p.OrganizationalUnitArn != null)
        {
            var prefix = $"arn:aws:organizations::{o.ManagementAccountId}:ou/{o.Id}/";
            if (!p.OrganizationalUnitArn.StartsWith(prefix, StringComparison.Ordinal)) return false;
            var ouId = p.OrganizationalUnitArn.Substring(prefix.Length);
            return path.Any(x => x.Id == ouId);
        }
        return false;
    }

    internal bool CanLaunch(ImageSpec i, string account) =>
        i.Owner == account || i.IsPublic || i.LaunchPermissions.Any(p => PermissionCovers(p, account));

    /// <summary>The clock pending images are checked against; EmulatorHost points it at EmulatorOptions.Clock.</summary>
    internal Func<DateTime> UtcNow { get; set; } = () => DateTime.UtcNow;

    internal void RefreshPending(ImageSpec i)
    {
        if (i.State == "pending" && i.AvailableAtUtc is { } t && UtcNow() >= t) i.State = "available";
    }

    internal bool KeyIsAwsManaged(string? keyArn)
    {
        if (keyArn == null) return false;
        var k = FindKeyByArn(keyArn);
        if (k != null) return k.KeyManager == "AWS";
        return false;
    }

    internal KeySpec EnsureAwsManagedKey(string account, string region)
    {
        var k = Doc.Keys.FirstOrDefault(x => x.Account == account && x.Region == region && x.KeyManager == "AWS" && x.Aliases.Contains("alias/aws/ebs"));
        if (k != null) return k;
        k = new KeySpec
        {
            KeyId = Guid.NewGuid().ToString(), Account = account, Region = region, KeyManager = "AWS",
            Description = "Default key that protects my EBS volumes when no other key is defined",
            Aliases = { "alias/aws/ebs" }, CreationDate = DateTime.UtcNow,
        };
        k.Policy = AwsManagedPolicy(account, region);
        Doc.Keys.Add(k);
        return k;
    }

    // ---------------------------------------------------------------- public live-state accessors (tests)

    public IReadOnlyList<string> Regions { get { lock (Sync) return Doc.Regions.ToList(); } }

    public IReadOnlyList<string> AccountIds { get { lock (Sync) return Doc.Accounts.Select(a => a.Id).ToList(); } }

    /// <summary>(accountId, accessKeyId, secretAccessKey) for every access key in the world.</summary>
    public IReadOnlyList<(string AccountId, string AccessKeyId, string? SecretAccessKey)> AccessKeys
    {
        get { lock (Sync) return Doc.Accounts.SelectMany(a => a.AccessKeys.Select(k => (a.Id, k.AccessKeyId, k.SecretAccessKey))).ToList(); }
    }

    /// <summary>Launch permissions in insertion order; Kind is UserId | Group | OrganizationArn | OrganizationalUnitArn.</summary>
    public IReadOnlyList<(string Kind, string Value)> LaunchPermissionsOf(string region, string imageId)
    {
        lock (Sync)
        {
            var i = FindImage(region, imageId) ?? throw new KeyNotFoundException($"No image {imageId} in {region}.");
            return i.LaunchPermissions.Select(p => (p.Kind, p.Value)).ToList();
        }
    }

    /// <summary>createVolumePermission user ids, plus "all" for group all.</summary>
    public IReadOnlyList<string> CreateVolumePermissionsOf(string region, string snapshotId)
    {
        lock (Sync)
        {
            var s = FindSnapshot(region, snapshotId) ?? throw new KeyNotFoundException($"No snapshot {snapshotId} in {region}.");
            return s.CreateVolumePermissions.ToList();
        }
    }

    /// <summary>The key policy text (keyId = bare key id in the region, or a key ARN).</summary>
    public string KeyPolicyOf(string region, string keyId)
    {
        lock (Sync)
        {
            var k = FindKey(region, keyId) ?? throw new KeyNotFoundException($"No key {keyId} in {region}.");
            return k.Policy!;
        }
    }

    public IReadOnlyList<(string GrantId, string? Name, string GranteePrincipal, IReadOnlyList<string> Operations)> GrantsOf(string region, string keyId)
    {
        lock (Sync)
        {
            var k = FindKey(region, keyId) ?? throw new KeyNotFoundException($"No key {keyId} in {region}.");
            return k.Grants.Select(g => (g.GrantId, g.Name, g.GranteePrincipal, (IReadOnlyList<string>)g.Operations.ToList())).ToList();
        }
    }

    public bool IsImageBlockPublicAccessEnabled(string account, string region) { lock (Sync) return BpaOn(account, region); }

    public void SetImageBlockPublicAccess(string account, string region, bool enabled) { lock (Sync) SetBpa(account, region, enabled); }

    /// <summary>EBS encryption by default for the account in the region (GetEbsEncryptionByDefault).</summary>
    public bool IsEbsEncryptionByDefault(string account, string region) { lock (Sync) return EncryptionByDefault(account, region); }

    /// <summary>Sets EBS encryption by default, as Enable/DisableEbsEncryptionByDefault do.</summary>
    public void SetEbsEncryptionByDefault(string account, string region, bool enabled) { lock (Sync) EnsureEbsSettings(account, region).EncryptionByDefault = enabled; }

    /// <summary>The configured default EBS key (ModifyEbsDefaultKmsKeyId), or null for alias/aws/ebs.</summary>
    public string? EbsDefaultKmsKeyIdOf(string account, string region) { lock (Sync) return EbsSettings(account, region)?.KmsKeyId; }

    /// <summary>(encrypted, key ARN) of a snapshot.</summary>
    public (bool Encrypted, string? KmsKeyId) SnapshotEncryptionOf(string region, string snapshotId)
    {
        lock (Sync)
        {
            var s = FindSnapshot(region, snapshotId) ?? throw new KeyNotFoundException($"No snapshot {snapshotId} in {region}.");
            return (s.Encrypted, s.KmsKeyId);
        }
    }

    /// <summary>(value, version, data type) of an SSM parameter, or null when it does not exist.</summary>
    public (string Value, long Version, string DataType)? ParameterOf(string account, string region, string name)
    {
        lock (Sync)
        {
            var p = Doc.Parameters.FirstOrDefault(x => x.Account == account && x.Region == region && x.Name == name);
            return p == null ? null : (p.Value, p.Version, p.DataType);
        }
    }

    /// <summary>Names (with the reason) of aws:ec2:image writes whose validation failed, in order.</summary>
    public IReadOnlyList<(string Name, string Value, string Reason)> ParameterValidationFailuresOf(string account, string region)
    {
        lock (Sync) return Doc.ParameterValidationFailures.Where(f => f.Account == account && f.Region == region).Select(f => (f.Name, f.Value, f.Reason)).ToList();
    }

    /// <summary>Block public access for snapshots: block-all-sharing, block-new-sharing or unblocked.</summary>
    public string SnapshotBlockPublicAccessStateOf(string account, string region) { lock (Sync) return SnapshotBpaState(account, region); }

    /// <summary>Watermark keys of an image, in the order they were attached.</summary>
    public IReadOnlyList<string> WatermarkKeysOf(string region, string imageId)
    {
        lock (Sync) return (FindImage(region, imageId) ?? throw new KeyNotFoundException(imageId)).Watermarks.Select(m => m.WatermarkKey).ToList();
    }

    public bool ImageExists(string region, string imageId) { lock (Sync) return FindImage(region, imageId) is { State: not "deregistered" }; }

    public bool SnapshotExists(string region, string snapshotId) { lock (Sync) return FindSnapshot(region, snapshotId) != null; }

    public bool IsImagePublic(string region, string imageId)
    {
        lock (Sync) return (FindImage(region, imageId) ?? throw new KeyNotFoundException(imageId)).IsPublic;
    }

    public string ImageStateOf(string region, string imageId)
    {
        lock (Sync)
        {
            var i = FindImage(region, imageId) ?? throw new KeyNotFoundException(imageId);
            RefreshPending(i);
            return i.State;
        }
    }

    public IReadOnlyDictionary<string, string> TagsOf(string region, string resourceId)
    {
        lock (Sync)
        {
            if (FindImage(region, resourceId) is { } i) return new Dictionary<string, string>(i.Tags);
            if (FindSnapshot(region, resourceId) is { } s) return new Dictionary<string, string>(s.Tags);
            throw new KeyNotFoundException(resourceId);
        }
    }

    /// <summary>Image ids in a region (optionally only one owner's), in world order.</summary>
    public IReadOnlyList<string> ImageIds(string region, string? owner = null)
    {
        lock (Sync) return Doc.Images.Where(i => i.Region == region && (owner == null || i.Owner == owner)).Select(i => i.ImageId).ToList();
    }

    /// <summary>Snapshot ids backing an image, in block-device order.</summary>
    public IReadOnlyList<string> SnapshotIdsOf(string region, string imageId)
    {
        lock (Sync)
        {
            var i = FindImage(region, imageId) ?? throw new KeyNotFoundException(imageId);
            return i.BlockDeviceMappings.Where(b => b.SnapshotId != null).Select(b => b.SnapshotId!).ToList();
        }
    }

    /// <summary>Adds an image (and nothing else) to the live world; for tests that need more AMIs.</summary>
    public void AddImage(ImageSpec image)
    {
        lock (Sync)
        {
            image.CreationDate ??= DateTime.UtcNow;
            if (image.Public && !image.IsPublic) image.LaunchPermissions.Add(new LaunchPermissionSpec { Group = "all" });
            image.Public = false;
            if (!Doc.Regions.Contains(image.Region)) Doc.Regions.Add(image.Region);
            Doc.Images.Add(image);
        }
    }

    /// <summary>Adds an access key (secret optional) to an existing account, or creates the account.</summary>
    public void AddAccessKey(string account, string accessKeyId, string? secretAccessKey = null)
    {
        lock (Sync)
        {
            if (FindAccessKey(accessKeyId) != null) throw new InvalidOperationException($"Access key {accessKeyId} already exists.");
            var a = FindAccount(account);
            if (a == null) { a = new AccountSpec { Id = account }; Doc.Accounts.Add(a); }
            a.AccessKeys.Add(new AccessKeySpec { AccessKeyId = accessKeyId, SecretAccessKey = secretAccessKey });
        }
    }

    /// <summary>Denies an action (e.g. "ec2:ModifyImageAttribute") to an account, as an IAM deny would.</summary>
    public void DenyAction(string account, string action)
    {
        lock (Sync) (FindAccount(account) ?? throw new KeyNotFoundException(account)).DeniedActions.Add(action);
    }

    public void AddSnapshot(SnapshotSpec snapshot)
    {
        lock (Sync)
        {
            snapshot.VolumeId ??= "vol-" + snapshot.SnapshotId.Replace("snap-", "");
            snapshot.StartTime ??= DateTime.UtcNow;
            if (snapshot.KmsKeyId != null) snapshot.Encrypted = true;
            Doc.Snapshots.Add(snapshot);
        }
    }
}
