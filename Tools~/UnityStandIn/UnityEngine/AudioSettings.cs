// Stand-in for UnityEngine.AudioSettings (api-signatures.md §4; UnityCsReference Modules/Audio/Public/ScriptBindings/
// Audio.bindings.cs): a sealed class, not static; AudioConfiguration has public fields; the change handler is a
// nested delegate. Behaviour (audio-behaviour.md §5): dspTime counts the frames the mixer rendered and steps once
// per DSP block (the only thread-safe member); Reset stops every playing source and raises
// OnAudioConfigurationChanged(false); the outputSampleRate/speakerMode setters log a warning and apply through a
// reset. Default mixer: 48 kHz stereo, 1024 frames x 4 buffers (the simulated player's options can change them).
using Parley.Simulation;

namespace UnityEngine
{
    public enum AudioSpeakerMode
    {
        [System.Obsolete("Raw speaker mode is not supported. Do not use.", true)] Raw = 0,
        Mono = 1, Stereo = 2, Quad = 3, Surround = 4, Mode5point1 = 5, Mode7point1 = 6, Prologic = 7
    }

    public struct AudioConfiguration
    {
        public AudioSpeakerMode speakerMode;
        public int dspBufferSize;
        public int sampleRate;
        public int numRealVoices;
        public int numVirtualVoices;
    }

    public sealed partial class AudioSettings
    {
        public static AudioSpeakerMode driverCapabilities { get { Engine.MainThreadOnly("get_driverCapabilities"); return AudioSpeakerMode.Mode7point1; } }

        public static AudioSpeakerMode speakerMode
        {
            get { Engine.MainThreadOnly("get_speakerMode"); return Engine.Audio.Configuration.speakerMode; }
            set
            {
                Engine.MainThreadOnly("set_speakerMode");
                Debug.LogWarning("Setting AudioSettings.speakerMode is deprecated and has been replaced by audio project settings and the AudioSettings.GetConfiguration/AudioSettings.Reset API.");
                var c = Engine.Audio.Configuration;
                c.speakerMode = value;
                Reset(c);
            }
        }

        public static double dspTime => Engine.Audio.DspTime;

        public static int outputSampleRate
        {
            get { Engine.MainThreadOnly("get_outputSampleRate"); return Engine.Audio.Configuration.sampleRate; }
            set
            {
                Engine.MainThreadOnly("set_outputSampleRate");
                Debug.LogWarning("Setting AudioSettings.outputSampleRate is deprecated and has been replaced by audio project settings and the AudioSettings.GetConfiguration/AudioSettings.Reset API.");
                var c = Engine.Audio.Configuration;
                c.sampleRate = value;
                Reset(c);
            }
        }

        public static void GetDSPBufferSize(out int bufferLength, out int numBuffers)
        {
            Engine.MainThreadOnly("GetDSPBufferSize");
            bufferLength = Engine.Audio.Configuration.dspBufferSize;
            numBuffers = Engine.Audio.NumBuffers;
        }

        public static AudioConfiguration GetConfiguration()
        {
            Engine.MainThreadOnly("GetConfiguration");
            return Engine.Audio.Configuration;
        }

        public static bool Reset(AudioConfiguration config)
        {
            Engine.MainThreadOnly("Reset");
            Engine.Audio.Reset(config);
            RaiseConfigurationChanged(false);
            return true;
        }

        internal static void RaiseConfigurationChanged(bool deviceWasChanged) => OnAudioConfigurationChanged?.Invoke(deviceWasChanged);

        public delegate void AudioConfigurationChangeHandler(bool deviceWasChanged);

        public static event AudioConfigurationChangeHandler OnAudioConfigurationChanged;
    }
}
