using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Parley.Servers.Gemini;

/// <summary>
/// A Gemini Live endpoint on 127.0.0.1 (Kestrel, ephemeral port) for conformance tests. Each accepted
/// connection runs the script the test installed (<see cref="Script"/>): replay of a recorded session
/// (<see cref="GeminiScenarios.Replay"/>) or one of the scenario modes. Everything the client sent is kept
/// for assertions; the credential in the query is checked but never stored.
/// </summary>
public sealed class GeminiLiveServer : IAsyncDisposable
{
    WebApplication _app;
    int _connections;

    public Uri Host { get; private set; }
    public string ExpectedKey { get; set; } = "test-key";
    public Func<GeminiServerConnection, Task> Script { get; set; } = c => c.CloseAsync(1011, "no script");
    /// <summary>Send server JSON in binary frames, as Gemini does.</summary>
    public bool BinaryFrames { get; set; } = true;
    /// <summary>Keep every client frame in <see cref="GeminiServerConnection.Received"/> (off for soaks, so the server's memory stays flat).</summary>
    public bool RecordFrames { get; set; } = true;
    public ConcurrentQueue<string> Problems { get; } = new();
    /// <summary>Connections whose script ended on a socket error or cancellation (not problems: clients drop too).</summary>
    public ConcurrentQueue<string> Endings { get; } = new();
    public ConcurrentQueue<GeminiServerConnection> Accepted { get; } = new();
    public ConcurrentQueue<string> RequestPaths { get; } = new();
    public int Connections => Volatile.Read(ref _connections);

    public static async Task<GeminiLiveServer> StartAsync()
    {
        var server = new GeminiLiveServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/ws/{method}", server.HandleAsync);
        await app.StartAsync();
        var address = app.Urls.First();
        server.Host = new Uri(address.Replace("http://", "ws://"));
        server._app = app;
        return server;
    }

    async Task HandleAsync(HttpContext http)
    {
        var method = (string)http.Request.RouteValues["method"];
        RequestPaths.Enqueue(http.Request.Path.Value);
        if (!http.WebSockets.IsWebSocketRequest) { http.Response.StatusCode = 400; return; }
        var expectedMethod = method.EndsWith("BidiGenerateContentConstrained", StringComparison.Ordinal) ? "access_token" : "key";
        if (!method.StartsWith("google.ai.generativelanguage.v1", StringComparison.Ordinal) || !method.Contains(".GenerativeService.BidiGenerateContent", StringComparison.Ordinal))
        {
            http.Response.StatusCode = 404;
            return;
        }
        var secret = http.Request.Query[expectedMethod].ToString();
        if (secret != ExpectedKey && !(expectedMethod == "access_token" && secret == "auth_tokens/" + ExpectedKey))
        {
            // Gemini rejects a bad key after the upgrade with a 1007/1008 close and a readable reason.
            using var rejected = await http.WebSockets.AcceptWebSocketAsync();
            await rejected.CloseAsync((WebSocketCloseStatus)1008, "API key not valid. Please pass a valid API key.", CancellationToken.None);
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var connection = new GeminiServerConnection(socket, Interlocked.Increment(ref _connections), this);
        Accepted.Enqueue(connection);
        try { await Script(connection); }
        catch (Exception e) when (e is WebSocketException || e is OperationCanceledException) { Endings.Enqueue("connection " + connection.Index + ": " + e.GetType().Name + ": " + e.Message); }
        catch (Exception e) { Problems.Enqueue("script failed: " + e); }
        finally { connection.Finish(); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app != null)
        {
            using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                await _app.StopAsync(stop.Token);
            await _app.DisposeAsync();
        }
    }
}

/// <summary>One accepted client connection as a script sees it.</summary>
public sealed class GeminiServerConnection
{
    readonly WebSocket _socket;
    readonly GeminiLiveServer _server;
    readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Index { get; }
    /// <summary>Server clock (Stopwatch ticks) when the connection was accepted and when its script ended.</summary>
    public long AcceptedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
    public long FinishedAt { get; private set; }
    /// <summary>Every text/binary message the client sent, in order.</summary>
    public List<string> Received { get; } = new();
    public int? ClientCloseStatus { get; private set; }
    public Task Finished => _finished.Task;

    internal GeminiServerConnection(WebSocket socket, int index, GeminiLiveServer server)
    {
        _socket = socket;
        Index = index;
        _server = server;
    }

    internal void Finish()
    {
        FinishedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        _finished.TrySetResult();
    }

    public void Problem(string text) => _server.Problems.Enqueue($"connection {Index}: {text}");

    /// <summary>The next client message, or null when the client closed or the time ran out.</summary>
    public async Task<string> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        var message = new List<byte>();
        try
        {
            while (true)
            {
                var r = await _socket.ReceiveAsync(buffer, cts.Token);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    ClientCloseStatus = (int?)r.CloseStatus;
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    return null;
                }
                message.AddRange(new ArraySegment<byte>(buffer, 0, r.Count));
                if (r.EndOfMessage) break;
            }
        }
        catch (OperationCanceledException) { _server.Endings.Enqueue("connection " + Index + ": receive timed out"); return null; }
        catch (WebSocketException e) { _server.Endings.Enqueue("connection " + Index + ": " + e.Message); return null; }
        var json = Encoding.UTF8.GetString(message.ToArray());
        if (_server.RecordFrames) lock (Received) Received.Add(json);
        return json;
    }

    public Task SendAsync(string json, bool? binary = null) =>
        SendBytesAsync(Encoding.UTF8.GetBytes(json), binary ?? _server.BinaryFrames);

    public Task SendBytesAsync(byte[] bytes, bool binary) =>
        _socket.SendAsync(bytes, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task CloseAsync(int status, string reason)
    {
        if (_socket.State == WebSocketState.Open || _socket.State == WebSocketState.CloseReceived)
            await _socket.CloseAsync((WebSocketCloseStatus)status, reason, CancellationToken.None);
    }

    /// <summary>Drops the TCP connection without a close handshake (a network failure as the client sees it).</summary>
    public void Abort() => _socket.Abort();

    /// <summary>Waits for the client to close or drop (after a script is done talking).</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        while (await ReceiveAsync(timeout) != null) { }
    }
}
