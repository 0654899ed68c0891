using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Transport
{
    /// <summary>
    /// An in-memory <see cref="IWebSocketTransport"/> for tests: the test enqueues what the "server" says
    /// (<see cref="EnqueueText"/>, <see cref="EnqueueClose"/>, <see cref="EnqueueDrop"/>) and reads what the
    /// client sent (<see cref="Sent"/>, <see cref="WaitForSentAsync"/>). No sockets, no threads of its own.
    /// </summary>
    public sealed class ScriptedWebSocketTransport : IWebSocketTransport
    {
        struct Scripted
        {
            public byte[] Bytes;
            public MessageKind Kind;
            public int CloseStatus;
            public string CloseReason;
            public bool Drop;
        }

        readonly object _gate = new object();
        readonly Queue<Scripted> _incoming = new Queue<Scripted>();
        readonly List<string> _sent = new List<string>();
        TaskCompletionSource<bool> _incomingSignal = NewSignal();
        TaskCompletionSource<bool> _sentSignal = NewSignal();
        bool _open;

        /// <summary>Set before connecting to make the upgrade fail (e.g. Rejected with HTTP 401).</summary>
        public TransportException ConnectFailure;
        public Uri ConnectedUri { get; private set; }
        public WebSocketConnectOptions ConnectOptions { get; private set; }
        public bool IsOpen { get { lock (_gate) return _open; } }
        public string SubProtocol { get; set; }
        /// <summary>Close status the client sent, or 0.</summary>
        public int ClientCloseStatus { get; private set; }

        public Task ConnectAsync(Uri uri, WebSocketConnectOptions options, CancellationToken cancellationToken)
        {
            if (ConnectFailure != null) return Task.FromException(ConnectFailure);
            ConnectedUri = uri;
            ConnectOptions = options;
            lock (_gate) _open = true;
            return Task.CompletedTask;
        }

        public void EnqueueText(string json) => Enqueue(new Scripted { Bytes = Encoding.UTF8.GetBytes(json), Kind = MessageKind.Text });
        public void EnqueueClose(int status, string reason) => Enqueue(new Scripted { Kind = MessageKind.Close, CloseStatus = status, CloseReason = reason });
        /// <summary>The next receive fails as if the TCP connection died.</summary>
        public void EnqueueDrop() => Enqueue(new Scripted { Drop = true });

        void Enqueue(Scripted s)
        {
            TaskCompletionSource<bool> signal;
            lock (_gate)
            {
                _incoming.Enqueue(s);
                signal = _incomingSignal;
                _incomingSignal = NewSignal();
            }
            signal.TrySetResult(true);
        }

        /// <summary>Text messages the client sent, in order.</summary>
        public List<string> Sent { get { lock (_gate) return new List<string>(_sent); } }

        /// <summary>Waits until a sent message contains <paramref name="fragment"/>; returns it.</summary>
        public async Task<string> WaitForSentAsync(string fragment, TimeSpan timeout, int skip = 0)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                Task wait;
                lock (_gate)
                {
                    var seen = 0;
                    foreach (var s in _sent)
                        if (s.IndexOf(fragment, StringComparison.Ordinal) >= 0 && seen++ == skip) return s;
                    wait = _sentSignal.Task;
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || await Task.WhenAny(wait, Task.Delay(left)).ConfigureAwait(false) != wait)
                    throw new TimeoutException("The client did not send a message containing '" + fragment + "' within " + timeout.TotalSeconds + " s.");
            }
        }

        /// <summary>When set, every send fails with it (a peer that closed before its close frame was read).</summary>
        public TransportException SendFailure;
        /// <summary>Sends that failed with <see cref="SendFailure"/>.</summary>
        public int FailedSends { get { lock (_gate) return _failedSends; } }
        int _failedSends;

        public ValueTask SendAsync(ReadOnlyMemory<byte> message, MessageKind kind, CancellationToken cancellationToken)
        {
            TaskCompletionSource<bool> signal;
            lock (_gate)
            {
                if (SendFailure != null)
                {
                    _failedSends++;
                    throw SendFailure;
                }
                if (!_open) throw new TransportException(TransportErrorKind.NotConnected, "The connection is not open.");
                _sent.Add(Encoding.UTF8.GetString(message.Span));
                signal = _sentSignal;
                _sentSignal = NewSignal();
            }
            signal.TrySetResult(true);
            return default;
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
                        var s = _incoming.Dequeue();
                        if (s.Drop)
                        {
                            _open = false;
                            throw new TransportException(TransportErrorKind.ConnectionLost, "The connection dropped (scripted).");
                        }
                        if (s.Kind == MessageKind.Close)
                        {
                            _open = false;
                            return new ReceivedMessage(MessageKind.Close, 0, s.CloseStatus, s.CloseReason);
                        }
                        buffer.Reset();
                        buffer.Write(s.Bytes);
                        return new ReceivedMessage(s.Kind, buffer.Count);
                    }
                    if (!_open) throw new TransportException(TransportErrorKind.NotConnected, "The connection is closed.");
                    wait = _incomingSignal.Task;
                }
                var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
                {
                    if (await Task.WhenAny(wait, cancelled.Task).ConfigureAwait(false) != wait)
                        throw new OperationCanceledException(cancellationToken);
                }
            }
        }

        public Task CloseAsync(int status, string reason, CancellationToken cancellationToken)
        {
            TaskCompletionSource<bool> signal;
            lock (_gate)
            {
                ClientCloseStatus = status;
                _open = false;
                signal = _incomingSignal;
                _incomingSignal = NewSignal();
            }
            signal.TrySetResult(true);
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            TaskCompletionSource<bool> signal;
            lock (_gate)
            {
                _open = false;
                signal = _incomingSignal;
                _incomingSignal = NewSignal();
            }
            signal.TrySetResult(true);
        }

        static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
