using System.Globalization;
using System.Text.RegularExpressions;

namespace AmiShare.Emulator;

/// <summary>CopyImage: storage access, the copy's encryption, ClientToken idempotency, tags (wire-spec §2.7).</summary>
internal static partial class Ec2Api
{
    /// <summary>
    /// Real EC2 answers 400 InvalidRequest with this text when a consumer copies an AMI shared with it (or public) without
    /// read access to its storage: [REAL] AWS CLI "An error occurred (InvalidRequest) when calling the CopyImage operation:
    /// You do not have permission to access the storage of this ami"; cloudigrade/cloudigrade matches Code == "InvalidRequest"
    /// with this message; awslabs/amazon-eks-ami#52 and clong/DetectionLab#422 were fixed by adding createVolumePermission.
    /// </summary>
    internal const string MsgNoStorageAccess = "You do not have permission to access the storage of this ami";

    /// <summary>KMS actions a consumer needs on the source snapshot's key to copy it: the use actions of anchors.md §8.6 that reading a
    /// snapshot involves ("To copy an encrypted snapshot that has been shared from another account, you must have permissions for
    /// the KMS key used to encrypt the snapshot": CopySnapshot API reference).</summary>
    private static readonly string[] CopySourceKeyActions = { "kms:DescribeKey", "kms:CreateGrant", "kms:Decrypt", "kms:ReEncryptFrom" };

    /// <summary>
    /// A copy by someone other than the owner needs read access to every backing snapshot: createVolumePermission for the
    /// caller or the group all and, for an encrypted snapshot, use of its key through EC2 (key policy with
    /// kms:ViaService = ec2, or a grant). The EC2 User Guide ("Copy an AMI", cross-account) says the owner must grant read
    /// permissions for the storage and share the keys of encrypted snapshots. A missing key share answers with the same
    /// storage text [INFERRED: anchors.md §1.5 names that text for both; no published capture of a key-only failure].
    /// </summary>
    private static void RequireStorageAccess(World w, ImageSpec src, string me)
    {
        foreach (var b in src.BlockDeviceMappings.Where(b => b.SnapshotId != null))
        {
            var s = w.FindSnapshot(src.Region, b.SnapshotId!);
            if (s == null || (s.Owner != me && !s.CreateVolumePermissions.Contains(me) && !w.PubliclyAvailable(s)))
                throw Bad("InvalidRequest", MsgNoStorageAccess);
            if (!s.Encrypted) continue;
            var key = s.KmsKeyId == null ? null : w.FindKeyByArn(s.KmsKeyId);
            if (key == null || !CopySourceKeyActions.All(a => KmsApi.MayUseViaEc2(w, key, me, a)))
                throw Bad("InvalidRequest", MsgNoStorageAccess);
        }
    }

    /// <summary>
    /// [DOC] EC2 API reference, "Common client error codes": IdempotentParameterMismatch, "The request uses the same client token as a
    /// previous, but non-identical request. Do not reuse a client token with different requests, unless the requests are identical."
    /// </summary>
    internal const string MsgIdempotentMismatch =
        "The request uses the same client token as a previous, but non-identical request. Do not reuse a client token with different requests, unless the requests are identical.";

    private static readonly HashSet<string> NotPartOfTheRequest = new(StringComparer.Ordinal) { "Action", "Version", "ClientToken", "DryRun" };

    /// <summary>The request's own parameters in a canonical order, so a retry compares equal and any change does not.</summary>
    private static string Fingerprint(CallContext c) =>
        string.Join("\n", c.Params.Where(p => !NotPartOfTheRequest.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));

    /// <summary>
    /// [DOC] "Ensuring idempotency in Amazon EC2 API requests": a retry with the same client token and the same parameters returns
    /// the result of the first request and does nothing more; the same token with other parameters answers
    /// IdempotentParameterMismatch. Tokens are per account and region (the token's scope is the caller's request).
    /// </summary>
    private static string? Replay(World w, CallContext c, string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        var seen = w.Doc.ClientTokens.FirstOrDefault(t => t.Account == c.AccountId && t.Region == c.RegionName && t.Action == c.Action && t.ClientToken == token);
        if (seen == null) return null;
        if (seen.Request != Fingerprint(c)) throw Bad("IdempotentParameterMismatch", MsgIdempotentMismatch);
        return seen.Result;
    }

