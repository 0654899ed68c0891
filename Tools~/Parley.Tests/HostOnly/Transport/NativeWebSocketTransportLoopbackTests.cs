using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Servers.Loopback;
using Parley.Transport;
using Parley.Unity.Transport;

namespace Parley.Tests.HostOnly.Transport
{
    /// <summary>
    /// <see cref="NativeWebSocketTransport"/> compiled against the real NativeWebSocket 2.0.4 (non-WebGL; the unmodified
    /// upstream sources in Tools~/ThirdParty~/NativeWebSocket), run against a Kestrel WebSocket server on loopback.
    /// With no SynchronizationContext (the session's own thread, where the agent's transports are made) NativeWebSocket
    /// delivers its events and messages only from DispatchMessageQueue: the test pumps frames as the agent does,
    /// <see cref="NativeWebSocketTransport.Pump"/> once per frame, until what it waits for is there (bounded).
    /// </summary>
    public class NativeWebSocketTransportLoopbackTests
    {
        static readonly TimeSpan T = TimeSpan.FromSeconds(15);
        LoopbackWebSocketServer _server;
        NativeWebSocketTransport _transport;
        SynchronizationContext _saved;

        [SetUp]
        public void SetUp()
        {
            // As on the session thread: NativeWebSocket takes the context current at construction.
            _saved = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
        }

        [TearDown]
        public void TearDown()
        {
            _transport?.Dispose();
            _server?.DisposeAsync().AsTask().Wait(T);
            SynchronizationContext.SetSynchronizationContext(_saved);
        }

        void Start(Func<WebSocket, Microsoft.AspNetCore.Http.HttpContext, Task> session, string subProtocol = null)
        {
            _server = LoopbackWebSocketServer.StartAsync(session, 0, subProtocol).WaitAsync(T).GetAwaiter().GetResult();
            _transport = new NativeWebSocketTransport();
        }

        /// <summary>Runs frames (one Pump each) until <paramref name="task"/> has completed; its result.</summary>
        T2 Frames<T2>(Task<T2> task)
        {
            Frames((Task)task);
            return task.GetAwaiter().GetResult();
        }

        void Frames(Task task)
        {
            var wall = Stopwatch.StartNew();
            while (!task.IsCompleted)
            {
                Assert.That(wall.Elapsed, Is.LessThan(T), "not completed within " + T.TotalSeconds + " s of frames");
                _transport.Pump();
                Thread.Sleep(1); // one frame; the network runs in wall time
            }
            task.GetAwaiter().GetResult();
        }

        void Connect(WebSocketConnectOptions options = null) =>
            Frames(_transport.ConnectAsync(_server.Uri, options ?? new WebSocketConnectOptions(), CancellationToken.None));

        ReceivedMessage Receive(MessageBuffer buffer) => Frames(_transport.ReceiveAsync(buffer, CancellationToken.None).AsTask());

        // The frame type comes back as the first byte, then the payload.
        static Task Echo(WebSocket ws, Microsoft.AspNetCore.Http.HttpContext _) =>
            LoopbackWebSocketServer.AnswerEachMessageAsync(ws, (socket, payload, type) =>
            {
                var reply = new byte[payload.Count + 1];
                reply[0] = (byte)(type == WebSocketMessageType.Text ? 'T' : 'B');
                Array.Copy(payload.Array, payload.Offset, reply, 1, payload.Count);
                return socket.SendAsync(new ArraySegment<byte>(reply), WebSocketMessageType.Binary, true, CancellationToken.None);
            });

        [Test]
        public void Connects_with_headers_and_subprotocol_sends_text_and_binary_and_receives_when_pumped()
        {
            Start(Echo, subProtocol: "realtime");
            var options = new WebSocketConnectOptions();
            options.Headers.Add(new KeyValuePair<string, string>("Authorization", "Bearer test-token"));
            options.SubProtocols.Add("realtime");
            Connect(options);
            Assert.That(_transport.IsOpen, Is.True);
            Assert.That(_transport.SubProtocol, Is.EqualTo("realtime"));
            Assert.That(_server.LastHeaders["Authorization"].ToString(), Is.EqualTo("Bearer test-token"));

            var buffer = new MessageBuffer(16);
            var big = "{\"a\":\"" + new string('x', 100000) + "\"}"; // several frames of NativeWebSocket's 64 KiB buffer
            Frames(_transport.SendAsync(Encoding.UTF8.GetBytes(big), MessageKind.Text, CancellationToken.None).AsTask());
            var m = Receive(buffer);
            Assert.That(m.Count, Is.EqualTo(big.Length + 1));
            Assert.That(Encoding.UTF8.GetString(buffer.Span.Slice(0, m.Count)), Is.EqualTo("T" + big), "sent as a text frame, whole");

            Frames(_transport.SendAsync(new byte[] { 1, 2, 3 }, MessageKind.Binary, CancellationToken.None).AsTask());
            m = Receive(buffer);
            Assert.That(buffer.Span.Slice(0, m.Count).ToArray(), Is.EqualTo(new byte[] { (byte)'B', 1, 2, 3 }), "sent as a binary frame");
            // NativeWebSocket's OnMessage gives bytes without the frame type: every message is reported as text.
            Assert.That(m.Kind, Is.EqualTo(MessageKind.Text));
        }

