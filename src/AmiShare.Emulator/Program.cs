using System.Runtime.InteropServices;

namespace AmiShare.Emulator;

public static class Program
{
    /// <summary>Runs the console emulator; exit codes are <see cref="EmulatorCommandLine.ExitOk"/> and friends (see --help).</summary>
    public static async Task<int> Main(string[] args)
    {
        EmulatorCommandLine cl;
        EmulatorOptions options;
        try
        {
            cl = EmulatorCommandLine.Parse(args);
            options = cl.ToOptions();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(EmulatorCommandLine.Usage);
            return EmulatorCommandLine.ExitBadArguments;
        }
        if (cl.ShowHelp) { Console.WriteLine(EmulatorCommandLine.Usage); return EmulatorCommandLine.ExitOk; }
        World world;
        try { world = cl.LoadWorld(); }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Cannot load world '{cl.WorldPath}': {e.Message}");
            return EmulatorCommandLine.ExitWorldNotLoaded;
        }

        // Ctrl+C and SIGTERM (docker stop, systemd, kill) both stop the emulator cleanly with exit code 0.
        using var stop = new CancellationTokenSource();
        using var sigint = Register(PosixSignal.SIGINT, stop);
        using var sigterm = Register(PosixSignal.SIGTERM, stop);

        EmulatorHost host;
        try { host = await EmulatorHost.StartAsync(world, options, cl.Port).ConfigureAwait(false); }
        catch (EmulatorPortException e)
        {
            Console.Error.WriteLine(e.Message);
            return EmulatorCommandLine.ExitPortUnavailable;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"The emulator could not start: {e.Message}");
            return EmulatorCommandLine.ExitUnexpected;
        }
        await using (host.ConfigureAwait(false))
        {
            if (cl.LogRequests) host.Log.EntryAdded += e => Console.WriteLine(e.ToString());
            Console.WriteLine(EmulatorCommandLine.Banner(host, cl.WorldPath));
            try { await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
            Console.WriteLine("Stopping.");
        }
        return EmulatorCommandLine.ExitOk;
    }

    private static PosixSignalRegistration? Register(PosixSignal signal, CancellationTokenSource stop)
    {
        try
        {
            return PosixSignalRegistration.Create(signal, ctx =>
            {
                ctx.Cancel = true; // no default termination: Main prints "Stopping.", stops Kestrel and returns 0
                try { stop.Cancel(); } catch (ObjectDisposedException) { }
            });
        }
        catch (PlatformNotSupportedException) { return null; }
    }
}
