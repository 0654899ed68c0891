// Stand-in for UnityEngine.AudioSource and AudioBehaviour (api-signatures.md §3; UnityCsReference Modules/Audio/Public/
// ScriptBindings/Audio.bindings.cs, 2021.3 surface: no `resource`). Playback is rendered by the simulated mixer on
// its audio thread (Parley.Simulation.SourceVoice); timeSamples is the only thread-safe member (IsThreadSafe in
// the bindings), every other member throws off the main thread. Defaults are the Inspector's: volume 1, pitch 1,
// playOnAwake, 2D, Logarithmic rolloff between 1 and 500 m, priority 128.
using System;
using Parley.Simulation;

namespace UnityEngine
{
    public class AudioBehaviour : Behaviour { }

    public enum AudioRolloffMode { Logarithmic = 0, Linear = 1, Custom = 2 }

    [RequireComponent(typeof(Transform))]
    public sealed partial class AudioSource : AudioBehaviour
    {
        internal readonly SourceVoice m_Voice;
        AudioClip m_Clip;
        float m_Volume = 1f, m_Pitch = 1f, m_PanStereo, m_SpatialBlend, m_ReverbZoneMix = 1f, m_DopplerLevel = 1f, m_Spread;
        float m_MinDistance = 1f, m_MaxDistance = 500f;
        bool m_Loop, m_PlayOnAwake = true, m_Mute, m_Spatialize, m_SpatializePostEffects, m_BypassEffects, m_BypassListenerEffects,
            m_BypassReverbZones, m_IgnoreListenerVolume, m_IgnoreListenerPause;
        int m_Priority = 128;
        AudioRolloffMode m_RolloffMode = AudioRolloffMode.Logarithmic;

        public AudioSource() { m_Voice = new SourceVoice(this); }

        static void MainOnly(string member) => Engine.MainThreadOnly(member);

        public float volume { get { MainOnly("get_volume"); return m_Volume; } set { MainOnly("set_volume"); m_Volume = Mathf01(value); } }
        public float pitch { get { MainOnly("get_pitch"); return m_Pitch; } set { MainOnly("set_pitch"); m_Pitch = value; } }

        public float time
        {
            get { MainOnly("get_time"); return m_Clip == null ? 0f : m_Voice.TimeSamples / (float)m_Clip.m_Frequency; }
            set { MainOnly("set_time"); if (m_Clip != null) m_Voice.Seek((int)(value * m_Clip.m_Frequency)); }
        }

        public int timeSamples { get => m_Voice.TimeSamples; set => m_Voice.Seek(value); }

        public AudioClip clip
        {
            get { MainOnly("get_clip"); return m_Clip; }
            set { MainOnly("set_clip"); if (!ReferenceEquals(m_Clip, value)) { m_Voice.Stop(); m_Clip = value; } }
        }

        public void Play() { MainOnly("Play"); PlayIfEnabled(); }

        // Legacy delay in samples at 44.1 kHz; delays are not modelled (the source starts at the next DSP block).
        public void Play(ulong delay) { MainOnly("Play"); PlayIfEnabled(); }

        void PlayIfEnabled()
        {
            if (!EnabledUnchecked || m_GameObject == null || !m_GameObject.ActiveInHierarchyUnchecked)
            {
                Debug.LogWarning("Can not play a disabled audio source");
                return;
            }
            m_Voice.Play();
        }

        public void Stop() { MainOnly("Stop"); m_Voice.Stop(); }
        public void Pause() { MainOnly("Pause"); m_Voice.Paused = true; }
        public void UnPause() { MainOnly("UnPause"); m_Voice.Paused = false; }
        public bool isPlaying { get { MainOnly("get_isPlaying"); return m_Voice.Playing && !m_Voice.Paused; } }

