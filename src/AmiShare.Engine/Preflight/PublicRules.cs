using System;
using System.Collections.Generic;
using System.Linq;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;
using static AmiShare.Engine.Preflight.Findings;

namespace AmiShare.Engine.Preflight
{
    /// <summary>Preflight rules for making an AMI public (pure functions of <see cref="ShareFacts"/>): product codes, block public access, the public-AMI quota, deprecation; watermarks and snapshot block public access in <see cref="PublicCopyRules"/>.</summary>
    internal static class PublicRules
    {
        /// <summary>
        /// Product codes, watermarks, block public access (for AMIs, then for snapshots), quota and deprecation (the last four for
        /// an owned AMI only). <paramref name="includeSnapshot"/>: the snapshots are to be made public too (-IncludeSnapshot).
        /// </summary>
        public static void CheckPublic(ShareFacts facts, List<ShareFinding> findings, bool includeSnapshot = false)
        {
            ImageInfo image = facts.Image;
            bool alreadyPublic = image.IsPublic || (facts.Current != null && facts.Current.Contains(Principal.Everyone));

            if (image.ProductCodes.Count > 0)
            {
                AmiShareException e = AwsErrorMapper.ProductCodesCannotBePublic(facts.ImageId, facts.ImageId, null, null);
                findings.Add(Fail(
                    CheckNames.ProductCodes,
                    $"{facts.ImageId} carries AWS Marketplace product codes ({string.Join(", ", image.ProductCodes)}); such an AMI can never be public.",
                    e.Remedy,
                    ErrorIds.ProductCodesCannotBePublic,
                    e.Kind));
            }
            else
            {
                findings.Add(Pass(CheckNames.ProductCodes, $"{facts.ImageId} has no AWS Marketplace product codes."));
            }

            PublicCopyRules.CheckWatermarks(facts, findings);

            if (!facts.Owned)
            {
                return; // block public access and the quota are about the caller's own account
            }

            // A preflight read the caller may not be allowed to make: without it the check says so (Warn) and EC2 decides at the write.
            ImageBlockPublicAccessInfo bpa = facts.BlockPublicAccess;
            AmiShareException bpaError = facts.BlockPublicAccessError;

            if (alreadyPublic)
            {
                findings.Add(Pass(CheckNames.BlockPublicAccess, $"{facts.ImageId} is already public (block public access keeps existing public AMIs public)."));
            }
            else if (bpaError != null)
            {
                findings.Add(Warn(
                    CheckNames.BlockPublicAccess,
                    $"Could not check block public access for AMIs in region '{facts.Region}': permission ec2:GetImageBlockPublicAccessState missing ({bpaError.AwsErrorCode ?? bpaError.ErrorId}). EC2 decides when the AMI is made public: if the block is on, it refuses and the command reports {ErrorIds.PublicSharingBlocked}.",
                    "Grant ec2:GetImageBlockPublicAccessState to the caller to have this checked before the write, or check it yourself with Get-EC2ImageBlockPublicAccessState -Region " + facts.Region + "."));
            }
            else if (bpa.IsBlocked)
            {
                AmiShareException e = AwsErrorMapper.PublicSharingBlocked(facts.ImageId, facts.Region, facts.ImageId, null, null);
                string detail = $"Block public access for AMIs is on (block-new-sharing) for this account in region '{facts.Region}'"
                    + (bpa.IsManagedByDeclarativePolicy ? ", and a declarative policy of the organization manages it." : ".");
                string remedy = bpa.IsManagedByDeclarativePolicy
                    ? "A declarative policy of your organization manages this setting (ManagedBy: declarative-policy), so DisableImageBlockPublicAccess (Disable-EC2ImageBlockPublicAccess) cannot turn it off from this account: ask the organization's administrators to change the declarative policy, or share with accounts, organizations or OUs instead."
                    : e.Remedy;
                findings.Add(Fail(CheckNames.BlockPublicAccess, detail, remedy, ErrorIds.PublicSharingBlocked, e.Kind));
            }
            else
            {
                findings.Add(Pass(CheckNames.BlockPublicAccess, $"Block public access for AMIs is off (unblocked) in region '{facts.Region}'."));
            }

            PublicCopyRules.CheckSnapshotBlockPublicAccess(facts, includeSnapshot, findings);
            findings.Add(PublicQuotaFinding(facts, alreadyPublic));
            CheckDeprecation(facts, alreadyPublic, findings);
        }

