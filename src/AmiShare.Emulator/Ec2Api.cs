using System.Globalization;
using System.Text;

namespace AmiShare.Emulator;

/// <summary>EC2 Query protocol operations (wire-spec §1–§3).</summary>
internal static partial class Ec2Api
{
    public const string Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private const string DryRunMessage = "Request would have succeeded, but DryRun flag is set.";

    internal const string MsgBpa = "You can\u2019t publicly share this image because block public access for AMIs is enabled for this account. To publicly share the image, you must call the DisableImageBlockPublicAccess API.";
    internal const string MsgProductCodes = "Images with marketplace product codes may not be made public.";
    internal const string MsgEncryptedPublic = "Encrypted snapshots can\u2019t be shared publicly. Specify another snapshot.";
    internal const string MsgAwsManaged = "Snapshots encrypted with the AWS Managed CMK can\u2019t be shared. Specify another snapshot.";

    private delegate string Op(World w, EmulatorOptions o, CallContext c);

    private static readonly Dictionary<string, Op> Ops = new(StringComparer.Ordinal)
    {
        ["DescribeImages"] = DescribeImages,
        ["DescribeImageAttribute"] = DescribeImageAttribute,
        ["ModifyImageAttribute"] = ModifyImageAttribute,
        ["ResetImageAttribute"] = ResetImageAttribute,
        ["DescribeSnapshots"] = DescribeSnapshots,
        ["DescribeSnapshotAttribute"] = DescribeSnapshotAttribute,
        ["ModifySnapshotAttribute"] = ModifySnapshotAttribute,
        ["ResetSnapshotAttribute"] = ResetSnapshotAttribute,
        ["CreateTags"] = CreateTags,
        ["DeleteTags"] = DeleteTags,
        ["GetImageBlockPublicAccessState"] = GetImageBlockPublicAccessState,
        ["EnableImageBlockPublicAccess"] = EnableImageBlockPublicAccess,
        ["DisableImageBlockPublicAccess"] = DisableImageBlockPublicAccess,
        ["CopyImage"] = CopyImage,
        ["DeregisterImage"] = DeregisterImage,
        ["EnableImageDeprecation"] = EnableImageDeprecation,
        ["DisableImageDeprecation"] = DisableImageDeprecation,
        ["DescribeRegions"] = DescribeRegions,
        ["GetEbsEncryptionByDefault"] = GetEbsEncryptionByDefault,
        ["EnableEbsEncryptionByDefault"] = EnableEbsEncryptionByDefault,
        ["DisableEbsEncryptionByDefault"] = DisableEbsEncryptionByDefault,
        ["GetEbsDefaultKmsKeyId"] = GetEbsDefaultKmsKeyId,
        ["ModifyEbsDefaultKmsKeyId"] = ModifyEbsDefaultKmsKeyId,
        ["ResetEbsDefaultKmsKeyId"] = ResetEbsDefaultKmsKeyId,
        ["AttachImageWatermark"] = AttachImageWatermark,
        ["DetachImageWatermark"] = DetachImageWatermark,
        ["GetSnapshotBlockPublicAccessState"] = GetSnapshotBlockPublicAccessState,
        ["EnableSnapshotBlockPublicAccess"] = EnableSnapshotBlockPublicAccess,
        ["DisableSnapshotBlockPublicAccess"] = DisableSnapshotBlockPublicAccess,
        ["CreateImageUsageReport"] = CreateImageUsageReport,
        ["DescribeImageUsageReports"] = DescribeImageUsageReports,
        ["DescribeImageUsageReportEntries"] = DescribeImageUsageReportEntries,
        ["DeleteImageUsageReport"] = DeleteImageUsageReport,
    };

    public static string Handle(World w, EmulatorOptions o, CallContext c)
    {
        if (string.IsNullOrEmpty(c.Action)) throw new ApiException(400, "MissingAction", "The request must contain the parameter Action");
        if (!Ops.TryGetValue(c.Action, out var op)) throw new ApiException(400, "InvalidAction", $"The action {c.Action} is not valid for this web service.");
        // Ops that touch a resource answer DryRun after the resource is found and the caller is allowed to act on it
        // (real EC2 reports NotFound/AuthFailure before DryRunOperation); the others answer it at once.
        if (c.Bool("DryRun") && !ResourceOps.Contains(c.Action)) throw new ApiException(412, "DryRunOperation", DryRunMessage);
        string inner;
        lock (w.Sync) inner = op(w, o, c);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + c.Action + "Response xmlns=\"" + Namespace + "\"><requestId>" + c.RequestId + "</requestId>"
               + inner + "</" + c.Action + "Response>";
    }

    private static readonly HashSet<string> ResourceOps = new(StringComparer.Ordinal)
    {
        "DescribeImages", "DescribeImageAttribute", "ModifyImageAttribute", "ResetImageAttribute", "DescribeSnapshots",
        "DescribeSnapshotAttribute", "ModifySnapshotAttribute", "ResetSnapshotAttribute", "CreateTags", "DeleteTags",
        "CopyImage", "DeregisterImage", "EnableImageDeprecation", "DisableImageDeprecation",
        "AttachImageWatermark", "DetachImageWatermark",
        "CreateImageUsageReport", "DescribeImageUsageReports", "DescribeImageUsageReportEntries", "DeleteImageUsageReport",
    };

    /// <summary>Throws DryRunOperation when the request is a dry run (call once the resource checks have passed).</summary>
    private static void Gate(CallContext c)
    {
        if (c.Bool("DryRun")) throw new ApiException(412, "DryRunOperation", DryRunMessage);
    }

    private static string ReturnTrue => "<return>true</return>";

    private static ApiException Bad(string code, string msg) => new(400, code, msg);