    /// <summary>
    /// The key of a new snapshot copy, as the EC2 User Guide ("Use encryption with EBS-backed AMIs", image-copying scenarios) and the
    /// CopyImage/CopySnapshot API reference document it: a named KmsKeyId (with Encrypted) wins; an encrypted snapshot the caller owns,
    /// copied within its region without encryption parameters, keeps its key; an encrypted snapshot copied to another region (KMS keys
    /// are regional), one shared with the caller, Encrypted without a key, or an unencrypted snapshot when encryption by default is on
    /// get the destination's default key (ModifyEbsDefaultKmsKeyId's key, else aws/ebs); otherwise the copy stays unencrypted.
    /// Returns (encrypted, key ARN, key resolves).
    /// </summary>
    private static (bool Encrypted, string? KeyArn, bool Ok) CopyEncryption(World w, CallContext c, SnapshotSpec s, bool encrypted, string? kmsKeyId)
    {
        var me = c.AccountId;
        if (kmsKeyId != null)
        {
            var k = KmsApi.ResolveKey(w, c.RegionName, me, kmsKeyId);
            return (true, k?.Arn, k != null);
        }
        if (s.Encrypted && !encrypted && s.Region == c.RegionName && s.Owner == me) return (true, s.KmsKeyId, true);
        if (s.Encrypted || encrypted || w.EncryptionByDefault(me, c.RegionName))
        {
            var d = w.DefaultEbsKeyArn(me, c.RegionName);
            return (true, d, d != null);
        }
        return (false, null, true);
    }

