using System;
using Parley.Providers.Auth;
using Parley.Transport;

namespace Parley.Providers.Connection
{
    /// <summary>What every WebSocket connection of a provider needs to know. Holds no secret.</summary>
    public sealed class ConnectionSettings
    {
        /// <summary>Where the key or token comes from, asked once per connection; null for servers without auth.</summary>
        public ICredentialSource Credentials;
        /// <summary>A connection without a credential is refused before touching the network.</summary>
        public bool CredentialRequired;
        /// <summary>Plain ws:// to a non-loopback host only with this set (see <see cref="EndpointSecurity"/>).</summary>
        public bool AllowInsecure;
        public Func<IWebSocketTransport> TransportFactory;
        /// <summary>Upgrade + the provider's setup exchange must finish within this.</summary>
        public TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(15);
        /// <summary>While the provider waits for the server (a reply is due), silence longer than this ends the connection as Stalled.</summary>
        public TimeSpan StallTimeout = TimeSpan.FromSeconds(10);
        public int MaxMessageBytes = 16 * 1024 * 1024;
        public TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(20);
        /// <summary>Handshake timeout and stall watchdog clock; the system clock by default.</summary>
        public IConnectionClock Clock;
        /// <summary>Names the peer in messages ("OpenAI Realtime", "the NIM").</summary>
        public string PeerName = "The server";
        /// <summary>
        /// How long Dispose waits at most for the receive loop and the watchdog (<see cref="TaskJoin.DisposeBound"/>
        /// by default). A caller that must know the loop has ended (a test that proves the wait) gives it more room.
        /// </summary>
        public TimeSpan DisposeBound = TaskJoin.DisposeBound;
    }
}