    // ------------------------------------------------------------------------------------------ shared lookups

    internal static string NotFoundMessage(IReadOnlyList<string> ids) =>
        ids.Count == 1 ? $"The image id '[{ids[0]}]' does not exist" : $"The image ids '[{string.Join(", ", ids)}]' do not exist";

    private static ImageSpec OwnedImage(World w, CallContext c, string imageId, bool allowNonOwner = false, bool gate = true)
    {
        if (!Ec2Ids.IsAmi(imageId)) throw Bad("InvalidAMIID.Malformed", $"Invalid id: \"{imageId}\" (expecting \"ami-...\")");
        var i = w.FindImage(c.RegionName, imageId) ?? throw Bad("InvalidAMIID.NotFound", NotFoundMessage(new[] { imageId }));
        if (i.State == "deregistered")
        {
            if (i.Owner != c.AccountId) throw Bad("InvalidAMIID.NotFound", NotFoundMessage(new[] { imageId }));
            throw Bad("InvalidAMIID.Unavailable", $"The image ID '{imageId}' is no longer available");
        }
        w.RefreshPending(i);
        if (!allowNonOwner && i.Owner != c.AccountId) throw Bad("AuthFailure", $"Not authorized for image:{imageId}");
        if (gate) Gate(c);
        return i;
    }

    private static SnapshotSpec OwnedSnapshot(World w, CallContext c, string snapshotId, bool gate = true)
    {
        if (!Ec2Ids.IsSnapshot(snapshotId)) throw Bad("InvalidSnapshotID.Malformed", $"Invalid id: \"{snapshotId}\" (expecting \"snap-...\")");
        var s = w.FindSnapshot(c.RegionName, snapshotId) ?? throw Bad("InvalidSnapshot.NotFound", $"The snapshot '{snapshotId}' does not exist.");
        if (s.Owner != c.AccountId)
        {
            if (!SnapshotVisible(w, s, c.AccountId)) throw Bad("InvalidSnapshot.NotFound", $"The snapshot '{snapshotId}' does not exist.");
            throw Bad("AuthFailure", $"Not authorized for snapshot:{snapshotId}");
        }
        if (gate) Gate(c);
        return s;
    }

    private static bool SnapshotVisible(World w, SnapshotSpec s, string account) =>
        s.Owner == account || s.CreateVolumePermissions.Contains(account) || w.PubliclyAvailable(s);

    private static IEnumerable<SnapshotSpec> SnapshotsOf(World w, ImageSpec i) =>
        i.BlockDeviceMappings.Where(b => b.SnapshotId != null).Select(b => w.FindSnapshot(i.Region, b.SnapshotId!)).Where(s => s != null)!;

    private static string? AliasOf(World w, string account) => w.FindAccount(account)?.Alias;

    private sealed record Filter(string Name, List<string> Values);

    private static List<Filter> Filters(CallContext c)
    {
        var list = new List<Filter>();
        foreach (var n in c.Indices("Filter"))
        {
            var name = c.Get($"Filter.{n}.Name");
            if (string.IsNullOrEmpty(name)) throw Bad("InvalidParameterValue", "The filter 'null' is invalid");
            list.Add(new Filter(name, c.List($"Filter.{n}.Value")));
        }
        return list;
    }

    private static bool Matches(Filter f, IEnumerable<string> actual)
    {
        if (f.Values.Count == 0) return false;
        var values = actual.ToList();
        return f.Values.Any(p => { var rx = Ec2Ids.Wildcard(p); return values.Any(v => rx.IsMatch(v)); });
    }

