using System;
using System.Collections.Generic;
using Parley.Audio;
using Parley.Session.Audio;
using Parley.Unity.Voice;
using UnityEngine;

namespace Parley.Unity.Capture
{
    /// <summary>What a microphone's echo reference is.</summary>
    public enum EchoReferenceSource
    {
        /// <summary>What every enabled <see cref="AgentVoice"/> played (default): game music and effects are not cancelled.</summary>
        AgentVoices,
        /// <summary>
        /// The whole AudioListener mix (music, effects and voices) through the scene's <see cref="ListenerEchoTap"/>;
        /// the agents' voices while there is none (<see cref="EchoReferenceFeed.ActiveSourceChanged"/>).
        /// </summary>
        ListenerMix,
    }

    /// <summary>
    /// Feeds a microphone's <see cref="DuplexFrontEnd"/> with what was played: an <see cref="EchoReferenceMix"/>
    /// listening to each enabled <see cref="AgentVoice"/>, or with <see cref="EchoReferenceSource.ListenerMix"/> to the
    /// <see cref="ListenerEchoTap.Current"/> tap instead (the whole listener mix, so no voice counts twice; the
    /// voices again while there is no tap), read before each captured block, brought from the output rate
    /// to the microphone's and placed on the microphone's clock. The clocks meet through <c>AudioSettings.dspTime</c>:
    /// a block handed over at dspTime t ends no later than t on the microphone's timeline, so the smallest
    /// <c>dspTime − frames / rate</c> seen over the last seconds is where microphone frame 0 sits on the DSP clock (an
    /// estimate never earlier than the truth: the reference may come early, which the canceller's delay search covers,
    /// never late). The reference is placed a DSP block earlier still (dspTime moves in blocks). When the estimate
    /// moves later by more than <see cref="ReanchorMs"/>, or earlier by more than <see cref="EarlyReanchorMs"/> (drift
    /// between the two clocks, a hitch), the reference starts a new
    /// run there. A new output rate (<c>OnAudioConfigurationChanged</c>) gets a mix and a resampler at that rate before
    /// the restarted sources render. Main thread; allocates nothing per block (a new output rate reallocates once).
    /// Clock drift (<see cref="ClockDriftPpm"/>, measured by MicrophoneCapture against dspTime): the
    /// microphone's frames are counted at its true rate on the DSP clock, and the reference is resampled from the
    /// nominal rate to that true rate (<see cref="DriftResampler"/>), so it stays where the echo is without re-placing:
    /// the canceller sees a still echo path and needs no drift of its own.
    /// </summary>
    public sealed class EchoReferenceFeed : IDisposable
    {
        /// <summary>How far the clock estimate may move later (the reference could come late) before the reference is re-placed.</summary>
        public const double ReanchorMs = 5;
        /// <summary>How far the clock estimate may move earlier (the reference then comes that much earlier than needed) before the reference is re-placed.</summary>
        public const double EarlyReanchorMs = 20;
        const double WindowSeconds = 2;
        const double GapSeconds = 0.25;
        const int ReadFrames = 1024;

        readonly DuplexFrontEnd _frontEnd;
        readonly int _micRate;
        readonly EchoReferenceMix _mix;
        readonly List<IPlayedSignalSource> _attached = new List<IPlayedSignalSource>();
        ListenerEchoTap _tap;
        int _tapVersion = -1;
        readonly float[] _read = new float[ReadFrames];
        float[] _atMic = new float[0];
        float[] _drifted = new float[0];
        readonly DriftResampler _drift = new DriftResampler();
        double _driftPpm;
        double _micTime;
        long _micFrames;
        Resampler _toMic;
        int _version = -1;
        double _anchor = double.NaN, _windowMin = double.PositiveInfinity, _previousMin = double.PositiveInfinity, _windowStart = double.NaN;
        bool _restart = true;
        bool _deviceChanged;   // the output device changed: the front end's echo path is void (see BeforeCapture)
        double _nextPlayTime;
        long _nextPosition;

