using Parley.Providers;
using Parley.Session.Metrics;

namespace Parley.Session
{
    /// <summary>
    /// Something that happened in a conversation, delivered on the host's main thread. <see cref="Name"/> is
    /// stable (the CLI's --events file and tests key on it); <see cref="TimeMs"/> is the session clock.
    /// </summary>
    public abstract class SessionEvent
    {
        public abstract string Name { get; }
        public double TimeMs;
    }

    public sealed class StateChanged : SessionEvent
    {
        public override string Name => "state";
        public SessionState From;
        public SessionState To;
    }

    public sealed class Connected : SessionEvent
    {
        public override string Name => "connected";
        public string Provider;
        public string SessionId;
        public string Model;
        public string TurnTaking;
    }

    public sealed class UserSpeechStartedEvent : SessionEvent
    {
        public override string Name => "user.speech_started";
        public string ItemId;
    }

    public sealed class UserSpeechStoppedEvent : SessionEvent
    {
        public override string Name => "user.speech_stopped";
        public string ItemId;
    }

    public sealed class UserTranscriptEvent : SessionEvent
    {
        public override string Name => "user.transcript";
        public string ItemId;
        public string Text;
        public bool IsFinal;
    }

    public sealed class AgentTranscriptEvent : SessionEvent
    {
        public override string Name => "agent.transcript";
        public string ItemId;
        public string Text;
        public bool IsFinal;
    }

    public sealed class ResponseStartedEvent : SessionEvent
    {
        public override string Name => "agent.response_started";
        public string ResponseId;
    }

    /// <summary>The first audio bytes of a reply arrived from the provider.</summary>
    public sealed class AgentFirstAudio : SessionEvent
    {
        public override string Name => "agent.first_audio";
        public string ItemId;
        /// <summary>Time to first byte: from the request (player stop, tool result, text) to these bytes.</summary>
        public double TtfbMs;
    }

    /// <summary>The speaker started rendering a reply.</summary>
    public sealed class AgentAudible : SessionEvent
    {
        public override string Name => "agent.audible";
        public string ItemId;
        public double TimeToFirstAudioMs;
    }

    public sealed class ResponseDoneEvent : SessionEvent
    {
        public override string Name => "agent.response_done";
        public string ResponseId;
        public ResponseStatus Status;
        public string Reason;
    }

    /// <summary>The speaker finished rendering the agent's reply (completed, not interrupted).</summary>
    public sealed class AgentPlaybackDone : SessionEvent
    {
        public override string Name => "agent.playback_done";
        public string ItemId;
        public int PlayedMs;
    }

    public enum InterruptionSource
    {
        /// <summary>The provider's VAD heard the player (speech_started while the agent spoke).</summary>
        ProviderVad,
        /// <summary>The provider stopped the reply itself (Gemini interrupted).</summary>
        Provider,
        /// <summary>The capture front end's local VAD.</summary>
        LocalVad,
        /// <summary>The game called <see cref="VoiceSession.Interrupt"/> (push-to-talk pressed, UI).</summary>
        Host,
        /// <summary>The connection dropped mid-reply: the reply is cut at what the player heard.</summary>
        ConnectionLost,
    }

    public sealed class Interrupted : SessionEvent
    {
        public override string Name => "interrupted";
        public string ItemId;
        /// <summary>What the player heard of the item: the truncation point sent to the provider.</summary>
        public int PlayedMs;
        /// <summary>The item's transcript cut to what was heard (what the history keeps).</summary>
        public string HeardText;
        /// <summary>From the interruption signal to silence at the speaker (flush + fade).</summary>
        public double LatencyMs;
        public InterruptionSource Source;
    }

    public sealed class ToolCallStarted : SessionEvent
    {
        public override string Name => "tool.call";
        public string CallId;
        public string ToolName;
        public string ArgumentsJson;
    }

    public enum ToolOutcome { Ok, Error, Timeout, Denied, Unknown, Cancelled }

    public sealed class ToolCallFinished : SessionEvent
    {
        public override string Name => "tool.result";
        public string CallId;
        public string ToolName;
        public string ResultJson;
        public ToolOutcome Outcome;
        public double DurationMs;
        /// <summary>True when the result waited for a reconnect before it could be sent.</summary>
        public bool Queued;
    }

    public sealed class TurnCompleted : SessionEvent
    {
        public override string Name => "turn.completed";
        public TurnMetrics Turn;
    }

    public sealed class UsageEvent : SessionEvent
    {
        public override string Name => "usage";
        public TokenUsage Usage;
        public TokenUsage Total;
        /// <summary>Estimated cost of the session so far (the providers' estimates added up; 0 without prices).</summary>
        public double CostUsd;
    }

