namespace Parley.Session
{
    /// <summary>Where a conversation is. Every change is raised as a <see cref="StateChanged"/> event on the host's main thread.</summary>
    public enum SessionState
    {
        /// <summary>Created, not started.</summary>
        Idle,
        Connecting,
        /// <summary>Connected; waiting for the player.</summary>
        Listening,
        UserSpeaking,
        /// <summary>The player finished (or a tool returned); the agent's reply is not audible yet.</summary>
        AgentThinking,
        /// <summary>The speaker is rendering the agent's reply.</summary>
        AgentSpeaking,
        /// <summary>The player cut the agent off; playback is fading out and the provider is being truncated.</summary>
        Interrupted,
        /// <summary>The connection dropped or is being renewed; player audio is buffered meanwhile.</summary>
        Reconnecting,
        Closed,
    }
}