        [Test]
        public void Nothing_is_delivered_without_a_pump()
        {
            var sent = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            Start(async (ws, _) =>
            {
                await ws.ReceiveAsync(new byte[16], CancellationToken.None); // after the connect's own frames
                await ws.SendAsync(Encoding.UTF8.GetBytes("{\"type\":\"hello\"}"), WebSocketMessageType.Text, true, CancellationToken.None);
                sent.TrySetResult(true);
                await ws.ReceiveAsync(new byte[16], CancellationToken.None);
            });
            Connect();
            // Sending needs no pump (it goes straight to the socket), so no frame runs from here on.
            Assert.That(_transport.SendAsync(Encoding.UTF8.GetBytes("go"), MessageKind.Text, CancellationToken.None).AsTask().Wait(T), Is.True);
            Assert.That(sent.Task.Wait(T), Is.True);
            var receiving = _transport.ReceiveAsync(new MessageBuffer(), CancellationToken.None).AsTask();
            // However long it waits unpumped, NativeWebSocket holds the message in its queue.
            Assert.That(receiving.Wait(TimeSpan.FromMilliseconds(200)), Is.False, "delivered without DispatchMessageQueue");
            Assert.That(Frames(receiving).Count, Is.EqualTo("{\"type\":\"hello\"}".Length));
        }

        [TestCase(1008, 1008)]
        [TestCase(1011, 1011)]
        [TestCase(1000, 1000)]
        // NativeWebSocket maps codes outside its enum to Undefined (1004): OpenAI's 4000 arrives as 1004.
        [TestCase(4000, 1004)]
        public void A_server_close_is_a_close_message_with_its_code(int status, int seen)
        {
            Start(async (ws, _) =>
            {
                await ws.SendAsync(Encoding.UTF8.GetBytes("{\"type\":\"hello\"}"), WebSocketMessageType.Text, true, CancellationToken.None);
                await ws.CloseOutputAsync((WebSocketCloseStatus)status, "server says no", CancellationToken.None);
                try { await ws.ReceiveAsync(new byte[16], CancellationToken.None); }
                catch (WebSocketException) { }
            });
            Connect();
            var buffer = new MessageBuffer();
            Assert.That(Receive(buffer).Kind, Is.EqualTo(MessageKind.Text));
            var close = Receive(buffer);
            Assert.That(close.Kind, Is.EqualTo(MessageKind.Close));
            Assert.That(close.CloseStatus, Is.EqualTo(seen));
            Assert.That(close.CloseReason, Is.Null, "NativeWebSocket's OnClose has no reason");
        }

        [Test]
        public void A_dropped_socket_is_ConnectionLost_not_a_hang()
        {
            Start(async (ws, ctx) =>
            {
                await ws.ReceiveAsync(new byte[16], CancellationToken.None); // the client's go: the abort cannot race the upgrade
                ctx.Abort();
            });
            Connect();
            // The drop can cut the send itself (NativeWebSocket then cancels it with its own token): a lost connection either way.
            try { Frames(_transport.SendAsync(Encoding.UTF8.GetBytes("go"), MessageKind.Text, CancellationToken.None).AsTask()); }
            catch (TransportException sent) { Assert.That(sent.Kind, Is.EqualTo(TransportErrorKind.ConnectionLost)); }
            var e = Assert.Throws<TransportException>(() => Receive(new MessageBuffer()));
            Assert.That(e.Kind, Is.EqualTo(TransportErrorKind.ConnectionLost));
            Assert.That(_transport.IsOpen, Is.False);
        }

        [Test]
        public void Dispose_closes_the_socket_with_1000_and_ends_a_pending_receive()
        {
            var seen = new TaskCompletionSource<WebSocketCloseStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
            Start(async (ws, _) =>
            {
                try
                {
                    var r = await ws.ReceiveAsync(new byte[16], CancellationToken.None);
                    seen.TrySetResult(r.CloseStatus);
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }
                catch (WebSocketException) { seen.TrySetResult(null); }
            });
            Connect();
            var receiving = _transport.ReceiveAsync(new MessageBuffer(), CancellationToken.None).AsTask();
            _transport.Dispose();
            var m = Frames(receiving);
            Assert.That(m.Kind, Is.EqualTo(MessageKind.Close));
            Assert.That(m.CloseStatus, Is.EqualTo(1000));
            Assert.That(_transport.IsOpen, Is.False);
            Assert.That(seen.Task.Wait(T), Is.True, "the server never saw the socket end");
            Assert.That(seen.Task.Result, Is.EqualTo(WebSocketCloseStatus.NormalClosure), "a close frame, not a drop");
            Assert.Throws<TransportException>(() => _transport.SendAsync(new byte[] { 1 }, MessageKind.Binary, CancellationToken.None).AsTask().GetAwaiter().GetResult());
        }
    }
}