        public bool loop { get { MainOnly("get_loop"); return m_Loop; } set { MainOnly("set_loop"); m_Loop = value; } }
        public bool ignoreListenerVolume { get { MainOnly("get_ignoreListenerVolume"); return m_IgnoreListenerVolume; } set { MainOnly("set_ignoreListenerVolume"); m_IgnoreListenerVolume = value; } }
        public bool playOnAwake { get { MainOnly("get_playOnAwake"); return m_PlayOnAwake; } set { MainOnly("set_playOnAwake"); m_PlayOnAwake = value; } }
        public bool ignoreListenerPause { get { MainOnly("get_ignoreListenerPause"); return m_IgnoreListenerPause; } set { MainOnly("set_ignoreListenerPause"); m_IgnoreListenerPause = value; } }
        public float panStereo { get { MainOnly("get_panStereo"); return m_PanStereo; } set { MainOnly("set_panStereo"); m_PanStereo = value; } }
        public float spatialBlend { get { MainOnly("get_spatialBlend"); return m_SpatialBlend; } set { MainOnly("set_spatialBlend"); m_SpatialBlend = Mathf01(value); } }
        public bool spatialize { get { MainOnly("get_spatialize"); return m_Spatialize; } set { MainOnly("set_spatialize"); m_Spatialize = value; } }
        public bool spatializePostEffects { get { MainOnly("get_spatializePostEffects"); return m_SpatializePostEffects; } set { MainOnly("set_spatializePostEffects"); m_SpatializePostEffects = value; } }
        public float reverbZoneMix { get { MainOnly("get_reverbZoneMix"); return m_ReverbZoneMix; } set { MainOnly("set_reverbZoneMix"); m_ReverbZoneMix = value; } }
        public bool bypassEffects { get { MainOnly("get_bypassEffects"); return m_BypassEffects; } set { MainOnly("set_bypassEffects"); m_BypassEffects = value; } }
        public bool bypassListenerEffects { get { MainOnly("get_bypassListenerEffects"); return m_BypassListenerEffects; } set { MainOnly("set_bypassListenerEffects"); m_BypassListenerEffects = value; } }
        public bool bypassReverbZones { get { MainOnly("get_bypassReverbZones"); return m_BypassReverbZones; } set { MainOnly("set_bypassReverbZones"); m_BypassReverbZones = value; } }
        public float dopplerLevel { get { MainOnly("get_dopplerLevel"); return m_DopplerLevel; } set { MainOnly("set_dopplerLevel"); m_DopplerLevel = value; } }
        public float spread { get { MainOnly("get_spread"); return m_Spread; } set { MainOnly("set_spread"); m_Spread = value; } }
        public int priority { get { MainOnly("get_priority"); return m_Priority; } set { MainOnly("set_priority"); m_Priority = value; } }
        public bool mute { get { MainOnly("get_mute"); return m_Mute; } set { MainOnly("set_mute"); m_Mute = value; } }
        public float minDistance { get { MainOnly("get_minDistance"); return m_MinDistance; } set { MainOnly("set_minDistance"); m_MinDistance = Math.Max(0f, value); } }
        public float maxDistance { get { MainOnly("get_maxDistance"); return m_MaxDistance; } set { MainOnly("set_maxDistance"); m_MaxDistance = Math.Max(0f, value); } }
        public AudioRolloffMode rolloffMode { get { MainOnly("get_rolloffMode"); return m_RolloffMode; } set { MainOnly("set_rolloffMode"); m_RolloffMode = value; } }

        // Unity clamps volume and spatialBlend to [0, 1].
        static float Mathf01(float v) => v < 0f ? 0f : v > 1f ? 1f : v;

        // What the mixer reads on the audio thread (the native mixer keeps its own copy of these).
        internal AudioClip ClipUnchecked => m_Clip;
        internal float VolumeUnchecked => m_Mute ? 0f : m_Volume;
        internal float PitchUnchecked => m_Pitch;
        internal bool LoopUnchecked => m_Loop;
        internal bool PlayOnAwakeUnchecked => m_PlayOnAwake;
        internal bool IgnoresListenerVolume => m_IgnoreListenerVolume;
        internal float SpatialBlendUnchecked => m_SpatialBlend;
        internal float MinDistanceUnchecked => m_MinDistance;
        internal float MaxDistanceUnchecked => m_MaxDistance;
        internal AudioRolloffMode RolloffUnchecked => m_RolloffMode;
    }
}