    private static string CopyImage(World w, EmulatorOptions o, CallContext c)
    {
        var me = c.AccountId;
        var srcRegion = c.Require("SourceRegion");
        var srcId = c.Require("SourceImageId");
        var name = c.Require("Name");
        if (Replay(w, c, c.Get("ClientToken")) is { } replayed)
        {
            Gate(c);
            return new Xml().El("imageId", replayed).ToString();
        }
        if (!Ec2Ids.IsAmi(srcId)) throw Bad("InvalidAMIID.Malformed", $"Invalid id: \"{srcId}\" (expecting \"ami-...\")");
        var src = w.FindImage(srcRegion, srcId);
        if (src == null || src.State == "deregistered" || !w.CanLaunch(src, me)) throw Bad("InvalidAMIID.NotFound", NotFoundMessage(new[] { srcId }));
        if (src.Owner != me) RequireStorageAccess(w, src, me);
        Gate(c);
        if (!Regex.IsMatch(name, @"^[A-Za-z0-9()\[\] ./\-'@_]{3,128}$"))
            throw Bad("InvalidAMIName.Malformed", "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'");
        var encrypted = c.Bool("Encrypted");
        var kmsKeyId = c.Get("KmsKeyId");
        if (kmsKeyId != null && !encrypted) throw Bad("InvalidParameterDependency", "The parameter KmsKeyId requires the parameter Encrypted to be set.");
        var dup = w.Doc.Images.FirstOrDefault(x => x.Region == c.RegionName && x.Owner == me && x.Name == name && x.State != "deregistered");
        if (dup != null) throw Bad("InvalidAMIName.Duplicate", $"AMI name {name} is already in use by AMI {dup.ImageId}");

        var tagSpecs = new List<(string Type, List<(string Key, string? Value)> Tags)>();
        foreach (var n in c.Indices("TagSpecification"))
        {
            var type = c.Get($"TagSpecification.{n}.ResourceType") ?? "";
            if (type is not ("image" or "snapshot")) throw Bad("InvalidParameterValue", $"'{type}' is not a valid taggable resource type for this operation.");
            var tags = TagItems(c, $"TagSpecification.{n}.Tag");
            ValidateTags(tags);
            tagSpecs.Add((type, tags));
        }

        var now = o.UtcNow;
        var image = new ImageSpec
        {
            ImageId = "ami-" + Ec2Ids.NewHex17(), Region = c.RegionName, Owner = me, Name = name, Description = c.Get("Description"),
            Architecture = src.Architecture, ImageType = src.ImageType, Platform = src.Platform, PlatformDetails = src.PlatformDetails,
            UsageOperation = src.UsageOperation, RootDeviceType = src.RootDeviceType, RootDeviceName = src.RootDeviceName,
            VirtualizationType = src.VirtualizationType, Hypervisor = src.Hypervisor, EnaSupport = src.EnaSupport, BootMode = src.BootMode,
            ImdsSupport = src.ImdsSupport, SriovNetSupport = src.SriovNetSupport, CreationDate = now,
            SourceImageId = src.ImageId, SourceImageRegion = src.Region,
            ProductCodes = src.ProductCodes.Select(p => new ProductCodeSpec { Id = p.Id, Type = p.Type }).ToList(),
        };
        CopyWatermarks(src, image);
        // [DOC] CopyImageTags (SDK doc): the caller's own user-defined tags; aws: system tags never; "for public and shared AMIs,
        // user-defined tags that are attached by other Amazon Web Services accounts" are not copied "except tags with the
        // ec2:SharedTag/ prefix".
        if (c.Bool("CopyImageTags"))
            foreach (var t in src.Tags.Where(t => !t.Key.StartsWith("aws:", StringComparison.Ordinal) && TagVisible(t.Key, src.Owner == me)))
                image.Tags[t.Key] = t.Value;
        foreach (var (_, tags) in tagSpecs.Where(t => t.Type == "image"))
            foreach (var (k, v) in tags) image.Tags[k] = v ?? "";

        var failed = false;
        foreach (var b in src.BlockDeviceMappings)
        {
            var nb = new BlockDeviceSpec { DeviceName = b.DeviceName, VolumeSize = b.VolumeSize, VolumeType = b.VolumeType, DeleteOnTermination = b.DeleteOnTermination };
            if (b.SnapshotId != null && w.FindSnapshot(src.Region, b.SnapshotId) is { } s)
            {
                var (enc, key, ok) = CopyEncryption(w, c, s, encrypted, kmsKeyId);
                failed |= !ok;
                var ns = new SnapshotSpec
                {
                    SnapshotId = "snap-" + Ec2Ids.NewHex17(), Region = c.RegionName, Owner = me, VolumeSize = s.VolumeSize, Encrypted = enc, KmsKeyId = key,
                    Description = $"Copied for DestinationAmi {image.ImageId} from SourceAmi {src.ImageId} for SourceSnapshot {s.SnapshotId}. Task created on {now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}.",
                    StartTime = now, ProductCodes = s.ProductCodes.ToList(),
                };
                ns.VolumeId = "vol-ffffffff";
                foreach (var (_, tags) in tagSpecs.Where(t => t.Type == "snapshot"))
                    foreach (var (k, v) in tags) ns.Tags[k] = v ?? "";
                w.Doc.Snapshots.Add(ns);
                nb.SnapshotId = ns.SnapshotId;
            }
            image.BlockDeviceMappings.Add(nb);
        }
        // [DOC] KmsKeyId: "Amazon Web Services authenticates the KMS key asynchronously ... the action can appear to complete, but
        // eventually fails": a key that does not resolve (named, or the configured default) gives an image in state failed.
        var pending = o.CopyImagePendingTime > TimeSpan.Zero;
        image.State = failed ? "failed" : pending ? "pending" : "available";
        if (pending && !failed) image.AvailableAtUtc = now + TimeSpan.FromTicks((long)(o.CopyImagePendingTime.Ticks / Math.Max(o.TimeScale, 0.000001)));
        if (!w.Doc.Regions.Contains(c.RegionName)) w.Doc.Regions.Add(c.RegionName);
        w.Doc.Images.Add(image);
        if (c.Get("ClientToken") is { Length: > 0 } token)
            w.Doc.ClientTokens.Add(new ClientTokenSpec { Account = me, Region = c.RegionName, Action = c.Action, ClientToken = token, Request = Fingerprint(c), Result = image.ImageId });
        return new Xml().El("imageId", image.ImageId).ToString();
    }
}
