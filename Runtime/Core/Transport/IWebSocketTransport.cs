using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Transport
{
    public enum MessageKind { Text, Binary, Close }

    /// <summary>Headers, subprotocols and limits for one connection. Header values may carry secrets: never log them.</summary>
    public sealed class WebSocketConnectOptions
    {
        public readonly List<KeyValuePair<string, string>> Headers = new List<KeyValuePair<string, string>>();
        public readonly List<string> SubProtocols = new List<string>();
        /// <summary>Largest message accepted; a larger one fails the receive with <see cref="TransportErrorKind.MessageTooLarge"/>.</summary>
        public int MaxMessageBytes = 16 * 1024 * 1024;
        public TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
        public TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(20);
    }

    /// <summary>One received message: where its bytes are in the caller's <see cref="MessageBuffer"/>, or why it closed.</summary>
    public readonly struct ReceivedMessage
    {
        public readonly MessageKind Kind;
        public readonly int Count;
        /// <summary>Close status when <see cref="Kind"/> is Close (for example 1000, 1011, 4000), else 0.</summary>
        public readonly int CloseStatus;
        public readonly string CloseReason;

        public ReceivedMessage(MessageKind kind, int count, int closeStatus = 0, string closeReason = null)
        {
            Kind = kind;
            Count = count;
            CloseStatus = closeStatus;
            CloseReason = closeReason;
        }
    }

    /// <summary>
    /// The narrow transport every WebSocket provider speaks through: connect, send whole text/binary messages,
    /// receive whole messages into a reused buffer, close. Implementations: <see cref="ClientWebSocketTransport"/>
    /// (default), a NativeWebSocket adapter for WebGL, and a scripted in-memory transport for tests.
    /// Sends may be called from one task at a time; receive from another.
    /// </summary>
    public interface IWebSocketTransport : IDisposable
    {
        bool IsOpen { get; }

        /// <summary>The subprotocol the server accepted, or null.</summary>
        string SubProtocol { get; }

        /// <exception cref="TransportException">Refused, unreachable, timed out, or HTTP status other than 101.</exception>
        Task ConnectAsync(Uri uri, WebSocketConnectOptions options, CancellationToken cancellationToken);

        /// <summary>Sends one complete message. The bytes are not retained after the returned task completes.</summary>
        ValueTask SendAsync(ReadOnlyMemory<byte> message, MessageKind kind, CancellationToken cancellationToken);

        /// <summary>Receives one complete message into <paramref name="buffer"/> (reset first, grown up to the limit).</summary>
        ValueTask<ReceivedMessage> ReceiveAsync(MessageBuffer buffer, CancellationToken cancellationToken);

        Task CloseAsync(int status, string reason, CancellationToken cancellationToken);
    }
}
