using System;
using Parley.Audio;
using Parley.Audio.Vad;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The capture front end of a full-duplex conversation, shared by every host: engine-rate microphone → downmix →
    /// provider rate → <see cref="EchoCanceller"/> against the played signal (<see cref="WriteReference"/>) → local
    /// VAD → PCM16. The VAD's speech onsets become <see cref="VoiceActivity"/> events (barge-in) after an echo guard:
    /// while the agent's voice can be heard, an onset counts only once the cleaned microphone rises clearly above the
    /// echo residual the canceller has been leaving (learned continuously from the played signal), so the agent's
    /// own voice never interrupts it. Buffers are sized at <see cref="Configure"/>; <see cref="Process"/> and
    /// <see cref="WriteReference"/> allocate nothing. One thread (the host's capture tick) calls everything.
    /// </summary>
    public sealed class DuplexFrontEnd : ICaptureFrontEnd, IDisposable
    {
        readonly DuplexFrontEndOptions _options;
        readonly int _maxFrames;
        readonly float[] _mono;
        readonly IVoiceActivityDetector _detector;
        IVoiceActivityDetector _guardDetector;
        VoiceActivity _vad;
        Resampler _micResampler, _refResampler, _vadResampler;
        EchoCanceller _aec;
        readonly EchoGuard _guard;
        float[] _proc, _clean, _sent, _refProc, _vadBuf;
        int _rate;
        int _vadSeed;   // the canceller's first outputs: its delay line's zeros, not the microphone
        long _micPos, _refPos = long.MinValue, _refEngineNext = long.MinValue;

        /// <param name="detector">Local VAD (owned; null: no local VAD, the provider's decides).</param>
        public DuplexFrontEnd(AudioFormat engineFormat, int maxBlockFrames, IVoiceActivityDetector detector, DuplexFrontEndOptions options = null)
        {
            if (maxBlockFrames <= 0) throw new ArgumentOutOfRangeException(nameof(maxBlockFrames));
            EngineFormat = engineFormat;
            _maxFrames = maxBlockFrames;
            _mono = new float[maxBlockFrames];
            _detector = detector;
            _options = options ?? new DuplexFrontEndOptions();
            _options.Vad.Validate();
            _estimateDrift = _options.EstimateClockDrift;
            _trimDrift = _options.TrimClockDrift;
            _guard = new EchoGuard(_options);
            _guard.VoiceActivity += speaking => VoiceActivity?.Invoke(speaking);
        }

        public AudioFormat EngineFormat { get; }
        public DuplexMode Mode => _options.Mode;
        public ActiveEchoCanceller Canceller => _options.EchoCancellation ? ActiveEchoCanceller.Parley : _options.WhenOff;
        /// <summary>The echo canceller once configured (null when off).</summary>
        public EchoCanceller EchoCanceller => _aec;
        /// <summary>
        /// Whether the canceller learns the clock drift from the streams (<see cref="EchoCanceller.EstimateClockDrift"/>;
        /// from <see cref="DuplexFrontEndOptions.EstimateClockDrift"/>, for this canceller and any later one). Whatever
        /// corrects the reference for drift itself and re-places it turns it off (the Unity echo feed).
        /// </summary>
        public bool EstimateClockDrift
        {
            get => _estimateDrift;
            set
            {
                _estimateDrift = value;
                if (_aec != null) _aec.EstimateClockDrift = value;
            }
        }
        bool _estimateDrift;
        /// <summary>
        /// Whether the canceller trims the drift left over (<see cref="EchoCanceller.TrimClockDrift"/>; from
        /// <see cref="DuplexFrontEndOptions.TrimClockDrift"/>, for this canceller and any later one).
        /// </summary>
        public bool TrimClockDrift
        {
            get => _trimDrift;
            set
            {
                _trimDrift = value;
                if (_aec != null) _aec.TrimClockDrift = value;
            }
        }
        bool _trimDrift;
        /// <summary>The local VAD stream once configured (without a detector: the guard's own energy VAD, which raises nothing).</summary>
        public VoiceActivity LocalVad => _vad;
        public float LevelDbfs { get; private set; } = float.NegativeInfinity;
        /// <summary>Processing rate (the provider's input rate): canceller, guard and positions run at it.</summary>
        public int ProcessingRate => _rate;
        /// <summary>Microphone samples processed, at <see cref="ProcessingRate"/>.</summary>
        public long CapturedSamples => _micPos;
        /// <summary>True while the agent's voice can be heard at the microphone (played within the echo window).</summary>
        public bool FarEndActive => _micPos < _guard.FarActiveUntil;
        /// <summary>
        /// The microphone was measured to carry no echo of the played voice (<c>NoEchoFrames</c> of played voice with the
        /// microphone 35 dB under it: headphones, or a shared microphone out of the speakers' reach): the echo guard's
        /// cold start ended there instead of after 0.8 s of played voice.
        /// </summary>
        public bool NoEchoPathMeasured => _guard.NoEchoPath;
        /// <summary>Speech onsets the echo guard held back that never rose above the echo (would have been self-interruptions).</summary>
        public int GuardedOnsets => _guard.GuardedOnsets;
        /// <summary>Onsets raised as <see cref="VoiceActivity"/>(true).</summary>
        public int RaisedOnsets => _guard.RaisedOnsets;
        /// <summary>Start of the last raised speech (VAD segment start) and when the guard let it through, ms of capture.</summary>
        public double LastOnsetMs => _guard.LastOnsetMs;
        public double LastRaisedAtMs => _guard.LastRaisedAtMs;
        /// <summary>Each echo-guard frame's verdict, for tracing a scene (<see cref="EchoGuard.Traced"/>).</summary>
        internal Action<EchoGuardFrame> GuardTraced { set => _guard.Traced = value; }

        public event Action<bool> VoiceActivity;

        public void Configure(int providerSampleRate)
        {
            if (_rate == providerSampleRate) return;
            _rate = providerSampleRate;
            _micResampler = new Resampler(EngineFormat.SampleRate, providerSampleRate);
            _refResampler = new Resampler(EngineFormat.SampleRate, providerSampleRate);
            var max = _micResampler.MaxOutputFor(_maxFrames);
            _proc = new float[max];
            _clean = new float[max];
            _sent = new float[max];
            _refProc = new float[max];
            _aec = _options.EchoCancellation ? new EchoCanceller(providerSampleRate, _options.FilterMs) { EstimateClockDrift = _estimateDrift, TrimClockDrift = _trimDrift, StrongerOutputSuppression = _options.StrongerOutputSuppression, ColdStartReplay = _options.ColdStartReplay } : null;
            _vadSeed = _aec?.LatencySamples ?? 0;
            var room = _aec != null ? _options.EchoRooms?.Recall(_options.EchoRoomKey, providerSampleRate) : null;
            // A room from hand-made bytes may carry another block at this rate: skipped here, where StartFrom would throw.
            if (room != null && room.BlockSize == _aec.BlockSize) _aec.StartFrom(room);
            // Without a local VAD (the provider's decides) the guard still needs to know when someone speaks: an
            // energy VAD of its own, whose onsets raise nothing.
            var detector = _detector ?? (_guardDetector = _guardDetector ?? new EnergyVoiceActivityDetector(16000));
            {
                _vad?.Dispose();
                _vad = new VoiceActivity(detector, _options.Vad);
                _vad.SpeechStarted += OnSpeechStarted;
                _vad.SpeechEnded += OnSpeechEnded;
                if (detector.SampleRate != providerSampleRate)
                {
                    _vadResampler = new Resampler(providerSampleRate, detector.SampleRate);
                    _vadBuf = new float[_vadResampler.MaxOutputFor(max)];
                }
            }
            _guard.Configure(providerSampleRate, _aec, _vad);
            _micPos = 0;
            ObservedSamples = 0;
            _refPos = long.MinValue;
            _refEngineNext = long.MinValue;
        }

        public int MaxOutputSamples(int engineFrames) => Require().MaxOutputFor(engineFrames);

        /// <summary>
        /// The output device changed (<c>OnAudioConfigurationChanged(true)</c>: headphones taken off, a Bluetooth speaker):
        /// the echo path measured or learned is void, and the echo guard starts cold again (a microphone once measured to
        /// carry no echo would otherwise let the new speakers' echo through as the player). The canceller finds the new
        /// path itself. Call on the thread that calls <see cref="Process"/>.
        /// </summary>
        public void EchoPathChanged()
        {
            if (_proc != null) _guard.EchoPathChanged();
        }

        /// <summary>
        /// What the speaker played (mono, engine rate), continuing the last write: the next call after the capture
        /// block it belongs with, or before it. See <see cref="WriteReference(long, ReadOnlySpan{float})"/>.
        /// </summary>
        public void WriteReference(ReadOnlySpan<float> played) => WriteReference(_refEngineNext == long.MinValue ? 0 : _refEngineNext, played);

        /// <summary>
        /// What the speaker played (mono, engine rate) starting at engine frame <paramref name="engineFrame"/> of the
        /// microphone's clock (frame 0 = the first frame given to <see cref="Process"/>). A jump starts a new run.
        /// </summary>
        public void WriteReference(long engineFrame, ReadOnlySpan<float> played)
        {
            Require();
            if (played.Length > _maxFrames) throw new ArgumentException("Block of " + played.Length + " frames exceeds the " + _maxFrames + " this front end was sized for.", nameof(played));
            if (engineFrame != _refEngineNext)
            {
                _refResampler.Reset();
                _guard.ResetPlayed();
                _refPos = (long)Math.Round(engineFrame * (double)_rate / EngineFormat.SampleRate);
            }
            _refEngineNext = engineFrame + played.Length;
            var n = _refResampler.Process(played, _refProc);
            var samples = new ReadOnlySpan<float>(_refProc, 0, n);
            _aec?.WriteReference(_refPos, samples);
            _guard.AddPlayed(_refPos, samples);
            _refPos += n;
        }

        public int Process(ReadOnlySpan<float> interleaved, Span<short> pcm)
        {
            var resampler = Require();
            var mono = CaptureBlock.ToMono(EngineFormat, interleaved, _mono, out var level);
            LevelDbfs = level;
            var n = resampler.Process(mono, _proc);
            var clean = new Span<float>(_clean, 0, n);
            var sent = new Span<float>(_sent, 0, n);
            // The guard and the VAD judge the guard's view (clean); the provider hears the output (sent), gated.
            if (_aec != null) _aec.ProcessCapture(_micPos, new ReadOnlySpan<float>(_proc, 0, n), sent, clean);
            else
            {
                new ReadOnlySpan<float>(_proc, 0, n).CopyTo(clean);
                new ReadOnlySpan<float>(_proc, 0, n).CopyTo(sent);
            }
            _guard.Process(new ReadOnlySpan<float>(_proc, 0, n), clean, sent, _micPos, ObservedSamples);
            var halfGated = _options.Mode == DuplexMode.HalfDuplex && _micPos + n <= _guard.FarActiveUntil;
            if (halfGated) { sent.Clear(); clean.Clear(); }
            else if (_vadSeed > 0)
            {
                // The VAD seeds its noise floor from its first two frames: the canceller's leading zeros made the microphone's
                // noise after them an onset (one 40 ms into every conversation on a −60 dBFS floor). It hears the
                // microphone in their place (the same number of samples: its timeline does not move).
                new ReadOnlySpan<float>(_proc, 0, Math.Min(_vadSeed, n)).CopyTo(clean);
            }
            _vadSeed -= Math.Min(_vadSeed, n);
            _micPos += n;
            if (_vad != null)
            {
                // The VAD hears the cancelled microphone before the residual gate: the gate opens on the guard's rule,
                // and an onset must not wait for it to be seen.
                if (_vadResampler != null)
                {
                    var m = _vadResampler.Process(clean, _vadBuf);
                    _vad.Push(new ReadOnlySpan<float>(_vadBuf, 0, m));
                }
                else _vad.Push(clean);
            }
            return PcmConvert.FloatToPcm16(sent, pcm);
        }

        /// <summary>
        /// A block of the microphone that this front end's agent does not hear (a shared microphone another agent has):
        /// it advances the front end's clock and measures the echo path against the played voice (call
        /// <see cref="WriteReference(long, ReadOnlySpan{float})"/> for it as for <see cref="Process"/>), so that when the
        /// microphone comes to this agent its echo guard already knows whether the microphone carries the agents' voices.
        /// Nothing reaches the canceller, the VAD or the provider. Before <see cref="Configure"/>: nothing. Allocates nothing.
        /// </summary>
        public void Observe(ReadOnlySpan<float> interleaved)
        {
            if (_micResampler == null) return;
            var mono = CaptureBlock.ToMono(EngineFormat, interleaved, _mono, out var level);
            LevelDbfs = level;
            var n = _micResampler.Process(mono, _proc);
            _guard.Observe(new ReadOnlySpan<float>(_proc, 0, n), _micPos);
            _micPos += n;
            ObservedSamples += n;
        }

        /// <summary>Microphone samples given to <see cref="Observe"/> (at <see cref="ProcessingRate"/>): heard by another agent.</summary>
        public long ObservedSamples { get; private set; }

        void OnSpeechStarted(double startMs)
        {
            if (_detector == null) return;
            // On the microphone's clock: the VAD did not hear what this front end only observed.
            _guard.Onset(startMs + ObservedSamples * 1000.0 / _rate, _micPos);
        }

        void OnSpeechEnded(SpeechSegment segment) => _guard.SpeechEnded();

        /// <summary>
        /// Releases the VAD and hands the canceller's echo path to <see cref="DuplexFrontEndOptions.EchoRooms"/> for the
        /// next conversation. Call it on the thread that called <see cref="Process"/>, or once that has stopped.
        /// </summary>
        public void Dispose()
        {
            if (_aec != null) _options.EchoRooms?.Remember(_options.EchoRoomKey, _aec.SaveRoom());
            _vad?.Dispose();
        }

        Resampler Require() => _micResampler ?? throw new InvalidOperationException("Configure(providerSampleRate) must be called first.");
    }
}
