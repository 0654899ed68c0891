using System;
using System.Collections.Generic;

namespace Parley.Providers
{
    public enum ProviderEventKind
    {
        SessionStarted,
        UserSpeechStarted,
        UserSpeechStopped,
        UserTranscript,
        AgentTranscript,
        ResponseStarted,
        AgentAudioDone,
        ResponseDone,
        ServerInterrupted,
        ToolCallRequested,
        ToolCallsCancelled,
        Usage,
        RateLimits,
        ResumptionHandle,
        GoingAway,
        Reconnecting,
        Resumed,
        Error,
        Disconnected,
        Latency,
        InputIgnored,
    }

    /// <summary>
    /// Typed events a provider raises (on its receive task) for the session. Control events only: output
    /// audio goes through <see cref="IProviderListener.OnAudio"/> without allocating an event per chunk.
    /// </summary>
    public abstract class ProviderEvent
    {
        public abstract ProviderEventKind Kind { get; }
    }

    public sealed class SessionStarted : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.SessionStarted;
        public string SessionId;
        public string Model;
    }

    public sealed class UserSpeechStarted : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.UserSpeechStarted;
        public string ItemId;
        /// <summary>Position in the input audio stream where speech began (server clock), or -1.</summary>
        public int AudioStartMs = -1;
    }

    public sealed class UserSpeechStopped : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.UserSpeechStopped;
        public string ItemId;
        public int AudioEndMs = -1;
    }

    /// <summary>Player speech as text. Partial events carry a delta; the final one carries the whole utterance.</summary>
    public sealed class UserTranscript : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.UserTranscript;
        public string ItemId;
        public string Text;
        public bool IsFinal;
    }

    /// <summary>Agent speech as text (subtitles). Partial events carry a delta; the final one the whole text.</summary>
    public sealed class AgentTranscript : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.AgentTranscript;
        public string ResponseId;
        public string ItemId;
        public string Text;
        public bool IsFinal;
    }

    public sealed class ResponseStarted : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.ResponseStarted;
        public string ResponseId;
    }

    /// <summary>The server finished sending audio for an item (the player may still be hearing it).</summary>
    public sealed class AgentAudioDone : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.AgentAudioDone;
        public string ResponseId;
        public string ItemId;
    }

    public enum ResponseStatus { Completed, Cancelled, Interrupted, Failed, Incomplete }

    public sealed class ResponseDone : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.ResponseDone;
        public string ResponseId;
        public ResponseStatus Status;
        /// <summary>Vendor reason (turn_detected, client_cancelled, max_output_tokens, content_filter...), or null.</summary>
        public string Reason;
        public TokenUsage Usage;
    }

    /// <summary>The server detected barge-in itself (Gemini `interrupted`): flush playback now.</summary>
    public sealed class ServerInterrupted : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.ServerInterrupted;
    }

    public sealed class ToolCallRequested : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.ToolCallRequested;
        public string CallId;
        public string Name;
        public string ArgumentsJson;
    }

    public sealed class ToolCallsCancelled : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.ToolCallsCancelled;
        public readonly List<string> CallIds = new List<string>();
    }

    /// <summary>Token counts as the vendor reports them. Cached tokens are a subset of input tokens.</summary>
    public struct TokenUsage
    {
        public long InputTextTokens;
        public long InputAudioTokens;
        public long CachedInputTokens;
        public long OutputTextTokens;
        public long OutputAudioTokens;
        /// <summary>Tokens of the input transcription model, billed separately.</summary>
        public long TranscriptionTokens;
        public long TotalTokens;
        /// <summary>Of <see cref="CachedInputTokens"/>, how many were audio (OpenAI cached_tokens_details.audio_tokens).</summary>
        public long CachedInputAudioTokens;
        /// <summary>Input transcription billed by duration (OpenAI usage type "duration").</summary>
        public double TranscriptionSeconds;

        public void Add(in TokenUsage other)
        {
            InputTextTokens += other.InputTextTokens;
            InputAudioTokens += other.InputAudioTokens;
            CachedInputTokens += other.CachedInputTokens;
            OutputTextTokens += other.OutputTextTokens;
            OutputAudioTokens += other.OutputAudioTokens;
            TranscriptionTokens += other.TranscriptionTokens;
            TotalTokens += other.TotalTokens;
            CachedInputAudioTokens += other.CachedInputAudioTokens;
            TranscriptionSeconds += other.TranscriptionSeconds;
        }
    }

    public sealed class UsageReported : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.Usage;
        public TokenUsage Usage;
        /// <summary>Where it came from: "response", "transcription", "session".</summary>
        public string Source;
        /// <summary>Model the usage was billed to (for the price table), when known.</summary>
        public string Model;
        /// <summary>Estimated US dollars from the provider's <see cref="PriceTable"/>, or null without prices.</summary>
        public double? EstimatedCostUsd;
    }

    public sealed class RateLimitsUpdated : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.RateLimits;
        public string Name;
        public long Limit;
        public long Remaining;
        public double ResetSeconds;
    }

    /// <summary>A new handle to resume this session with (Gemini `sessionResumptionUpdate` with resumable: true).</summary>
    public sealed class ResumptionHandleUpdated : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.ResumptionHandle;
        public string Handle;
    }

    /// <summary>The server will close soon (Gemini `goAway`, or the 60-minute OpenAI cap approaching).</summary>
    public sealed class GoingAway : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.GoingAway;
        public TimeSpan TimeLeft;
    }

    public sealed class Reconnecting : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.Reconnecting;
        public int Attempt;
        public string Reason;
    }

    public sealed class Resumed : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.Resumed;
        /// <summary>True when server state was resumed by handle; false when context was replayed.</summary>
        public bool ByHandle;
    }

    public enum ProviderErrorKind
    {
        /// <summary>Missing, wrong or expired key/token (HTTP 401/403, invalid_api_key).</summary>
        Authentication,
        RateLimited,
        /// <summary>The server rejected something we sent (invalid_request_error, 1007).</summary>
        InvalidRequest,
        /// <summary>The server failed (server_error, 1011, HTTP 5xx).</summary>
        Server,
        /// <summary>The server sent something we could not parse or did not expect.</summary>
        Protocol,
        /// <summary>Network: unreachable, dropped, timed out.</summary>
        Transport,
        /// <summary>The server stopped answering within the configured time.</summary>
        Stalled,
        Unsupported,
        /// <summary>A bug in Parley itself (an exception where none was expected): reported typed, never thrown at the game.</summary>
        Internal,
    }

    /// <summary>A typed error with the vendor's own code and message. Never contains a key.</summary>
    public sealed class ProviderError : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.Error;
        public ProviderErrorKind ErrorKind;
        /// <summary>Vendor code (invalid_api_key, conversation_already_has_active_response, 4000, 1011, UNAVAILABLE...).</summary>
        public string Code;
        public string Message;
        /// <summary>True when the session cannot continue on this connection.</summary>
        public bool IsFatal;
        public override string ToString() => ErrorKind + " " + Code + ": " + Message;
    }

    public sealed class Disconnected : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.Disconnected;
        public int CloseStatus;
        public string Reason;
        /// <summary>True when we closed on purpose (dispose, session end, proactive reconnect).</summary>
        public bool ByClient;
        /// <summary>
        /// Why the connection ended when it was not a clean close: the same typed error the provider raised just
        /// before (null for a clean close or one by the client). The session decides from it whether to reconnect.
        /// </summary>
        public ProviderError Error;
    }

    /// <summary>
    /// Per-stage timings of one turn of a cascaded provider (ASR → LLM → TTS), in milliseconds; -1 when a stage
    /// did not run or could not be measured. "User stop" is when the last word the recogniser placed was sent.
    /// </summary>
    public sealed class LatencyReported : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.Latency;
        public string ResponseId;
        /// <summary>User stop → final transcript received.</summary>
        public double AsrFinalDelayMs = -1;
        /// <summary>Request sent → first token (text or tool call) of the LLM stream.</summary>
        public double LlmFirstTokenMs = -1;
        /// <summary>First phrase sent to TTS → first audio byte back.</summary>
        public double TtsFirstByteMs = -1;
        /// <summary>User stop → first audio handed to the listener (the playout adds its own buffering on top).</summary>
        public double UserStopToFirstAudioMs = -1;
    }

    /// <summary>
    /// Player audio the server ignored (half-duplex servers drop input while they speak). The session shows it
    /// so the player knows they were not heard; nothing is silently lost.
    /// </summary>
    public sealed class InputIgnored : ProviderEvent
    {
        public override ProviderEventKind Kind => ProviderEventKind.InputIgnored;
        public int Milliseconds;
        public string Reason;
    }
}
