using System;
using System.Linq;
using System.Net;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Servers.Loopback
{
    /// <summary>
    /// A scriptable Kestrel WebSocket server on 127.0.0.1 (ephemeral port) for transport tests: the test
    /// supplies what happens on each connection, or an HTTP status to refuse the upgrade with.
    /// </summary>
    public sealed class LoopbackWebSocketServer : IAsyncDisposable
    {
        readonly WebApplication _app;
        public Uri Uri { get; private set; }
        /// <summary>Request headers of the last upgrade (tests check what the client sent).</summary>
        public IHeaderDictionary LastHeaders { get; private set; }

        LoopbackWebSocketServer(WebApplication app) { _app = app; }

        /// <param name="session">Runs per accepted socket; the connection ends when it returns.</param>
        /// <param name="rejectStatus">When non-zero, every upgrade is refused with this HTTP status.</param>
        /// <param name="subProtocol">Subprotocol to accept, when the client offers it.</param>
        public static async Task<LoopbackWebSocketServer> StartAsync(Func<WebSocket, HttpContext, Task> session, int rejectStatus = 0, string subProtocol = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var server = new LoopbackWebSocketServer(app);
            app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
            app.Run(async ctx =>
            {
                server.LastHeaders = ctx.Request.Headers;
                if (!ctx.WebSockets.IsWebSocketRequest) { ctx.Response.StatusCode = 400; return; }
                if (rejectStatus != 0) { ctx.Response.StatusCode = rejectStatus; return; }
                var offered = subProtocol != null && ctx.WebSockets.WebSocketRequestedProtocols.Contains(subProtocol);
                using var socket = await ctx.WebSockets.AcceptWebSocketAsync(offered ? subProtocol : null).ConfigureAwait(false);
                try { await session(socket, ctx).ConfigureAwait(false); }
                catch (Exception e) when (e is WebSocketException || e is OperationCanceledException) { }
            });
            await app.StartAsync().ConfigureAwait(false);
            var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>().Addresses.First()).Port;
            server.Uri = new Uri("ws://127.0.0.1:" + port + "/");
            return server;
        }

        /// <summary>
        /// A session that answers every whole message (its frames joined, up to <paramref name="bufferBytes"/>) with
        /// <paramref name="reply"/>(socket, payload, type), and closes cleanly when the client does.
        /// </summary>
        public static async Task AnswerEachMessageAsync(WebSocket ws, Func<WebSocket, ArraySegment<byte>, WebSocketMessageType, Task> reply, int bufferBytes = 1 << 20)
        {
            var buffer = new byte[bufferBytes];
            while (true)
            {
                var count = 0;
                WebSocketReceiveResult r;
                do
                {
                    r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None).ConfigureAwait(false);
                    count += r.Count;
                } while (!r.EndOfMessage);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                await reply(ws, new ArraySegment<byte>(buffer, 0, count), r.MessageType).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
            {
                try { await _app.StopAsync(stop.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { }
            }
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
