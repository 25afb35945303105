using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Kms;
using AmiShare.Engine.Principals;

namespace AmiShare.Engine.Preflight
{
    /// <summary>What one preflight run found: its facts, the findings of the rules over them, and the key access evaluations.</summary>
    internal sealed class PreflightContext
    {
        public PreflightContext(ShareFacts facts)
        {
            Facts = facts;
        }

        /// <summary>What AWS said (read once by <see cref="ShareFactsLoader"/>).</summary>
        public ShareFacts Facts { get; }

        public string ImageId => Facts.ImageId;

        public string Region => Facts.Region;

        public ImageInfo Image => Facts.Image;

        /// <summary>Launch permissions, or null when the caller does not own the AMI.</summary>
        public IReadOnlyList<Principal> Current => Facts.Current;

        public bool Owned => Facts.Owned;

        public List<KeyFacts> Keys => Facts.Keys;

        public Dictionary<Principal, KeyAccessSubject> Subjects => Facts.Subjects;

        /// <summary>Access results per (key id, principal).</summary>
        public Dictionary<Tuple<string, Principal>, KeyAccessResult> Access { get; } = new Dictionary<Tuple<string, Principal>, KeyAccessResult>();

        public List<ShareFinding> Findings { get; } = new List<ShareFinding>();

        public PreflightReport Report => new PreflightReport { ImageId = ImageId, Region = Region, Findings = Findings.ToList() };

        /// <summary>Warn findings as plan warnings (plain text: what and what to do).</summary>
        public IReadOnlyList<string> WarningTexts =>
            Findings.Where(f => f.Status == FindingStatus.Warn).Select(f => string.IsNullOrEmpty(f.Remedy) ? f.Detail : f.Detail.TrimEnd() + " " + f.Remedy).ToList();
    }

    /// <summary>
    /// The shareability checks behind Test-AmiShareable, Grant-AmiLaunchPermission and Set-AmiPublic: the facts loader reads,
    /// then the pure rules (<see cref="ImageRules"/>, <see cref="KeyRules"/>, <see cref="PublicRules"/>) give one finding per
    /// check. A check's failure is a finding; only errors that stop every check (AMI not found, credentials, network) are thrown.
    /// </summary>
    internal sealed class PreflightRunner
    {
        /// <summary>EC2's documented default quota of public AMIs per account and region (wire-spec.md §3 E20).</summary>
        internal const int DefaultPublicImageQuota = 5;

        /// <summary>Service Quotas code of EC2's "Public AMIs" quota (adjustable).</summary>
        internal const string PublicImageQuotaCode = "L-0E3CBAB9";

        /// <summary>Public AMIs are deprecated by EC2 two years after creation.</summary>
        internal const int PublicDeprecationYears = 2;

        private readonly ShareFactsLoader _loader;
        private readonly Func<DateTime> _now;

        public PreflightRunner(ShareFactsLoader loader, Func<DateTime> now = null)
        {
            _loader = loader;
            _now = now ?? (() => DateTime.UtcNow);
        }

        /// <summary>Loads the facts for the checks, then runs the rules in their fixed order.</summary>
        public async Task<PreflightContext> RunAsync(string id, IReadOnlyList<Principal> principals, bool forPublic, ShareOptions options, CancellationToken ct)
        {
            options = options ?? ShareOptions.None;
            List<Principal> targets = (principals ?? Array.Empty<Principal>()).Where(p => p != null && p.Type != PrincipalType.Public).Distinct().ToList();
            ShareFacts facts = await _loader.LoadAsync(id, targets, forPublic, _now(), ct).ConfigureAwait(false);
            var ctx = new PreflightContext(facts);
            Evaluate(ctx, targets, forPublic, options);
            return ctx;
        }

        /// <summary>The rules over loaded facts (pure: no AWS call), in the order Test-AmiShareable shows them.</summary>
        internal static void Evaluate(PreflightContext ctx, IReadOnlyList<Principal> targets, bool forPublic, ShareOptions options)
        {
            ShareFacts facts = ctx.Facts;
            List<ShareFinding> findings = ctx.Findings;
            ImageRules.CheckOwnership(facts, findings);
            ImageRules.CheckState(facts, findings);
            ImageRules.CheckSnapshotEncryption(facts, forPublic, findings);
            KeyRules.CheckKeyManagers(facts, findings);

            if (!forPublic && targets.Count > 0)
            {
                KeyRules.CheckKeyAccess(facts, targets, options, findings, ctx.Access);
            }

            if (forPublic)
            {
                PublicRules.CheckPublic(facts, findings, options.IncludeSnapshot);
            }

            if (options.IncludeSnapshot && !forPublic)
            {
                ImageRules.CheckSnapshotSharing(targets, findings);
            }

            foreach (ShareFinding f in findings)
            {
                f.ImageId = facts.ImageId;
                f.Region = facts.Region;
                if (f.Status == FindingStatus.Pass)
                {
                    f.Remedy = string.Empty;
                }
            }
        }
    }
}
