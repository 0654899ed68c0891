using System;
using Parley.Transport;

namespace Parley.Providers.Gemini
{
    /// <summary>Connection and protocol settings of <see cref="GeminiLiveProvider"/> beyond the portable <see cref="SessionConfig"/>.</summary>
    public sealed class GeminiLiveOptions
    {
        /// <summary>Scheme and host of the Live API (a loopback test server in tests).</summary>
        public Uri Host = new Uri("wss://generativelanguage.googleapis.com");
        /// <summary>API version for API keys (<c>BidiGenerateContent</c>).</summary>
        public string ApiVersion = "v1beta";
        /// <summary>
        /// API version for ephemeral tokens (<c>BidiGenerateContentConstrained</c>); the official SDK uses v1alpha
        /// ("ephemeral token support is in v1alpha only").
        /// </summary>
        public string EphemeralApiVersion = "v1alpha";
        /// <summary>Used when <see cref="SessionConfig.Model"/> is empty.</summary>
        public string DefaultModel = "gemini-3.1-flash-live-preview";
        /// <summary>Subtitles of the agent's speech (outputAudioTranscription).</summary>
        public bool OutputTranscription = true;
        /// <summary>Sliding-window context compression, so sessions can run past the 15-minute audio limit.</summary>
        public bool ContextWindowCompression = true;
        /// <summary>Tokens at which compression starts (0 = server default).</summary>
        public long CompressionTriggerTokens;
        /// <summary>Tokens kept after compression (0 = server default).</summary>
        public long CompressionTargetTokens;
        /// <summary>Gemini sends <c>setupComplete</c> within a second or two; longer means something is wrong.</summary>
        public TimeSpan SetupTimeout = TimeSpan.FromSeconds(15);
        /// <summary>
        /// How long the server may stay silent while a reply is owed (mid-reply, after the player's turn ended or a
        /// tool result was sent) before the connection counts as stalled and ends (the session then resumes it).
        /// </summary>
        public TimeSpan StallTimeout = TimeSpan.FromSeconds(30);
        /// <summary>Largest server message accepted (the transport enforces it).</summary>
        public int MaxMessageBytes = 8 * 1024 * 1024;
        /// <summary>Long keepalive: Gemini's pong can take 8–30 s (a short ping timeout closes the session itself).</summary>
        public TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(30);
        /// <summary>Creates the transport of the connection.</summary>
        public Func<IWebSocketTransport> TransportFactory = () => new ClientWebSocketTransport();
        /// <summary>
        /// Prices by model for <see cref="UsageReported.EstimatedCostUsd"/>. Empty by default: Google's Live API
        /// prices differ by model and bill the whole context again on every turn (usageMetadata's prompt count
        /// already includes it), so set your model's per-1M-token prices from the pricing page. Without an entry
        /// the usage is reported with no estimate.
        /// </summary>
        public PriceTable Prices = new PriceTable();
    }
}