    private static (int Offset, int? Max) Paging(CallContext c)
    {
        int? max = null;
        if (c.Get("MaxResults") is { } ms)
        {
            if (!int.TryParse(ms, NumberStyles.Integer, CultureInfo.InvariantCulture, out var mr) || mr < 1)
                throw Bad("InvalidParameterValue", $"Value ( {ms} ) for parameter maxResults is invalid. Expecting a value greater than 0.");
            max = mr;
        }
        var offset = 0;
        if (c.Get("NextToken") is { Length: > 0 } tok)
        {
            try { offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(tok)).Replace("offset:", ""), CultureInfo.InvariantCulture); }
            catch (FormatException) { throw Bad("InvalidParameterValue", $"Invalid value '{tok}' for nextToken"); }
        }
        return (offset, max);
    }

    private static (List<T> Page, string? Next) Page<T>(List<T> all, (int Offset, int? Max) p)
    {
        var rest = all.Skip(p.Offset).ToList();
        if (p.Max is not { } max || rest.Count <= max) return (rest, null);
        return (rest.Take(max).ToList(), Convert.ToBase64String(Encoding.UTF8.GetBytes("offset:" + (p.Offset + max).ToString(CultureInfo.InvariantCulture))));
    }

    private static string ResolveOwner(World w, CallContext c, string owner)
    {
        if (owner == "self") return c.AccountId;
        if (Ec2Ids.IsAccountId(owner)) return owner;
        if (owner is "amazon" or "aws-marketplace" or "aws-backup-vault") return owner;
        throw Bad("InvalidUserID.Malformed", $"Invalid user id: \"{owner}\"");
    }

    private static bool OwnerMatches(World w, string owner, string wanted) =>
        owner == wanted || (AliasOf(w, owner) is { } alias && alias == wanted);

    // ------------------------------------------------------------------------------------------ DescribeImages

    private static string DescribeImages(World w, EmulatorOptions o, CallContext c)
    {
        var me = c.AccountId;
        var ids = c.List("ImageId");
        foreach (var id in ids)
            if (!Ec2Ids.IsAmi(id)) throw Bad("InvalidAMIID.Malformed", $"Invalid id: \"{id}\" (expecting \"ami-...\")");
        var owners = c.List("Owner").Select(x => ResolveOwner(w, c, x)).ToList();
        var exec = c.List("ExecutableBy");
        foreach (var e in exec)
            if (e != "self" && e != "all" && !Ec2Ids.IsAccountId(e)) throw Bad("InvalidUserID.Malformed", $"Invalid user id: \"{e}\"");
        var filters = Filters(c);
        var paging = Paging(c);
        var includeDeprecated = c.Bool("IncludeDeprecated");
        var includeDisabled = c.Bool("IncludeDisabled");
        var now = DateTime.UtcNow;

        var inRegion = w.Doc.Images.Where(i => i.Region == c.RegionName).ToList();
        foreach (var i in inRegion) w.RefreshPending(i);
        var visible = inRegion.Where(i => i.State != "deregistered" && w.CanLaunch(i, me)).ToList();

        IEnumerable<ImageSpec> result;
        if (ids.Count > 0)
        {
            var missing = ids.Distinct().Where(id => !visible.Any(i => i.ImageId == id)
                                                     && !inRegion.Any(i => i.ImageId == id && i.State == "deregistered")).ToList();
            if (missing.Count > 0) throw Bad("InvalidAMIID.NotFound", NotFoundMessage(missing));
            result = visible.Where(i => ids.Contains(i.ImageId));
        }
        else
        {
            result = visible.Where(i => i.Owner == me
                                        || ((includeDeprecated || i.DeprecationTime is not { } dt || dt > now)
                                            && (includeDisabled || i.State != "disabled")));
        }
        Gate(c);
        if (owners.Count > 0) result = result.Where(i => owners.Any(ow => OwnerMatches(w, i.Owner, ow)));
        if (exec.Count > 0)
            result = result.Where(i => exec.Any(e =>
                e == "all" ? i.IsPublic
                : e == "self" || e == me ? i.LaunchPermissions.Any(p => w.PermissionCovers(p, me))
                : i.LaunchPermissions.Any(p => p.UserId == e)));
        foreach (var f in filters)
        {
            var ff = f;
            result = result.Where(i => Matches(ff, ImageFilterValues(w, i, ff.Name, i.Owner == me)));
        }
        var (page, next) = Page(result.ToList(), paging);
        var x = new Xml();
        x.List("imagesSet", page, (x2, i) => WriteImage(w, x2, i, i.Owner == me));
        x.El("nextToken", next);
        return x.ToString();
    }

    private static IEnumerable<string> ImageFilterValues(World w, ImageSpec i, string name, bool isOwner)
    {
        if (name.StartsWith("tag:", StringComparison.Ordinal))
        {
            var key = name[4..];
            return TagVisible(key, isOwner) && i.Tags.TryGetValue(key, out var v) ? new[] { v } : Array.Empty<string>();
        }
        var snaps = SnapshotsOf(w, i).ToList();
        return name switch
        {
            "image-id" => new[] { i.ImageId },
            "is-public" => new[] { i.IsPublic ? "true" : "false" },
            "name" => new[] { i.Name },
            "owner-id" => new[] { i.Owner },
            "owner-alias" => AliasOf(w, i.Owner) is { } a ? new[] { a } : Array.Empty<string>(),
            "state" => new[] { i.State },
            "tag-key" => i.Tags.Keys.Where(k => TagVisible(k, isOwner)).ToArray(),
            "description" => i.Description is { } d ? new[] { d } : Array.Empty<string>(),
            "architecture" => new[] { i.Architecture },
            "image-type" => new[] { i.ImageType },
            "platform" => i.Platform is { } p ? new[] { p } : Array.Empty<string>(),
            "platform-details" => new[] { i.PlatformDetails },
            "usage-operation" => new[] { i.UsageOperation },
            "root-device-type" => new[] { i.RootDeviceType },
            "root-device-name" => new[] { i.RootDeviceName },
            "virtualization-type" => new[] { i.VirtualizationType },
            "hypervisor" => new[] { i.Hypervisor },
            "ena-support" => new[] { i.EnaSupport ? "true" : "false" },
            "kernel-id" => i.KernelId is { } k ? new[] { k } : Array.Empty<string>(),
            "ramdisk-id" => i.RamdiskId is { } r ? new[] { r } : Array.Empty<string>(),
            "creation-date" => new[] { Ec2Ids.Iso(i.CreationDate!.Value) },
            "source-image-id" => i.SourceImageId is { } s ? new[] { s } : Array.Empty<string>(),
            "source-image-region" => i.SourceImageRegion is { } sr ? new[] { sr } : Array.Empty<string>(),
            "image-watermark.watermark-key" => i.Watermarks.Select(m => m.WatermarkKey),
            "image-watermark.source-image-id" => i.Watermarks.Select(m => m.SourceImageId),
            "image-watermark.source-image-region" => i.Watermarks.Select(m => m.SourceImageRegion),
            "image-watermark.source-image-creation-time" => i.Watermarks.Select(m => Ec2Ids.Iso(m.SourceImageCreationTime)),
            "image-watermark.watermark-creation-time" => i.Watermarks.Select(m => Ec2Ids.Iso(m.WatermarkCreationTime)),
            "product-code" => i.ProductCodes.Select(pc => pc.Id),
            "product-code.type" => i.ProductCodes.Select(pc => pc.Type),
            "block-device-mapping.snapshot-id" => i.BlockDeviceMappings.Where(b => b.SnapshotId != null).Select(b => b.SnapshotId!),
            "block-device-mapping.device-name" => i.BlockDeviceMappings.Select(b => b.DeviceName),
            "block-device-mapping.volume-type" => i.BlockDeviceMappings.Select(b => b.VolumeType),
            "block-device-mapping.volume-size" => i.BlockDeviceMappings.Select(b => (b.VolumeSize ?? 8).ToString(CultureInfo.InvariantCulture)),
            "block-device-mapping.delete-on-termination" => i.BlockDeviceMappings.Select(b => b.DeleteOnTermination ? "true" : "false"),
            "block-device-mapping.encrypted" => snaps.Select(s => s.Encrypted ? "true" : "false"),
            _ => throw Bad("InvalidParameterValue", $"The filter '{name}' is invalid"),
        };
    }

    private static void WriteImage(World w, Xml x, ImageSpec i, bool isOwner)
    {
        x.El("imageId", i.ImageId)
         .El("imageLocation", $"{i.Owner}/{i.Name}")
         .El("imageState", i.State)
         .El("imageOwnerId", i.Owner)
         .El("creationDate", Ec2Ids.Iso(i.CreationDate!.Value))
         .El("isPublic", i.IsPublic)
         .List("productCodes", i.ProductCodes, (x2, pc) => x2.El("productCode", pc.Id).El("type", pc.Type))
         .El("architecture", i.Architecture)
         .El("imageType", i.ImageType)
         .El("kernelId", i.KernelId)
         .El("ramdiskId", i.RamdiskId)
         .El("platform", i.Platform)
         .El("platformDetails", i.PlatformDetails)
         .El("usageOperation", i.UsageOperation);
        if (i.State == "failed") x.Open("stateReason").El("code", "Client.InvalidKMSKey.InvalidState").El("message", "The KMS key provided is in an incorrect state").Close("stateReason");
        x.El("imageOwnerAlias", AliasOf(w, i.Owner))
         .El("name", i.Name)
         .El("description", i.Description)
         .El("rootDeviceType", i.RootDeviceType)
         .El("rootDeviceName", i.RootDeviceName)
         .List("blockDeviceMapping", i.BlockDeviceMappings, (x2, b) =>
         {
             x2.El("deviceName", b.DeviceName);
             if (b.SnapshotId == null) return;
             var s = w.FindSnapshot(i.Region, b.SnapshotId);
             x2.Open("ebs").El("deleteOnTermination", b.DeleteOnTermination).El("snapshotId", b.SnapshotId)
               .El("volumeSize", b.VolumeSize ?? s?.VolumeSize ?? 8).El("volumeType", b.VolumeType);
             if (b.VolumeType == "gp3") x2.El("iops", 3000).El("throughput", 125);
             x2.El("encrypted", s?.Encrypted ?? false);
             if (s?.Encrypted == true) x2.El("kmsKeyId", s.KmsKeyId);
             x2.Close("ebs");
         })
         .El("virtualizationType", i.VirtualizationType)
         .List("tagSet", i.Tags.Where(t => TagVisible(t.Key, isOwner)).ToList(), (x2, t) => x2.El("key", t.Key).El("value", t.Value))
         .List("imageWatermarkSet", i.Watermarks, WriteWatermark)
         .El("hypervisor", i.Hypervisor)
         .El("enaSupport", i.EnaSupport)
         .El("sriovNetSupport", i.SriovNetSupport)
         .El("bootMode", i.BootMode)
         .El("imdsSupport", i.ImdsSupport)
         .El("deprecationTime", i.DeprecationTime is { } dt ? Ec2Ids.Iso(dt) : null)
         .El("sourceImageId", i.SourceImageId)
         .El("sourceImageRegion", i.SourceImageRegion)
         .El("deregistrationProtection", i.DeregistrationProtection ? "enabled" : null)
         .El("lastLaunchedTime", isOwner && w.LastLaunched(i) is { } ll ? Ec2Ids.Iso(ll) : null);
    }

    // ------------------------------------------------------------------------------------------ image attributes

    private static readonly string[] ImageAttributes =
    {
        "description", "kernel", "ramdisk", "launchPermission", "productCodes", "blockDeviceMapping", "sriovNetSupport",
        "bootMode", "tpmSupport", "uefiData", "lastLaunchedTime", "imdsSupport", "deregistrationProtection",
    };

    private static string DescribeImageAttribute(World w, EmulatorOptions o, CallContext c)
    {
        var imageId = c.Require("ImageId");
        var attr = c.Require("Attribute");
        if (attr == "blockDeviceMapping") throw Bad("AuthFailure", "Unauthorized attempt to access restricted resource");
        if (!ImageAttributes.Contains(attr)) throw Bad("InvalidRequest", "The request received was invalid.");
        var i = OwnedImage(w, c, imageId);
        var x = new Xml().El("imageId", i.ImageId);
        switch (attr)
        {
            case "launchPermission":
                x.List("launchPermission", i.LaunchPermissions, (x2, p) =>
                {
                    if (p.UserId != null) x2.El("userId", p.UserId);
                    else if (p.Group != null) x2.El("group", p.Group);
                    else if (p.OrganizationArn != null) x2.El("organizationArn", p.OrganizationArn);
                    else x2.El("organizationalUnitArn", p.OrganizationalUnitArn);
                });
                break;
            case "productCodes":
                x.List("productCodes", i.ProductCodes, (x2, pc) => x2.El("productCode", pc.Id).El("type", pc.Type));
                break;
            case "description": x.Value("description", i.Description); break;
            case "kernel": x.Value("kernel", i.KernelId); break;
            case "ramdisk": x.Value("ramdisk", i.RamdiskId); break;
            case "sriovNetSupport": x.Value("sriovNetSupport", i.SriovNetSupport); break;
            case "bootMode": x.Value("bootMode", i.BootMode); break;
            case "tpmSupport": x.Value("tpmSupport", null); break;
            case "uefiData": x.Value("uefiData", null); break;
            case "lastLaunchedTime": x.Value("lastLaunchedTime", w.LastLaunched(i) is { } ll ? Ec2Ids.Iso(ll) : null); break;
            case "imdsSupport": x.Value("imdsSupport", i.ImdsSupport); break;
            case "deregistrationProtection": x.Value("deregistrationProtection", i.DeregistrationProtection ? "enabled" : "disabled"); break;
        }
        return x.ToString();
    }

    private static List<LaunchPermissionSpec> LaunchItems(CallContext c, string prefix)
    {
        var items = new List<LaunchPermissionSpec>();
        foreach (var n in c.Indices(prefix))
        {
            if (c.Get($"{prefix}.{n}.UserId") is { } u) items.Add(new LaunchPermissionSpec { UserId = u });
            if (c.Get($"{prefix}.{n}.Group") is { } g) items.Add(new LaunchPermissionSpec { Group = g });
            if (c.Get($"{prefix}.{n}.OrganizationArn") is { } oa) items.Add(new LaunchPermissionSpec { OrganizationArn = oa });
            if (c.Get($"{prefix}.{n}.OrganizationalUnitArn") is { } oua) items.Add(new LaunchPermissionSpec { OrganizationalUnitArn = oua });
        }
        return items;
    }

    private static void ValidateLaunchItem(LaunchPermissionSpec p)
    {
        if (p.UserId != null && !Ec2Ids.IsAccountId(p.UserId))
            throw Bad("InvalidAMIAttributeItemValue", $"Invalid attribute item value \"{p.UserId}\" for userId item type.");
        if (p.Group != null && p.Group != "all")
            throw Bad("InvalidAMIAttributeItemValue", $"Invalid attribute item value \"{p.Group}\" for UserGroup item type.");
        if (p.OrganizationArn != null && !Ec2Ids.IsOrgArn(p.OrganizationArn))
            throw Bad("InvalidAMIAttributeItemValue", $"Invalid attribute item value \"{p.OrganizationArn}\" for OrganizationArn item type.");
        if (p.OrganizationalUnitArn != null && !Ec2Ids.IsOuArn(p.OrganizationalUnitArn))
            throw Bad("InvalidAMIAttributeItemValue", $"Invalid attribute item value \"{p.OrganizationalUnitArn}\" for OrganizationalUnitArn item type.");
    }

    private static string ModifyImageAttribute(World w, EmulatorOptions o, CallContext c)
    {
        var imageId = c.Require("ImageId");
        var i = OwnedImage(w, c, imageId);
        var attr = c.Get("Attribute");
        var opType = c.Get("OperationType");

        var adds = LaunchItems(c, "LaunchPermission.Add");
        var removes = LaunchItems(c, "LaunchPermission.Remove");
        var old = new List<LaunchPermissionSpec>();
        old.AddRange(c.List("UserId").Select(v => new LaunchPermissionSpec { UserId = v }));
        old.AddRange(c.List("UserGroup").Select(v => new LaunchPermissionSpec { Group = v }));
        old.AddRange(c.List("OrganizationArn").Select(v => new LaunchPermissionSpec { OrganizationArn = v }));
        old.AddRange(c.List("OrganizationalUnitArn").Select(v => new LaunchPermissionSpec { OrganizationalUnitArn = v }));
        if (old.Count > 0)
        {
            if (attr != "launchPermission") throw Bad("MissingParameter", "The request must contain the parameter LaunchPermission");
            if (opType == null) throw Bad("MissingParameter", "The request must contain the parameter OperationType");
            if (opType == "add") adds.AddRange(old);
            else if (opType == "remove") removes.AddRange(old);
            else throw Bad("InvalidParameterValue", $"Value ({opType}) for parameter operationType is invalid. Unknown operation type.");
        }
        else if (attr == "launchPermission" && adds.Count == 0 && removes.Count == 0 && !c.HasPrefix("LaunchPermission."))
            throw Bad("MissingParameter", "The request must contain the parameter LaunchPermission");
        if (attr != null && attr is not ("launchPermission" or "description" or "imdsSupport"))
            throw Bad("InvalidParameterValue", $"Value ({attr}) for parameter attribute is invalid. Unknown attribute.");

        var description = c.Get("Description.Value") ?? (attr == "description" ? c.Get("Value") : null);
        var imds = c.Get("ImdsSupport.Value") ?? (attr == "imdsSupport" ? c.Get("Value") : null);
        var lp = adds.Count + removes.Count > 0;
        var kinds = (lp ? 1 : 0) + (description != null ? 1 : 0) + (imds != null ? 1 : 0);
        if (kinds == 0) throw Bad("InvalidParameterCombination", "No attributes specified.");
        if (kinds > 1) throw Bad("InvalidParameterCombination", "You can specify only one attribute at a time.");

        if (description != null)
        {
            if (description.Any(ch => ch > 127)) throw Bad("InvalidParameterValue", "Character sets beyond ASCII are not supported.");
            i.Description = description;
            return ReturnTrue;
        }
        if (imds != null)
        {
            if (imds != "v2.0") throw Bad("InvalidParameterValue", $"Value ({imds}) for parameter imdsSupport is invalid. Valid value is v2.0.");
            i.ImdsSupport = imds;
            return ReturnTrue;
        }

        foreach (var p in adds.Concat(removes)) ValidateLaunchItem(p);
        var snaps = SnapshotsOf(w, i).ToList();
        if (adds.Any(p => p.Group == "all") && !i.IsPublic)
        {
            if (w.BpaOn(c.AccountId, c.RegionName)) throw Bad("OperationNotPermitted", MsgBpa);
            if (i.ProductCodes.Count > 0) throw Bad("OperationNotPermitted", MsgProductCodes);
            if (i.Watermarks.Count > 0) throw Bad("OperationNotPermitted", MsgWatermarkedPublic);
            if (snaps.Any(s => s.Encrypted)) throw Bad("UnsupportedOperation", MsgEncryptedPublic);
            var publicCount = w.Doc.Images.Count(x => x.Region == c.RegionName && x.Owner == c.AccountId && x.State != "deregistered" && x.IsPublic);
            if (publicCount >= w.Doc.PublicImageQuota)
                throw Bad("ResourceLimitExceeded", $"You have reached your quota of {w.Doc.PublicImageQuota} for the number of public images allowed in this Region. Deregister unused public images or make them private, or request an increase in your public AMIs quota.");
        }
        if (adds.Any(p => p.Group == null) && snaps.Any(s => s.Encrypted && w.KeyIsAwsManaged(s.KmsKeyId)))
            throw Bad("InvalidParameter", MsgAwsManaged);

        foreach (var p in adds)
            if (!i.LaunchPermissions.Any(e => e.SameAs(p))) i.LaunchPermissions.Add(p);
        foreach (var p in removes)
            i.LaunchPermissions.RemoveAll(e => e.SameAs(p));
        return ReturnTrue;
    }

    private static string ResetImageAttribute(World w, EmulatorOptions o, CallContext c)
    {
        var imageId = c.Require("ImageId");
        var attr = c.Require("Attribute");
        if (attr != "launchPermission") throw Bad("InvalidRequest", "The request received was invalid.");
        var i = OwnedImage(w, c, imageId);
        i.LaunchPermissions.Clear();
        return ReturnTrue;
    }

    // ------------------------------------------------------------------------------------------ snapshots

    private static string DescribeSnapshots(World w, EmulatorOptions o, CallContext c)
    {
        var me = c.AccountId;
        var ids = c.List("SnapshotId");
        foreach (var id in ids)
            if (!Ec2Ids.IsSnapshot(id)) throw Bad("InvalidSnapshotID.Malformed", $"Invalid id: \"{id}\" (expecting \"snap-...\")");
        var owners = c.List("Owner").Select(x => ResolveOwner(w, c, x)).ToList();
        var restorable = c.List("RestorableBy");
        foreach (var r in restorable)
            if (r != "self" && r != "all" && !Ec2Ids.IsAccountId(r)) throw Bad("InvalidUserID.Malformed", $"Invalid user id: \"{r}\"");
        var filters = Filters(c);
        var paging = Paging(c);
        var inRegion = w.Doc.Snapshots.Where(s => s.Region == c.RegionName).ToList();
        foreach (var id in ids)
            if (!inRegion.Any(s => s.SnapshotId == id)) throw Bad("InvalidSnapshot.NotFound", $"The snapshot '{id}' does not exist.");
        Gate(c);
        IEnumerable<SnapshotSpec> result = inRegion.Where(s => SnapshotVisible(w, s, me));
        if (ids.Count > 0) result = result.Where(s => ids.Contains(s.SnapshotId));
        if (owners.Count > 0) result = result.Where(s => owners.Any(ow => OwnerMatches(w, s.Owner, ow)));
        if (restorable.Count > 0)
            result = result.Where(s => restorable.Any(r =>
                r == "all" ? w.PubliclyAvailable(s)
                : s.Owner == (r == "self" ? me : r) || s.CreateVolumePermissions.Contains(r == "self" ? me : r)));
        foreach (var f in filters)
        {
            var ff = f;
            result = result.Where(s => Matches(ff, SnapshotFilterValues(w, s, ff.Name, s.Owner == me)));
        }
        var (page, next) = Page(result.ToList(), paging);
        var x = new Xml();
        x.List("snapshotSet", page, (x2, s) =>
        {
            x2.El("snapshotId", s.SnapshotId).El("volumeId", s.VolumeId).El("status", s.State)
              .El("startTime", Ec2Ids.Iso(s.StartTime!.Value)).El("progress", s.State == "completed" ? "100%" : "0%")
              .El("ownerId", s.Owner).El("ownerAlias", AliasOf(w, s.Owner)).El("volumeSize", s.VolumeSize)
              .El("description", s.Description).El("encrypted", s.Encrypted);
            if (s.Encrypted) x2.El("kmsKeyId", s.KmsKeyId);
            x2.El("storageTier", "standard")
              .List("tagSet", s.Owner == me ? s.Tags.ToList() : new List<KeyValuePair<string, string>>(), (x3, t) => x3.El("key", t.Key).El("value", t.Value));
        });
        x.El("nextToken", next);
        return x.ToString();
    }

    private static IEnumerable<string> SnapshotFilterValues(World w, SnapshotSpec s, string name, bool isOwner)
    {
        if (name.StartsWith("tag:", StringComparison.Ordinal))
            return isOwner && s.Tags.TryGetValue(name[4..], out var v) ? new[] { v } : Array.Empty<string>();
        return name switch
        {
            "snapshot-id" => new[] { s.SnapshotId },
            "owner-id" => new[] { s.Owner },
            "owner-alias" => AliasOf(w, s.Owner) is { } a ? new[] { a } : Array.Empty<string>(),
            "description" => s.Description is { } d ? new[] { d } : Array.Empty<string>(),
            "encrypted" => new[] { s.Encrypted ? "true" : "false" },
            "kms-key-id" => s.KmsKeyId is { } k ? new[] { k } : Array.Empty<string>(),
            "status" => new[] { s.State },
            "progress" => new[] { s.State == "completed" ? "100%" : "0%" },
            "start-time" => new[] { Ec2Ids.Iso(s.StartTime!.Value) },
            "storage-tier" => new[] { "standard" },
            "volume-id" => s.VolumeId is { } vid ? new[] { vid } : Array.Empty<string>(),
            "volume-size" => new[] { s.VolumeSize.ToString(CultureInfo.InvariantCulture) },
            "tag-key" => isOwner ? s.Tags.Keys.ToArray() : Array.Empty<string>(),
            _ => throw Bad("InvalidParameterValue", $"The filter '{name}' is invalid"),
        };
    }

    private static string DescribeSnapshotAttribute(World w, EmulatorOptions o, CallContext c)
    {
        var id = c.Require("SnapshotId");
        var attr = c.Require("Attribute");
        if (attr is not ("createVolumePermission" or "productCodes")) throw Bad("InvalidParameterValue", $"Value ({attr}) for parameter attribute is invalid. Unknown attribute.");
        var s = OwnedSnapshot(w, c, id);
        var x = new Xml().El("snapshotId", s.SnapshotId);
        if (attr == "createVolumePermission")
            x.List("createVolumePermission", s.CreateVolumePermissions, (x2, p) => { if (p == "all") x2.El("group", "all"); else x2.El("userId", p); });
        else
            x.List("productCodes", s.ProductCodes, (x2, pc) => x2.El("productCode", pc.Id).El("type", pc.Type));
        return x.ToString();
    }

    private static List<string> VolumeItems(CallContext c, string prefix)
    {
        var items = new List<string>();
        foreach (var n in c.Indices(prefix))
        {
            if (c.Get($"{prefix}.{n}.UserId") is { } u) items.Add("u:" + u);
            if (c.Get($"{prefix}.{n}.Group") is { } g) items.Add("g:" + g);
        }
        return items;
    }

    private static string ModifySnapshotAttribute(World w, EmulatorOptions o, CallContext c)
    {
        var id = c.Require("SnapshotId");
        var s = OwnedSnapshot(w, c, id);
        var attr = c.Get("Attribute");
        if (attr != null && attr != "createVolumePermission")
            throw Bad("InvalidParameterValue", $"Value ({attr}) for parameter attribute is invalid. Only createVolumePermission can be modified.");
        var adds = VolumeItems(c, "CreateVolumePermission.Add");
        var removes = VolumeItems(c, "CreateVolumePermission.Remove");
        var old = c.List("UserId").Select(v => "u:" + v).Concat(c.List("UserGroup").Select(v => "g:" + v)).ToList();
        if (old.Count > 0)
        {
            var opType = c.Get("OperationType") ?? throw Bad("MissingParameter", "The request must contain the parameter OperationType");
            if (opType == "add") adds.AddRange(old);
            else if (opType == "remove") removes.AddRange(old);
            else throw Bad("InvalidParameterValue", $"Value ({opType}) for parameter operationType is invalid. Unknown operation type.");
        }
        if (adds.Count == 0 && removes.Count == 0) throw Bad("InvalidParameterCombination", "No attributes specified.");
        if (adds.Count > 0 && removes.Count > 0)
            throw Bad("InvalidParameterCombination", "You cannot add and remove create volume permissions in the same request.");
        if (adds.Count + removes.Count > 500)
            throw Bad("InvalidParameterValue", "You can make up to 500 modifications to a snapshot in a single operation.");
        foreach (var it in adds.Concat(removes))
        {
            var v = it[2..];
            if (it[0] == 'u' && !Ec2Ids.IsAccountId(v)) throw Bad("InvalidAMIAttributeItemValue", $"Invalid attribute item value \"{v}\" for userId item type.");
            if (it[0] == 'g' && v != "all") throw Bad("InvalidAMIAttributeItemValue", $"Invalid attribute item value \"{v}\" for UserGroup item type.");
        }
        if (adds.Contains("g:all") && !s.CreateVolumePermissions.Contains("all"))
        {
            if (SnapshotBpaState(w, c) != "unblocked") throw Bad("OperationNotPermitted", MsgSnapshotBpa);
            if (s.Encrypted) throw Bad("UnsupportedOperation", MsgEncryptedPublic);
            if (s.ProductCodes.Count > 0) throw Bad("OperationNotPermitted", "Snapshots with marketplace product codes may not be made public.");
        }
        if (adds.Any(a => a[0] == 'u') && s.Encrypted && w.KeyIsAwsManaged(s.KmsKeyId)) throw Bad("InvalidParameter", MsgAwsManaged);
        foreach (var a in adds)
            if (!s.CreateVolumePermissions.Contains(a[2..])) s.CreateVolumePermissions.Add(a[2..]);
        foreach (var r in removes) s.CreateVolumePermissions.Remove(r[2..]);
        return ReturnTrue;
    }

    private static string ResetSnapshotAttribute(World w, EmulatorOptions o, CallContext c)
    {
        var id = c.Require("SnapshotId");
        var attr = c.Require("Attribute");
        if (attr != "createVolumePermission") throw Bad("InvalidParameterValue", $"Value ({attr}) for parameter attribute is invalid. Only createVolumePermission can be reset.");
        var s = OwnedSnapshot(w, c, id);
        s.CreateVolumePermissions.Clear();
        return ReturnTrue;
    }

    // ------------------------------------------------------------------------------------------ tags

    private static Dictionary<string, string> ResolveTagTargets(World w, CallContext c, List<string> resources, out List<Dictionary<string, string>> targets)
    {
        targets = new List<Dictionary<string, string>>();
        foreach (var r in resources)
        {
            if (r.StartsWith("ami-", StringComparison.Ordinal)) targets.Add(OwnedImage(w, c, r, gate: false).Tags);
            else if (r.StartsWith("snap-", StringComparison.Ordinal)) targets.Add(OwnedSnapshot(w, c, r, gate: false).Tags);
            else throw Bad("InvalidID", $"The ID '{r}' is not valid");
        }
        Gate(c);
        return new Dictionary<string, string>();
    }

    private static List<(string Key, string? Value)> TagItems(CallContext c, string prefix)
    {
        var list = new List<(string, string?)>();
        foreach (var n in c.Indices(prefix))
        {
            var k = c.Get($"{prefix}.{n}.Key") ?? throw Bad("MissingParameter", $"The request must contain the parameter {prefix}.{n}.Key");
            list.Add((k, c.Get($"{prefix}.{n}.Value")));
        }
        return list;
    }

    private static void ValidateTags(List<(string Key, string? Value)> tags)
    {
        foreach (var (k, v) in tags)
        {
            if (k.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) throw Bad("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use");
            if (k.Length == 0 || k.Length > 127) throw Bad("InvalidParameterValue", $"Tag key exceeds the maximum length of 127 characters");
            if (v is { Length: > 256 }) throw Bad("InvalidParameterValue", $"Tag value exceeds the maximum length of 256 characters");
        }
    }

    private static string CreateTags(World w, EmulatorOptions o, CallContext c)
    {
        var resources = c.List("ResourceId");
        if (resources.Count == 0) throw Bad("MissingParameter", "The request must contain the parameter resourceIdSet");
        var tags = TagItems(c, "Tag");
        if (tags.Count == 0) throw Bad("MissingParameter", "The request must contain the parameter tagSet");
        ValidateTags(tags);
        ResolveTagTargets(w, c, resources, out var targets);
        foreach (var t in targets)
            if (t.Keys.Union(tags.Select(x => x.Key)).Count() > 50) throw Bad("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.");
        foreach (var t in targets)
            foreach (var (k, v) in tags) t[k] = v ?? "";
        return ReturnTrue;
    }

    private static string DeleteTags(World w, EmulatorOptions o, CallContext c)
    {
        var resources = c.List("ResourceId");
        if (resources.Count == 0) throw Bad("MissingParameter", "The request must contain the parameter resourceIdSet");
        var tags = TagItems(c, "Tag");
        ResolveTagTargets(w, c, resources, out var targets);
        foreach (var t in targets)
        {
            if (tags.Count == 0) { t.Clear(); continue; }
            foreach (var (k, v) in tags)
                if (t.TryGetValue(k, out var cur) && (v == null || v == cur)) t.Remove(k);
        }
        return ReturnTrue;
    }

    // ------------------------------------------------------------------------------------------ block public access

    private static string GetImageBlockPublicAccessState(World w, EmulatorOptions o, CallContext c) =>
        new Xml().El("imageBlockPublicAccessState", w.BpaOn(c.AccountId, c.RegionName) ? "block-new-sharing" : "unblocked")
                 .El("managedBy", w.BpaManagedBy(c.AccountId, c.RegionName)).ToString();

    private static string EnableImageBlockPublicAccess(World w, EmulatorOptions o, CallContext c)
    {
        var state = c.Require("ImageBlockPublicAccessState");
        if (state != "block-new-sharing")
            throw Bad("InvalidParameterValue", $"Value ({state}) for parameter imageBlockPublicAccessState is invalid. Valid value is block-new-sharing.");
        w.SetBpa(c.AccountId, c.RegionName, true);
        return new Xml().El("imageBlockPublicAccessState", "block-new-sharing").ToString();
    }

    private static string DisableImageBlockPublicAccess(World w, EmulatorOptions o, CallContext c)
    {
        w.SetBpa(c.AccountId, c.RegionName, false);
        return new Xml().El("imageBlockPublicAccessState", "unblocked").ToString();
    }

    // ------------------------------------------------------------------------------------------ copy / deregister / deprecation

    private static string DeregisterImage(World w, EmulatorOptions o, CallContext c)
    {
        var i = OwnedImage(w, c, c.Require("ImageId"));
        if (i.DeregistrationProtection) throw Bad("InvalidParameterValue", "Cannot deregister image with deregistration protection enabled.");
        i.State = "deregistered";
        i.LaunchPermissions.Clear();
        var results = new List<string>();
        if (c.Bool("DeleteAssociatedSnapshots"))
            foreach (var b in i.BlockDeviceMappings.Where(b => b.SnapshotId != null))
                if (w.Doc.Snapshots.RemoveAll(s => s.Region == i.Region && s.SnapshotId == b.SnapshotId) > 0) results.Add(b.SnapshotId!);
        var x = new Xml().El("return", true);
        if (results.Count > 0) x.List("deleteSnapshotResultSet", results, (x2, s) => x2.El("snapshotId", s).El("returnCode", "success"));
        return x.ToString();
    }

    private static string EnableImageDeprecation(World w, EmulatorOptions o, CallContext c)
    {
        var i = OwnedImage(w, c, c.Require("ImageId"));
        var at = c.Require("DeprecateAt");
        if (!DateTime.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            throw Bad("InvalidParameterValue", $"Invalid value '{at}' for DeprecateAt");
        t = new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, DateTimeKind.Utc).AddMinutes(t.Second >= 30 ? 1 : 0);
        if (t < DateTime.UtcNow.AddMinutes(-1)) throw Bad("InvalidParameterValue", "The deprecation time can't be in the past.");
        i.DeprecationTime = t;
        return ReturnTrue;
    }

    private static string DisableImageDeprecation(World w, EmulatorOptions o, CallContext c)
    {
        OwnedImage(w, c, c.Require("ImageId")).DeprecationTime = null;
        return ReturnTrue;
    }
}
