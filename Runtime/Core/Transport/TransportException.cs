using System;

namespace Parley.Transport
{
    public enum TransportErrorKind
    {
        /// <summary>Name did not resolve, nothing listening, network down.</summary>
        Unreachable,
        /// <summary>Server answered the upgrade with an HTTP error (401, 403, 404, 429...).</summary>
        Rejected,
        Timeout,
        /// <summary>The connection dropped without a close handshake.</summary>
        ConnectionLost,
        /// <summary>A message was larger than the configured limit.</summary>
        MessageTooLarge,
        /// <summary>Plain ws:// or http:// to a non-loopback host without an explicit opt-in.</summary>
        InsecureRefused,
        /// <summary>TLS handshake failed, or TLS was expected and the server spoke plain text.</summary>
        Tls,
        NotConnected,
    }

    /// <summary>A typed transport failure. Its message never contains header values (keys travel in headers).</summary>
    public sealed class TransportException : Exception
    {
        public readonly TransportErrorKind Kind;
        /// <summary>HTTP status of a rejected upgrade, when known (0 otherwise).</summary>
        public readonly int HttpStatus;

        public TransportException(TransportErrorKind kind, string message, Exception inner = null, int httpStatus = 0)
            : base(message, inner)
        {
            Kind = kind;
            HttpStatus = httpStatus;
        }
    }
}
