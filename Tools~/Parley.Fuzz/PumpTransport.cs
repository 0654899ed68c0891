using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Parley.Transport;

namespace Parley.Fuzz
{
    /// <summary>
    /// An in-memory transport that hands a provider one message at a time and returns when the provider is back
    /// waiting for the next: the provider's receive continuation runs inline inside <see cref="Deliver"/>, so a
    /// million messages cost no thread hops, and a provider that never asks again is seen (a dead loop or a hang).
    /// </summary>
    public sealed class PumpTransport : IWebSocketTransport
    {
        readonly object _gate = new object();
        readonly Queue<byte[]> _scripted = new Queue<byte[]>();
        readonly ManualResetEventSlim _parked = new ManualResetEventSlim(false);
        TaskCompletionSource<ReceivedMessage> _pending;
        MessageBuffer _buffer;
        CancellationTokenRegistration _registration;
        bool _open;

        public bool IsOpen { get { lock (_gate) return _open; } }
        public string SubProtocol => null;
        public long SentMessages;

        /// <summary>Messages answered at once, before any <see cref="Deliver"/> (handshakes).</summary>
        public void Script(byte[] message) { lock (_gate) _scripted.Enqueue(message); }

        public Task ConnectAsync(Uri uri, WebSocketConnectOptions options, CancellationToken cancellationToken)
        {
            lock (_gate) _open = true;
            return Task.CompletedTask;
        }

        public ValueTask SendAsync(ReadOnlyMemory<byte> message, MessageKind kind, CancellationToken cancellationToken)
        {
            lock (_gate) if (!_open) throw new TransportException(TransportErrorKind.NotConnected, "The connection is not open.");
            Interlocked.Increment(ref SentMessages);
            return default;
        }

        public ValueTask<ReceivedMessage> ReceiveAsync(MessageBuffer buffer, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (!_open) throw new TransportException(TransportErrorKind.NotConnected, "The connection is closed.");
                if (_scripted.Count > 0)
                {
                    var m = _scripted.Dequeue();
                    buffer.Reset();
                    buffer.Write(m);
                    return new ValueTask<ReceivedMessage>(new ReceivedMessage(MessageKind.Text, m.Length));
                }
                // Continuations run inline when Deliver completes this (no RunContinuationsAsynchronously).
                var pending = new TaskCompletionSource<ReceivedMessage>();
                _registration = cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
                _pending = pending;
                _buffer = buffer;
                _parked.Set();
                return new ValueTask<ReceivedMessage>(pending.Task);
            }
        }

        /// <summary>False when the provider did not come back for a message within <paramref name="timeout"/>.</summary>
        public bool WaitParked(TimeSpan timeout) => _parked.Wait(timeout);

        /// <summary>True while the provider waits for a message.</summary>
        public bool IsParked => _parked.IsSet;

        /// <summary>Hands over one message; false when the provider was not waiting for one within <paramref name="timeout"/>.</summary>
        public bool Deliver(byte[] message, TimeSpan timeout)
        {
            if (!_parked.Wait(timeout)) return false;
            TaskCompletionSource<ReceivedMessage> pending;
            lock (_gate)
            {
                _parked.Reset();
                pending = _pending;
                _pending = null;
                _registration.Dispose();
                _buffer.Reset();
                _buffer.Write(message);
            }
            pending.TrySetResult(new ReceivedMessage(MessageKind.Text, message.Length));
            return true;
        }

        public Task CloseAsync(int status, string reason, CancellationToken cancellationToken)
        {
            Close();
            return Task.CompletedTask;
        }

        void Close()
        {
            TaskCompletionSource<ReceivedMessage> pending;
            lock (_gate)
            {
                _open = false;
                pending = _pending;
                _pending = null;
            }
            pending?.TrySetResult(new ReceivedMessage(MessageKind.Close, 0, 1000, "closed by the client"));
        }

        public void Dispose() => Close();
    }
}
