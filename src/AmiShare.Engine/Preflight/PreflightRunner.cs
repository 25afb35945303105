using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Preflight
{
    /// <summary>What the preflight learned about one KMS key behind the AMI.</summary>
    internal sealed class KeyFacts
    {
        /// <summary>The key id as the snapshots name it (usually the key ARN).</summary>
        public string KeyId { get; set; }

        public List<string> SnapshotIds { get; } = new List<string>();

        public KmsKeyInfo Info { get; set; }

        public AmiShareException DescribeError { get; set; }

        public string Policy { get; set; }

        public KeyPolicyDocument Document { get; set; }

        public IReadOnlyList<KmsGrantInfo> Grants { get; set; }

        public AmiShareException PolicyError { get; set; }

        public string KeyArn => Info?.KeyArn ?? KeyId;

        public bool IsCustomerManagedAndUsable => Info != null && !Info.IsAwsManaged && Info.Enabled;

        /// <summary>Partition of the key ARN (aws, aws-cn, aws-us-gov).</summary>
        public string Partition
        {
            get
            {
                string arn = KeyArn ?? string.Empty;
                string[] parts = arn.Split(':');
                return parts.Length > 1 && parts[0] == "arn" && parts[1].Length > 0 ? parts[1] : "aws";
            }
        }
    }

    /// <summary>Everything one preflight run read, so plans reuse it instead of reading again.</summary>
    internal sealed class PreflightContext
    {
        public string ImageId { get; set; }

        public string Region { get; set; }

        public ImageInfo Image { get; set; }

        /// <summary>Launch permissions, or null when the caller does not own the AMI.</summary>
        public IReadOnlyList<Principal> Current { get; set; }

        public bool Owned => Current != null;

        public List<KeyFacts> Keys { get; } = new List<KeyFacts>();

        public Dictionary<Principal, KeyAccessSubject> Subjects { get; } = new Dictionary<Principal, KeyAccessSubject>();

        /// <summary>Access results per (key id, principal).</summary>
        public Dictionary<Tuple<string, Principal>, KeyAccessResult> Access { get; } = new Dictionary<Tuple<string, Principal>, KeyAccessResult>();

        public List<ShareFinding> Findings { get; } = new List<ShareFinding>();

        /// <summary>The account's public AMIs in the region, when the public preflight counted them.</summary>
        public int? PublicImageCount { get; set; }

        public PreflightReport Report => new PreflightReport { ImageId = ImageId, Region = Region, Findings = Findings.ToList() };

        /// <summary>Warn findings as plan warnings (plain text: what and what to do).</summary>
        public IReadOnlyList<string> WarningTexts =>
            Findings.Where(f => f.Status == FindingStatus.Warn).Select(f => string.IsNullOrEmpty(f.Remedy) ? f.Detail : f.Detail.TrimEnd() + " " + f.Remedy).ToList();
    }

    /// <summary>
    /// The shareability checks behind Test-AmiShareable, Grant-AmiLaunchPermission and Set-AmiPublic: reads only,
    /// one finding per check. A check's failure is a finding; only errors that stop every check (AMI not found,
    /// credentials, network) are thrown.
    /// </summary>
    internal sealed class PreflightRunner
    {
        /// <summary>EC2's documented default quota of public AMIs per account and region (wire-spec.md §3 E20).</summary>
        internal const int DefaultPublicImageQuota = 5;

        /// <summary>Service Quotas code of EC2's "Public AMIs" quota (adjustable).</summary>
        internal const string PublicImageQuotaCode = "L-0E3CBAB9";

        /// <summary>Public AMIs are deprecated by EC2 two years after creation.</summary>
        internal const int PublicDeprecationYears = 2;

        private readonly IEc2Gateway _ec2;
        private readonly IKmsGateway _kms;
        private readonly IOrganizationsGateway _organizations;
        private readonly IShareReporter _reporter;
        private readonly Func<DateTime> _now;

        public PreflightRunner(IEc2Gateway ec2, IKmsGateway kms, IOrganizationsGateway organizations, IShareReporter reporter, Func<DateTime> now = null)
        {
            _ec2 = ec2;
            _kms = kms;
            _organizations = organizations;
            _reporter = reporter ?? NullShareReporter.Instance;
            _now = now ?? (() => DateTime.UtcNow);
        }

        private string Region => _ec2.Region;

        public async Task<PreflightContext> RunAsync(string id, IReadOnlyList<Principal> principals, bool forPublic, ShareOptions options, CancellationToken ct)
        {
            options = options ?? ShareOptions.None;
            var targets = (principals ?? new Principal[0]).Where(p => p != null && p.Type != PrincipalType.Public).Distinct().ToList();
            var ctx = new PreflightContext { ImageId = id, Region = Region };

            ctx.Image = await _ec2.DescribeImageAsync(id, ct).ConfigureAwait(false);
            await CheckOwnershipAsync(ctx, ct).ConfigureAwait(false);
            CheckState(ctx);
            await LoadKeysAsync(ctx, ct).ConfigureAwait(false);
            CheckSnapshotEncryption(ctx, forPublic);
            CheckKeyManagers(ctx);

            if (!forPublic && targets.Count > 0)
            {
                await CheckKeyAccessAsync(ctx, targets, options, ct).ConfigureAwait(false);
            }

            if (forPublic)
            {
                await CheckPublicAsync(ctx, ct).ConfigureAwait(false);
            }

            if (options.IncludeSnapshot && !forPublic)
            {
                CheckSnapshotSharing(ctx, targets);
            }

            foreach (ShareFinding f in ctx.Findings)
            {
                f.ImageId = id;
                f.Region = Region;
                if (f.Status == FindingStatus.Pass)
                {
                    f.Remedy = string.Empty;
                }
            }

            return ctx;
        }

        /// <summary>Reads the image's snapshots' keys: fills missing KmsKeyIds from DescribeSnapshots, then DescribeKey each distinct key.</summary>
        public async Task LoadKeysAsync(PreflightContext ctx, CancellationToken ct)
        {
            if (ctx.Image == null)
            {
                ctx.Image = await _ec2.DescribeImageAsync(ctx.ImageId, ct).ConfigureAwait(false);
            }

            List<SnapshotRef> encrypted = ctx.Image.Snapshots.Where(s => s.Encrypted).ToList();
            List<string> missing = encrypted.Where(s => string.IsNullOrEmpty(s.KmsKeyId)).Select(s => s.SnapshotId).Distinct().ToList();
            if (missing.Count > 0)
            {
                try
                {
                    IReadOnlyList<SnapshotInfo> infos = await _ec2.DescribeSnapshotsAsync(missing, ct).ConfigureAwait(false);
                    foreach (SnapshotRef s in encrypted.Where(x => string.IsNullOrEmpty(x.KmsKeyId)))
                    {
                        SnapshotInfo info = infos.FirstOrDefault(i => i.SnapshotId == s.SnapshotId);
                        if (info != null && !string.IsNullOrEmpty(info.KmsKeyId))
                        {
                            s.KmsKeyId = info.KmsKeyId;
                        }
                    }
                }
                catch (AmiShareException e)
                {
                    _reporter.Debug($"{ctx.ImageId}: DescribeSnapshots failed ({e.ErrorId}); encryption keys of {string.Join(", ", missing)} stay unknown");
                }
            }

            foreach (SnapshotRef s in encrypted.Where(x => !string.IsNullOrEmpty(x.KmsKeyId)))
            {
                KeyFacts key = ctx.Keys.FirstOrDefault(k => k.KeyId == s.KmsKeyId);
                if (key == null)
                {
                    key = new KeyFacts { KeyId = s.KmsKeyId };
                    ctx.Keys.Add(key);
                    if (_kms != null)
                    {
                        try
                        {
                            key.Info = await _kms.DescribeKeyAsync(s.KmsKeyId, ct).ConfigureAwait(false);
                        }
                        catch (AmiShareException e)
                        {
                            key.DescribeError = e;
                        }
                    }
                }

                if (!key.SnapshotIds.Contains(s.SnapshotId))
                {
                    key.SnapshotIds.Add(s.SnapshotId);
                }
            }
        }

        /// <summary>Reads policy (and grants when <paramref name="withGrants"/>) of a customer managed key, once.</summary>
        public async Task LoadPolicyAsync(KeyFacts key, bool withGrants, CancellationToken ct)
        {
            if (_kms == null || key.Info == null)
            {
                return;
            }

            try
            {
                if (key.Policy == null)
                {
                    key.Policy = await _kms.GetKeyPolicyAsync(key.KeyArn, ct).ConfigureAwait(false);
                    key.Document = KeyPolicyDocument.Parse(key.Policy, key.KeyArn);
                }

                if (withGrants && key.Grants == null)
                {
                    key.Grants = await _kms.ListGrantsAsync(key.KeyArn, ct).ConfigureAwait(false);
                }
            }
            catch (AmiShareException e)
            {
                key.PolicyError = e;
            }
        }

        private async Task CheckOwnershipAsync(PreflightContext ctx, CancellationToken ct)
        {
            try
            {
                ctx.Current = await _ec2.GetLaunchPermissionsAsync(ctx.ImageId, ct).ConfigureAwait(false);
                ctx.Findings.Add(Pass(CheckNames.Ownership, $"The calling account owns {ctx.ImageId}" + (ctx.Image.OwnerId != null ? $" (owner {ctx.Image.OwnerId})." : ".")));
            }
            catch (AmiShareException e) when (e.ErrorId == ErrorIds.AmiNotOwned)
            {
                ctx.Findings.Add(Fail(
                    CheckNames.Ownership,
                    $"{ctx.ImageId} is owned by account {ctx.Image.OwnerId ?? "(unknown)"}, not by the calling account; only the owner can share an AMI.",
                    e.Remedy,
                    ErrorIds.AmiNotOwned,
                    AmiShareErrorKind.PermissionDenied));
            }
        }

        private void CheckState(PreflightContext ctx)
        {
            string state = ctx.Image.State;
            if (string.Equals(state, "available", StringComparison.OrdinalIgnoreCase))
            {
                ctx.Findings.Add(Pass(CheckNames.State, $"{ctx.ImageId} is available."));
                return;
            }

            ctx.Findings.Add(Fail(
                CheckNames.State,
                $"{ctx.ImageId} is in state '{state}', not 'available'.",
                state == "pending"
                    ? "Wait until the AMI is available (Get-EC2Image shows its State), then run the command again."
                    : "Only an available AMI can be shared; create or copy a new AMI if this one failed or was deregistered.",
                ErrorIds.AmiNotAvailable,
                AmiShareErrorKind.InvalidOperation));
        }

        private void CheckSnapshotEncryption(PreflightContext ctx, bool forPublic)
        {
            if (ctx.Image.Snapshots.Count == 0)
            {
                ctx.Findings.Add(Pass(CheckNames.SnapshotEncryption, $"{ctx.ImageId} has no EBS snapshots."));
                return;
            }

            string encryptedRemedy = AwsErrorMapper.EncryptedCannotBePublic(ctx.ImageId, ctx.ImageId, null, null).Remedy;
            foreach (SnapshotRef s in ctx.Image.Snapshots)
            {
                ShareFinding f;
                if (!s.Encrypted)
                {
                    f = Pass(CheckNames.SnapshotEncryption, $"Snapshot {s.SnapshotId} ({s.DeviceName}) is not encrypted.");
                }
                else if (forPublic)
                {
                    f = Fail(
                        CheckNames.SnapshotEncryption,
                        $"Snapshot {s.SnapshotId} ({s.DeviceName}) is encrypted{KeyText(s.KmsKeyId)}; an AMI with encrypted snapshots can never be public.",
                        encryptedRemedy,
                        ErrorIds.EncryptedSnapshotsCannotBePublic,
                        AmiShareErrorKind.InvalidOperation);
                }
                else
                {
                    f = Pass(CheckNames.SnapshotEncryption, $"Snapshot {s.SnapshotId} ({s.DeviceName}) is encrypted{KeyText(s.KmsKeyId)}; consumers need access to that key (see {CheckNames.KmsKeyAccess}).");
                }

                f.Resource = s.SnapshotId;
                ctx.Findings.Add(f);
            }
        }

        private void CheckKeyManagers(PreflightContext ctx)
        {
            string awsManagedRemedy = AwsErrorMapper.EncryptedWithAwsManagedKey(ctx.ImageId, ctx.ImageId, null, null).Remedy;
            foreach (SnapshotRef s in ctx.Image.Snapshots.Where(x => x.Encrypted && string.IsNullOrEmpty(x.KmsKeyId)))
            {
                ctx.Findings.Add(Warn(
                    CheckNames.KmsKeyManager,
                    $"EC2 did not say which KMS key encrypts snapshot {s.SnapshotId}, so AmiShare cannot tell whether it is the AWS managed key aws/ebs (which cannot be shared).",
                    "Check the snapshot with Get-EC2Snapshot -SnapshotId " + s.SnapshotId + " (KmsKeyId); the caller needs ec2:DescribeSnapshots.",
                    s.SnapshotId));
            }

            foreach (KeyFacts key in ctx.Keys)
            {
                string snaps = string.Join(", ", key.SnapshotIds);
                bool one = key.SnapshotIds.Count == 1;
                string snapshotsAre = (one ? "Snapshot " : "Snapshots ") + snaps + (one ? " is" : " are");
                string behind = (one ? "snapshot " : "snapshots ") + snaps;
                ShareFinding f;
                if (_kms == null)
                {
                    f = Warn(CheckNames.KmsKeyManager, $"KMS key {key.KeyId} ({behind}) could not be checked: KMS is not available to this command.", "Run Test-AmiShareable with credentials that can call kms:DescribeKey.");
                }
                else if (key.DescribeError != null)
                {
                    f = key.DescribeError.ErrorId == ErrorIds.KmsKeyNotUsable
                        ? Fail(CheckNames.KmsKeyManager, $"KMS key {key.KeyId} behind {behind} cannot be used: {key.DescribeError.Reason}", key.DescribeError.Remedy, ErrorIds.KmsKeyNotUsable, key.DescribeError.Kind)
                        : key.DescribeError.ErrorId == ErrorIds.AccessDenied
                            ? Warn(CheckNames.KmsKeyManager, $"Could not check KMS key {key.KeyId} behind {behind}: permission kms:DescribeKey missing ({key.DescribeError.AwsErrorCode ?? key.DescribeError.ErrorId}). EC2 decides when the AMI is shared.", key.DescribeError.Remedy)
                            : Warn(CheckNames.KmsKeyManager, $"KMS key {key.KeyId} behind {behind} could not be described: {key.DescribeError.Reason}", key.DescribeError.Remedy);
                }
                else if (key.Info.IsAwsManaged)
                {
                    f = Fail(
                        CheckNames.KmsKeyManager,
                        $"{snapshotsAre} encrypted with the AWS managed key aws/ebs ({key.KeyArn}); an AMI backed by it cannot be shared with any account, organization or OU.",
                        awsManagedRemedy,
                        ErrorIds.EncryptedWithAwsManagedKey,
                        AmiShareErrorKind.InvalidOperation);
                }
                else if (!key.Info.Enabled)
                {
                    f = Fail(
                        CheckNames.KmsKeyManager,
                        $"Customer managed key {key.KeyArn} behind {behind} is {key.Info.KeyState ?? "not enabled"}; nobody can launch the AMI while it is.",
                        "Enable the key (Enable-KMSKey) or cancel its scheduled deletion (Undo-KMSKeyDeletion), then run the command again.",
                        ErrorIds.KmsKeyNotUsable,
                        AmiShareErrorKind.InvalidOperation);
                }
                else
                {
                    f = Pass(CheckNames.KmsKeyManager, $"{snapshotsAre} encrypted with customer managed key {key.KeyArn}" + (key.Info.AccountId != null ? $" of account {key.Info.AccountId}." : "."));
                }

                f.Resource = key.KeyArn;
                ctx.Findings.Add(f);
            }
        }

        private async Task CheckKeyAccessAsync(PreflightContext ctx, List<Principal> targets, ShareOptions options, CancellationToken ct)
        {
            List<KeyFacts> keys = ctx.Keys.Where(k => k.IsCustomerManagedAndUsable).ToList();
            if (keys.Count == 0 || !ctx.Owned)
            {
                return;
            }

            bool anyAccount = targets.Any(p => p.Type == PrincipalType.Account);
            foreach (KeyFacts key in keys)
            {
                await LoadPolicyAsync(key, anyAccount, ct).ConfigureAwait(false);
            }

            bool orgConditions = keys.Any(k => k.Policy != null && k.Policy.IndexOf("aws:PrincipalOrg", StringComparison.OrdinalIgnoreCase) >= 0);
            var orgs = new OrganizationFacts(_organizations, _reporter);
            foreach (Principal p in targets)
            {
                if (!ctx.Subjects.ContainsKey(p))
                {
                    ctx.Subjects[p] = await orgs.SubjectAsync(p, resolveAccounts: orgConditions, ct).ConfigureAwait(false);
                }
            }

            foreach (KeyFacts key in keys)
            {
                if (key.PolicyError != null)
                {
                    string why = key.PolicyError.ErrorId == ErrorIds.AccessDenied
                        ? $"permission {(key.Policy == null ? "kms:GetKeyPolicy" : "kms:ListGrants")} missing ({key.PolicyError.AwsErrorCode ?? key.PolicyError.ErrorId})"
                        : key.PolicyError.Reason;
                    var f = Warn(
                        CheckNames.KmsKeyAccess,
                        $"Could not check whether {string.Join(", ", targets)} may use key {key.KeyArn}: {why}. EC2 shares the AMI regardless; launching needs that key access.",
                        key.PolicyError.Remedy);
                    f.Resource = key.KeyArn;
                    ctx.Findings.Add(f);
                    continue;
                }

                foreach (Principal p in targets)
                {
                    KeyAccessSubject subject = ctx.Subjects[p];
                    ShareFinding f = AccessFinding(ctx, key, p, subject, options);
                    f.Principal = p.Value;
                    f.Resource = key.KeyArn;
                    ctx.Findings.Add(f);
                }
            }
        }

        private ShareFinding AccessFinding(PreflightContext ctx, KeyFacts key, Principal p, KeyAccessSubject subject, ShareOptions options)
        {
            if (p.Type == PrincipalType.Account && (p.Value == key.Info.AccountId || p.Value == ctx.Image.OwnerId))
            {
                return Pass(CheckNames.KmsKeyAccess, $"Account {p.Value} owns the AMI or the key {key.KeyArn}.");
            }

            KeyAccessResult access = KeyAccessEvaluator.Evaluate(key.Document.StatementTexts, key.Grants, subject, Region);
            ctx.Access[Tuple.Create(key.KeyId, p)] = access;
            string who = Describe(p);
            string notes = access.Notes.Count > 0 ? " Not counted: " + string.Join("; ", access.Notes) + "." : string.Empty;
            string pathNote = p.Type == PrincipalType.OrganizationalUnit && subject.OrgPath == null
                ? $" The OU's path could not be read from AWS Organizations, so AmiShare uses the pattern {OrganizationFacts.OuPattern(subject)} for it."
                : string.Empty;

            if (access.HasAccess)
            {
                return Pass(CheckNames.KmsKeyAccess, $"{who} may use key {key.KeyArn} through {string.Join(", ", access.Sources)}.");
            }

            string missing = string.Join(", ", access.Missing);
            if (options.IncludeKmsKey)
            {
                return Pass(CheckNames.KmsKeyAccess, $"{who} lacks {missing} on key {key.KeyArn}; -IncludeKmsKey will grant it in the AmiShare statement of the key policy.{pathNote}");
            }

            return Warn(
                CheckNames.KmsKeyAccess,
                $"{who} lacks {missing} on key {key.KeyArn}, so launching the AMI will fail for them (EC2 cannot decrypt the snapshots).{notes}{pathNote}",
                "Rerun with -IncludeKmsKey to give them that access in an AmiShare statement of the key policy, or add a key policy statement or grant yourself.");
        }

        private async Task CheckPublicAsync(PreflightContext ctx, CancellationToken ct)
        {
            ImageInfo image = ctx.Image;
            bool alreadyPublic = image.IsPublic || (ctx.Current != null && ctx.Current.Contains(Principal.Everyone));

            if (image.ProductCodes.Count > 0)
            {
                AmiShareException e = AwsErrorMapper.ProductCodesCannotBePublic(ctx.ImageId, ctx.ImageId, null, null);
                ctx.Findings.Add(Fail(
                    CheckNames.ProductCodes,
                    $"{ctx.ImageId} carries AWS Marketplace product codes ({string.Join(", ", image.ProductCodes)}); such an AMI can never be public.",
                    e.Remedy,
                    ErrorIds.ProductCodesCannotBePublic,
                    e.Kind));
            }
            else
            {
                ctx.Findings.Add(Pass(CheckNames.ProductCodes, $"{ctx.ImageId} has no AWS Marketplace product codes."));
            }

            if (!ctx.Owned)
            {
                return; // block public access and the quota are about the caller's own account
            }

            // A preflight read the caller may not be allowed to make: without it the check says so (Warn) and EC2 decides at the write.
            ImageBlockPublicAccessInfo bpa = null;
            AmiShareException bpaError = null;
            try
            {
                bpa = await _ec2.GetImageBlockPublicAccessAsync(ct).ConfigureAwait(false);
            }
            catch (AmiShareException e) when (e.ErrorId == ErrorIds.AccessDenied)
            {
                bpaError = e;
            }

            if (alreadyPublic)
            {
                ctx.Findings.Add(Pass(CheckNames.BlockPublicAccess, $"{ctx.ImageId} is already public (block public access keeps existing public AMIs public)."));
            }
            else if (bpaError != null)
            {
                ctx.Findings.Add(Warn(
                    CheckNames.BlockPublicAccess,
                    $"Could not check block public access for AMIs in region '{Region}': permission ec2:GetImageBlockPublicAccessState missing ({bpaError.AwsErrorCode ?? bpaError.ErrorId}). EC2 decides when the AMI is made public: if the block is on, it refuses and the command reports {ErrorIds.PublicSharingBlocked}.",
                    "Grant ec2:GetImageBlockPublicAccessState to the caller to have this checked before the write, or check it yourself with Get-EC2ImageBlockPublicAccessState -Region " + Region + "."));
            }
            else if (bpa.IsBlocked)
            {
                AmiShareException e = AwsErrorMapper.PublicSharingBlocked(ctx.ImageId, Region, ctx.ImageId, null, null);
                string detail = $"Block public access for AMIs is on (block-new-sharing) for this account in region '{Region}'"
                    + (bpa.IsManagedByDeclarativePolicy ? ", and a declarative policy of the organization manages it." : ".");
                string remedy = bpa.IsManagedByDeclarativePolicy
                    ? "A declarative policy of your organization manages this setting (ManagedBy: declarative-policy), so DisableImageBlockPublicAccess (Disable-EC2ImageBlockPublicAccess) cannot turn it off from this account: ask the organization's administrators to change the declarative policy, or share with accounts, organizations or OUs instead."
                    : e.Remedy;
                ctx.Findings.Add(Fail(CheckNames.BlockPublicAccess, detail, remedy, ErrorIds.PublicSharingBlocked, e.Kind));
            }
            else
            {
                ctx.Findings.Add(Pass(CheckNames.BlockPublicAccess, $"Block public access for AMIs is off (unblocked) in region '{Region}'."));
            }

            ctx.Findings.Add(await PublicQuotaFindingAsync(ctx, alreadyPublic, ct).ConfigureAwait(false));
            CheckDeprecation(ctx, alreadyPublic);
        }

        /// <summary>
        /// The public-AMI quota is adjustable per account (Service Quotas L-0E3CBAB9), and AmiShare does not know this
        /// account's value: the count of public AMIs is information, a Warn near EC2's default, never a Fail. EC2
        /// itself refuses beyond the real quota (ResourceLimitExceeded, mapped to PublicImageQuotaExceeded).
        /// </summary>
        private async Task<ShareFinding> PublicQuotaFindingAsync(PreflightContext ctx, bool alreadyPublic, CancellationToken ct)
        {
            int count;
            try
            {
                count = await _ec2.CountOwnedPublicImagesAsync(ct).ConfigureAwait(false);
            }
            catch (AmiShareException e) when (e.ErrorId == ErrorIds.AccessDenied)
            {
                return Warn(
                    CheckNames.PublicImageQuota,
                    $"Could not count the account's public AMIs in region '{Region}': permission ec2:DescribeImages missing ({e.AwsErrorCode ?? e.ErrorId}). EC2 decides: beyond the account's public AMI quota it refuses and the command reports {ErrorIds.PublicImageQuotaExceeded}.",
                    "Grant ec2:DescribeImages to the caller to see the count before the write.");
            }

            ctx.PublicImageCount = count;
            int defaultQuota = DefaultPublicImageQuota;
            string quotaText = $"EC2's default quota is {defaultQuota} public AMIs per Region, adjustable per account (Service Quotas code {PublicImageQuotaCode}), so EC2 decides";
            if (alreadyPublic)
            {
                return Pass(CheckNames.PublicImageQuota, $"{ctx.ImageId} is already public; it already counts among the account's {count} public AMIs in region '{Region}'.");
            }

            if (count + 1 >= defaultQuota)
            {
                return Warn(
                    CheckNames.PublicImageQuota,
                    $"The account has {count} public AMIs in region '{Region}'; this one would make {count + 1}. {quotaText}: if this account's quota is lower than {count + 1}, EC2 refuses and the command reports {ErrorIds.PublicImageQuotaExceeded}.",
                    $"Check the account's quota with Get-SQServiceQuota -ServiceCode ec2 -QuotaCode {PublicImageQuotaCode} -Region {Region}; raise it with Request-SQServiceQuotaIncrease, or make unused public AMIs private (Set-AmiPublic -Public:$false).");
            }

            return Pass(CheckNames.PublicImageQuota, $"The account has {count} public AMIs in region '{Region}'. {quotaText} at the write.");
        }

        private void CheckDeprecation(PreflightContext ctx, bool alreadyPublic)
        {
            ImageInfo image = ctx.Image;
            DateTime? created = ParseTime(image.CreationDate);
            DateTime? cap = created?.AddYears(PublicDeprecationYears);
            DateTime? explicitTime = ParseTime(image.DeprecationTime);
            string remedy = "Set an explicit deprecation time (Enable-EC2ImageDeprecation -ImageId " + ctx.ImageId + " -DeprecateAt <date>) so the date is yours, and publish a fresh copy before it; a public AMI's deprecation can only be moved later after making it private.";

            if (explicitTime != null && (cap == null || explicitTime <= cap))
            {
                ctx.Findings.Add(Pass(CheckNames.Deprecation, $"{ctx.ImageId} already has a deprecation time: {Date(explicitTime.Value)}."));
                return;
            }

            string when = cap != null
                ? $"on {Date(cap.Value)} (two years after its creation on {Date(created.Value)})" + (cap.Value < _now() ? ", a date already past" : string.Empty)
                : "two years after its creation";
            ctx.Findings.Add(Warn(
                CheckNames.Deprecation,
                $"EC2 deprecates public AMIs automatically two years after creation: {ctx.ImageId} will be deprecated {when}, and then other accounts no longer find it in DescribeImages (launching by id still works).",
                remedy));
        }

        private void CheckSnapshotSharing(PreflightContext ctx, List<Principal> targets)
        {
            List<Principal> left = targets.Where(p => p.Type == PrincipalType.Organization || p.Type == PrincipalType.OrganizationalUnit).ToList();
            if (left.Count == 0)
            {
                ctx.Findings.Add(Pass(CheckNames.SnapshotSharing, "Every principal is an account; -IncludeSnapshot gives each createVolumePermission on the backing snapshots."));
                return;
            }

            ctx.Findings.Add(Warn(
                CheckNames.SnapshotSharing,
                $"Snapshots cannot be shared with organizations or OUs, so -IncludeSnapshot leaves out {string.Join(", ", left.Select(p => p.Value))}: their accounts can launch the AMI but not copy it.",
                "Grant the member accounts that must copy the AMI by account id with -IncludeSnapshot (Get-ORGAccountForParent lists an OU's accounts)."));
        }

        private static string Describe(Principal p)
        {
            switch (p.Type)
            {
                case PrincipalType.Organization:
                    return "Organization " + p.Value;
                case PrincipalType.OrganizationalUnit:
                    return "OU " + p.Value;
                default:
                    return "Account " + p.Value;
            }
        }

        private static string KeyText(string keyId) => string.IsNullOrEmpty(keyId) ? string.Empty : " with KMS key " + keyId;

        private static DateTime? ParseTime(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime t) ? t : (DateTime?)null;
        }

        private static string Date(DateTime t) => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private static ShareFinding Pass(string check, string detail) =>
            new ShareFinding { Check = check, Status = FindingStatus.Pass, Detail = detail, Remedy = string.Empty };

        private static ShareFinding Warn(string check, string detail, string remedy, string resource = null) =>
            new ShareFinding { Check = check, Status = FindingStatus.Warn, Detail = detail, Remedy = remedy, Resource = resource };

        private static ShareFinding Fail(string check, string detail, string remedy, string errorId, AmiShareErrorKind kind) =>
            new ShareFinding { Check = check, Status = FindingStatus.Fail, Detail = detail, Remedy = remedy, ErrorId = errorId, ErrorKind = kind };
    }
}
