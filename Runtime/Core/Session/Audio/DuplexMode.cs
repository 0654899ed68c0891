namespace Parley.Session.Audio
{
    /// <summary>How the microphone and the agent's voice share the conversation.</summary>
    public enum DuplexMode
    {
        /// <summary>The microphone stays open while the agent speaks; the player's voice interrupts it (barge-in).</summary>
        FullDuplex,
        /// <summary>
        /// The microphone is gated while the agent's voice can still be heard (the played signal through the echo
        /// path's delay and tail): no barge-in by voice, for hardware too weak to cancel echo.
        /// </summary>
        HalfDuplex,
        /// <summary>The game marks the turns (<see cref="VoiceSession.BeginUserTurn"/>); the local VAD raises nothing.</summary>
        PushToTalk,
    }
}