        /// <param name="source">What the reference is; with <see cref="EchoReferenceSource.ListenerMix"/> and no tap enabled, the voices until one is.</param>
        public EchoReferenceFeed(DuplexFrontEnd frontEnd, EchoReferenceSource source = EchoReferenceSource.AgentVoices)
        {
            _frontEnd = frontEnd ?? throw new ArgumentNullException(nameof(frontEnd));
            // This feed resamples the reference by the drift MicrophoneCapture measures and re-places it when the clock
            // estimate moves: the canceller's own drift estimate would read those steps as drift (the −0.5 % minute of
            // ClockDriftEchoTests: 33.1 → 15.3 dB with it on). Its trim stays on: it takes what the measurement leaves
            // over (the fit is within 60 ppm), and a step is no turn it reads (EchoCanceller.TrimClockDrift).
            _frontEnd.EstimateClockDrift = false;
            _micRate = frontEnd.EngineFormat.SampleRate;
            _mix = new EchoReferenceMix(AudioSettings.outputSampleRate);
            RequestedSource = source;
            NewResampler();
            SelectSource();
            // Unity raises it on the main thread before the restarted sources render: the mix is at the new rate for
            // their first block (BeforeCapture checks again, for a change this handler did not see).
            AudioSettings.OnAudioConfigurationChanged += OnAudioConfigurationChanged;
        }

        void OnAudioConfigurationChanged(bool deviceWasChanged)
        {
            FollowRate();
            // Applied before the next captured block, on the thread that processes it.
            if (deviceWasChanged) _deviceChanged = true;
        }

        void FollowRate()
        {
            if (_mix.SetRate(AudioSettings.outputSampleRate)) { NewResampler(); _restart = true; }
        }

        /// <summary>What the reference was asked to be.</summary>
        public EchoReferenceSource RequestedSource { get; }
        /// <summary>What it is now: <see cref="EchoReferenceSource.AgentVoices"/> when the listener mix was asked for and no tap is enabled.</summary>
        public EchoReferenceSource ActiveSource { get; private set; }
        /// <summary>The tap the reference comes from (null: the voices).</summary>
        public ListenerEchoTap Tap => _tap;
        /// <summary>Main thread, before a captured block: the reference switched to the listener's tap or back to the voices.</summary>
        public event Action<EchoReferenceSource> ActiveSourceChanged;

        /// <summary>The mix this feed reads (its rate follows the output device).</summary>
        public EchoReferenceMix Mix => _mix;
        /// <summary>Where microphone frame 0 sits on the DSP clock (NaN before the first block).</summary>
        public double AnchorDspTime => _anchor;
        /// <summary>Times the reference was re-placed after the clock estimate moved.</summary>
        public int Reanchors { get; private set; }
        /// <summary>
        /// The microphone's clock against the output's, in ppm, the feed compensates (0 until set: unknown is
        /// treated as none, and the clock estimate re-places the reference as it moves). Set it from a measurement
        /// (MicrophoneCapture.ClockDriftPpm); changes apply from the next block without a seam.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Not finite or beyond ±20000 ppm.</exception>
        public double ClockDriftPpm
        {
            get => _driftPpm;
            set
            {
                if (!(value >= -20000 && value <= 20000)) throw new ArgumentOutOfRangeException(nameof(value), value, "Clock drift must be within ±20000 ppm.");
                _driftPpm = value;
                _drift.Step = 1 / (1 + value * 1e-6);
            }
        }
        /// <summary>Reference samples handed to the front end, at the microphone's rate.</summary>
        public long ReferenceSamples { get; private set; }

        /// <summary>Call before the front end processes <paramref name="frames"/> more microphone frames.</summary>
        public void BeforeCapture(int frames)
        {
            SelectSource();
            FollowRate();
            if (_deviceChanged)
            {
                _deviceChanged = false;
                _frontEnd.EchoPathChanged();
            }
            // On the DSP clock the microphone delivers rate × (1 + drift) frames a second: its time advances by that.
            _micTime += frames / (_micRate * (1 + _driftPpm * 1e-6));
            _micFrames += frames;
            Estimate(AudioSettings.dspTime - _micTime);
            Drain();
        }

        void SelectSource()
        {
            if (RequestedSource == EchoReferenceSource.ListenerMix && _tapVersion != ListenerEchoTap.EnabledVersion)
            {
                _tapVersion = ListenerEchoTap.EnabledVersion;
                var tap = ListenerEchoTap.Current;
                // By reference: a destroyed tap equals null to Unity's operator, and must still be switched away from.
                if (!ReferenceEquals(tap, _tap)) Switch(tap);
            }
            if (_tap is null && _version != AgentVoice.EnabledVersion) AttachVoices();
        }

        // The mix hears either the tap or the voices, never both. Both stamp their blocks on one timeline (dspTime plus
        // the reported latency), so the reference goes on without a seam; a block being rendered as the main thread
        // switches may still reach the mix from the old source too, once.
        void Switch(ListenerEchoTap tap)
        {
            Detach();
            _version = -1;   // the voices are attached afresh when the reference goes back to them
            _tap = tap;
            if (!(tap is null))
            {
                tap.AddPlayedListener(_mix);
                _attached.Add(tap);
            }
            var active = tap is null ? EchoReferenceSource.AgentVoices : EchoReferenceSource.ListenerMix;
            if (active == ActiveSource) return;
            ActiveSource = active;
            ActiveSourceChanged?.Invoke(active);
        }

