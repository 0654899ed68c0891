using System;
using System.Collections.Generic;
using System.Threading;
using Parley.Audio;
using Parley.Unity.Audio;
using UnityEngine;

namespace Parley.Unity.Voice
{
    /// <summary>
    /// The whole AudioListener mix as an echo reference (issue 13 item 1): on the listener's GameObject,
    /// <c>OnAudioFilterRead</c> receives what every source rendered, mixed (music, effects and the agents' voices),
    /// on the audio thread. The tap reads it without changing it and hands it to its played-signal listeners as the
    /// voices hand theirs: mono (the channels' mean) at the output rate, stamped with the block's <c>dspTime</c> plus
    /// the reported output latency (<see cref="EngineAudio.ReportedOutputLatencyMs"/>). <see cref="Parley.Unity.Capture.EchoReferenceFeed"/>
    /// listens to the <see cref="Current"/> tap instead of the voices when a <c>VoiceAgent</c> asks for
    /// <see cref="Parley.Unity.Capture.EchoReferenceSource.ListenerMix"/>, so no voice counts twice. Lock-free and allocation-free per
    /// block. Put it on the GameObject of the AudioListener in use, one without an AudioSource: with both on one
    /// GameObject, whether Unity puts the filter in the source's chain or the listener's is not documented.
    /// </summary>
    [RequireComponent(typeof(AudioListener))]
    [DisallowMultipleComponent]
    [AddComponentMenu("Parley/Listener Echo Tap")]
    [HelpURL(HelpLinks.ListenerEchoTap)]
    public sealed class ListenerEchoTap : MonoBehaviour, IPlayedSignalSource
    {
        static readonly List<ListenerEchoTap> s_Enabled = new List<ListenerEchoTap>();
        static int s_EnabledVersion;

        IPlayedSignalListener[] _listeners = new IPlayedSignalListener[0];
        // Set on the main thread, read by the audio thread (a block takes the array once).
        float[] _mono = new float[0];
        int _rate = 48000;
        int _latencyMs;
        long _blocks;

        /// <summary>Changes whenever a tap is enabled or disabled: a consumer re-reads <see cref="Current"/> then (main thread).</summary>
        public static int EnabledVersion => s_EnabledVersion;

        /// <summary>The tap echo references use: the first enabled one whose AudioListener is enabled; null if none (main thread).</summary>
        public static ListenerEchoTap Current
        {
            get
            {
                for (var i = 0; i < s_Enabled.Count; i++)
                {
                    var listener = s_Enabled[i].GetComponent<AudioListener>();
                    if (listener != null && listener.enabled) return s_Enabled[i];
                }
                return null;
            }
        }

        /// <summary>Blocks of the listener's mix this tap has seen.</summary>
        public long BlocksTapped => Interlocked.Read(ref _blocks);
        /// <summary>The output latency its stamps add, in ms (as <see cref="AgentVoice.OutputLatencyMs"/>).</summary>
        public int OutputLatencyMs => _latencyMs;

        void OnEnable()
        {
            ReadConfiguration();
            if (!s_Enabled.Contains(this)) { s_Enabled.Add(this); s_EnabledVersion++; }
            AudioSettings.OnAudioConfigurationChanged += OnAudioConfigurationChanged;
            if (GetComponent<AudioSource>() != null)
                Debug.LogWarning("Parley ListenerEchoTap on '" + name + "': this GameObject also has an AudioSource, and Unity may run the tap in that source's filter chain instead of the listener's. Keep the AudioListener on a GameObject without one.");
        }

        void OnDisable()
        {
            if (s_Enabled.Remove(this)) s_EnabledVersion++;
            AudioSettings.OnAudioConfigurationChanged -= OnAudioConfigurationChanged;
        }

        // A new output rate or DSP buffer (main thread). The listener's chain is not stopped by a reset as sources are:
        // blocks rendered between the reset and this handler carry the old rate and latency.
        void OnAudioConfigurationChanged(bool deviceWasChanged) => ReadConfiguration();

        void ReadConfiguration()
        {
            AudioSettings.GetDSPBufferSize(out var block, out _);
            _latencyMs = EngineAudio.ReportedOutputLatencyMs();
            Volatile.Write(ref _rate, AudioSettings.outputSampleRate);
            // Longer blocks than this are handed over in pieces.
            if (_mono.Length < block) Volatile.Write(ref _mono, new float[Math.Max(block, 256)]);
        }

        public void AddPlayedListener(IPlayedSignalListener listener) => Volatile.Write(ref _listeners, ListenerArrays.With(_listeners, listener));

        public void RemovePlayedListener(IPlayedSignalListener listener) => Volatile.Write(ref _listeners, ListenerArrays.Without(_listeners, listener));

#if !UNITY_WEBGL || UNITY_EDITOR
        // WebGL players call no OnAudioFilterRead (compiled out as AgentVoice's is): the feeds fall back to the voices there.
        void OnAudioFilterRead(float[] data, int channels)
        {
            Interlocked.Increment(ref _blocks);
            var listeners = Volatile.Read(ref _listeners);
            var mono = Volatile.Read(ref _mono);
            if (listeners.Length == 0 || channels <= 0 || mono.Length == 0) return;
            var rate = Volatile.Read(ref _rate);
            // dspTime is the start of the block being rendered; the listener hears it one output latency later.
            var playTime = AudioSettings.dspTime + _latencyMs / 1000.0;
            var frames = data.Length / channels;
            for (var at = 0; at < frames; at += mono.Length)
            {
                var n = Math.Min(mono.Length, frames - at);
                var piece = new Span<float>(mono, 0, n);
                ChannelMixer.Downmix(new ReadOnlySpan<float>(data, at * channels, n * channels), channels, piece);
                for (var i = 0; i < listeners.Length; i++) listeners[i].OnPlayed(piece, rate, playTime + at / (double)rate);
            }
        }
#endif
    }
}
