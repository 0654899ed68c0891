using System;

namespace Parley.Audio.Vad
{
    /// <summary>
    /// How per-frame probabilities become speech segments (<see cref="VoiceActivityTracker"/>): speech starts
    /// on the first frame at or above <see cref="OnsetThreshold"/> and lasts while frames stay at or above
    /// <see cref="OffsetThreshold"/> (hysteresis, as silero-vad's get_speech_timestamps uses threshold − 0.15),
    /// and ends after <see cref="HangoverMs"/> of frames below it, so pauses between words do not split an utterance.
    /// </summary>
    [Serializable]
    public struct VadSettings
    {
        public float OnsetThreshold;
        public float OffsetThreshold;
        /// <summary>Time below <see cref="OffsetThreshold"/> before speech is declared over.</summary>
        public float HangoverMs;
        /// <summary>Offline segments shorter than this are dropped (0 keeps all; live events are not delayed by it).</summary>
        public float MinSpeechMs;

        public static VadSettings Default => new VadSettings { OnsetThreshold = 0.5f, OffsetThreshold = 0.35f, HangoverMs = 250f, MinSpeechMs = 0f };

        public void Validate()
        {
            if (!(OnsetThreshold > 0f && OnsetThreshold <= 1f)) throw new ArgumentOutOfRangeException(nameof(OnsetThreshold), OnsetThreshold, "The onset threshold must be in (0, 1].");
            if (!(OffsetThreshold >= 0f && OffsetThreshold <= OnsetThreshold)) throw new ArgumentOutOfRangeException(nameof(OffsetThreshold), OffsetThreshold, "The offset threshold must be in [0, onset threshold].");
            if (!(HangoverMs >= 0f && HangoverMs < 60000f)) throw new ArgumentOutOfRangeException(nameof(HangoverMs), HangoverMs, "The hangover must be in [0, 60000) ms.");
            if (!(MinSpeechMs >= 0f && MinSpeechMs < 60000f)) throw new ArgumentOutOfRangeException(nameof(MinSpeechMs), MinSpeechMs, "The minimum speech length must be in [0, 60000) ms.");
        }
    }
}
