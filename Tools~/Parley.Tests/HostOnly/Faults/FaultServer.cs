using System;
using System.IO;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Parley.Servers.Loopback;

namespace Parley.Tests.HostOnly.Faults
{
    public enum Fault
    {
        /// <summary>The reply is delivered whole (control case).</summary>
        None,
        DropMidReply,
        DropWhileIdle,
        SilentMidReply,
        MalformedJsonMidReply,
        OversizedFrameMidReply,
        UnknownEventMidReply,
        CloseMidReply,
        /// <summary>Every 100 ms chunk arrives 150 ms after the previous one: slower than real time, no error.</summary>
        SlowerThanRealTime,
    }

    /// <summary>The server side of one vendor's protocol, as far as the fault matrix needs it.</summary>
    public abstract class VendorWire
    {
        /// <summary>Reads the client's setup and accepts it.</summary>
        public abstract Task HandshakeAsync(WebSocket ws);
        /// <summary>Reads until the client asked for a reply.</summary>
        public abstract Task WaitReplyRequestAsync(WebSocket ws);
        public virtual Task ReplyStartAsync(WebSocket ws) => Task.CompletedTask;
        /// <summary>One audio message carrying <paramref name="pcmBytes"/> bytes of PCM16.</summary>
        public abstract string Chunk(int pcmBytes);
        public abstract Task ReplyEndAsync(WebSocket ws);
        /// <summary>A well-formed message of a type this client does not know.</summary>
        public abstract string UnknownEvent { get; }
        /// <summary>PCM16 samples per 100 ms of this vendor's output.</summary>
        public abstract int SamplesPer100Ms { get; }

        public static async Task<string> ReceiveAsync(WebSocket ws)
        {
            var buffer = new byte[1 << 16];
            using (var ms = new MemoryStream())
            {
                while (true)
                {
                    var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None).ConfigureAwait(false);
                    if (r.MessageType == WebSocketMessageType.Close) return null;
                    ms.Write(buffer, 0, r.Count);
                    if (r.EndOfMessage) return Encoding.UTF8.GetString(ms.ToArray());
                }
            }
        }

        /// <summary>Reads until a message containing <paramref name="fragment"/> (throws when the client closes first).</summary>
        public static async Task<string> ReceiveUntilAsync(WebSocket ws, string fragment)
        {
            while (true)
            {
                var m = await ReceiveAsync(ws).ConfigureAwait(false);
                if (m == null) throw new OperationCanceledException("the client closed before sending " + fragment);
                if (m.Contains(fragment)) return m;
            }
        }

