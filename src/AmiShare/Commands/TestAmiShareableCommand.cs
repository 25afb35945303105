using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AmiShare.Engine;
using AmiShare.Engine.Preflight;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// Checks, without changing anything, whether AMIs can be shared with the given principals (or made
    /// public): ownership, state, snapshot encryption and key manager, each principal's KMS access, product
    /// codes, block public access, the public-AMI quota and deprecation. One finding per check, each with
    /// status Pass/Warn/Fail, what was found and what to do. Grant-AmiLaunchPermission and Set-AmiPublic run
    /// the same checks before they write. With -Quiet it returns $true or $false per AMI.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AmiShareable")]
    [OutputType(typeof(AmiShareFinding))]
    [OutputType(typeof(bool))]
    public sealed class TestAmiShareableCommand : AmiShareCmdlet
    {
        /// <summary>The AMI ids (ami-…). Accepts strings, Get-EC2Image objects and Import-Csv rows.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ImageIds")]
        [ValidateNotNullOrEmpty]
        public string[] ImageId { get; set; }

        /// <summary>12-digit AWS account ids to check sharing with.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("UserId", "AccountIds")]
        public string[] AccountId { get; set; }

        /// <summary>Organization ARNs (or bare o-… ids) to check sharing with.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[] OrganizationArn { get; set; }

        /// <summary>Organizational unit ARNs (or bare ou-… ids) to check sharing with.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[] OrganizationalUnitArn { get; set; }

        /// <summary>Principals of any kind, mixed.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[] Principal { get; set; }

        /// <summary>Checks making the AMIs public instead of (or as well as) sharing with principals.</summary>
        [Parameter]
        public SwitchParameter Public { get; set; }

        /// <summary>Checks as if -IncludeKmsKey were given to Grant (missing KMS access then counts as fixable).</summary>
        [Parameter]
        public SwitchParameter IncludeKmsKey { get; set; }

        /// <summary>Also checks what -IncludeSnapshot could share (organizations and OUs can't get snapshot access).</summary>
        [Parameter]
        public SwitchParameter IncludeSnapshot { get; set; }

        /// <summary>Returns only $true (no check failed) or $false per AMI.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IReadOnlyList<Principal> principals;
            try
            {
                var all = new List<Principal>();
                all.AddRange(PrincipalParser.ParseMany(AccountId, PrincipalType.Account, false, false));
                all.AddRange(PrincipalParser.ParseMany(OrganizationArn, PrincipalType.Organization, false, true));
                all.AddRange(PrincipalParser.ParseMany(OrganizationalUnitArn, PrincipalType.OrganizationalUnit, false, true));
                all.AddRange(PrincipalParser.ParseMany(Principal, null, false, true));
                principals = all.Distinct().ToList();
            }
            catch (AmiShareException e)
            {
                WriteItemError(e, e.Target);
                return;
            }

            var options = new ShareOptions { IncludeKmsKey = IncludeKmsKey.IsPresent, IncludeSnapshot = IncludeSnapshot.IsPresent };
            foreach (string raw in ImageId)
            {
                string imageId;
                try
                {
                    imageId = ImageIds.Normalize(raw);
                }
                catch (AmiShareException e)
                {
                    WriteItemError(e, raw);
                    continue;
                }

                AmiShareService service = ResolveService();
                try
                {
                    IReadOnlyList<Principal> resolved = principals;
                    if (resolved.Any(p => p.IsUnresolved))
                    {
                        resolved = Run(ct => service.ResolvePrincipalsAsync(principals, ct));
                    }

                    PreflightReport report = Run(ct => service.TestShareableAsync(imageId, resolved, Public.IsPresent, options, ct));
                    if (Quiet)
                    {
                        WriteObject(!report.HasFailures);
                        continue;
                    }

                    foreach (ShareFinding finding in report.Findings)
                    {
                        WriteObject(AmiShareFinding.From(finding));
                    }
                }
                catch (AmiShareException e)
                {
                    WriteItemError(e, imageId);
                }
            }
        }
    }
}
