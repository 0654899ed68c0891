#if PARLEY_NATIVEWEBSOCKET
using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Parley.Transport;

namespace Parley.Unity.Transport
{
    /// <summary>
    /// <see cref="IWebSocketTransport"/> over endel/NativeWebSocket (com.endel.nativewebsocket), for WebGL where
    /// System.Net.WebSockets is unavailable. Browsers cannot set request headers: put credentials in a
    /// subprotocol instead (OpenAI: `realtime`, `openai-insecure-api-key.&lt;ek_…&gt;` — an ephemeral secret only).
    /// Outside WebGL NativeWebSocket queues messages until <see cref="Pump"/> (its DispatchMessageQueue) is
    /// called, so its owner must call Pump every frame (from a MonoBehaviour's Update; the coming VoiceAgent
    /// component will do it); on WebGL messages arrive from the browser directly.
    /// Uses only members common to both NativeWebSocket builds (WebGL and not) of every supported version
    /// (1.1.x: endel/NativeWebSocket NativeWebSocket/Assets/WebSocket/WebSocket.cs at tag 1.1.6; 2.0.x:
    /// src/NativeWebSocket/WebSocket.cs and integrations/Unity/WebSocketWebGL.cs at tag 2.0.4): the
    /// (url, subprotocols, headers) constructor, the four events, Connect(), Send(byte[]), SendText(string),
    /// Close() (no arguments in 1.x, optional ones in 2.x), State and DispatchMessageQueue().
    /// Lives in the Unity assembly, not Parley.Core: the asmdef that references NativeWebSocket's assembly
    /// (Parley.asmdef) is the one that may compile it (issue 10, failure 5).
    /// </summary>
    public sealed class NativeWebSocketTransport : IWebSocketTransport
    {
        readonly object _gate = new object();
        readonly Queue<Incoming> _incoming = new Queue<Incoming>();
        TaskCompletionSource<bool> _signal = NewSignal();
        TaskCompletionSource<bool> _opened;
        NativeWebSocket.WebSocket _socket;
        string _lastError;
        int _maxMessageBytes = 16 * 1024 * 1024;
        string _subProtocol;

        struct Incoming
        {
            public byte[] Data;
            public int CloseCode;
            public bool IsClose;
        }

        public bool IsOpen => _socket != null && _socket.State == NativeWebSocket.WebSocketState.Open;
        /// <summary>NativeWebSocket does not report the accepted subprotocol; this is the first one offered.</summary>
        public string SubProtocol => _subProtocol;

        public async Task ConnectAsync(Uri uri, WebSocketConnectOptions options, CancellationToken cancellationToken)
        {
            if (uri == null) throw new ArgumentNullException(nameof(uri));
            options = options ?? new WebSocketConnectOptions();
            _maxMessageBytes = options.MaxMessageBytes;
            var headers = new Dictionary<string, string>();
            foreach (var h in options.Headers) headers[h.Key] = h.Value; // ignored by browsers
            var protocols = new List<string>(options.SubProtocols);
            _subProtocol = protocols.Count > 0 ? protocols[0] : null;
            _opened = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _socket = new NativeWebSocket.WebSocket(uri.ToString(), protocols, headers);
            _socket.OnOpen += () => _opened.TrySetResult(true);
            _socket.OnError += message => { _lastError = message; };
            _socket.OnMessage += data => Enqueue(new Incoming { Data = data });
            _socket.OnClose += code =>
            {
                _opened.TrySetException(new TransportException(TransportErrorKind.Unreachable,
                    "Could not connect to " + uri.Scheme + "://" + uri.Authority + uri.AbsolutePath + (_lastError != null ? ": " + _lastError : "") + " (close " + (int)code + ")."));
                Enqueue(new Incoming { IsClose = true, CloseCode = (int)code });
            };
            // Outside WebGL Connect() completes only when the connection ends, so it is not awaited here.
            var run = _socket.Connect();
            var timeout = Task.Delay(options.ConnectTimeout, cancellationToken);
            if (await Task.WhenAny(_opened.Task, timeout).ConfigureAwait(false) != _opened.Task)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TransportException(TransportErrorKind.Timeout, "Connecting timed out after " + options.ConnectTimeout.TotalSeconds + " s.");
            }
            await _opened.Task.ConfigureAwait(false);
            GC.KeepAlive(run);
        }

