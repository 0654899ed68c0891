using System;
using Parley.Audio;
using UnityEngine;

namespace Parley.Unity.Audio
{
    /// <summary>
    /// What the engine's mixer runs at. Read on the main thread; the audio thread gets the result as a value.
    /// </summary>
    public static class EngineAudio
    {
        /// <summary>The output format of the mixer: <see cref="AudioSettings.outputSampleRate"/> and the speaker layout.</summary>
        public static AudioFormat OutputFormat => new AudioFormat(AudioSettings.outputSampleRate, ChannelsOf(AudioSettings.speakerMode));

        /// <summary>
        /// The output latency Unity reports, in whole ms: DSP buffer length × number of buffers at the output rate. A
        /// block rendered at <c>dspTime</c> leaves the speakers this much later; the voices and the listener tap stamp
        /// their blocks with it alike, so every echo reference sits on one timeline. Main thread.
        /// </summary>
        public static int ReportedOutputLatencyMs()
        {
            AudioSettings.GetDSPBufferSize(out var block, out var buffers);
            return (int)Math.Round(block * (double)Math.Max(1, buffers) * 1000.0 / AudioSettings.outputSampleRate);
        }

        /// <summary>Interleaved channel count Unity delivers to OnAudioFilterRead for a speaker mode.</summary>
        public static int ChannelsOf(AudioSpeakerMode mode)
        {
            switch (mode)
            {
                case AudioSpeakerMode.Mono: return 1;
                case AudioSpeakerMode.Stereo: return 2;
                case AudioSpeakerMode.Quad: return 4;
                case AudioSpeakerMode.Surround: return 5;
                case AudioSpeakerMode.Mode5point1: return 6;
                case AudioSpeakerMode.Mode7point1: return 8;
                // Prologic is encoded into a stereo pair.
                case AudioSpeakerMode.Prologic: return 2;
                default: return 2;
            }
        }
    }
}
