using System;
using Parley.Providers.Auth;
using Parley.Transport;

namespace Parley.Providers.Riva
{
    /// <summary>How to reach a Speech NIM's realtime WebSocket (HTTP/WebSocket port 9000 by default).</summary>
    public sealed class NimRealtimeOptions
    {
        /// <summary>Server root, e.g. ws://127.0.0.1:9000 (the /v1/realtime path and intent are appended).</summary>
        public Uri BaseUri;
        /// <summary>Bearer token (NVCF or a mint-auth client secret); null for a local NIM.</summary>
        public ICredentialSource Credentials;
        /// <summary>Plain ws:// to a non-loopback host (a LAN server) is refused unless this is set.</summary>
        public bool AllowInsecure;
        /// <summary>Creates the socket: <see cref="ClientWebSocketTransport"/> by default, a browser transport on WebGL.</summary>
        public Func<IWebSocketTransport> TransportFactory = () => new ClientWebSocketTransport();
        /// <summary>Connect → session accepted.</summary>
        public TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
        /// <summary>
        /// Longest server silence while a result the client asked for is owed (final transcript after done, speech of a
        /// committed phrase): the connection then ends as Stalled.
        /// </summary>
        public TimeSpan ResultTimeout = TimeSpan.FromSeconds(10);
        /// <summary>Largest server message accepted; a larger one ends the stream (Protocol, message_too_large).</summary>
        public int MaxMessageBytes = 16 * 1024 * 1024;
        /// <summary>Clock of the handshake timeout and the stall watchdog; null for the system clock (tests move their own).</summary>
        public Parley.Providers.Connection.IConnectionClock Clock;

        public string LanguageCode = "en-US";
        /// <summary>ASR model name as the NIM lists it, or null for its default.</summary>
        public string AsrModel;
        public int InputSampleRate = 16000;
        /// <summary>Samples per append+commit (the reference client's default is 1600 = 100 ms at 16 kHz).</summary>
        public int ChunkSamples = 1600;
        public bool AutomaticPunctuation = true;

        /// <summary>TTS voice, e.g. "Magpie-Multilingual.EN-US.Aria"; null for the server default.</summary>
        public string Voice;
        /// <summary>Output rate asked of the TTS (22050 and 44100 are common; never assume 24 kHz).</summary>
        public int OutputSampleRate = 22050;

        internal Uri Endpoint(string intent)
        {
            if (BaseUri == null) throw new ArgumentException("NimRealtimeOptions.BaseUri is required.");
            var root = BaseUri.ToString().TrimEnd('/');
            if (root.EndsWith("/v1/realtime")) root = root.Substring(0, root.Length - "/v1/realtime".Length);
            return new Uri(root + "/v1/realtime?intent=" + intent);
        }
    }
}
