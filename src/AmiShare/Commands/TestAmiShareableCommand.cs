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
    /// codes, watermarks, block public access (for AMIs and for snapshots), the public-AMI quota and
    /// deprecation. One finding per check, each with
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

        /// <summary>Returns only $true (no check failed) or $false per AMI.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Checks only read: AMIs never depend on each other here, whatever the options.</summary>
        protected override bool ItemsAreIndependent => true;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            // As Grant and Revoke: principals given on the command line apply to every AMI, so a bad one stops
            // the whole command before any AWS call. Principals bound from the pipeline are checked per record.
            ParseCommandLinePrincipals(false);
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
                SubmitError(e, e.Target);
                return;
            }

            ShareOptions options = Options;
            bool forPublic = Public.IsPresent, quiet = Quiet.IsPresent;
            foreach (var image in ValidImages())
            {
                Submit(image.Key, image.Value, async (service, item, ct) =>
                {
                    IReadOnlyList<Principal> resolved = await ResolveAsync(service, principals, ct).ConfigureAwait(false);
                    PreflightReport report = await service.TestShareableAsync(item.ImageId, resolved, forPublic, options, ct).ConfigureAwait(false);
                    if (quiet)
                    {
                        item.WriteResult(!report.HasFailures);
                        return;
                    }

                    foreach (ShareFinding finding in report.Findings)
                    {
                        item.WriteResult(AmiShareFinding.From(finding));
                    }
                });
            }
        }
    }
}
