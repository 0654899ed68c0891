// Stand-in for UnityEngine.AudioSettings (api-signatures.md §4): a sealed class, not static;
// AudioConfiguration has public fields.
namespace UnityEngine
{
    public enum AudioSpeakerMode
    {
        [System.Obsolete("Raw speaker mode is not supported. Do not use.", true)] Raw = 0,
        Mono = 1, Stereo = 2, Quad = 3, Surround = 4, Mode5point1 = 5, Mode7point1 = 6, Prologic = 7
    }

    public sealed partial class AudioSettings
    {
        // Unity's default mixer: 48 kHz stereo on desktop.
        static int s_OutputSampleRate = 48000;
        static AudioSpeakerMode s_SpeakerMode = AudioSpeakerMode.Stereo;

        public static int outputSampleRate { get => s_OutputSampleRate; set => s_OutputSampleRate = value; }
        public static AudioSpeakerMode speakerMode { get => s_SpeakerMode; set => s_SpeakerMode = value; }
    }
}
