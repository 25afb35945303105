using Amazon.PowerShell.Common;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

public sealed class SessionTests
{
    [Fact]
    public async Task StoredAwsCredentialsAndRegion_FromAwsToolsSession_AreHonoured()
    {
        await using var t = await StartAsync(defaultCredentials: false);
        var stored = new AWSPSCredentials(OwnerKey, OwnerSecret, "owner");
        t.Ps.SetVariable("StoredAWSCredentials", stored);
        t.Ps.SetVariable("StoredAWSRegion", "eu-west-1");

        var r = t.Run("$DebugPreference = 'Continue'; Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 5>&1", EuWeb).ThrowIfErrors();

        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(EuWeb, "eu-west-1"));
        Assert.All(t.Log.Entries, e => Assert.Equal((Owner, "eu-west-1"), (e.Account, e.Region)));
        Assert.Contains(r.Output, o => o.ToString()!.Contains("$StoredAWSCredentials"));
        Assert.Contains(r.Output, o => o.ToString()!.Contains("$StoredAWSRegion"));
        Assert.True(stored.Credentials.Calls > 0);
    }

    [Fact]
    public async Task ExplicitKeys_WinOverStoredAwsCredentials()
    {
        await using var t = await StartAsync(defaultCredentials: false);
        t.Ps.SetVariable("StoredAWSCredentials", new AWSPSCredentials(OwnerKey, OwnerSecret, "owner"));
        t.Ps.SetVariable("StoredAWSRegion", "us-east-1");

        var r = t.Run("Get-AmiLaunchPermission $args[0] -AccessKey $args[1] -SecretKey $args[2]", Web, ConsumerKey, ConsumerSecret);

        Assert.Equal(new[] { "AmiNotOwned,AmiShare.Commands.GetAmiLaunchPermissionCommand" }, r.ErrorIds);
        Assert.All(t.Log.Entries, e => Assert.Equal(Consumer, e.Account));
    }

    [Fact]
    public async Task StoredVariableOfAnotherType_IsIgnored_LikeAwsTools()
    {
        await using var t = await StartAsync(defaultCredentials: false);
        t.Ps.SetVariable("StoredAWSCredentials", "not-a-credentials-object");
        t.Ps.SetVariable("StoredAWSRegion", "us-east-1");

        var r = t.Run("Get-AmiLaunchPermission $args[0]", Web);

        Assert.Equal(new[] { "NoCredentials,AmiShare.Commands.GetAmiLaunchPermissionCommand" }, r.ErrorIds);
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task NoCredentials_TerminatingError_WithAwsToolsText_AndNoCall()
    {
        await using var t = await StartAsync(defaultCredentials: false);
        var r = t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333 -Region us-east-1", Web);

        Assert.Equal(new[] { "NoCredentials,AmiShare.Commands.GrantAmiLaunchPermissionCommand" }, r.ErrorIds);
        Assert.Contains("No credentials specified or obtained from persisted/shell defaults.", r.FirstErrorText);
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task NoRegion_TerminatingError_WithAwsToolsText()
    {
        await using var t = await StartAsync(defaultCredentials: false);
        var r = t.Run("Get-AmiLaunchPermission $args[0] -AccessKey $args[1] -SecretKey $args[2]", Web, OwnerKey, OwnerSecret);

        Assert.Equal(new[] { "NoRegion,AmiShare.Commands.GetAmiLaunchPermissionCommand" }, r.ErrorIds);
        Assert.Contains("No region specified or obtained from persisted/shell defaults.", r.FirstErrorText);
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task ProfileLocation_WithNamedProfile_IsUsed_AndMissingProfileFailsHard()
    {
        await using var t = await StartAsync(defaultCredentials: false);
        string file = Path.Combine(Path.GetTempPath(), "amishare-creds-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, $"[consumer]\naws_access_key_id = {ConsumerKey}\naws_secret_access_key = {ConsumerSecret}\n\n[default]\naws_access_key_id = {OwnerKey}\naws_secret_access_key = {OwnerSecret}\n");
        try
        {
            var ok = t.Run("Get-AmiLaunchPermission $args[0] -ProfileName consumer -ProfileLocation $args[1] -Region us-east-1", Web, file);
            Assert.Equal(new[] { "AmiNotOwned,AmiShare.Commands.GetAmiLaunchPermissionCommand" }, ok.ErrorIds);
            Assert.All(t.Log.Entries, e => Assert.Equal(Consumer, e.Account));

            t.Log.Clear();
            var missing = t.Run("Get-AmiLaunchPermission $args[0] -ProfileName nosuch -ProfileLocation $args[1] -Region us-east-1", Web, file);
            Assert.Equal(new[] { "ProfileNotFound,AmiShare.Commands.GetAmiLaunchPermissionCommand" }, missing.ErrorIds);
            Assert.Contains("nosuch", missing.FirstErrorText);
            Assert.Equal(0, t.Log.Total);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AwsProxy_FromSetAwsProxy_CarriesEveryCall_AndItsBypassListIsHonoured()
    {
        await using var t = await StartAsync();
        await using var proxy = new ForwardProxy();
        t.Run("$global:AWSProxy = [pscustomobject]@{ Hostname = '127.0.0.1'; Port = $args[0]; Credentials = $null; BypassList = @(); BypassOnLocal = $false }", proxy.Port).ThrowIfErrors();

        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333", Web).ThrowIfErrors();

        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Web));
        Assert.Equal(t.Log.Total, proxy.Requests.Count);
        Assert.All(proxy.Requests, line => Assert.StartsWith("POST " + t.Emulator.Endpoint + "/", line));

        int before = proxy.Requests.Count;
        t.Run("$AWSProxy.BypassList = @('127\\.0\\.0\\.1'); Get-AmiLaunchPermission $args[0]", Web).ThrowIfErrors();
        Assert.Equal(before, proxy.Requests.Count);
    }

    [Fact]
    public async Task SecretKey_NeverAppearsInAnyStream()
    {
        await using var t = await StartAsync();
        var r = t.Run("$DebugPreference = 'Continue'; Grant-AmiLaunchPermission $args[0], $args[1] -AccountId 111122223333 -Verbose *>&1", Web, Missing);

        string all = string.Join("\n", r.Output.Select(o => o.ToString())) + t.Ps.HostOutput;
        Assert.Contains("ModifyImageAttribute", all);
        Assert.DoesNotContain(OwnerSecret, all);
    }

    [Fact]
    public async Task RejectedCredentials_StopTheCommandAtTheFirstAmi_OneCallInAll()
    {
        await using var t = await StartAsync();
        var r = t.Run("$args[0], $args[1], $args[2] | Grant-AmiLaunchPermission -AccountId 111122223333 -AccessKey AKIAUNKNOWNKEY000001 -SecretKey nope",
            Web, Agent, Cmk);

        Assert.Equal(new[] { "CredentialsRejected,AmiShare.Commands.GrantAmiLaunchPermissionCommand" }, r.ErrorIds);
        Assert.Equal(1, t.Log.Total);
        Assert.Equal(0, t.Log.MutatingCount);
    }
}
