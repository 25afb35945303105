using AmiShare.Emulator;

namespace AmiShare.Sandbox;

/// <summary>
/// The sandbox's job, callable from Program and from tests: start the emulator with the demo world,
/// import the built module into an in-process PowerShell 7 runspace with the demo owner's credentials in
/// the environment, run a script and print what a user would see.
/// </summary>
public static class SandboxRunner
{
    public static async Task<int> RunAsync(string script, TextWriter output, bool plainText)
    {
        if (!File.Exists(script))
        {
            output.WriteLine($"Script not found: {script}");
            return 2;
        }

        await using EmulatorHost emulator = await EmulatorHost.StartAsync(World.Demo());

        // The demo world's owner account (123456789012), as a user would have it in the environment.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIAAMISHAREOWNER001");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "owner-secret");
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
        Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
        Environment.SetEnvironmentVariable("AWS_PROFILE", null);
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");

        output.WriteLine($"AmiShare sandbox: emulator on {emulator.Endpoint}, account 123456789012, region us-east-1");
        output.WriteLine($"Module: {RepoPaths.ModuleManifest}");
        output.WriteLine($"Script: {script}");
        output.WriteLine();

        using var session = new ModuleSession(output, plainText: plainText);
        session.SetVariable("AmiShareEndpoint", emulator.Endpoint);

        // Every AmiShare cmdlet talks to the emulator; the script itself stays as a user would write it.
        // (Copy-SharedAmi's noun doesn't start with Ami, so it is named on its own.)
        session.Invoke("$global:PSDefaultParameterValues['*-Ami*:EndpointUrl'] = $AmiShareEndpoint; $global:PSDefaultParameterValues['Copy-SharedAmi:EndpointUrl'] = $AmiShareEndpoint").ThrowIfErrors();
        bool completed = session.InvokeToHost(". $args[0]", script);

        output.WriteLine();
        // Every kind of write the tour made, so the figures add up.
        string writes = string.Join(", ", emulator.Log.Entries.Where(e => RequestLog.IsMutating(e.Action))
            .GroupBy(e => e.Action).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key}"));
        output.WriteLine($"Emulator calls: {emulator.Log.Total} in all, {emulator.Log.MutatingCount} writes" + (writes.Length > 0 ? $" ({writes})." : "."));

        // As `pwsh -File`: a script that stops on a terminating error exits with 1.
        return completed ? 0 : 1;
    }
}
