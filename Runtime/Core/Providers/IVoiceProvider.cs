using System;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Providers
{
    /// <summary>
    /// Receives what a provider produces. Called on the provider's receive task, never on the audio thread;
    /// the session moves events to the host's main thread and audio into the playout buffer.
    /// </summary>
    public interface IProviderListener
    {
        void OnEvent(ProviderEvent e);

        /// <summary>
        /// Output audio, mono PCM16 at <see cref="ProviderCapabilities.OutputSampleRate"/>, for the response
        /// item <paramref name="itemId"/>. The span is only valid during the call (the provider reuses it).
        /// </summary>
        void OnAudio(string itemId, ReadOnlySpan<short> pcm);
    }

    /// <summary>What the player actually heard of an item when they interrupted it.</summary>
    public readonly struct InterruptRequest
    {
        public readonly string ItemId;
        /// <summary>Milliseconds of that item's audio rendered by the speaker (the playout's played cursor).</summary>
        public readonly int PlayedMs;

        public InterruptRequest(string itemId, int playedMs)
        {
            ItemId = itemId;
            PlayedMs = playedMs < 0 ? 0 : playedMs;
        }
    }

    /// <summary>
    /// One conversation with a speech model. Speech-to-speech providers (OpenAI Realtime, Gemini Live,
    /// MiniCPM-o) map their wire events onto this; the Riva provider is itself an ASR → LLM → TTS pipeline
    /// behind it. The session drives it and never assumes more than <see cref="Capabilities"/>.
    /// Methods may be called from any thread but not concurrently with each other, except
    /// <see cref="SendAudioAsync"/>, which has its own lane.
    /// </summary>
    public interface IVoiceProvider : IDisposable
    {
        /// <summary>Short stable name: "openai", "gemini", "riva", "minicpmo", "replay".</summary>
        string Name { get; }

        ProviderCapabilities Capabilities { get; }

        bool IsConnected { get; }

        /// <summary>
        /// Opens the session and completes when the server has accepted the configuration
        /// (OpenAI session.updated, Gemini setupComplete). Throws <see cref="ProviderException"/>.
        /// </summary>
        Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken cancellationToken);

        /// <summary>Player audio, mono PCM16 at <see cref="ProviderCapabilities.InputSampleRate"/>. No allocation per call.</summary>
        ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken);

        /// <summary>Manual turns: the player pressed talk (Gemini activityStart; OpenAI clears the input buffer).</summary>
        Task StartUserTurnAsync(CancellationToken cancellationToken);

        /// <summary>Manual turns: the player released talk (OpenAI commit + response.create; Gemini activityEnd).</summary>
        Task EndUserTurnAsync(CancellationToken cancellationToken);

        /// <summary>A typed player message; the agent answers it.</summary>
        Task SendTextAsync(string text, CancellationToken cancellationToken);

        /// <summary>
        /// The player interrupted: stop the reply and keep the provider's memory equal to what was heard
        /// (OpenAI: response.cancel + conversation.item.truncate at min(played, received)).
        /// </summary>
        Task InterruptAsync(InterruptRequest request, CancellationToken cancellationToken);

        /// <summary>The result of a tool call; the agent continues with it.</summary>
        Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken cancellationToken);

        /// <summary>Closes cleanly; raises <see cref="Disconnected"/> with ByClient = true.</summary>
        Task DisconnectAsync(CancellationToken cancellationToken);
    }

    /// <summary>A provider operation that failed in a typed way (bad key, refused config, transport).</summary>
    public sealed class ProviderException : Exception
    {
        public readonly ProviderErrorKind Kind;
        public readonly string Code;

        public ProviderException(ProviderErrorKind kind, string code, string message, Exception inner = null)
            : base(message, inner)
        {
            Kind = kind;
            Code = code;
        }
    }
}
