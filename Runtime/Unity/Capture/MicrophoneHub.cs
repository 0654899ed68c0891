using System;
using System.Collections.Generic;
using Parley.Audio;
using UnityEngine;

namespace Parley.Unity.Capture
{
    /// <summary>
    /// One microphone shared by many agents. Unity has one recording per device (a second <c>Microphone.Start</c> on it
    /// restarts the same clip, and <c>Microphone.End</c> stops it for everybody), so the hub owns the device's capture
    /// source (a <see cref="MicrophoneCapture"/> on its GameObject unless another <see cref="ICaptureSource"/> is set)
    /// and fans its frames out. It is itself an <see cref="ICaptureSource"/>: agents add themselves as sinks (a
    /// <c>VoiceAgent</c> with no capture of its own finds the scene's hub). Which of them hears is a policy
    /// (<see cref="IMicrophonePolicy"/>: nearest to the AudioListener, the explicitly active one, or all), chosen
    /// once per frame before that frame's audio is delivered, so a hand-over splits the stream between two chunks:
    /// no frame is lost or delivered twice. A hand-over never cuts an utterance: while the listener that has the
    /// microphone says its player is mid-utterance (<see cref="ICaptureUtterance"/>), it keeps the microphone alone
    /// until the utterance ends or <see cref="MaxHoldSeconds"/> of captured audio have passed; the next listener
    /// gets everything after. Listeners that do not hear a chunk and are <see cref="ICaptureObserver"/>s observe it (an
    /// agent's echo guard keeps measuring the microphone's echo path). No static state: nothing survives a play session
    /// with domain reload off.
    /// </summary>
    [DisallowMultipleComponent]
    [AddComponentMenu("Parley/Microphone Hub")]
    [HelpURL(HelpLinks.MicrophoneHub)]
    public sealed class MicrophoneHub : MonoBehaviour, ICaptureSource, ICaptureSink, IClockDriftSource
    {
        [SerializeField, Tooltip("A component implementing ICaptureSource; empty = the MicrophoneCapture on this GameObject (added if missing).")]
        MonoBehaviour captureSource;
        [SerializeField, Tooltip("Which agent hears the microphone.")]
        MicrophoneRouting routing = MicrophoneRouting.NearestToListener;
        [SerializeField, Min(0f), Tooltip("Nearest to listener: another agent takes the microphone only when it is this much nearer.")]
        float switchMarginMeters = 0.5f;
        [SerializeField, Min(0f), Tooltip("A hand-over waits at most this many seconds of audio for the current agent's player to finish speaking; 0 = never wait.")]
        float maxHoldSeconds = 10f;

        readonly List<ICaptureSink> _sinks = new List<ICaptureSink>();
        readonly List<ICaptureSource> _found = new List<ICaptureSource>();
        readonly AllListenPolicy _all = new AllListenPolicy();
        readonly ExplicitListenerPolicy _explicit = new ExplicitListenerPolicy();
        readonly NearestToListenerPolicy _nearest = new NearestToListenerPolicy();
        bool[] _hears = new bool[4];
        IMicrophonePolicy _custom;
        ICaptureSource _source;
        ICaptureSink _heard;   // the single listener of the last choice (null: none or several)
        int _chosenFrame = -1;
        int _delivering = -1;
        bool _holding;
        long _heldFrames;

        public event Action<CaptureStatus, string> StatusChanged;
        /// <summary>The microphone went from one listener to another (either may be null): old, new.</summary>
        public event Action<ICaptureSink, ICaptureSink> Handover;

        public MonoBehaviour CaptureSourceComponent { get => captureSource; set => captureSource = value; }
        public MicrophoneRouting Routing { get => routing; set => routing = value; }
        public float SwitchMarginMeters { get => switchMarginMeters; set => switchMarginMeters = Math.Max(0f, value); }
        /// <summary>Longest wait (seconds of captured audio) of a hand-over for the current listener's utterance to end.</summary>
        public float MaxHoldSeconds { get => maxHoldSeconds; set => maxHoldSeconds = Math.Max(0f, value); }
        /// <summary>A hand-over is waiting for the current listener's player to finish speaking.</summary>
        public bool Holding => _holding;
        /// <summary>Hand-overs that waited for an utterance, and those of them that gave up at <see cref="MaxHoldSeconds"/>.</summary>
        public int HeldHandovers { get; private set; }
        public int HoldsTimedOut { get; private set; }
        /// <summary>A policy of the game's own; null = the built-in one <see cref="Routing"/> names.</summary>
        public IMicrophonePolicy Policy { get => _custom; set { _custom = value; _chosenFrame = -1; } }
        /// <summary>Who hears with <see cref="MicrophoneRouting.ExplicitlyActive"/> (an agent, or any sink added).</summary>
        public ICaptureSink Active { get => _explicit.Active; set { _explicit.Active = value; _chosenFrame = -1; } }
        /// <summary>The capture source the hub owns (resolved when enabled).</summary>
        public ICaptureSource Source => _source;
        /// <summary>The source's clock drift (NaN when it does not measure one, or not yet).</summary>
        public double ClockDriftPpm => _source is IClockDriftSource d ? d.ClockDriftPpm : double.NaN;
        public bool ClockDriftKnown => _source is IClockDriftSource d && d.ClockDriftKnown;
        public IReadOnlyList<ICaptureSink> Listeners => _sinks;

