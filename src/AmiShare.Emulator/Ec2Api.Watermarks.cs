using System.Text.RegularExpressions;

namespace AmiShare.Emulator;

/// <summary>
/// Image watermarks (AttachImageWatermark / DetachImageWatermark, imageWatermarkSet in DescribeImages) and block public access
/// for snapshots (Get/Enable/DisableSnapshotBlockPublicAccess).
/// </summary>
internal static partial class Ec2Api
{
    /// <summary>[DOC] EC2 User Guide, "Use AMI watermarks": "Limit of 5 — An AMI can have up to a total of 5 watermarks."</summary>
    internal const int MaxWatermarks = 5;

    /// <summary>
    /// [DOC] User Guide: "You can't attach watermarks to public AMIs or make AMIs public if they have a watermark." No error text is
    /// published: code and wording [INFERRED] after the product-code refusal (E16, "Images with marketplace product codes may not be made public.").
    /// </summary>
    internal const string MsgWatermarkedPublic = "Images with watermarks may not be made public.";

    /// <summary>[DOC] AttachImageWatermark: "Watermarks cannot be added to public AMIs." (the API reference's sentence; code [INFERRED]).</summary>
    internal const string MsgWatermarkOnPublic = "Watermarks cannot be added to public AMIs.";

    /// <summary>[DOC] the limit sentence of the User Guide; code ResourceLimitExceeded [INFERRED].</summary>
    internal const string MsgWatermarkLimit = "An AMI can have up to a total of 5 watermarks.";

    /// <summary>
    /// [INFERRED] text, after the image block public access refusal (E15): no published capture of the snapshot one.
    /// [DOC] EnableSnapshotBlockPublicAccess: "users can no longer request public sharing for snapshots in that Region".
    /// </summary>
    internal const string MsgSnapshotBpa = "You can\u2019t publicly share this snapshot because block public access for snapshots is enabled for this account. To publicly share the snapshot, you must call the DisableSnapshotBlockPublicAccess API.";

    private static readonly Regex WatermarkNameRx = new(@"^[A-Za-z0-9()\[\] ./\-'@_]{3,128}$", RegexOptions.Compiled);

    private static void WriteWatermark(Xml x, WatermarkSpec m) =>
        x.El("watermarkKey", m.WatermarkKey).El("sourceImageRegion", m.SourceImageRegion).El("sourceImageId", m.SourceImageId)
         .El("sourceImageCreationTime", Ec2Ids.Iso(m.SourceImageCreationTime)).El("watermarkCreationTime", Ec2Ids.Iso(m.WatermarkCreationTime));

    /// <summary>[DOC] "If you copy a watermarked AMI, the copy carries the watermark" (with its original source fields).</summary>
    private static void CopyWatermarks(ImageSpec src, ImageSpec copy)
    {
        foreach (var m in src.Watermarks)
            copy.Watermarks.Add(new WatermarkSpec
            {
                WatermarkKey = m.WatermarkKey, SourceImageId = m.SourceImageId, SourceImageRegion = m.SourceImageRegion,
                SourceImageCreationTime = m.SourceImageCreationTime, WatermarkCreationTime = m.WatermarkCreationTime,
            });
    }

    /// <summary>Owner only (AuthFailure otherwise, as the other image writes); the key is "callerAccount:name".</summary>
    private static string AttachImageWatermark(World w, EmulatorOptions o, CallContext c)
    {
        var imageId = c.Require("ImageId");
        var name = c.Require("WatermarkName");
        var i = OwnedImage(w, c, imageId, gate: false);
        if (!WatermarkNameRx.IsMatch(name))
            // [INFERRED] text; [DOC] constraints: 3-128 alphanumeric characters, ( ) [ ] space . / - ' @ _
            throw Bad("InvalidParameterValue", $"Invalid watermark name '{name}': use 3-128 letters, numbers, spaces and ( ) [ ] . / - ' @ _");
        Gate(c);
        if (i.IsPublic) throw Bad("OperationNotPermitted", MsgWatermarkOnPublic);
        var key = c.AccountId + ":" + name;
        if (i.Watermarks.Any(m => m.WatermarkKey == key)) return new Xml().El("watermarkKey", key).ToString();
        if (i.Watermarks.Count >= MaxWatermarks) throw Bad("ResourceLimitExceeded", MsgWatermarkLimit);
        i.Watermarks.Add(new WatermarkSpec
        {
            WatermarkKey = key, SourceImageId = i.ImageId, SourceImageRegion = i.Region,
            SourceImageCreationTime = i.CreationDate ?? o.UtcNow, WatermarkCreationTime = o.UtcNow,
        });
        return new Xml().El("watermarkKey", key).ToString();
    }

    /// <summary>[DOC] "This is an idempotent operation. It succeeds even if the watermark does not exist on the image." Owner only.</summary>
    private static string DetachImageWatermark(World w, EmulatorOptions o, CallContext c)
    {
        var imageId = c.Require("ImageId");
        var key = c.Require("WatermarkKey");
        var i = OwnedImage(w, c, imageId);
        i.Watermarks.RemoveAll(m => m.WatermarkKey == key);
        return ReturnTrue;
    }

    private static string SnapshotBpaState(World w, CallContext c) => w.SnapshotBpaState(c.AccountId, c.RegionName);

    private static string GetSnapshotBlockPublicAccessState(World w, EmulatorOptions o, CallContext c) =>
        new Xml().El("state", SnapshotBpaState(w, c)).El("managedBy", w.SnapshotBpa(c.AccountId, c.RegionName)?.ManagedBy ?? "account").ToString();

    private static void SetSnapshotBpa(World w, CallContext c, string state)
    {
        var b = w.SnapshotBpa(c.AccountId, c.RegionName);
        if (b == null) w.Doc.SnapshotBlockPublicAccess.Add(b = new SnapshotBlockPublicAccessSpec { Account = c.AccountId, Region = c.RegionName });
        b.State = state;
    }

    /// <summary>[DOC] State block-all-sharing | block-new-sharing; "unblocked is not a valid value for EnableSnapshotBlockPublicAccess".</summary>
    private static string EnableSnapshotBlockPublicAccess(World w, EmulatorOptions o, CallContext c)
    {
        var state = c.Require("State");
        if (state is not ("block-all-sharing" or "block-new-sharing"))
            // [INFERRED] text, after EnableImageBlockPublicAccess's.
            throw Bad("InvalidParameterValue", $"Value ({state}) for parameter state is invalid. Valid values are block-all-sharing and block-new-sharing.");
        SetSnapshotBpa(w, c, state);
        return new Xml().El("state", state).ToString();
    }

    private static string DisableSnapshotBlockPublicAccess(World w, EmulatorOptions o, CallContext c)
    {
        SetSnapshotBpa(w, c, "unblocked");
        return new Xml().El("state", "unblocked").ToString();
    }
}
