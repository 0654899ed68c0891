namespace Parley.Audio.Vad
{
    /// <summary>What one frame changed in a <see cref="VoiceActivityTracker"/>.</summary>
    public enum VadTransition
    {
        None,
        SpeechStarted,
        SpeechEnded,
    }
}
