using System;
using System.Collections.Generic;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Servers.Loopback;
using Parley.Transport;

namespace Parley.Tests.HostOnly.Transport
{
    /// <summary>ClientWebSocketTransport against a real Kestrel WebSocket server on loopback.</summary>
    public class ClientWebSocketTransportLoopbackTests
    {
        static readonly TimeSpan T = TimeSpan.FromSeconds(15);
        LoopbackWebSocketServer _server;
        ClientWebSocketTransport _transport;

        [TearDown]
        public void TearDown()
        {
            _transport?.Dispose();
            _server?.DisposeAsync().AsTask().Wait(T);
        }

        void Start(Func<WebSocket, Microsoft.AspNetCore.Http.HttpContext, Task> session, int reject = 0, string subProtocol = null)
        {
            _server = LoopbackWebSocketServer.StartAsync(session, reject, subProtocol).WaitAsync(T).GetAwaiter().GetResult();
            _transport = new ClientWebSocketTransport();
        }

        void Connect(WebSocketConnectOptions options = null) =>
            _transport.ConnectAsync(_server.Uri, options ?? new WebSocketConnectOptions(), CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();

        ReceivedMessage Receive(MessageBuffer buffer) => _transport.ReceiveAsync(buffer, CancellationToken.None).AsTask().WaitAsync(T).GetAwaiter().GetResult();

        static Task Echo(WebSocket ws, Microsoft.AspNetCore.Http.HttpContext _) =>
            LoopbackWebSocketServer.AnswerEachMessageAsync(ws, (socket, payload, type) => socket.SendAsync(payload, type, true, CancellationToken.None));

        [Test]
        public void EchoesTextAndBinary_AndSendsHeadersAndSubprotocols()
        {
            Start(Echo, subProtocol: "realtime");
            var options = new WebSocketConnectOptions();
            options.Headers.Add(new KeyValuePair<string, string>("Authorization", "Bearer test-token"));
            options.SubProtocols.Add("realtime");
            Connect(options);
            Assert.That(_transport.SubProtocol, Is.EqualTo("realtime"));
            Assert.That(_server.LastHeaders["Authorization"].ToString(), Is.EqualTo("Bearer test-token"));
            var buffer = new MessageBuffer(16);
            var big = new string('x', 100000);
            _transport.SendAsync(Encoding.UTF8.GetBytes("{\"a\":" + "\"" + big + "\"}"), MessageKind.Text, CancellationToken.None).AsTask().WaitAsync(T).GetAwaiter().GetResult();
            var m = Receive(buffer);
            Assert.That(m.Kind, Is.EqualTo(MessageKind.Text));
            Assert.That(m.Count, Is.EqualTo(big.Length + 8));
            _transport.SendAsync(new byte[] { 1, 2, 3 }, MessageKind.Binary, CancellationToken.None).AsTask().WaitAsync(T).GetAwaiter().GetResult();
            m = Receive(buffer);
            Assert.That(m.Kind, Is.EqualTo(MessageKind.Binary));
            Assert.That(buffer.Span.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        }

        [TestCase(401)]
        [TestCase(429)]
        public void UpgradeRejection_IsRejectedWithTheHttpStatus(int status)
        {
            Start(Echo, reject: status);
            var e = Assert.Throws<TransportException>(() => Connect());
            Assert.That(e.Kind, Is.EqualTo(TransportErrorKind.Rejected));
            Assert.That(e.HttpStatus, Is.EqualTo(status));
        }

        [TestCase(4000, "invalid_request_error.beta_api_shape_disabled")]
        [TestCase(1011, "Internal error")]
        [TestCase(1007, "Request contains an invalid argument.")]
        [TestCase(1000, "")]
        public void ServerClose_ReportsStatusAndReason(int status, string reason)
        {
            Start(async (ws, _) =>
            {
                await ws.SendAsync(Encoding.UTF8.GetBytes("{\"type\":\"hello\"}"), WebSocketMessageType.Text, true, CancellationToken.None);
                await ws.CloseOutputAsync((WebSocketCloseStatus)status, reason, CancellationToken.None);
                await ws.ReceiveAsync(new byte[16], CancellationToken.None);
            });
            Connect();
            var buffer = new MessageBuffer();
            Assert.That(Receive(buffer).Kind, Is.EqualTo(MessageKind.Text));
            var close = Receive(buffer);
            Assert.That(close.Kind, Is.EqualTo(MessageKind.Close));
            Assert.That(close.CloseStatus, Is.EqualTo(status));
            Assert.That(close.CloseReason ?? "", Is.EqualTo(reason));
        }

        [Test]
        public void MessageOverTheLimit_FailsTyped_AndClosesWith1009()
        {
            var closeStatus = new TaskCompletionSource<WebSocketCloseStatus?>();
            Start(async (ws, _) =>
            {
                await ws.SendAsync(new byte[200000], WebSocketMessageType.Binary, true, CancellationToken.None);
                try
                {
                    var r = await ws.ReceiveAsync(new byte[16], CancellationToken.None);
                    closeStatus.TrySetResult(r.CloseStatus);
                }
                catch (WebSocketException) { closeStatus.TrySetResult(null); }
            });
            Connect(new WebSocketConnectOptions { MaxMessageBytes = 64 * 1024 });
            var e = Assert.Throws<TransportException>(() => Receive(new MessageBuffer()));
            Assert.That(e.Kind, Is.EqualTo(TransportErrorKind.MessageTooLarge));
            Assert.That(closeStatus.Task.WaitAsync(T).GetAwaiter().GetResult(), Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
        }

        [Test]
        public void DroppedConnection_IsConnectionLost_NotAHang()
        {
            Start(async (ws, ctx) =>
            {
                // Wait for the client's go so the abort cannot race the upgrade response.
                await ws.ReceiveAsync(new byte[16], CancellationToken.None);
                await ws.SendAsync(Encoding.UTF8.GetBytes("{\"type\":\"partial\"}"), WebSocketMessageType.Text, true, CancellationToken.None);
                ctx.Abort();
            });
            Connect();
            _transport.SendAsync(Encoding.UTF8.GetBytes("go"), MessageKind.Text, CancellationToken.None).AsTask().WaitAsync(T).GetAwaiter().GetResult();
            var buffer = new MessageBuffer();
            // The reset may discard the frame in flight; either way the next receives end in ConnectionLost.
            var e = Assert.Throws<TransportException>(() => { Receive(buffer); Receive(buffer); });
            Assert.That(e.Kind, Is.EqualTo(TransportErrorKind.ConnectionLost));
        }

        [Test]
        public void NothingListening_IsUnreachable()
        {
            Start(Echo);
            var uri = _server.Uri;
            _server.DisposeAsync().AsTask().Wait(T);
            _server = null;
            var e = Assert.Throws<TransportException>(() => _transport.ConnectAsync(uri, new WebSocketConnectOptions(), CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult());
            Assert.That(e.Kind, Is.EqualTo(TransportErrorKind.Unreachable));
        }
    }
}
