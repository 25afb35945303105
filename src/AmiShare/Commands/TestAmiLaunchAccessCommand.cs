using System.Management.Automation;
using AmiShare.Engine;
using AmiShare.Engine.Access;
using AmiShare.Engine.Principals;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// Answers whether accounts can launch AMIs, and through what: Owner, Direct (the account is listed),
    /// Organization, OrganizationalUnit (with the OU path), Public, or None. It reads the AMI's launch
    /// permissions and each account's parents in AWS Organizations, so run it with the AMI owner's
    /// credentials (the organization's management or delegated-administrator account for org/OU paths).
    /// With -Quiet it returns $true or $false per account.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AmiLaunchAccess")]
    [OutputType(typeof(AmiLaunchAccess))]
    [OutputType(typeof(bool))]
    public sealed class TestAmiLaunchAccessCommand : AmiShareCmdlet
    {
        /// <summary>The 12-digit account ids to check.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("UserId", "AccountIds")]
        [ValidateNotNullOrEmpty]
        public string[] AccountId { get; set; }

        /// <summary>Returns only $true or $false per AMI and account.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            // Accounts given on the command line apply to every AMI: one bad account refuses the whole command
            // before any AWS call, as Grant and Revoke do. Accounts bound from the pipeline are checked per record.
            if (MyInvocation.BoundParameters.ContainsKey(nameof(AccountId)))
            {
                try
                {
                    PrincipalParser.ParseMany(AccountId, PrincipalType.Account, false);
                }
                catch (AmiShareException e)
                {
                    ThrowTerminating(e);
                }
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // Every account of the record is checked before any AWS call; one bad one skips the whole record.
            var accounts = new System.Collections.Generic.List<string>();
            try
            {
                foreach (Principal account in PrincipalParser.ParseMany(AccountId, PrincipalType.Account, false))
                {
                    accounts.Add(account.Value);
                }
            }
            catch (AmiShareException e)
            {
                SubmitError(e, e.Target);
                return;
            }

            bool quiet = Quiet.IsPresent;
            foreach (var image in ValidImages())
            {
                Submit(image.Key, image.Value, async (service, item, ct) =>
                {
                    foreach (LaunchAccessResult result in await service.TestLaunchAccessAsync(item.ImageId, accounts, ct).ConfigureAwait(false))
                    {
                        if (!string.IsNullOrEmpty(result.Caveat))
                        {
                            item.Warning(result.Caveat);
                        }

                        item.WriteResult(quiet ? (object)result.CanLaunch : AmiLaunchAccess.From(result));
                    }
                });
            }
        }
    }
}
