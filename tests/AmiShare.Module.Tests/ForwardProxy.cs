using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AmiShare.Module.Tests;

/// <summary>
/// A minimal HTTP forward proxy on 127.0.0.1 for tests: it records the absolute URI of every request it is
/// asked to forward, sends the request on with "Connection: close", and copies the answer back.
/// One request per connection; enough for the SDK's plain-HTTP calls to the emulator.
/// </summary>
public sealed class ForwardProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<string> _requests = new();

    public ForwardProxy()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Request lines seen, e.g. "POST http://127.0.0.1:5000/ HTTP/1.1".</summary>
    public IReadOnlyList<string> Requests { get { lock (_requests) return _requests.ToList(); } }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        {
            NetworkStream down = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await down.ReadAsync(buffer) == 0)
                {
                    return;
                }

                head.Append((char)buffer[0]);
            }

            string[] lines = head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            string[] requestLine = lines[0].Split(' ');
            lock (_requests)
            {
                _requests.Add(lines[0]);
            }

            var target = new Uri(requestLine[1]);
            int length = lines.Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                .Select(l => int.Parse(l.Substring(15).Trim())).FirstOrDefault();
            var body = new byte[length];
            for (int read = 0; read < length;)
            {
                read += await down.ReadAsync(body.AsMemory(read));
            }

            var forwarded = new StringBuilder($"{requestLine[0]} {target.PathAndQuery} {requestLine[2]}\r\n");
            foreach (string line in lines.Skip(1).Where(l => !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)))
            {
                forwarded.Append(line).Append("\r\n");
            }

            forwarded.Append("Connection: close\r\n\r\n");
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(target.Host, target.Port);
            NetworkStream up = upstream.GetStream();
            await up.WriteAsync(Encoding.ASCII.GetBytes(forwarded.ToString()));
            await up.WriteAsync(body);
            await up.CopyToAsync(down);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }
}
