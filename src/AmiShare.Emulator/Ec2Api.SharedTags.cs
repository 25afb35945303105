namespace AmiShare.Emulator;

/// <summary>
/// Shared tags: [DOC] the SDK's DescribeImages and CopyImageTags docs (anchors.md §12): owner tags whose key starts with
/// <c>ec2:SharedTag/</c> are visible, read-only, to every account the AMI is shared with (directly, through its organization or
/// an OU, or publicly). A non-owner's DescribeImages shows only those tags, and its tag filters see only those; the owner sees all.
/// </summary>
internal static partial class Ec2Api
{
    internal const string SharedTagPrefix = "ec2:SharedTag/";

    internal static bool IsSharedTag(string key) => key.StartsWith(SharedTagPrefix, StringComparison.Ordinal);

    /// <summary>Whether a caller sees an AMI tag: the owner sees every tag, anyone else who can see the AMI only the shared ones.</summary>
    private static bool TagVisible(string key, bool isOwner) => isOwner || IsSharedTag(key);
}