    /// <summary>How the session gets a new connection.</summary>
    public enum ReconnectMode
    {
        /// <summary>The provider resumes the server-side session by handle (Gemini): nothing is replayed.</summary>
        Resume,
        /// <summary>A new server session with what the player heard replayed as history.</summary>
        Fresh,
    }

    /// <summary>The session is getting a new connection (the session goes on; player audio is buffered meanwhile).</summary>
    public sealed class ReconnectingEvent : SessionEvent
    {
        public override string Name => "reconnecting";
        public int Attempt;
        public string Reason;
        public double DelayMs;
        public ReconnectMode Mode;
        /// <summary>True for a planned renewal (goAway, the provider's session cap) rather than a lost connection.</summary>
        public bool Planned;
    }

    public sealed class ReconnectedEvent : SessionEvent
    {
        public override string Name => "reconnected";
        public bool ByHandle;
        public int Attempts;
        /// <summary>Player audio captured during the reconnect and sent after it.</summary>
        public double BufferedAudioMs;
        public long DroppedAudioSamples;
        public int QueuedToolResults;
    }

    /// <summary>What the session does about an error (see Documentation~/reliability.md, "Error kinds").</summary>
    public enum ErrorRecovery
    {
        /// <summary>Nothing to recover: the session goes on as it was (a skipped message, a refused request).</summary>
        None,
        /// <summary>The connection is lost or being replaced: a <see cref="ReconnectingEvent"/> follows; the session goes on.</summary>
        Reconnecting,
        /// <summary>The session cannot go on: a <see cref="Closed"/> event follows.</summary>
        Closing,
    }

    /// <summary>
    /// Something went wrong. <see cref="Recovery"/> says whether the session goes on; only <see cref="Closed"/>
    /// ends it. <see cref="IsFatal"/> is true exactly when <see cref="Recovery"/> is <see cref="ErrorRecovery.Closing"/>.
    /// </summary>
    public sealed class SessionErrorEvent : SessionEvent
    {
        public override string Name => "error";
        public ProviderErrorKind Kind;
        public string Code;
        public string Message;
        public ErrorRecovery Recovery;
        public bool IsFatal;
    }

    /// <summary>Why a session ended.</summary>
    public enum CloseReason
    {
        /// <summary>The host called <see cref="VoiceSession.CloseAsync"/>.</summary>
        ClosedByHost,
        /// <summary>The first connection failed (<see cref="VoiceSession.StartAsync"/> threw).</summary>
        ConnectFailed,
        /// <summary>The connection was lost and every reconnect attempt failed.</summary>
        ReconnectFailed,
        /// <summary>The provider refused to go on (authentication, invalid request, rate limit, unsupported): retrying would fail the same way.</summary>
        ProviderRefused,
        /// <summary>The connection was lost and reconnecting is disabled (<see cref="ReconnectPolicy.Enabled"/>).</summary>
        ConnectionLost,
    }

    /// <summary>The session has ended; nothing follows. The only event a host ends on.</summary>
    public sealed class Closed : SessionEvent
    {
        public override string Name => "closed";
        public CloseReason Kind;
        /// <summary>Human-readable reason (the last error's message for failures).</summary>
        public string Reason;
        /// <summary>The error that ended it, for failures; null when closed by the host.</summary>
        public ProviderErrorKind? ErrorKind;
        public string ErrorCode;
        /// <summary>True unless the host closed it.</summary>
        public bool IsFailure => Kind != CloseReason.ClosedByHost;
    }

    /// <summary>Player audio the server ignored (half-duplex servers drop input while they speak).</summary>
    public sealed class InputIgnoredEvent : SessionEvent
    {
        public override string Name => "input.ignored";
        public int Milliseconds;
        public string Reason;
    }

    /// <summary>Per-stage timings of a cascaded provider's turn (ASR → LLM → TTS), in ms; -1 = not measured.</summary>
    public sealed class LatencyEvent : SessionEvent
    {
        public override string Name => "latency";
        public string ResponseId;
        public double AsrFinalDelayMs, LlmFirstTokenMs, TtsFirstByteMs, UserStopToFirstAudioMs;
    }

    /// <summary>The provider's rate limits (OpenAI rate_limits.updated).</summary>
    public sealed class RateLimitsEvent : SessionEvent
    {
        public override string Name => "rate_limits";
        public string LimitName;
        public long Limit;
        public long Remaining;
        public double ResetSeconds;
    }
}
