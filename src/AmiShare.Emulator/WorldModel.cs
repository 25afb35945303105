using System.Text.Json.Serialization;

namespace AmiShare.Emulator;

// The world document (JSON, camelCase or any casing). These classes are also the live state;
// every access to them goes through World.Sync.

public sealed class WorldDocument
{
    public List<AccountSpec> Accounts { get; set; } = new();
    public List<string> Regions { get; set; } = new();
    public int PublicImageQuota { get; set; } = 5;
    public OrganizationSpec? Organization { get; set; }
    public List<BlockPublicAccessSpec> BlockPublicAccess { get; set; } = new();
    public List<KeySpec> Keys { get; set; } = new();
    public List<SnapshotSpec> Snapshots { get; set; } = new();
    public List<ImageSpec> Images { get; set; } = new();
    /// <summary>EBS encryption by default and the default KMS key per account × region; a pair not listed is off with alias/aws/ebs.</summary>
    public List<EbsEncryptionSpec> EbsEncryption { get; set; } = new();
    /// <summary>CopyImage client tokens already used (ClientToken idempotency), per account × region.</summary>
    public List<ClientTokenSpec> ClientTokens { get; set; } = new();
    /// <summary>SSM Parameter Store parameters, per account × region.</summary>
    public List<ParameterSpec> Parameters { get; set; } = new();
    /// <summary>aws:ec2:image writes whose asynchronous validation failed (the parameter was not created or updated).</summary>
    public List<ParameterValidationFailureSpec> ParameterValidationFailures { get; set; } = new();
    /// <summary>Block public access for snapshots per account × region; a pair not listed is unblocked.</summary>
    public List<SnapshotBlockPublicAccessSpec> SnapshotBlockPublicAccess { get; set; } = new();
    /// <summary>Regions that need opting in (DescribeRegions optInStatus); a region not listed is opt-in-not-required.</summary>
    public List<OptInRegionSpec> OptInRegions { get; set; } = new();
    /// <summary>EC2 instances per account × region that were launched from an AMI (image usage reports, LastLaunchedTime).</summary>
    public List<InstanceSpec> Instances { get; set; } = new();
    /// <summary>Launch templates per account × region whose latest version references an AMI (image usage reports).</summary>
    public List<LaunchTemplateSpec> LaunchTemplates { get; set; } = new();
    /// <summary>Image usage reports (CreateImageUsageReport), per owner account × region.</summary>
    public List<ImageUsageReportSpec> ImageUsageReports { get; set; } = new();
}

public sealed class InstanceSpec
{
    public string Account { get; set; } = "";
    public string Region { get; set; } = "";
    public string? InstanceId { get; set; }
    public string ImageId { get; set; } = "";
    /// <summary>pending | running | stopping | stopped | shutting-down | terminated.</summary>
    public string State { get; set; } = "running";
    public DateTime? LaunchTime { get; set; }
}

public sealed class LaunchTemplateSpec
{
    public string Account { get; set; } = "";
    public string Region { get; set; } = "";
    public string? LaunchTemplateId { get; set; }
    public string Name { get; set; } = "";
    public string ImageId { get; set; } = "";
}