        /// <summary>Delivers queued messages (NativeWebSocket's DispatchMessageQueue outside WebGL). Call every frame.</summary>
        public void Pump()
        {
#if !UNITY_WEBGL || UNITY_EDITOR
            _socket?.DispatchMessageQueue();
#endif
        }

        void Enqueue(Incoming m)
        {
            TaskCompletionSource<bool> signal;
            lock (_gate)
            {
                _incoming.Enqueue(m);
                signal = _signal;
                _signal = NewSignal();
            }
            signal.TrySetResult(true);
        }

        public async ValueTask SendAsync(ReadOnlyMemory<byte> message, MessageKind kind, CancellationToken cancellationToken)
        {
            var socket = _socket;
            if (socket == null || socket.State != NativeWebSocket.WebSocketState.Open)
                throw new TransportException(TransportErrorKind.NotConnected, "The connection is not open.");
            try
            {
                // The browser API takes a string for text frames; NativeWebSocket copies either way.
                if (kind == MessageKind.Text) await socket.SendText(Encoding.UTF8.GetString(message.Span)).ConfigureAwait(false);
                else await socket.Send(message.ToArray()).ConfigureAwait(false);
            }
            // NativeWebSocket cancels a send in flight with its own token when the socket drops: a lost connection,
            // not the caller's cancellation (seen against the real 2.0.4 in NativeWebSocketTransportLoopbackTests).
            catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                throw new TransportException(TransportErrorKind.ConnectionLost, "Send failed: " + e.Message, e);
            }
        }

        public async ValueTask<ReceivedMessage> ReceiveAsync(MessageBuffer buffer, CancellationToken cancellationToken)
        {
            while (true)
            {
                Task wait;
                lock (_gate)
                {
                    if (_incoming.Count > 0)
                    {
                        var m = _incoming.Dequeue();
                        if (m.IsClose)
                        {
                            if (m.CloseCode == 1006)
                                throw new TransportException(TransportErrorKind.ConnectionLost, "The connection dropped" + (_lastError != null ? ": " + _lastError : "."));
                            return new ReceivedMessage(MessageKind.Close, 0, m.CloseCode, null);
                        }
                        if (m.Data.Length > Math.Min(buffer.Limit, _maxMessageBytes))
                            throw new TransportException(TransportErrorKind.MessageTooLarge, "A message exceeded " + Math.Min(buffer.Limit, _maxMessageBytes) + " bytes.");
                        buffer.Reset();
                        buffer.Write(m.Data);
                        return new ReceivedMessage(MessageKind.Text, buffer.Count);
                    }
                    if (_socket == null) throw new TransportException(TransportErrorKind.NotConnected, "The connection is not open.");
                    wait = _signal.Task;
                }
                var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
                {
                    if (await Task.WhenAny(wait, cancelled.Task).ConfigureAwait(false) != wait)
                        throw new OperationCanceledException(cancellationToken);
                }
            }
        }

        public async Task CloseAsync(int status, string reason, CancellationToken cancellationToken)
        {
            var socket = _socket;
            if (socket == null || socket.State != NativeWebSocket.WebSocketState.Open) return;
            try { await socket.Close().ConfigureAwait(false); }
            catch (Exception e) when (!(e is OperationCanceledException)) { }
        }

        public void Dispose()
        {
            var socket = _socket;
            _socket = null;
            if (socket != null && socket.State == NativeWebSocket.WebSocketState.Open) _ = socket.Close();
            Enqueue(new Incoming { IsClose = true, CloseCode = 1000 });
        }

        static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
#endif