        public static Task SendAsync(WebSocket ws, string text) =>
            ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes(text)), WebSocketMessageType.Text, true, CancellationToken.None);

        /// <summary>Base64 of a deterministic PCM16 ramp of <paramref name="bytes"/> bytes.</summary>
        public static string Pcm(int bytes)
        {
            var b = new byte[bytes];
            for (var i = 0; i < b.Length; i++) b[i] = (byte)(i * 7);
            return Convert.ToBase64String(b);
        }
    }

    /// <summary>
    /// A loopback server that speaks one vendor's wire and breaks it in one scripted way at a known point. The test
    /// waits on <see cref="FaultApplied"/> (the explicit gate) instead of sleeping.
    /// </summary>
    public sealed class FaultServer : IAsyncDisposable
    {
        public const int ChunksBeforeFault = 2;
        readonly VendorWire _wire;
        readonly Fault _fault;
        readonly int _closeCode;
        readonly string _closeReason;
        readonly int _oversizedBytes;
        LoopbackWebSocketServer _server;

        /// <summary>Released once the fault has happened on the wire (or, for the idle drop, when the server is idle).</summary>
        public readonly SemaphoreSlim FaultApplied = new SemaphoreSlim(0);
        /// <summary>For <see cref="Fault.DropWhileIdle"/>: the test releases it to make the server drop.</summary>
        public readonly SemaphoreSlim Go = new SemaphoreSlim(0);
        public int ReplyChunks;

        FaultServer(VendorWire wire, Fault fault, int closeCode, string closeReason, int oversizedBytes)
        {
            _wire = wire;
            _fault = fault;
            _closeCode = closeCode;
            _closeReason = closeReason;
            _oversizedBytes = oversizedBytes;
        }

        public Uri Uri => _server.Uri;

        public static async Task<FaultServer> StartAsync(VendorWire wire, Fault fault, int closeCode = 0, string closeReason = null, int rejectStatus = 0, int oversizedBytes = 0)
        {
            var s = new FaultServer(wire, fault, closeCode, closeReason, oversizedBytes);
            s._server = await LoopbackWebSocketServer.StartAsync(s.Session, rejectStatus).ConfigureAwait(false);
            return s;
        }

        async Task Session(WebSocket ws, HttpContext ctx)
        {
            await _wire.HandshakeAsync(ws).ConfigureAwait(false);
            if (_fault == Fault.DropWhileIdle)
            {
                FaultApplied.Release();
                await Go.WaitAsync().ConfigureAwait(false);
                ctx.Abort(); // TCP reset: no close frame
                return;
            }
            await _wire.WaitReplyRequestAsync(ws).ConfigureAwait(false);
            await _wire.ReplyStartAsync(ws).ConfigureAwait(false);
            var chunkBytes = _wire.SamplesPer100Ms * 2;
            var total = _fault == Fault.SlowerThanRealTime ? 10 : 6;
            for (var i = 0; i < total; i++)
            {
                if (i == ChunksBeforeFault && await ApplyAsync(ws, ctx).ConfigureAwait(false)) return;
                await VendorWire.SendAsync(ws, _wire.Chunk(chunkBytes)).ConfigureAwait(false);
                Interlocked.Increment(ref ReplyChunks);
                // Slower than real time: 100 ms of audio every 150 ms.
                if (_fault == Fault.SlowerThanRealTime) await Task.Delay(150).ConfigureAwait(false);
            }
            await _wire.ReplyEndAsync(ws).ConfigureAwait(false);
            FaultApplied.Release();
            // Keep the connection until the client closes it.
            while (await VendorWire.ReceiveAsync(ws).ConfigureAwait(false) != null) { }
        }

        /// <summary>True when the connection ends with the fault.</summary>
        async Task<bool> ApplyAsync(WebSocket ws, HttpContext ctx)
        {
            switch (_fault)
            {
                case Fault.DropMidReply:
                    ctx.Abort();
                    FaultApplied.Release();
                    return true;
                case Fault.SilentMidReply:
                    FaultApplied.Release();
                    // Silent, connection open, until the client gives up.
                    while (await VendorWire.ReceiveAsync(ws).ConfigureAwait(false) != null) { }
                    return true;
                case Fault.CloseMidReply:
                    await ws.CloseOutputAsync((WebSocketCloseStatus)_closeCode, _closeReason, CancellationToken.None).ConfigureAwait(false);
                    FaultApplied.Release();
                    return true;
                case Fault.MalformedJsonMidReply:
                    await VendorWire.SendAsync(ws, "{\"type\":\"response.output_audio.delta\",\"delta\":").ConfigureAwait(false);
                    return false;
                case Fault.UnknownEventMidReply:
                    await VendorWire.SendAsync(ws, _wire.UnknownEvent).ConfigureAwait(false);
                    return false;
                case Fault.OversizedFrameMidReply:
                    await VendorWire.SendAsync(ws, _wire.Chunk(_oversizedBytes)).ConfigureAwait(false);
                    FaultApplied.Release();
                    // The client closes with 1009; wait for it.
                    while (await VendorWire.ReceiveAsync(ws).ConfigureAwait(false) != null) { }
                    return true;
                default:
                    return false;
            }
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
