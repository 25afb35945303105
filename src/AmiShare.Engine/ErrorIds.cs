namespace AmiShare.Engine
{
    /// <summary>
    /// Stable error ids. They appear in FullyQualifiedErrorId ("Id,AmiShare.Commands.XxxCommand"), so
    /// renaming one is a breaking change. docs/about_AmiShare.md lists them with their fixes.
    /// </summary>
    public static class ErrorIds
    {
        // Input validation (no AWS call was made).

        /// <summary>A principal is not an account id, organization ARN or OU ARN, cannot be resolved, or went to the wrong parameter.</summary>
        public const string InvalidPrincipal = nameof(InvalidPrincipal);

        /// <summary>A value is not 'ami-' followed by 8 or 17 lower-case hexadecimal digits.</summary>
        public const string InvalidImageId = nameof(InvalidImageId);

        /// <summary>Grant or Revoke got no principal.</summary>
        public const string MissingPrincipal = nameof(MissingPrincipal);

        /// <summary>'all' or 'public' was given where only Set-AmiPublic may make an AMI public.</summary>
        public const string PublicNotAllowedHere = nameof(PublicNotAllowedHere);

        /// <summary>A region from any source is not a region name, or -Region was blank.</summary>
        public const string InvalidRegion = nameof(InvalidRegion);

        /// <summary>-EndpointUrl or AWS_ENDPOINT_URL is not an absolute http or https URL, or -EndpointUrl was blank.</summary>
        public const string InvalidEndpointUrl = nameof(InvalidEndpointUrl);

        /// <summary>-ProfileName was given blank or null.</summary>
        public const string InvalidProfileName = nameof(InvalidProfileName);

        /// <summary>-ProfileLocation, -AccessKey, -SecretKey or -SessionToken was given blank or null.</summary>
        public const string InvalidCredentialParameter = nameof(InvalidCredentialParameter);

        /// <summary>-Credential or $StoredAWSCredentials holds an object with no usable GetCredentials() method.</summary>
        public const string InvalidCredentialObject = nameof(InvalidCredentialObject);

        /// <summary>Credential parameters that do not go together (a key without its pair, -ProfileName with -Credential).</summary>
        public const string ConflictingCredentialParameters = nameof(ConflictingCredentialParameters);

        /// <summary>An AMISHARE_RETRY_* environment variable is not a number in range.</summary>
        public const string InvalidRetrySetting = nameof(InvalidRetrySetting);

        /// <summary>AMISHARE_RATE_LIMITS is not ec2, off or a speed factor (Pacing/RateLimitSettings.cs).</summary>
        public const string InvalidRateLimitSetting = nameof(InvalidRateLimitSetting);

        /// <summary>AMISHARE_CONCURRENCY is not a whole number from 1 to 100 (nothing was called).</summary>
        public const string InvalidConcurrency = nameof(InvalidConcurrency);

        // Session (terminating: every item would fail).

        /// <summary>No source in the credential order gave credentials.</summary>
        public const string NoCredentials = nameof(NoCredentials);

        /// <summary>No source in the region order gave a region.</summary>
        public const string NoRegion = nameof(NoRegion);

        /// <summary>The profile named by -ProfileName or AWS_PROFILE does not exist, has no usable credentials, or cannot be read.</summary>
        public const string ProfileNotFound = nameof(ProfileNotFound);

        /// <summary>AWS rejected the credentials (unknown or inactive key, wrong secret, expired token, wrong clock).</summary>
        public const string CredentialsRejected = nameof(CredentialsRejected);

        // Per-AMI outcomes mapped from EC2.

        /// <summary>No AMI with that id in the region, or it was deregistered.</summary>
        public const string AmiNotFound = nameof(AmiNotFound);

        /// <summary>The AMI belongs to another account.</summary>
        public const string AmiNotOwned = nameof(AmiNotOwned);

        /// <summary>The AMI is not in the 'available' state.</summary>
        public const string AmiNotAvailable = nameof(AmiNotAvailable);

        /// <summary>Block public access for AMIs is on for the account in the region.</summary>
        public const string PublicSharingBlocked = nameof(PublicSharingBlocked);

        /// <summary>An AMI with encrypted snapshots cannot be public.</summary>
        public const string EncryptedSnapshotsCannotBePublic = nameof(EncryptedSnapshotsCannotBePublic);

        /// <summary>An AMI with AWS Marketplace product codes cannot be public.</summary>
        public const string ProductCodesCannotBePublic = nameof(ProductCodesCannotBePublic);

        /// <summary>The AMI's snapshots use the AWS managed key aws/ebs, which cannot be shared.</summary>
        public const string EncryptedWithAwsManagedKey = nameof(EncryptedWithAwsManagedKey);

        /// <summary>The account has reached its quota of public AMIs in the region.</summary>
        public const string PublicImageQuotaExceeded = nameof(PublicImageQuotaExceeded);

        /// <summary>IAM or a service control policy does not allow the action named in the message.</summary>
        public const string AccessDenied = nameof(AccessDenied);

        /// <summary>A call was throttled for its whole retry budget.</summary>
        public const string Throttled = nameof(Throttled);

        /// <summary>Any other AWS error; the message has the AWS error code.</summary>
        public const string AwsServiceError = nameof(AwsServiceError);

        /// <summary>The endpoint could not be reached (network, proxy, DNS, emulator not running).</summary>
        public const string EndpointUnreachable = nameof(EndpointUnreachable);

        // Preflight, KMS and Organizations (Test-AmiShareable checks, -IncludeKmsKey, bare o-/ou- ids).

        /// <summary>A preflight check failed for a reason that has no error id of its own; the message names the check.</summary>
        public const string PreflightFailed = nameof(PreflightFailed);

        /// <summary>A KMS key behind the AMI is disabled, pending deletion, or cannot be read.</summary>
        public const string KmsKeyNotUsable = nameof(KmsKeyNotUsable);

        /// <summary>The key policy with the AmiShare statement would exceed KMS's 32 KB limit.</summary>
        public const string KmsPolicyTooLarge = nameof(KmsPolicyTooLarge);

        /// <summary>A bare o-/ou- id or an account's organization membership could not be read.</summary>
        public const string OrganizationUnresolved = nameof(OrganizationUnresolved);

        /// <summary>The AMI carries watermarks (AttachImageWatermark), and a watermarked AMI cannot be public.</summary>
        public const string WatermarkedCannotBePublic = nameof(WatermarkedCannotBePublic);

        /// <summary>Block public access for EBS snapshots is on, so EC2 refused to make a snapshot public (-IncludeSnapshot).</summary>
        public const string PublicSnapshotSharingBlocked = nameof(PublicSnapshotSharingBlocked);

        // Set-AmiLaunchPermission and Copy-AmiLaunchPermission (desired state).

        /// <summary>The AMI is public and the desired launch permissions leave group 'all' out without saying so (-Public:$false).</summary>
        public const string PublicRemovalNotConfirmed = nameof(PublicRemovalNotConfirmed);

        /// <summary>A launch-permission manifest (.psd1 or .json) is unreadable or invalid; the message names the file, the entry and the value.</summary>
        public const string InvalidManifest = nameof(InvalidManifest);

        /// <summary>Copy-AmiLaunchPermission was given the source AMI (same id, same region) as a target.</summary>
        public const string SourceIsTarget = nameof(SourceIsTarget);

        // Publish-Ami (distribution). The refusals come before any CopyImage.

        /// <summary>A target region's copy would be encrypted with aws/ebs (source encrypted or EBS encryption by default on, no -KmsKeyId for it, default key aws/ebs) while principals are given.</summary>
        public const string CopyWouldUseAwsManagedKey = nameof(CopyWouldUseAwsManagedKey);

        /// <summary>-KmsKeyId's table names a region that is not among the target regions (-Region).</summary>
        public const string KmsKeyRegionNotInTargets = nameof(KmsKeyRegionNotInTargets);

        /// <summary>-DeprecateAt / -DeprecateAfter gives a time in the past, more than 10 years away, or not a duration.</summary>
        public const string InvalidDeprecationTime = nameof(InvalidDeprecationTime);

        /// <summary>A -Tag or -SharedTag key or value EC2 would refuse (blank, 'aws:' prefix, too long).</summary>
        public const string InvalidTag = nameof(InvalidTag);

        /// <summary>-SsmParameterName is not a parameter name SSM accepts (or uses a reserved prefix).</summary>
        public const string InvalidSsmParameterName = nameof(InvalidSsmParameterName);

        /// <summary>-Name makes a copy name EC2 would refuse, or the source's own name in its own region.</summary>
        public const string InvalidCopyName = nameof(InvalidCopyName);

        /// <summary>A copy did not become available within -TimeoutSec (it goes on; a rerun finishes it).</summary>
        public const string CopyTimedOut = nameof(CopyTimedOut);

        /// <summary>A copy ended in state failed (EC2 could not copy it).</summary>
        public const string CopyFailed = nameof(CopyFailed);

        // Get-AmiShareReport.

        /// <summary>-AllRegions was given with more than one -Region.</summary>
        public const string ShareReportRegions = nameof(ShareReportRegions);

        // Image usage reports (Get-AmiShareReport -IncludeUsage; -CheckUsage).

        /// <summary>Image usage reports were still pending when the wait (AMISHARE_USAGE_TIMEOUT_SECONDS) ran out.</summary>
        public const string UsageReportTimedOut = nameof(UsageReportTimedOut);

        /// <summary>EC2 could not create an image usage report (state error).</summary>
        public const string UsageReportFailed = nameof(UsageReportFailed);

        // Revoke-, Set-, Reset-AmiLaunchPermission -CheckUsage.

        /// <summary>-CheckUsage: an account the change would take launch access from still has instances or launch templates on the AMI (-Force removes it anyway).</summary>
        public const string AmiInUse = nameof(AmiInUse);

        // Copy-SharedAmi.

        /// <summary>The AMI to copy is not visible to the caller in the source region: no such AMI, or not shared with the caller (launch permission).</summary>
        public const string SharedAmiNotFound = nameof(SharedAmiNotFound);

        /// <summary>The AMI to copy belongs to the caller (Copy-SharedAmi copies AMIs other accounts share; Publish-Ami copies one's own).</summary>
        public const string SharedAmiIsOwn = nameof(SharedAmiIsOwn);

        /// <summary>A snapshot of the shared AMI is not restorable by the caller (no createVolumePermission): CopyImage would fail.</summary>
        public const string SharedSnapshotNotRestorable = nameof(SharedSnapshotNotRestorable);

        /// <summary>The shared AMI is encrypted with a KMS key the caller can't use (the owner's key policy does not allow it).</summary>
        public const string SharedKeyNotUsable = nameof(SharedKeyNotUsable);
    }
}