        public AudioFormat Format => _source?.Format ?? new AudioFormat(48000, 1);
        public CaptureStatus Status => _source?.Status ?? CaptureStatus.Stopped;
        /// <summary>Frames the source delivered to the hub, and frames the hub passed on to at least one listener.</summary>
        public long FramesReceived { get; private set; }
        public long FramesDelivered { get; private set; }
        public int Handovers { get; private set; }

        public void AddSink(ICaptureSink sink)
        {
            if (sink == null || ReferenceEquals(sink, this) || _sinks.Contains(sink)) return;
            _sinks.Add(sink);
            if (_hears.Length < _sinks.Count) Array.Resize(ref _hears, _sinks.Count * 2);
            _chosenFrame = -1;
        }

        public void RemoveSink(ICaptureSink sink)
        {
            var i = _sinks.IndexOf(sink);
            if (i < 0) return;
            _sinks.RemoveAt(i);
            Array.Copy(_hears, i + 1, _hears, i, _hears.Length - i - 1);
            if (_delivering >= i) _delivering--;   // a listener that leaves while a chunk is handed out
            if (ReferenceEquals(_heard, sink)) _heard = null;
            _chosenFrame = -1;
        }

        void OnEnable()
        {
            _source = ResolveSource();
            if (_source == null) return;
            _source.StatusChanged += OnSourceStatus;
            _source.AddSink(this);
        }

        void OnDisable()
        {
            if (_source == null) return;
            _source.RemoveSink(this);
            _source.StatusChanged -= OnSourceStatus;
            _source = null;
        }

        ICaptureSource ResolveSource()
        {
            if (captureSource is ICaptureSource chosen && !ReferenceEquals(chosen, this)) return chosen;
            GetComponents(_found);
            foreach (var s in _found)
                if (!ReferenceEquals(s, this)) return s;
#if !UNITY_WEBGL || UNITY_EDITOR
            return gameObject.AddComponent<MicrophoneCapture>();
#else
            return null;
#endif
        }

        void OnSourceStatus(CaptureStatus status, string reason) => StatusChanged?.Invoke(status, reason);

        IMicrophonePolicy Current()
        {
            if (_custom != null) return _custom;
            switch (routing)
            {
                case MicrophoneRouting.All: return _all;
                case MicrophoneRouting.ExplicitlyActive: return _explicit;
                default:
                    _nearest.SwitchMarginMeters = switchMarginMeters;
                    return _nearest;
            }
        }

        void Choose()
        {
            _chosenFrame = Time.frameCount;
            Array.Clear(_hears, 0, _hears.Length);
            Current().Choose(_sinks, _hears);
            if (HoldFor(_heard)) return;
            ICaptureSink single = null;
            var count = 0;
            for (var i = 0; i < _sinks.Count; i++)
                if (_hears[i]) { single = _sinks[i]; count++; }
            if (count > 1) single = null;
            if (ReferenceEquals(single, _heard)) return;
            var old = _heard;
            _heard = single;
            if (old != null && single != null) Handovers++;
            Handover?.Invoke(old, single);
        }

        /// <summary>
        /// The policy took the microphone from <paramref name="current"/> while its player is mid-utterance: it keeps it
        /// alone (the others wait, so nobody gets the middle of a sentence) until the utterance ends or the bound passes.
        /// </summary>
        bool HoldFor(ICaptureSink current)
        {
            var i = current == null ? -1 : _sinks.IndexOf(current);
            var taken = i >= 0 && !_hears[i];
            var wait = taken && current is ICaptureUtterance u && u.MidUtterance && MicrophonePolicy.Wants(current);
            if (wait && _heldFrames >= (long)(maxHoldSeconds * Format.SampleRate))
            {
                HoldsTimedOut++;
                wait = false;
            }
            if (!wait)
            {
                _holding = false;
                _heldFrames = 0;
                return false;
            }
            if (!_holding) HeldHandovers++;
            _holding = true;
            Array.Clear(_hears, 0, _hears.Length);
            _hears[i] = true;
            return true;
        }

        // From the source's Update, main thread: one chunk of the device's audio.
        void ICaptureSink.OnCaptured(ReadOnlySpan<float> interleaved, AudioFormat format)
        {
            if (Time.frameCount != _chosenFrame) Choose();
            var frames = interleaved.Length / Math.Max(1, format.Channels);
            FramesReceived += frames;
            if (_holding) _heldFrames += frames;
            var any = false;
            for (_delivering = 0; _delivering < _sinks.Count; _delivering++)
            {
                if (!_hears[_delivering])
                {
                    if (_sinks[_delivering] is ICaptureObserver observer) observer.OnObserved(interleaved, format);
                    continue;
                }
                any = true;
                _sinks[_delivering].OnCaptured(interleaved, format);
            }
            _delivering = -1;
            if (any) FramesDelivered += frames;
        }
    }
}
