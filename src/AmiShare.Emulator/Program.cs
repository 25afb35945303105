namespace AmiShare.Emulator;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        EmulatorCommandLine cl;
        try { cl = EmulatorCommandLine.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(EmulatorCommandLine.Usage);
            return 2;
        }
        if (cl.ShowHelp) { Console.WriteLine(EmulatorCommandLine.Usage); return 0; }
        World world;
        try { world = cl.LoadWorld(); }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Cannot load world '{cl.WorldPath}': {e.Message}");
            return 3;
        }
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        await using var host = await EmulatorHost.StartAsync(world, cl.ToOptions(), cl.Port).ConfigureAwait(false);
        if (cl.LogRequests) host.Log.EntryAdded += e => Console.WriteLine(e.ToString());
        Console.WriteLine(EmulatorCommandLine.Banner(host, cl.WorldPath));
        try { await Task.Delay(Timeout.Infinite, cts.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
        Console.WriteLine("Stopping.");
        return 0;
    }
}