        void AttachVoices()
        {
            _version = AgentVoice.EnabledVersion;
            var voices = AgentVoice.Enabled;
            for (var i = 0; i < voices.Count; i++)
            {
                if (_attached.Contains(voices[i])) continue;
                voices[i].AddPlayedListener(_mix);
                _attached.Add(voices[i]);
            }
        }

        void Detach()
        {
            foreach (var source in _attached) source.RemovePlayedListener(_mix);   // a destroyed component's list too: harmless
            _attached.Clear();
        }

        void NewResampler()
        {
            var rate = _mix.SampleRate;
            _toMic = rate != _micRate ? new Resampler(rate, _micRate) : null;
            var max = _toMic?.MaxOutputFor(ReadFrames) ?? ReadFrames;
            if (_atMic.Length < max) _atMic = new float[max];
            var drifted = DriftResampler.MaxOutputFor(max);
            if (_drifted.Length < drifted) _drifted = new float[drifted];
        }

        void Estimate(double observation)
        {
            var now = AudioSettings.dspTime;
            if (double.IsNaN(_windowStart)) _windowStart = now;
            if (now - _windowStart >= WindowSeconds)
            {
                _previousMin = _windowMin;
                _windowMin = double.PositiveInfinity;
                _windowStart = now;
            }
            // Frames that never reached this front end (the hub gave the microphone to another agent, an overrun): the
            // microphone's clock moved on without them, so the old bound is stale. Start the estimate afresh.
            if (!double.IsNaN(_anchor) && observation - _anchor > GapSeconds) { _windowMin = _previousMin = double.PositiveInfinity; _windowStart = now; }
            if (observation < _windowMin) _windowMin = observation;
            var estimate = Math.Min(_windowMin, _previousMin);
            if (double.IsNaN(_anchor)) { _anchor = estimate; _restart = true; return; }
            // Later by more than ReanchorMs: the reference could come late, re-place it. Earlier: the reference only comes
            // that much earlier than it could, which the canceller's delay search covers; re-placing would move a
            // converged echo path under the canceller (a 5 ms move under continuous music left a 120 ms residual burst
            // that raised a barge-in, ListenerMixEchoTests), so it waits until the lead passes EarlyReanchorMs.
            var moved = (estimate - _anchor) * 1000;
            if (moved > ReanchorMs || -moved > EarlyReanchorMs)
            {
                _anchor = estimate;
                _restart = true;
                Reanchors++;
            }
        }

        void Drain()
        {
            while (true)
            {
                var n = _mix.Read(_read, out var playTime);
                if (n == 0) return;
                if (Math.Abs(playTime - _nextPlayTime) * _mix.SampleRate > 0.5) _restart = true;
                _nextPlayTime = playTime + n / (double)_mix.SampleRate;
                var block = new ReadOnlySpan<float>(_read, 0, n);
                if (_restart)
                {
                    _restart = false;
                    _toMic?.Reset();
                    _drift.Reset();
                    AudioSettings.GetDSPBufferSize(out var dspBlock, out _);
                    var lead = dspBlock / (double)_mix.SampleRate;
                    var trueRate = _micRate * (1 + _driftPpm * 1e-6);
                    // Counted from the newest microphone frame, not from frame 0: mic time summed before the drift was known
                    // (at the nominal rate) would misplace it by drift × frames so far.
                    _nextPosition = _micFrames + (long)Math.Round((playTime - lead - _anchor - _micTime) * trueRate - (_toMic?.LatencyFrames ?? 0) * (1 + _driftPpm * 1e-6));
                }
                int m0;
                if (_toMic != null) m0 = _toMic.Process(block, _atMic);
                else { block.CopyTo(_atMic); m0 = n; }
                var m = _drift.Process(new ReadOnlySpan<float>(_atMic, 0, m0), _drifted);
                var at = _nextPosition;
                _nextPosition += m;
                var skip = at < 0 ? (int)Math.Min(m, -at) : 0;   // before microphone frame 0: nothing to cancel there
                if (m - skip <= 0) continue;
                _frontEnd.WriteReference(at + skip, new ReadOnlySpan<float>(_drifted, skip, m - skip));
                ReferenceSamples += m - skip;
            }
        }

        /// <summary>Stops listening to the voices or the tap (main thread).</summary>
        public void Dispose()
        {
            AudioSettings.OnAudioConfigurationChanged -= OnAudioConfigurationChanged;
            Detach();
            _tap = null;
        }
    }
}
