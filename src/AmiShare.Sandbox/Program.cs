using AmiShare.Sandbox;

// AmiShare sandbox: starts the emulator with the demo world on 127.0.0.1, imports the built module
// (out/<Configuration>/AmiShare) into an in-process PowerShell 7 runspace and runs docs/examples/tour.ps1, or the
// script given as the first argument, printing what a user would see at a prompt.
string script = args.Length > 0 ? Path.GetFullPath(args[0]) : RepoPaths.Tour;
return await SandboxRunner.RunAsync(script, Console.Out, plainText: Console.IsOutputRedirected);