        /// <summary>
        /// The public-AMI quota is adjustable per account (Service Quotas L-0E3CBAB9), and AmiShare does not know this
        /// account's value: the count of public AMIs is information, a Warn near EC2's default, never a Fail. EC2
        /// itself refuses beyond the real quota (ResourceLimitExceeded, mapped to PublicImageQuotaExceeded).
        /// </summary>
        private static ShareFinding PublicQuotaFinding(ShareFacts facts, bool alreadyPublic)
        {
            if (facts.PublicImageCountError != null)
            {
                AmiShareException e = facts.PublicImageCountError;
                return Warn(
                    CheckNames.PublicImageQuota,
                    $"Could not count the account's public AMIs in region '{facts.Region}': permission ec2:DescribeImages missing ({e.AwsErrorCode ?? e.ErrorId}). EC2 decides: beyond the account's public AMI quota it refuses and the command reports {ErrorIds.PublicImageQuotaExceeded}.",
                    "Grant ec2:DescribeImages to the caller to see the count before the write.");
            }

            int count = facts.PublicImageCount.Value;
            int defaultQuota = PreflightRunner.DefaultPublicImageQuota;
            string quotaText = $"EC2's default quota is {defaultQuota} public AMIs per Region, adjustable per account (Service Quotas code {PreflightRunner.PublicImageQuotaCode}), so EC2 decides";
            if (alreadyPublic)
            {
                return Pass(CheckNames.PublicImageQuota, $"{facts.ImageId} is already public; it already counts among the account's {count} public AMIs in region '{facts.Region}'.");
            }

            if (count + 1 >= defaultQuota)
            {
                return Warn(
                    CheckNames.PublicImageQuota,
                    $"The account has {count} public AMIs in region '{facts.Region}'; this one would make {count + 1}. {quotaText}: if this account's quota is lower than {count + 1}, EC2 refuses and the command reports {ErrorIds.PublicImageQuotaExceeded}.",
                    $"Check the account's quota with Get-SQServiceQuota -ServiceCode ec2 -QuotaCode {PreflightRunner.PublicImageQuotaCode} -Region {facts.Region}; raise it with Request-SQServiceQuotaIncrease, or make unused public AMIs private (Set-AmiPublic -Public:$false).");
            }

            return Pass(CheckNames.PublicImageQuota, $"The account has {count} public AMIs in region '{facts.Region}'. {quotaText} at the write.");
        }

        private static void CheckDeprecation(ShareFacts facts, bool alreadyPublic, List<ShareFinding> findings)
        {
            ImageInfo image = facts.Image;
            DateTime? created = ParseTime(image.CreationDate);
            DateTime? cap = created?.AddYears(PreflightRunner.PublicDeprecationYears);
            DateTime? explicitTime = ParseTime(image.DeprecationTime);
            string remedy = "Set an explicit deprecation time (Enable-EC2ImageDeprecation -ImageId " + facts.ImageId + " -DeprecateAt <date>) so the date is yours, and publish a fresh copy before it; a public AMI's deprecation can only be moved later after making it private.";

            if (explicitTime != null && (cap == null || explicitTime <= cap))
            {
                findings.Add(Pass(CheckNames.Deprecation, $"{facts.ImageId} already has a deprecation time: {Date(explicitTime.Value)}."));
                return;
            }

            string when = cap != null
                ? $"on {Date(cap.Value)} (two years after its creation on {Date(created.Value)})" + (cap.Value < facts.Now ? ", a date already past" : string.Empty)
                : "two years after its creation";
            findings.Add(Warn(
                CheckNames.Deprecation,
                $"EC2 deprecates public AMIs automatically two years after creation: {facts.ImageId} will be deprecated {when}, and then other accounts no longer find it in DescribeImages (launching by id still works).",
                remedy));
        }
    }
}
