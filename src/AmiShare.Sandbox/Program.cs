using AmiShare.Emulator;
using AmiShare.Sandbox;

// AmiShare sandbox: starts the emulator with the demo world on 127.0.0.1, imports the built module
// (out/AmiShare) into an in-process PowerShell 7 runspace and runs docs/examples/tour.ps1, or the
// script given as the first argument, printing what a user would see at a prompt.
string script = args.Length > 0 ? Path.GetFullPath(args[0]) : RepoPaths.Tour;
if (!File.Exists(script))
{
    Console.Error.WriteLine($"Script not found: {script}");
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

Console.WriteLine($"AmiShare sandbox: emulator on {emulator.Endpoint}, account 123456789012, region us-east-1");
Console.WriteLine($"Module: {RepoPaths.ModuleManifest}");
Console.WriteLine($"Script: {script}");
Console.WriteLine();

using var session = new ModuleSession(Console.Out, plainText: Console.IsOutputRedirected);
session.SetVariable("AmiShareEndpoint", emulator.Endpoint);

// Every AmiShare cmdlet talks to the emulator; the script itself stays as a user would write it.
session.Invoke("$global:PSDefaultParameterValues['*-Ami*:EndpointUrl'] = $AmiShareEndpoint").ThrowIfErrors();
session.InvokeToHost(". $args[0]", script);

Console.WriteLine();
Console.WriteLine($"Emulator calls: {emulator.Log.Total} in all, {emulator.Log.Count("ModifyImageAttribute")} ModifyImageAttribute, {emulator.Log.Count("ResetImageAttribute")} ResetImageAttribute.");
return 0;
