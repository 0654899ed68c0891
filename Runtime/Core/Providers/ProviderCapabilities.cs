namespace Parley.Providers
{
    /// <summary>
    /// What a provider can actually do. The session never promises more: a turn policy the provider cannot
    /// serve is refused at connect, and barge-in is only offered where <see cref="FullDuplex"/> is true.
    /// </summary>
    public sealed class ProviderCapabilities
    {
        /// <summary>Rate of the mono PCM16 the provider wants from <see cref="IVoiceProvider.SendAudioAsync"/>.</summary>
        public int InputSampleRate = 24000;
        /// <summary>Rate of the mono PCM16 the provider delivers to <see cref="IProviderListener.OnAudio"/>.</summary>
        public int OutputSampleRate = 24000;
        public bool ServerTurnDetection;
        public bool SemanticTurnDetection;
        public bool ManualTurns;
        /// <summary>The player can talk over the agent and the agent stops (false for half-duplex servers).</summary>
        public bool FullDuplex;
        /// <summary>The provider can cut its history at what the player heard (OpenAI truncate, cascade history).</summary>
        public bool TruncatesHistory;
        /// <summary>A dropped session can be resumed with a handle instead of replaying context.</summary>
        public bool Resumption;
        public bool Tools;
        public bool InputTranscripts;
        public bool OutputTranscripts;
        public bool UsageReporting;
        public bool TextInput;
        /// <summary>Adding context while the model generates would cut the reply (Gemini clientContent): the session
        /// holds context until the reply has been generated.</summary>
        public bool ContextInterruptsReply;
        /// <summary>The server closes a session after this long (OpenAI Realtime: 60 minutes); zero = no cap.
        /// The session renews the connection before it.</summary>
        public System.TimeSpan MaxSessionDuration = System.TimeSpan.Zero;

        public bool Supports(TurnDetectionMode mode)
        {
            switch (mode)
            {
                case TurnDetectionMode.ServerVad: return ServerTurnDetection;
                case TurnDetectionMode.SemanticVad: return SemanticTurnDetection;
                case TurnDetectionMode.Manual: return ManualTurns;
                default: return false;
            }
        }
    }
}
