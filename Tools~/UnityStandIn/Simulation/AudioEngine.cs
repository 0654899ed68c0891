// The simulated mixer: Unity's audio output as audio-behaviour.md §3 and §5 describe it. Once per DSP block
// (bufferLength frames at the output rate) the audio thread renders every playing AudioSource (clip after volume,
// distance attenuation and listener volume, then the OnAudioFilterRead chain of its GameObject, a generator when
// there is no clip) and sums them into what the AudioListener hears; then the OnAudioFilterRead chain of the
// listener's GameObject runs on that mix, in component order ("You can modify the output of Audio Source and Audio
// Listener components by applying Audio Effects… added to the object with the Audio Source or Audio Listener", Manual
// "Use audio filters"), and what it leaves is what the speakers play. Whether Unity applies AudioListener.volume
// before or after the listener's filters is not documented: here it is before (the mix the listener's filters see is
// after the volume), as a source's filter already sees its clip after the listener volume (uLipSync #55), so the
// sum of the sources carries it. A GameObject with both an AudioSource and the listener is not modelled apart: its
// filters run in both chains. dspTime counts rendered frames. A reset stops every source.
using System;
using System.Collections.Generic;
using System.Threading;
using UnityEngine;

namespace Parley.Simulation
{
    internal sealed class AudioEngine
    {
        // Mixer history kept for AudioListener.GetOutputData (Unity's maximum spectrum/output window is 8192).
        const int HistoryFrames = 8192;

        internal static AudioConfiguration DefaultConfiguration => new AudioConfiguration
        {
            speakerMode = AudioSpeakerMode.Stereo, dspBufferSize = 1024, sampleRate = 48000, numRealVoices = 32, numVirtualVoices = 512,
        };

        internal AudioConfiguration Configuration = DefaultConfiguration;
        internal int NumBuffers = 4;
        internal float ListenerVolume = 1f;
        internal bool ListenerPaused;

        /// <summary>Fractional deviation of the output device's clock from the virtual clock (e.g. 0.0002 = +200 ppm).</summary>
        internal double OutputClockDrift;

        /// <summary>Receives each block the listener heard (interleaved, channels, rate), on the audio thread.</summary>
        internal Action<float[], int, int> Heard;

        readonly List<AudioSource> _sources = new List<AudioSource>();
        float[] _block = Array.Empty<float>();
        float[] _master = Array.Empty<float>();
        float[] _history = Array.Empty<float>();
        int _historyWrite;
        long _framesSinceReset;
        double _dspAtReset;
        double _originTime;
        long _dspTimeBits;

        internal int Channels => ChannelsOf(Configuration.speakerMode);

