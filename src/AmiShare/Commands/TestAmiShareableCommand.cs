using System.Collections.Generic;
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
    public sealed class TestAmiShareableCommand : AmiPrincipalInputCmdlet
    {
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
        protected override void BeginProcessing()
        {
            // As Grant and Revoke: principals given on the command line apply to every AMI, so a bad one stops
            // the whole command before any AWS call. Principals bound from the pipeline are checked per record.
            if (AnyPrincipalBound)
            {
                try
                {
                    ParsePrincipals(false);
                }
                catch (AmiShareException e)
                {
                    ThrowTerminatingError(ToErrorRecord(e, e.Target));
                }
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IReadOnlyList<Principal> principals;
            try
            {
                principals = ParsePrincipals(false);
            }
            catch (AmiShareException e)
            {
                WriteItemError(e, e.Target);
                return;
            }

            var options = new ShareOptions { IncludeKmsKey = IncludeKmsKey.IsPresent, IncludeSnapshot = IncludeSnapshot.IsPresent };
            foreach (var image in ValidImages())
            {
                try
                {
                    IReadOnlyList<Principal> resolved = Resolve(image.Value, principals);
                    PreflightReport report = Run(ct => image.Value.TestShareableAsync(image.Key, resolved, Public.IsPresent, options, ct));
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
                    WriteItemError(e, image.Key);
                }
            }
        }
    }
}