public sealed class ImageUsageReportSpec
{
    public string ReportId { get; set; } = "";
    public string Account { get; set; } = "";
    public string Region { get; set; } = "";
    public string ImageId { get; set; } = "";
    public List<string> ResourceTypes { get; set; } = new();
    /// <summary>AccountId.N as given (empty = all accounts).</summary>
    public List<string> AccountIds { get; set; } = new();
    public DateTime CreationTime { get; set; }
    public DateTime? AvailableAt { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new();
    /// <summary>The entries, counted when the report was created: account, resource type, usage count.</summary>
    public List<ImageUsageEntrySpec> Entries { get; set; } = new();
}

public sealed class ImageUsageEntrySpec
{
    public string AccountId { get; set; } = "";
    public string ResourceType { get; set; } = "";
    public long UsageCount { get; set; }
}

public sealed class OptInRegionSpec
{
    public string Region { get; set; } = "";
    /// <summary>Accounts that opted in (opted-in); every other account sees not-opted-in.</summary>
    public List<string> OptedInAccounts { get; set; } = new();
}

public sealed class SnapshotBlockPublicAccessSpec
{
    public string Account { get; set; } = "";
    public string Region { get; set; } = "";
    /// <summary>"block-all-sharing", "block-new-sharing" or "unblocked".</summary>
    public string State { get; set; } = "unblocked";
    /// <summary>"account" or "declarative-policy".</summary>
    public string ManagedBy { get; set; } = "account";
}

public sealed class WatermarkSpec
{
    /// <summary>accountId:watermarkName.</summary>
    public string WatermarkKey { get; set; } = "";
    public string SourceImageId { get; set; } = "";
    public string SourceImageRegion { get; set; } = "";
    public DateTime SourceImageCreationTime { get; set; }
    public DateTime WatermarkCreationTime { get; set; }
}

public sealed class ParameterSpec
{
    public string Account { get; set; } = "";
    public string Region { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>String | StringList | SecureString.</summary>
    public string Type { get; set; } = "String";
    public string Value { get; set; } = "";
    /// <summary>text | aws:ec2:image.</summary>
    public string DataType { get; set; } = "text";
    public string? Description { get; set; }
    public long Version { get; set; } = 1;
    public DateTime? LastModifiedDate { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new();
}

public sealed class ParameterValidationFailureSpec
{
    public string Account { get; set; } = "";
    public string Region { get; set; } = "";
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateTime Time { get; set; }
}

public sealed class EbsEncryptionSpec
{
    public string Account { get; set; } = "";
    public string Region { get; set; } = "";
    /// <summary>GetEbsEncryptionByDefault; default false.</summary>
    public bool EncryptionByDefault { get; set; }
    /// <summary>The ModifyEbsDefaultKmsKeyId key (a key ARN, or the identifier as given when it did not resolve); null = alias/aws/ebs.</summary>
    public string? KmsKeyId { get; set; }
}

public sealed class ClientTokenSpec
{
    public string Account { get; set; } = "";
    public string Region { get; set; } = "";
    public string Action { get; set; } = "CopyImage";
    public string ClientToken { get; set; } = "";
    /// <summary>The request's parameters (without ClientToken and DryRun) in a canonical form, to tell a retry from a different request.</summary>
    public string Request { get; set; } = "";
    /// <summary>What the first request answered (the imageId).</summary>
    public string Result { get; set; } = "";
}

public sealed class AccountSpec
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }
    public string? Email { get; set; }
    /// <summary>Owner alias shown as imageOwnerAlias / matched by Owner=amazon (e.g. "amazon").</summary>
    public string? Alias { get; set; }
    public List<AccessKeySpec> AccessKeys { get; set; } = new();
    /// <summary>Actions this account's principals are denied (IAM deny), e.g. "ec2:ModifyImageAttribute" or "ModifyImageAttribute".</summary>
    public List<string> DeniedActions { get; set; } = new();
}

public sealed class AccessKeySpec
{
    public string AccessKeyId { get; set; } = "";
    public string? SecretAccessKey { get; set; }
    /// <summary>Principal ARN returned by GetCallerIdentity (default arn:aws:iam::ACCOUNT:user/emulator-ACCOUNT).</summary>
    public string? Arn { get; set; }
    /// <summary>UserId returned by GetCallerIdentity (default derived from the access key).</summary>
    public string? UserId { get; set; }
}

public sealed class OrganizationSpec
{
    public string Id { get; set; } = "";
    public string ManagementAccountId { get; set; } = "";
    public string? ManagementAccountEmail { get; set; }
    public string FeatureSet { get; set; } = "ALL";
    public string RootId { get; set; } = "";
    public string RootName { get; set; } = "Root";
    /// <summary>Accounts directly under the root.</summary>
    public List<string> Accounts { get; set; } = new();
    public List<OuSpec> OrganizationalUnits { get; set; } = new();
    /// <summary>Member accounts allowed to call the management-only read APIs.</summary>
    public List<string> DelegatedAdministrators { get; set; } = new();
}

public sealed class OuSpec
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> Accounts { get; set; } = new();
    public List<OuSpec> OrganizationalUnits { get; set; } = new();
}

public sealed class BlockPublicAccessSpec
{
    public string Account { get; set; } = "";
    public string Region { get; set; } = "";
    /// <summary>"block-new-sharing" or "unblocked".</summary>
    public string State { get; set; } = "block-new-sharing";

    /// <summary>Who manages the setting, as GetImageBlockPublicAccessState reports it: "account" or "declarative-policy".</summary>
    public string ManagedBy { get; set; } = "account";
}

