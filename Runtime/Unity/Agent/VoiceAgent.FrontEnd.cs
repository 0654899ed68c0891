using System;
using Parley.Audio;
using Parley.Audio.Vad;
using Parley.Session;
using Parley.Session.Audio;
using Parley.Unity.Capture;
using UnityEngine;

namespace Parley.Unity.Agent
{
    /// <summary>Which voice activity detector hears the player for barge-in.</summary>
    public enum LocalVoiceDetection
    {
        /// <summary>None of ours: the provider's VAD decides (it hears the echo-cancelled microphone).</summary>
        Provider,
        /// <summary>Parley's energy/spectral VAD (no dependency).</summary>
        Energy,
        /// <summary>The detector <see cref="VoiceAgent.VadFactory"/> makes (e.g. Silero through Parley.Onnx); energy without one.</summary>
        Custom,
    }

    // The capture front end: the microphone through a DuplexFrontEnd (echo canceller on what every agent played, or on
    // the whole listener mix, echo guard, local VAD, duplex mode), fed by an EchoReferenceFeed. Documentation~/components.md, "Echo and barge-in".
    public sealed partial class VoiceAgent
    {
        [Header("Echo and barge-in")]
        [SerializeField, Tooltip("Cancel the agents' voices in the microphone (Parley's echo canceller on what they played). Off: the platform's capture cancels, or nothing.")]
        bool echoCancellation = true;
        [SerializeField, Tooltip("What the canceller subtracts: the agents' voices (default), or the whole AudioListener mix, music and effects included, through a ListenerEchoTap on the listener's GameObject (the voices while there is none, with a warning).")]
        EchoReferenceSource echoReference = EchoReferenceSource.AgentVoices;
        [SerializeField, Tooltip("Full: the player can talk over the agent. Half: the microphone is gated while the agent can be heard (weak hardware). Push-to-talk turn taking overrides both.")]
        DuplexMode duplexMode = DuplexMode.FullDuplex;
        [SerializeField, Tooltip("Who hears the player's voice for barge-in: the provider's VAD, Parley's energy VAD, or VadFactory's detector (Silero).")]
        LocalVoiceDetection localVad = LocalVoiceDetection.Provider;
        [SerializeField, Tooltip("Start each conversation's echo canceller from the echo path the last conversation on this microphone learnt (kept by its MicrophoneCapture), so it cancels from the first words. A path from other speakers costs nothing: it is used only if it cancels at once.")]
        bool rememberEchoPath = true;

        DuplexFrontEnd _frontEnd;
        EchoReferenceFeed _echoFeed;

        public bool EchoCancellation { get => echoCancellation; set => echoCancellation = value; }
        /// <summary>What the echo reference of the next conversation is (<see cref="EchoReferenceFeed.ActiveSource"/>: what it is now).</summary>
        public EchoReferenceSource EchoReferenceSource { get => echoReference; set => echoReference = value; }
        public DuplexMode DuplexMode { get => duplexMode; set => duplexMode = value; }
        public LocalVoiceDetection LocalVad { get => localVad; set => localVad = value; }
        /// <summary>
        /// Start the canceller from the echo path the last conversation on this microphone learnt (kept by the
        /// MicrophoneCapture's <c>EchoRooms</c>; a custom capture source keeps none).
        /// </summary>
        public bool RememberEchoPath { get => rememberEchoPath; set => rememberEchoPath = value; }

        /// <summary>Makes the local VAD for <see cref="LocalVoiceDetection.Custom"/> (owned by the front end), e.g. <c>() => VadEngines.CreateSileroWithEnergyOnset(model)</c>.</summary>
        public Func<IVoiceActivityDetector> VadFactory;
        /// <summary>
        /// Tunes the front end of the next conversation (echo guard, filter length, <c>WhenOff</c>…); its <c>Mode</c> and
        /// <c>EchoCancellation</c> are set from the component's fields when a conversation starts.
        /// </summary>
        public DuplexFrontEndOptions FrontEndOptions { get => _frontEndOptions ?? (_frontEndOptions = new DuplexFrontEndOptions()); set => _frontEndOptions = value; }
        DuplexFrontEndOptions _frontEndOptions;