        internal double DspTime => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _dspTimeBits));

        internal long BlocksRendered { get; private set; }

        internal static int ChannelsOf(AudioSpeakerMode mode)
        {
            switch (mode)
            {
                case AudioSpeakerMode.Mono: return 1;
                case AudioSpeakerMode.Quad: return 4;
                case AudioSpeakerMode.Surround: return 5;
                case AudioSpeakerMode.Mode5point1: return 6;
                case AudioSpeakerMode.Mode7point1: return 8;
                default: return 2;
            }
        }

        /// <summary>A player starts: a fresh mixer at virtual time 0 with dspTime 0.</summary>
        internal void Start(AudioConfiguration configuration, int numBuffers, double outputClockDrift)
        {
            _sources.Clear();
            Configuration = configuration;
            NumBuffers = numBuffers;
            OutputClockDrift = outputClockDrift;
            ListenerVolume = 1f;
            ListenerPaused = false;
            Heard = null;
            BlocksRendered = 0;
            _dspAtReset = 0;
            _originTime = 0;
            _framesSinceReset = 0;
            SetDspTime(0);
            Allocate();
        }

        internal void Register(AudioSource source) => _sources.Add(source);

        internal void Unregister(AudioSource source) => _sources.Remove(source);

        /// <summary>AudioSettings.Reset: every source stops; the new configuration applies from the next block; dspTime goes on.</summary>
        internal void Reset(AudioConfiguration config, bool stopSources = true)
        {
            if (stopSources)
                foreach (var s in _sources) s.m_Voice.Stop();
            if (config.sampleRate <= 0) config.sampleRate = Configuration.sampleRate;
            if (config.dspBufferSize <= 0) config.dspBufferSize = Configuration.dspBufferSize;
            _dspAtReset = DspTime;
            _originTime = Engine.Player?.Now ?? 0;
            _framesSinceReset = 0;
            Configuration = config;
            Allocate();
        }

        void Allocate()
        {
            var n = Configuration.dspBufferSize * Channels;
            _block = new float[n];
            _master = new float[n];
            _history = new float[HistoryFrames * Channels];
            _historyWrite = 0;
        }

        /// <summary>Virtual time at which the next block is rendered (the output device's clock, drift included).</summary>
        internal double NextBlockTime => _originTime + _framesSinceReset / (Configuration.sampleRate * (1.0 + OutputClockDrift));

        void SetDspTime(double value) => Interlocked.Exchange(ref _dspTimeBits, BitConverter.DoubleToInt64Bits(value));

        /// <summary>Renders one DSP block. Runs on the audio thread.</summary>
        internal void RenderBlock()
        {
            var frames = Configuration.dspBufferSize;
            var channels = Channels;
            var rate = Configuration.sampleRate;
            Array.Clear(_master, 0, _master.Length);
            var listener = FindListener();
            if (listener != null && !ListenerPaused)
            {
                var listenerPosition = listener.m_GameObject.TransformUnchecked.PositionUnchecked;
                for (var i = 0; i < _sources.Count; i++)
                {
                    var source = _sources[i];
                    if (!source.m_Voice.Audible) continue;
                    var gain = Attenuation(source, listenerPosition) * (source.IgnoresListenerVolume ? 1f : ListenerVolume);
                    source.m_Voice.Render(_block, frames, channels, rate, gain);
                    for (var k = 0; k < _block.Length; k++) _master[k] += _block[k];
                }
            }
            if (listener != null) RunFilterChain(listener.m_GameObject, _master, channels);   // paused too: the chain goes on over silence
            Remember(frames, channels);
            Heard?.Invoke(_master, channels, rate);
            _framesSinceReset += frames;
            BlocksRendered++;
            SetDspTime(_dspAtReset + _framesSinceReset / (double)rate);
        }

        /// <summary>The OnAudioFilterRead chain of <paramref name="go"/> over <paramref name="block"/>, in component order; a throwing script is reported and skipped.</summary>
        internal static void RunFilterChain(GameObject go, float[] block, int channels)
        {
            var components = go.m_Components;
            for (var i = 0; i < components.Count; i++)
            {
                if (!(components[i] is MonoBehaviour mb) || mb.m_AudioFilter == null || mb.m_Destroyed || !mb.EnabledUnchecked) continue;
                try { mb.m_AudioFilter(block, channels); }
                catch (Exception e) { Lifecycle.Report(e); }
            }
        }

        static AudioListener FindListener()
        {
            var scene = Lifecycle.Scene;
            for (var i = 0; i < scene.Count; i++)
            {
                var go = scene[i];
                if (!go.ActiveInHierarchyUnchecked) continue;
                var components = go.m_Components;
                for (var j = 0; j < components.Count; j++)
                    if (components[j] is AudioListener l && l.EnabledUnchecked && !l.m_Destroyed) return l;
            }
            return null;
        }

        /// <summary>
        /// 3D distance attenuation blended by spatialBlend (panning is not modelled). Logarithmic: inverse distance
        /// beyond minDistance, constant beyond maxDistance ("the distance a sound stops attenuating at"); Linear: 1 at
        /// minDistance to 0 at maxDistance ("completely inaudible"), per the AudioSource.maxDistance docs. Custom
        /// curves are treated as Logarithmic.
        /// </summary>
        internal static float Attenuation(AudioSource source, Vector3 listener)
        {
            var blend = source.SpatialBlendUnchecked;
            if (blend <= 0f) return 1f;
            var d = Vector3.Distance(source.m_GameObject.TransformUnchecked.PositionUnchecked, listener);
            float min = source.MinDistanceUnchecked, max = Math.Max(source.MinDistanceUnchecked, source.MaxDistanceUnchecked);
            float g;
            if (d <= min) g = 1f;
            else if (source.RolloffUnchecked == AudioRolloffMode.Linear) g = max > min ? Math.Max(0f, (max - d) / (max - min)) : 0f;
            else g = min / Math.Min(d, max);
            return 1f - blend + blend * g;
        }

        void Remember(int frames, int channels)
        {
            for (var i = 0; i < frames; i++)
            {
                Array.Copy(_master, i * channels, _history, _historyWrite * channels, channels);
                _historyWrite = (_historyWrite + 1) % HistoryFrames;
            }
        }

        internal void CopyRecentOutput(float[] samples, int channel)
        {
            if (samples == null) return;
            var channels = Channels;
            if (channel < 0 || channel >= channels) throw new ArgumentException("AudioListener.GetOutputData failed; invalid channel");
            var n = Math.Min(samples.Length, HistoryFrames);
            for (var i = 0; i < n; i++)
            {
                var frame = ((_historyWrite - n + i) % HistoryFrames + HistoryFrames) % HistoryFrames;
                samples[i] = _history[frame * channels + channel];
            }
        }
    }
}
