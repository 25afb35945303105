namespace AmiShare.Engine
{
    /// <summary>
    /// Stable error ids. They appear in FullyQualifiedErrorId ("Id,AmiShare.Commands.XxxCommand"), so
    /// renaming one is a breaking change. docs/about_AmiShare.md lists them with their fixes.
    /// </summary>
    public static class ErrorIds
    {
        // Input validation (no AWS call was made).
        public const string InvalidPrincipal = nameof(InvalidPrincipal);
        public const string InvalidImageId = nameof(InvalidImageId);
        public const string MissingPrincipal = nameof(MissingPrincipal);
        public const string PublicNotAllowedHere = nameof(PublicNotAllowedHere);
        public const string InvalidRegion = nameof(InvalidRegion);
        public const string InvalidEndpointUrl = nameof(InvalidEndpointUrl);
        public const string InvalidProfileName = nameof(InvalidProfileName);
        public const string InvalidCredentialParameter = nameof(InvalidCredentialParameter);
        public const string InvalidCredentialObject = nameof(InvalidCredentialObject);
        public const string ConflictingCredentialParameters = nameof(ConflictingCredentialParameters);
        public const string InvalidRetrySetting = nameof(InvalidRetrySetting);

        /// <summary>AMISHARE_RATE_LIMITS is not ec2, off or a speed factor (Pacing/RateLimitSettings.cs).</summary>
        public const string InvalidRateLimitSetting = nameof(InvalidRateLimitSetting);

        // Session (terminating: every item would fail).
        public const string NoCredentials = nameof(NoCredentials);
        public const string NoRegion = nameof(NoRegion);
        public const string ProfileNotFound = nameof(ProfileNotFound);
        public const string CredentialsRejected = nameof(CredentialsRejected);

        // Per-AMI outcomes mapped from EC2.
        public const string AmiNotFound = nameof(AmiNotFound);
        public const string AmiNotOwned = nameof(AmiNotOwned);
        public const string AmiNotAvailable = nameof(AmiNotAvailable);
        public const string PublicSharingBlocked = nameof(PublicSharingBlocked);
        public const string EncryptedSnapshotsCannotBePublic = nameof(EncryptedSnapshotsCannotBePublic);
        public const string ProductCodesCannotBePublic = nameof(ProductCodesCannotBePublic);
        public const string EncryptedWithAwsManagedKey = nameof(EncryptedWithAwsManagedKey);
        public const string PublicImageQuotaExceeded = nameof(PublicImageQuotaExceeded);
        public const string AccessDenied = nameof(AccessDenied);
        public const string Throttled = nameof(Throttled);
        public const string AwsServiceError = nameof(AwsServiceError);
        public const string EndpointUnreachable = nameof(EndpointUnreachable);

        // Preflight, KMS and Organizations (Test-AmiShareable checks, -IncludeKmsKey, bare o-/ou- ids).
        public const string PreflightFailed = nameof(PreflightFailed);
        public const string KmsKeyNotUsable = nameof(KmsKeyNotUsable);
        public const string KmsPolicyTooLarge = nameof(KmsPolicyTooLarge);
        public const string OrganizationUnresolved = nameof(OrganizationUnresolved);
    }
}