        /// <summary>The current conversation's capture front end (null outside one).</summary>
        public DuplexFrontEnd FrontEnd => _frontEnd;
        /// <summary>Which canceller cleans the microphone of the current conversation (issue 13 item 7).</summary>
        public ActiveEchoCanceller ActiveEchoCanceller => _frontEnd?.Canceller ?? ActiveEchoCanceller.None;
        /// <summary>The current conversation's echo reference (null outside one, or with the canceller off).</summary>
        public EchoReferenceFeed EchoReference => _echoFeed;

        DuplexFrontEnd CreateFrontEnd(AudioFormat format)
        {
            // The options object is the agent's (read by the front end as it runs): set between conversations only.
            var options = FrontEndOptions;
            options.Mode = turnTaking == TurnTaking.PushToTalk ? DuplexMode.PushToTalk : duplexMode;
            options.EchoCancellation = echoCancellation;
            // A room belongs to the devices: every agent on this microphone shares it (the browser cancels on WebGL).
            options.EchoRooms = null;
            options.EchoRoomKey = string.Empty;
#if !UNITY_WEBGL || UNITY_EDITOR
            var mic = _capture as MicrophoneCapture ?? (_capture as MicrophoneHub)?.Source as MicrophoneCapture;
            if (mic != null && rememberEchoPath)
            {
                options.EchoRooms = mic.EchoRooms;
                options.EchoRoomKey = mic.DeviceName;
            }
#endif
            // Up to 1 s per call (a long frame delivers its chunks one by one; 10 ms each from MicrophoneCapture).
            _frontEnd = new DuplexFrontEnd(format, format.SampleRate, CreateDetector(), options);
            // The played reference also drives the echo guard and half duplex: fed whenever a voice can be heard.
            _echoFeed = new EchoReferenceFeed(_frontEnd, echoReference);
            _echoFeed.ActiveSourceChanged += OnEchoReferenceChanged;
            OnEchoReferenceChanged(_echoFeed.ActiveSource);
            return _frontEnd;
        }

        void OnEchoReferenceChanged(EchoReferenceSource active)
        {
            if (active == echoReference) return;
            Debug.LogWarning("Parley VoiceAgent '" + name + "': EchoReferenceSource is ListenerMix but no enabled ListenerEchoTap is on an enabled AudioListener; the echo reference is the agents' voices (game music and effects are not cancelled) until one is.");
        }

        IVoiceActivityDetector CreateDetector()
        {
            switch (localVad)
            {
                case LocalVoiceDetection.Energy: return new EnergyVoiceActivityDetector(16000);
                case LocalVoiceDetection.Custom:
                    if (VadFactory != null) return VadFactory();
                    Debug.LogWarning("Parley VoiceAgent '" + name + "': LocalVad is Custom but no VadFactory is set; using the energy VAD.");
                    return new EnergyVoiceActivityDetector(16000);
                default: return null;
            }
        }

        /// <summary>Before the session's front end takes <paramref name="frames"/> microphone frames: the played reference up to now.</summary>
        void FeedReference(int frames)
        {
            if (_echoFeed == null) return;
            // The microphone's measured drift against the output clock puts the reference on the microphone's clock.
            if (_capture is IClockDriftSource drift && drift.ClockDriftKnown) _echoFeed.ClockDriftPpm = Math.Max(-20000, Math.Min(20000, drift.ClockDriftPpm));
            _echoFeed.BeforeCapture(frames);
        }

        /// <summary>
        /// The microphone's clock drift against the output, in ppm, that the echo reference compensates; NaN while the
        /// capture source has not measured it (the first 10 s of capture) or cannot (a platform capture source).
        /// </summary>
        public double MeasuredClockDriftPpm => _capture is IClockDriftSource d && d.ClockDriftKnown ? d.ClockDriftPpm : double.NaN;

        void ReleaseFrontEnd()
        {
            _echoFeed?.Dispose();
            _echoFeed = null;
            _frontEnd?.Dispose();
            _frontEnd = null;
        }
    }
}