public sealed class KeySpec
{
    public string KeyId { get; set; } = "";
    public string Account { get; set; } = "";
    public string Region { get; set; } = "";
    /// <summary>"CUSTOMER" or "AWS".</summary>
    public string KeyManager { get; set; } = "CUSTOMER";
    public string? Description { get; set; }
    public List<string> Aliases { get; set; } = new();
    /// <summary>Key policy JSON text; default policy generated when null.</summary>
    public string? Policy { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTime? CreationDate { get; set; }
    public List<GrantSpec> Grants { get; set; } = new();

    [JsonIgnore] public string Arn => $"arn:aws:kms:{Region}:{Account}:key/{KeyId}";
}

public sealed class GrantSpec
{
    public string GrantId { get; set; } = "";
    public string? Name { get; set; }
    public string GranteePrincipal { get; set; } = "";
    public string? RetiringPrincipal { get; set; }
    public string IssuingAccount { get; set; } = "";
    public List<string> Operations { get; set; } = new();
    public Dictionary<string, string>? EncryptionContextSubset { get; set; }
    public Dictionary<string, string>? EncryptionContextEquals { get; set; }
    public DateTime CreationDate { get; set; } = DateTime.UtcNow;
    public string GrantToken { get; set; } = "";
}

public sealed class SnapshotSpec
{
    public string SnapshotId { get; set; } = "";
    public string Region { get; set; } = "";
    public string Owner { get; set; } = "";
    public string? VolumeId { get; set; }
    public int VolumeSize { get; set; } = 8;
    public bool Encrypted { get; set; }
    /// <summary>Key ARN (or key id in the snapshot's account/region).</summary>
    public string? KmsKeyId { get; set; }
    public string? Description { get; set; }
    public DateTime? StartTime { get; set; }
    public string State { get; set; } = "completed";
    public Dictionary<string, string> Tags { get; set; } = new();
    /// <summary>Account ids, plus "all" for group all.</summary>
    public List<string> CreateVolumePermissions { get; set; } = new();
    public List<ProductCodeSpec> ProductCodes { get; set; } = new();
}

public sealed class ProductCodeSpec
{
    public string Id { get; set; } = "";
    public string Type { get; set; } = "marketplace";
}

public sealed class BlockDeviceSpec
{
    public string DeviceName { get; set; } = "/dev/xvda";
    public string? SnapshotId { get; set; }
    public int? VolumeSize { get; set; }
    public string VolumeType { get; set; } = "gp3";
    public bool DeleteOnTermination { get; set; } = true;
}

public sealed class LaunchPermissionSpec
{
    public string? UserId { get; set; }
    public string? Group { get; set; }
    public string? OrganizationArn { get; set; }
    public string? OrganizationalUnitArn { get; set; }

    [JsonIgnore] public string Kind => UserId != null ? "UserId" : Group != null ? "Group" : OrganizationArn != null ? "OrganizationArn" : "OrganizationalUnitArn";
    [JsonIgnore] public string Value => UserId ?? Group ?? OrganizationArn ?? OrganizationalUnitArn ?? "";
    internal bool SameAs(LaunchPermissionSpec o) => Kind == o.Kind && Value == o.Value;
}

public sealed class ImageSpec
{
    public string ImageId { get; set; } = "";
    public string Region { get; set; } = "";
    public string Owner { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>available | pending | failed | deregistered | disabled …</summary>
    public string State { get; set; } = "available";
    public string Architecture { get; set; } = "x86_64";
    public string ImageType { get; set; } = "machine";
    public string? Platform { get; set; }
    public string PlatformDetails { get; set; } = "Linux/UNIX";
    public string UsageOperation { get; set; } = "RunInstances";
    public string RootDeviceType { get; set; } = "ebs";
    public string RootDeviceName { get; set; } = "/dev/xvda";
    public string VirtualizationType { get; set; } = "hvm";
    public string Hypervisor { get; set; } = "xen";
    public bool EnaSupport { get; set; } = true;
    public string? BootMode { get; set; }
    public string? ImdsSupport { get; set; }
    public string? KernelId { get; set; }
    public string? RamdiskId { get; set; }
    public string? SriovNetSupport { get; set; }
    public DateTime? CreationDate { get; set; }
    public DateTime? DeprecationTime { get; set; }
    /// <summary>When the AMI last launched an instance (before any instance in the world's instances list; the later of the two is reported).</summary>
    public DateTime? LastLaunchedTime { get; set; }
    public bool DeregistrationProtection { get; set; }
    public string? SourceImageId { get; set; }
    public string? SourceImageRegion { get; set; }
    /// <summary>Convenience for world files: true adds the launch permission group "all".</summary>
    public bool Public { get; set; }
    public List<ProductCodeSpec> ProductCodes { get; set; } = new();
    public List<BlockDeviceSpec> BlockDeviceMappings { get; set; } = new();
    public List<LaunchPermissionSpec> LaunchPermissions { get; set; } = new();
    public Dictionary<string, string> Tags { get; set; } = new();
    /// <summary>Image watermarks (at most 5), carried to copies.</summary>
    public List<WatermarkSpec> Watermarks { get; set; } = new();

    /// <summary>For copies: the moment the image turns from pending to available.</summary>
    [JsonIgnore] internal DateTime? AvailableAtUtc { get; set; }
    [JsonIgnore] internal bool IsPublic => LaunchPermissions.Any(p => p.Group == "all");
}
