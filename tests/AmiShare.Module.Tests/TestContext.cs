using AmiShare.Emulator;
using AmiShare.Sandbox;

[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace AmiShare.Module.Tests;

/// <summary>
/// One test's world: a fresh emulator with the demo world and a fresh runspace with the built module
/// imported from out/&lt;Configuration&gt;/AmiShare. By default every AmiShare cmdlet gets the emulator endpoint, the demo
/// owner's keys and us-east-1 through $PSDefaultParameterValues, as a user's profile script might.
/// </summary>
public sealed class ModuleTestContext : IAsyncDisposable
{
    public const string Owner = "123456789012";
    public const string OwnerKey = "AKIAAMISHAREOWNER001";
    public const string OwnerSecret = "owner-secret";
    public const string Consumer = "111122223333";
    public const string ConsumerKey = "AKIAAMISHARECONSUMER1";
    public const string ConsumerSecret = "consumer-secret";
    public const string Web = "ami-0a1b2c3d4e5f60001";
    public const string Cmk = "ami-0a1b2c3d4e5f60002";
    public const string AwsEbs = "ami-0a1b2c3d4e5f60003";
    public const string Market = "ami-0a1b2c3d4e5f60004";
    public const string Agent = "ami-0a1b2c3d4e5f60005";
    public const string EuWeb = "ami-0a1b2c3d4e5f60006";
    public const string ThirdParty = "ami-0f0f0f0f0f0f0f0f0";
    public const string Missing = "ami-00000000000000000";
    public const string OrgArn = "arn:aws:organizations::123456789012:organization/o-abc1234567";
    public const string EngineeringOu = "arn:aws:organizations::123456789012:ou/o-abc1234567/ou-ab12-11111111";

    private ModuleTestContext(EmulatorHost emulator, ModuleSession ps)
    {
        Emulator = emulator;
        Ps = ps;
    }

    public EmulatorHost Emulator { get; }

    public ModuleSession Ps { get; }

    public RequestLog Log => Emulator.Log;

    public World World => Emulator.World;

    public static async Task<ModuleTestContext> StartAsync(World? world = null, bool defaultCredentials = true)
    {
        // Nothing in these tests may fall through to a real credential source or IMDS.
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        foreach (string name in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2" })
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        var emulator = await EmulatorHost.StartAsync(world ?? World.Demo());
        var ps = new ModuleSession(new StringWriter());
        ps.SetVariable("Endpoint", emulator.Endpoint);
        ps.Invoke("$global:PSDefaultParameterValues['*-Ami*:EndpointUrl'] = $Endpoint").ThrowIfErrors();
        if (defaultCredentials)
        {
            ps.Invoke($@"$global:PSDefaultParameterValues['*-Ami*:AccessKey'] = '{OwnerKey}'
$global:PSDefaultParameterValues['*-Ami*:SecretKey'] = '{OwnerSecret}'").ThrowIfErrors();

            // The region comes as Set-DefaultAWSRegion leaves it, so -Region stays free for pipeline binding.
            ps.SetVariable("StoredAWSRegion", "us-east-1");
        }

        return new ModuleTestContext(emulator, ps);
    }

    /// <summary>Runs PowerShell as a user types it.</summary>
    public PsResult Run(string script, params object[] args) => Ps.Invoke(script, args);

    /// <summary>Launch permissions in the emulator's state, as "Kind:Value" strings, sorted.</summary>
    public IReadOnlyList<string> PermissionsOf(string imageId, string region = "us-east-1")
        => World.LaunchPermissionsOf(region, imageId).Select(p => p.Kind + ":" + p.Value).OrderBy(s => s, StringComparer.Ordinal).ToList();

    public async ValueTask DisposeAsync()
    {
        Ps.Dispose();
        await Emulator.DisposeAsync();
    }
}
