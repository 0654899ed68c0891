using System;
using Parley.Session;
using Parley.Session.Metrics;
using UnityEngine.Events;

namespace Parley.Unity.Agent
{
    /// <summary>The agent's UnityEvents (wired in the inspector); the same moments are C# events on <see cref="VoiceAgent"/>.</summary>
    [Serializable]
    public sealed class VoiceAgentEvents
    {
        public UnityEvent<SessionState> stateChanged = new UnityEvent<SessionState>();
        public UnityEvent<string> userTranscriptPartial = new UnityEvent<string>();
        public UnityEvent<string> userTranscriptFinal = new UnityEvent<string>();
        public UnityEvent<string> agentTranscriptPartial = new UnityEvent<string>();
        public UnityEvent<string> agentTranscriptFinal = new UnityEvent<string>();
        /// <summary>A tool was called: its name.</summary>
        public UnityEvent<string> toolCalled = new UnityEvent<string>();
        /// <summary>An error: a readable message (the C# event has the typed one).</summary>
        public UnityEvent<string> error = new UnityEvent<string>();
        public UnityEvent conversationEnded = new UnityEvent();
        /// <summary>A turn ended: its latencies and counts (as <see cref="VoiceAgent.TurnMetricsReported"/>).</summary>
        public TurnMetricsEvent turnMetrics = new TurnMetricsEvent();
    }

    /// <summary>A UnityEvent carrying a turn's metrics (a concrete subclass, so Unity serializes it on any version).</summary>
    [Serializable]
    public sealed class TurnMetricsEvent : UnityEvent<TurnMetrics> { }

    /// <summary>Why <see cref="VoiceAgent"/> ended a conversation on its own.</summary>
    public enum AgentStopReason { None, IdleTimeout, CostCap, ConsentDenied, Backgrounded, Credentials, MicrophoneDenied }

    /// <summary>What the agent does when the application is paused or loses focus.</summary>
    public enum BackgroundPolicy
    {
        /// <summary>End the conversation (no socket stays open in the background, no bill runs up).</summary>
        Close,
        /// <summary>Keep the conversation; capture pauses with the player loop.</summary>
        Keep,
    }
}
