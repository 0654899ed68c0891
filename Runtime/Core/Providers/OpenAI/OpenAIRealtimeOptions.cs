using System;
using Parley.Providers.Auth;
using Parley.Transport;

namespace Parley.Providers.OpenAI
{
    /// <summary>
    /// OpenAI Realtime GA audio encodings: `audio/pcm` (PCM16 24 kHz), `audio/pcmu` (G.711 µ-law 8 kHz),
    /// `audio/pcma` (G.711 A-law 8 kHz).
    /// </summary>
    public enum OpenAIAudioEncoding { Pcm24k, Pcmu, Pcma }

    /// <summary>Connection settings of <see cref="OpenAIRealtimeProvider"/>. Holds no secret (see <see cref="Credentials"/>).</summary>
    public sealed class OpenAIRealtimeOptions
    {
        public const string DefaultBaseUrl = "wss://api.openai.com/v1/realtime";
        public const string DefaultModel = "gpt-realtime";

        /// <summary>API key (development) or a <see cref="DelegateCredential"/> returning an `ek_…` client secret from your backend.</summary>
        public ICredentialSource Credentials;
        /// <summary>Endpoint without the query; `?model=` is appended (Azure-style gateways: set <see cref="FullUrl"/>).</summary>
        public string BaseUrl = DefaultBaseUrl;
        /// <summary>Used as is when set (must already name the model or deployment).</summary>
        public Uri FullUrl;
        /// <summary>Plain ws:// to a non-loopback host (a gateway on your LAN). Off by default.</summary>
        public bool AllowInsecure;
        /// <summary>
        /// Put the secret in the `openai-insecure-api-key.` subprotocol instead of a header: for transports
        /// that cannot set headers (WebGL). Use only with ephemeral `ek_…` secrets.
        /// </summary>
        public bool AuthInSubprotocol;
        /// <summary>
        /// Wire format of the player's audio. G.711 (telephony) runs at 8 kHz: the provider then reports an
        /// 8 kHz <see cref="ProviderCapabilities.InputSampleRate"/>, so the session's front end resamples to it.
        /// Read when the provider is constructed.
        /// </summary>
        public OpenAIAudioEncoding InputEncoding = OpenAIAudioEncoding.Pcm24k;
        /// <summary>Wire format of the agent's audio; G.711 is delivered as 8 kHz PCM16. Read when the provider is constructed.</summary>
        public OpenAIAudioEncoding OutputEncoding = OpenAIAudioEncoding.Pcm24k;
        /// <summary>Creates the transport per connection; default <see cref="ClientWebSocketTransport"/>.</summary>
        public Func<IWebSocketTransport> TransportFactory;
        /// <summary>Connect + session.updated must finish within this.</summary>
        public TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(15);
        /// <summary>While a response is due, server silence longer than this ends the connection (Disconnected, Stalled).</summary>
        public TimeSpan StallTimeout = TimeSpan.FromSeconds(10);
        /// <summary>Clock of the handshake timeout and the stall watchdog; null for the system clock (tests move their own).</summary>
        public Parley.Providers.Connection.IConnectionClock Clock;
        /// <summary>Largest server message accepted (a 15 MiB audio event is the protocol's own ceiling).</summary>
        public int MaxMessageBytes = 16 * 1024 * 1024;
        /// <summary>Estimated cost per usage report; null for none.</summary>
        public PriceTable Prices = PriceTable.OpenAIExamples();
        /// <summary>Diagnostics (unknown event types once, benign errors). Never receives secrets.</summary>
        public Action<string> Log;
        /// <summary>Output modality: audio (with transcript) or text only.</summary>
        public bool TextOnly;
        /// <summary>Speech speed 0.25..1.5 (0 = server default).</summary>
        public float Speed;

        /// <summary>Sample rate of <paramref name="encoding"/> on the wire: 24000 for `audio/pcm`, 8000 for G.711.</summary>
        public static int SampleRate(OpenAIAudioEncoding encoding) => encoding == OpenAIAudioEncoding.Pcm24k ? 24000 : 8000;

        internal static OpenAIAudioEncoding CheckEncoding(OpenAIAudioEncoding encoding, string name)
        {
            if (encoding < OpenAIAudioEncoding.Pcm24k || encoding > OpenAIAudioEncoding.Pcma)
                throw new ArgumentOutOfRangeException(name, encoding, "Unknown OpenAI audio encoding.");
            return encoding;
        }
    }
}
