using System;
using Parley.Audio;
using Parley.Audio.Vad;

namespace Parley.Session.Audio
{
    /// <summary>How the microphone and the agent's voice share the conversation.</summary>
    public enum DuplexMode
    {
        /// <summary>The microphone stays open while the agent speaks; the player's voice interrupts it (barge-in).</summary>
        FullDuplex,
        /// <summary>
        /// The microphone is gated while the agent's voice can still be heard (the played signal through the echo
        /// path's delay and tail): no barge-in by voice, for hardware too weak to cancel echo.
        /// </summary>
        HalfDuplex,
        /// <summary>The game marks the turns (<see cref="VoiceSession.BeginUserTurn"/>); the local VAD raises nothing.</summary>
        PushToTalk,
    }

    /// <summary>Which echo canceller cleans the microphone (reported to the app: issue 13 item 7).</summary>
    public enum ActiveEchoCanceller
    {
        /// <summary>None: the agent's voice reaches the provider as the microphone heard it.</summary>
        None,
        /// <summary>Parley's own <see cref="EchoCanceller"/> on the played signal.</summary>
        Parley,
        /// <summary>The platform's voice-communication capture cancels it (Android, iOS, browsers); Parley's is off.</summary>
        Platform,
    }

    public sealed class DuplexFrontEndOptions
    {
        public DuplexMode Mode = DuplexMode.FullDuplex;
        /// <summary>Run Parley's echo canceller on the played signal (off: the platform's, or none).</summary>
        public bool EchoCancellation = true;
        /// <summary>What to report when <see cref="EchoCancellation"/> is off (the platform's capture may cancel).</summary>
        public ActiveEchoCanceller WhenOff = ActiveEchoCanceller.None;
        public double FilterMs = 200;
        public VadSettings Vad = VadSettings.Default;
        /// <summary>
        /// While the agent's voice can be heard, a local speech onset counts only when the cleaned microphone is this
        /// many dB above the loudest echo residual of the last <see cref="EchoGuardHoldMs"/> (relative to the played
        /// signal): the guard against the agent interrupting itself.
        /// </summary>
        public double EchoGuardMarginDb = 10;
        public double EchoGuardHoldMs = 2000;
        /// <summary>Consecutive 10 ms frames the cleaned microphone must stay above that bar (a residual spike is shorter).</summary>
        public int EchoGuardFrames = 3;
        /// <summary>
        /// Gain on the cleaned microphone while the agent can be heard and nothing rises above the echo guard's bar, dB
        /// (the canceller's non-linear stage: what the provider's own VAD hears of the residual). 0 turns it off.
        /// </summary>
        public double ResidualGateDb = -60;
        /// <summary>After the agent resumes from a pause the canceller leaks for a moment: the bar is this much higher for <see cref="EchoGuardResumeMs"/>.</summary>
        public double EchoGuardResumeDb = 10;
        public double EchoGuardResumeMs = 640;
        /// <summary>
        /// While the VAD hears speech that has not opened the guard, a frame raises the learned residual by at most this much
        /// (the player's rising voice must not lift the bar away); a frame whose energy had just risen, by this much over
        /// what was learned when it was heard (an onset's earlier frames must not lift the bar for its later ones).
        /// </summary>
        public double EchoGuardLearnCapDb = 3;
        /// <summary>
        /// The learned residual is this percentile of the residual-to-played ratios of the last
        /// <see cref="EchoGuardHoldMs"/> (100: the loudest). A residual spike shorter than the hold's tenth does not
        /// raise the bar; the <see cref="EchoGuardFrames"/> run and <see cref="EchoGuardUnexplainedDb"/> keep spikes shut.
        /// </summary>
        public double EchoGuardPercentile = 100;
        /// <summary>
        /// The guard opens only on frames the canceller cannot explain: the cleaned microphone no more than this many dB
        /// under the microphone it was cleaned from, the same samples (a converged canceller takes its own echo down
        /// far more; near-end speech it leaves). Judged on the audio clock, sample for sample. Only with the canceller on.
        /// </summary>
        public double EchoGuardUnexplainedDb = -10;
        /// <summary>
        /// Speech onsets are judged against the echo residual predicted from the played signal's energy of the last this
        /// many ms (10 ms frames, weights learned online by normalised LMS from the residual: the room's tail beyond the
        /// canceller's 200 ms filter included) instead of the loudest residual. 0: off. Default 1280 (best measured), together
        /// with the per-band predictor (<see cref="EchoGuardBands"/>): alone it interrupted itself in 2 of 64 rooms with other
        /// seeds; with the bands, 0 of 64 + 64 (BENCHMARKS.md, "Barge-in on the cancelled microphone").
        /// </summary>
        public double EchoGuardTailMs = 1280;
        /// <summary>
        /// With the predictor on, a speech onset counts when the cleaned microphone is this many dB above the loudest of
        /// its learned ratios to the prediction (the residual gate still opens on <see cref="EchoGuardMarginDb"/>, and on
        /// an onset that counted).
        /// </summary>
        public double EchoGuardTailMarginDb = 10;
        /// <summary>Step of the residual predictor's normalised LMS (per 10 ms frame).</summary>
        public double EchoGuardTailStep = 0.05;
        /// <summary>
        /// The residual is predicted per frequency band (this many, split from 300 Hz to 3 kHz) from the played energy
        /// of that band over <see cref="EchoGuardTailMs"/> (1280 when that is 0), and a speech onset counts when
        /// <see cref="EchoGuardBandsNeeded"/> bands are <see cref="EchoGuardBandMarginDb"/> above the loudest of their
        /// learned ratios to their prediction: a loud low band of echo no longer masks the player's voice where the echo
        /// is quiet. 0: off (broadband rules). Default, the best measured: 4 bands, 2 needed, 10 dB, with
        /// <see cref="EchoGuardBandsWithTail"/> and <see cref="EchoGuardTailMs"/> 1280: 9 of 9 and 7 of 9 players heard on
        /// two draws of rooms against 4 and 4 for the loudest-residual guard, 0 self-interruptions in 64 + 64 (BENCHMARKS.md).
        /// </summary>
        public int EchoGuardBands = 4;
        public int EchoGuardBandsNeeded = 2;
        public double EchoGuardBandMarginDb = 10;
        /// <summary>With bands on, an onset also needs the broadband predictor's rule (<see cref="EchoGuardTailMarginDb"/>): both must agree.</summary>
        public bool EchoGuardBandsWithTail = true;
        /// <summary>
        /// On a frame the canceller cannot explain (the cleaned microphone within <see cref="EchoGuardReliefUnexplainedDb"/>
        /// of the microphone it was cleaned from: a converged canceller takes its echo down by 20–40 dB, the player's voice
        /// it leaves) whose cleaned energy rose <see cref="EchoGuardReliefRiseDb"/> over the quietest of the last
        /// <see cref="EchoGuardReliefRiseMs"/> (the player adds energy; a residual left as the echo fades does not), the
        /// predictors' onset margins (<see cref="EchoGuardTailMarginDb"/>, <see cref="EchoGuardBandMarginDb"/>) are this much
        /// lower. 0: off. Default 7 dB, the best measured: 9, 9 and 8 of 9 players heard on three draws of rooms (25 of 27
        /// within 120 ms against 20 of 27), 0 self-interruptions in 3 × 64; at 8 dB and more one room interrupted itself
        /// (BENCHMARKS.md, "Barge-in on the cancelled microphone").
        /// </summary>
        public double EchoGuardReliefDb = 7;
        public double EchoGuardReliefUnexplainedDb = -3;
        public double EchoGuardReliefRiseDb = 10;
        public double EchoGuardReliefRiseMs = 100;
        /// <summary>
        /// The relief also needs the microphone before cancelling this many dB over its quietest of the last
        /// <see cref="EchoGuardReliefRiseMs"/>: the player adds power to it; a canceller whose estimate overshoots as the
        /// echo fades (its output rising while the microphone falls) does not. 0: off. Default 1 dB: in `parley scene --echo`
        /// at −30 dB the relief let such a frame through in 3 of 10 runs once the reference stopped sliding (BENCHMARKS.md).
        /// </summary>
        public double EchoGuardReliefRawRiseDb = 1;
        /// <summary>
        /// On a relief frame (above) that the canceller's own spectra also say is not its echo (<see cref="EchoCoherence"/>:
        /// the microphone's power incoherent with the canceller's echo estimate rose <see cref="EchoGuardIncoherentRiseDb"/>
        /// over its quietest of the last <see cref="EchoGuardReliefRiseMs"/>, and its share coherent with the estimate is
        /// under <see cref="EchoGuardCoherenceBelow"/>), the relief is this many dB instead of <see cref="EchoGuardReliefDb"/>:
        /// the player adds power the estimate cannot explain; an echo fading past the filter's reach loses its coherence,
        /// not its power. 0: off. Default 16 dB, the best measured: 27 of 27 players heard within 120 ms on three draws of
        /// rooms (was 25 of 27), 0 self-interruptions in 3 × 64; with a 10 dB rise one room interrupted itself
        /// (BENCHMARKS.md, "Barge-in on the cancelled microphone", rows "(coherence)").
        /// </summary>
        public double EchoGuardStrongReliefDb = 16;
        public double EchoGuardIncoherentRiseDb = 12;
        /// <summary>0 leaves the coherent share out of the rule (the rise alone).</summary>
        public double EchoGuardCoherenceBelow = 0.3;
        /// <summary>The stronger relief also needs this share of the error's power in bins above the suppressor's held echo estimate (0: not needed; measured, not kept).</summary>
        public double EchoGuardExcessAbove = 0;
    }

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
        const int GuardFrameMs = 10;
        const int FarWindowFrames = 64;   // 640 ms of played energy: the canceller's 440 ms of delay plus the room's early tail
        const int RingFrames = 256;       // played energy kept: the predictor's lags (≤ 2.4 s) plus the learning delay
        const double FarActiveDbfs = -55;

        readonly DuplexFrontEndOptions _options;
        readonly int _maxFrames;
        readonly float[] _mono;
        readonly IVoiceActivityDetector _detector;
        IVoiceActivityDetector _guardDetector;
        VoiceActivity _vad;
        Resampler _micResampler, _refResampler, _vadResampler;
        EchoCanceller _aec;
        float[] _proc, _clean, _sent, _refProc, _vadBuf;
        int _rate, _frame;
        int _vadSeed;   // the canceller's first outputs: its delay line's zeros, not the microphone
        long _micPos, _refPos = long.MinValue, _refEngineNext = long.MinValue;

        // Echo guard: played energy per 10 ms frame (ring by frame index), the output's, and the learned residual ratio.
        readonly double[] _farEnergy = new double[RingFrames];
        readonly long[] _farFrame = new long[RingFrames];
        // Residual predictor: weights per lag (10 ms frames) on the played energy; the output energy of recent frames.
        double[] _tailW;
        readonly double[] _recentOut = { 0, 0, 0, 0, 0 };
        readonly long[] _recentFrame = { -1, -1, -1, -1, -1 };
        LearnedRatio _ratio, _tailRatio;
        EchoBandPredictor _bandPredictor;
        // The microphone as it entered the canceller, delayed by the canceller's latency: sample k lines up with output k.
        float[] _rawDelay;
        int _rawAt;
        double _rawAcc, _unexplainedPower, _reliefUnexplainedPower, _reliefPower, _reliefRisePower;
        EchoCoherence _coherence;   // the canceller's spectra as evidence (null unless a rule uses them)
        long _aecOut;               // samples the canceller has put out (its stream's clock for _coherence)
        double _strongPower, _incoherentRisePower;
        double[] _riseOut;   // the cleaned energy of the last EchoGuardReliefRiseMs (ring of 10 ms frames)
        double[] _riseRaw;   // the microphone's before cancelling, the same frames (the relief's raw-rise rule)
        double _rawRisePower;
        int _riseAt;
        readonly double[] _recent = { -1, -1, -1, -1, -1 };
        int _recentAt;
        double _outAcc;
        int _outCount;
        double _lastRatio, _lastTailRatio, _tailMarginPower;
        readonly double[] _recentTail = { -1, -1, -1, -1, -1 };
        // The learned ratios when each of those frames was heard, if its energy had just risen: the learn cap's reference (see Guard).
        readonly double[] _recentLearned = { -1, -1, -1, -1, -1 }, _recentTailLearned = { -1, -1, -1, -1, -1 };
        bool _pending, _accepted;
        int _above, _tailAbove;
        long _openUntil;
        bool _open = true, _qualified = true;
        bool _farPaused = true;
        long _resumeUntil;
        const double TailFloor = 1e-4;    // the prediction never under −40 dB of the loudest played frame (an unlearned predictor)
        const double PauseRatio = 0.01;   // −20 dB under the played envelope: a pause; back above it: the agent resumed
        const int OpenHangoverFrames = 30;   // the gate stays open 300 ms after the microphone was last clearly above the echo
        double _marginPower, _resumePower, _learnCapPower;
        long _learned;
        const int ColdStartFrames = 80;
        // The cold start ends early when the microphone is measured to carry no echo: this many consecutive 10 ms frames of
        // played voice (longer than the canceller's 440 ms delay search, so an echo path would have shown) with the
        // microphone, before cancelling, no more than its noise floor (6 dB: a 10 ms frame of steady noise varies by less)
        // plus NoEchoRatio of the loudest played frame around it.
        const int NoEchoFrames = (EchoCanceller.MaxDelayMs + 60) / GuardFrameMs;
        const double NoEchoRatio = 3.16e-5;   // −45 dB: under the quietest echo of issue 13 (−20 dB) and the −30 dB rooms measured
        const double NoEchoFloorFactor = 4;
        readonly double[] _micFloor = new double[128];   // the microphone's frame energies of the last 1.28 s (floor: their least)
        int _micFloorAt, _micFloorCount;
        int _noEchoRun;
        bool _noEchoPath;
        float _gain = 1f, _gainTarget = 1f, _gainStep, _gateGain;
        double _pendingSinceMs;
        long _farActiveUntil = long.MinValue;

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
            if (!(_options.EchoGuardMarginDb >= 0 && _options.EchoGuardMarginDb < 60)) throw new ArgumentOutOfRangeException(nameof(options), _options.EchoGuardMarginDb, "EchoGuardMarginDb must be in [0, 60).");
            if (!(_options.EchoGuardHoldMs >= GuardFrameMs && _options.EchoGuardHoldMs <= 60000)) throw new ArgumentOutOfRangeException(nameof(options), _options.EchoGuardHoldMs, "EchoGuardHoldMs must be in [10, 60000].");
            if (!(_options.EchoGuardPercentile > 0 && _options.EchoGuardPercentile <= 100)) throw new ArgumentOutOfRangeException(nameof(options), _options.EchoGuardPercentile, "EchoGuardPercentile must be in (0, 100].");
            if (!(_options.EchoGuardTailMs >= 0 && _options.EchoGuardTailMs <= 2400)) throw new ArgumentOutOfRangeException(nameof(options), _options.EchoGuardTailMs, "EchoGuardTailMs must be in [0, 2400].");
            if (!(_options.EchoGuardTailMarginDb >= 0 && _options.EchoGuardTailMarginDb < 60)) throw new ArgumentOutOfRangeException(nameof(options), _options.EchoGuardTailMarginDb, "EchoGuardTailMarginDb must be in [0, 60).");
            if (!(_options.EchoGuardBands >= 0 && _options.EchoGuardBands <= 8 && _options.EchoGuardBands != 1)) throw new ArgumentOutOfRangeException(nameof(options), _options.EchoGuardBands, "EchoGuardBands must be 0 or in [2, 8].");
            if (_options.EchoGuardBands > 0 && !(_options.EchoGuardBandsNeeded >= 1 && _options.EchoGuardBandsNeeded <= _options.EchoGuardBands)) throw new ArgumentOutOfRangeException(nameof(options), _options.EchoGuardBandsNeeded, "EchoGuardBandsNeeded must be in [1, EchoGuardBands].");
            if (!(_options.EchoGuardBandMarginDb >= 0 && _options.EchoGuardBandMarginDb < 60)) throw new ArgumentOutOfRangeException(nameof(options), _options.EchoGuardBandMarginDb, "EchoGuardBandMarginDb must be in [0, 60).");
            if (!(_options.EchoGuardStrongReliefDb >= 0 && _options.EchoGuardStrongReliefDb < 60)) throw new ArgumentOutOfRangeException(nameof(options), _options.EchoGuardStrongReliefDb, "EchoGuardStrongReliefDb must be in [0, 60).");
            if (!(_options.EchoGuardTailStep > 0 && _options.EchoGuardTailStep <= 1)) throw new ArgumentOutOfRangeException(nameof(options), _options.EchoGuardTailStep, "EchoGuardTailStep must be in (0, 1].");
            if (!(_options.EchoGuardUnexplainedDb <= 0 && _options.EchoGuardUnexplainedDb > -60)) throw new ArgumentOutOfRangeException(nameof(options), _options.EchoGuardUnexplainedDb, "EchoGuardUnexplainedDb must be in (−60, 0].");
        }

        public AudioFormat EngineFormat { get; }
        public DuplexMode Mode => _options.Mode;
        public ActiveEchoCanceller Canceller => _options.EchoCancellation ? ActiveEchoCanceller.Parley : _options.WhenOff;
        /// <summary>The echo canceller once configured (null when off).</summary>
        public EchoCanceller EchoCanceller => _aec;
        /// <summary>The local VAD stream once configured (without a detector: the guard's own energy VAD, which raises nothing).</summary>
        public VoiceActivity LocalVad => _vad;
        public float LevelDbfs { get; private set; } = float.NegativeInfinity;
        /// <summary>Processing rate (the provider's input rate): canceller, guard and positions run at it.</summary>
        public int ProcessingRate => _rate;
        /// <summary>Microphone samples processed, at <see cref="ProcessingRate"/>.</summary>
        public long CapturedSamples => _micPos;
        /// <summary>True while the agent's voice can be heard at the microphone (played within the echo window).</summary>
        public bool FarEndActive => _micPos < _farActiveUntil;
        /// <summary>
        /// The microphone was measured to carry no echo of the played voice (<c>NoEchoFrames</c> of played voice with the
        /// microphone 35 dB under it: headphones, or a shared microphone out of the speakers' reach): the echo guard's
        /// cold start ended there instead of after 0.8 s of played voice.
        /// </summary>
        public bool NoEchoPathMeasured => _noEchoPath;
        /// <summary>Speech onsets the echo guard held back that never rose above the echo (would have been self-interruptions).</summary>
        public int GuardedOnsets { get; private set; }
        /// <summary>Onsets raised as <see cref="VoiceActivity"/>(true).</summary>
        public int RaisedOnsets { get; private set; }
        /// <summary>Start of the last raised speech (VAD segment start) and when the guard let it through, ms of capture.</summary>
        public double LastOnsetMs { get; private set; } = -1;
        public double LastRaisedAtMs { get; private set; } = -1;

        public event Action<bool> VoiceActivity;

        public void Configure(int providerSampleRate)
        {
            if (_rate == providerSampleRate) return;
            _rate = providerSampleRate;
            _frame = providerSampleRate * GuardFrameMs / 1000;
            _micResampler = new Resampler(EngineFormat.SampleRate, providerSampleRate);
            _refResampler = new Resampler(EngineFormat.SampleRate, providerSampleRate);
            var max = _micResampler.MaxOutputFor(_maxFrames);
            _proc = new float[max];
            _clean = new float[max];
            _sent = new float[max];
            _refProc = new float[max];
            _aec = _options.EchoCancellation ? new EchoCanceller(providerSampleRate, _options.FilterMs) : null;
            var hold = (int)Math.Ceiling(_options.EchoGuardHoldMs / GuardFrameMs);
            _ratio = new LearnedRatio(hold);
            _tailRatio = new LearnedRatio(hold);
            _tailMarginPower = Math.Pow(10, _options.EchoGuardTailMarginDb / 10);
            _learned = 0;
            _noEchoRun = 0;
            _noEchoPath = false;
            _micFloorAt = _micFloorCount = 0;
            var lags = (int)Math.Ceiling(_options.EchoGuardTailMs / GuardFrameMs);
            _tailW = lags > 0 ? new double[lags] : null;
            _bandPredictor = _options.EchoGuardBands > 0
                ? new EchoBandPredictor(providerSampleRate, _options.EchoGuardBands, lags > 0 ? lags : 128, RingFrames, FarWindowFrames, hold, _options.EchoGuardTailStep, _options.EchoGuardBandMarginDb)
                : null;
            _rawDelay = new float[Math.Max(1, _aec?.LatencySamples ?? 1)];
            _vadSeed = _aec?.LatencySamples ?? 0;
            _rawAt = 0;
            _rawAcc = 0;
            _unexplainedPower = Math.Pow(10, _options.EchoGuardUnexplainedDb / 10);
            _reliefUnexplainedPower = Math.Pow(10, _options.EchoGuardReliefUnexplainedDb / 10);
            _reliefPower = Math.Pow(10, -_options.EchoGuardReliefDb / 10);
            _reliefRisePower = Math.Pow(10, _options.EchoGuardReliefRiseDb / 10);
            _riseOut = new double[Math.Max(1, (int)Math.Ceiling(_options.EchoGuardReliefRiseMs / GuardFrameMs))];
            _riseRaw = new double[_riseOut.Length];
            _rawRisePower = Math.Pow(10, _options.EchoGuardReliefRawRiseDb / 10);
            _riseAt = 0;
            _strongPower = Math.Pow(10, -_options.EchoGuardStrongReliefDb / 10);
            _incoherentRisePower = Math.Pow(10, _options.EchoGuardIncoherentRiseDb / 10);
            _coherence = _aec != null && _options.EchoGuardStrongReliefDb > 0 ? new EchoCoherence(providerSampleRate, _aec.BlockSize, _riseOut.Length) : null;
            if (_aec != null) _aec.Coherence = _coherence;
            _aecOut = 0;
            _marginPower = Math.Pow(10, _options.EchoGuardMarginDb / 10);
            _resumePower = Math.Pow(10, _options.EchoGuardResumeDb / 10);
            _learnCapPower = Math.Pow(10, _options.EchoGuardLearnCapDb / 10);
            // The gate is the canceller's last stage: with the canceller off the microphone goes out as heard.
            _gateGain = _options.ResidualGateDb >= 0 || !_options.EchoCancellation ? 1f : (float)Math.Pow(10, _options.ResidualGateDb / 20);
            _gainStep = (float)(1 - Math.Exp(-1.0 / (0.002 * providerSampleRate)));
            _openUntil = 0;
            _open = true;
            _qualified = true;
            _farPaused = true;
            _resumeUntil = 0;
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
            _micPos = 0;
            ObservedSamples = 0;
            _refPos = long.MinValue;
            _refEngineNext = long.MinValue;
        }

        public int MaxOutputSamples(int engineFrames) => Require().MaxOutputFor(engineFrames);

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
                _bandPredictor?.ResetPlayed();
                _refPos = (long)Math.Round(engineFrame * (double)_rate / EngineFormat.SampleRate);
            }
            _refEngineNext = engineFrame + played.Length;
            var n = _refResampler.Process(played, _refProc);
            var samples = new ReadOnlySpan<float>(_refProc, 0, n);
            _aec?.WriteReference(_refPos, samples);
            for (var i = 0; i < n; i++)
            {
                var p = _refPos + i;
                var f = p / _frame;
                var slot = (int)(f % RingFrames);
                if (_farFrame[slot] != f) { _farFrame[slot] = f; _farEnergy[slot] = 0; }
                var v = samples[i];
                _farEnergy[slot] += v * v;
                _bandPredictor?.AddPlayed(f, v);
            }
            _refPos += n;
        }

        public int Process(ReadOnlySpan<float> interleaved, Span<short> pcm)
        {
            var resampler = Require();
            var mono = CaptureBlock.ToMono(EngineFormat, interleaved, _mono, out var level);
            LevelDbfs = level;
            var n = resampler.Process(mono, _proc);
            var clean = new Span<float>(_clean, 0, n);
            if (_aec != null) _aec.ProcessCapture(_micPos, new ReadOnlySpan<float>(_proc, 0, n), clean);
            else new ReadOnlySpan<float>(_proc, 0, n).CopyTo(clean);
            var sent = new Span<float>(_sent, 0, n);
            for (var i = 0; i < n; i++)
            {
                var raw = _proc[i];
                if (_aec != null)
                {
                    var d = _rawDelay[_rawAt];
                    _rawDelay[_rawAt] = raw;
                    _rawAt = (_rawAt + 1) % _rawDelay.Length;
                    raw = d;
                }
                sent[i] = Guard(clean[i], raw, _micPos + i);
            }
            var halfGated = _options.Mode == DuplexMode.HalfDuplex && _micPos + n <= _farActiveUntil;
            if (halfGated) { sent.Clear(); clean.Clear(); }
            else if (_vadSeed > 0)
            {
                // The VAD seeds its noise floor from its first frame: the canceller's leading zeros made the microphone's
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
            for (var i = 0; i < n; i++)
            {
                // The microphone as heard: no canceller ran on it (its delay line stays with the canceller's stream).
                var raw = _proc[i];
                _rawAcc += raw * raw;
                _outAcc += raw * raw;
                if (++_outCount < _frame) continue;
                var pos = _micPos + i;
                var far = FarAround(pos / _frame);
                MeasureEchoPath(true, FarActive(pos, far), far);
                _outAcc = 0;
                _rawAcc = 0;
                _outCount = 0;
            }
            _micPos += n;
            ObservedSamples += n;
        }

        /// <summary>Microphone samples given to <see cref="Observe"/> (at <see cref="ProcessingRate"/>): heard by another agent.</summary>
        public long ObservedSamples { get; private set; }

        /// <summary>
        /// Per output sample (gated in place): at each 10 ms frame's end, the played energy around it, the residual
        /// ratio, and whether the microphone is open (no agent voice, or clearly above the echo for a few frames).
        /// </summary>
        float Guard(float y, float raw, long pos)
        {
            _outAcc += y * y;
            _rawAcc += raw * raw;
            _aecOut++;
            _bandPredictor?.AddOutput(y);
            // The gate's gain follows its target within about 2 ms (no clicks).
            _gain += (_gainTarget - _gain) * _gainStep;
            var gated = y * _gain;
            if (++_outCount < _frame) return gated;
            var f = pos / _frame;
            var far = FarAround(f);
            var farActive = FarActive(pos, far);
            // The canceller leaks when the agent resumes after a pause (bins the new sound excites are unlearned): for
            // the echo window after such an onset the bar is raised by the margin again.
            var now = FarFrameEnergy(f);
            if (farActive && now > far * PauseRatio && _farPaused) { _farPaused = false; _resumeUntil = f + (long)(_options.EchoGuardResumeMs / GuardFrameMs); }
            else if (now < far * PauseRatio * PauseRatio) _farPaused = true;
            // Not on a microphone measured to carry no echo (headphones; a second agent on a shared microphone): there is no
            // echo to leak, and the raised bar would hold back a player who starts just after the agent resumed.
            var resume = f < _resumeUntil && !_noEchoPath ? _resumePower : 1;
            var bar = ResidualRatio(_ratio) * _marginPower * resume;
            var outEnergy = _outAcc;
            _lastRatio = farActive ? outEnergy / far : 0;
            // Not the first frames the canceller ran: its latency line starts as zeros, which is no floor.
            MeasureEchoPath(pos - ObservedSamples >= _rawDelay.Length + 2 * _frame, farActive, far);
            // Above the echo, and (with the canceller on) something the canceller could not take out: its own echo it
            // takes down by far more than the margin once converged, the player's voice it leaves.
            var unexplained = _aec == null || _outAcc > _rawAcc * _unexplainedPower;
            // Strong evidence lowers the predictors' margins: the canceller explains almost none of the frame and the
            // cleaned energy rose (the player's voice). A residual the canceller leaves as the echo fades is unexplained
            // too, but does not rise.
            var rose = outEnergy > Quietest(_riseOut) * _reliefRisePower;
            // The relief also needs the microphone itself to rise: the player adds power to it (a canceller overshooting as the echo fades does not).
            var rawRose = _options.EchoGuardReliefRawRiseDb <= 0 || _rawAcc > Quietest(_riseRaw) * _rawRisePower;
            var relief = _options.EchoGuardReliefDb > 0 && _aec != null && _outAcc > _rawAcc * _reliefUnexplainedPower && rose && rawRose ? _reliefPower : 1;
            if (_coherence != null) relief = SpectralRelief(relief);   // every frame: its rise compares against the last frames
            _riseOut[_riseAt] = outEnergy;
            _riseRaw[_riseAt] = _rawAcc;
            _riseAt = (_riseAt + 1) % _riseOut.Length;
            var above = farActive && _lastRatio > bar && unexplained;
            _above = above ? _above + 1 : 0;
            // Onsets are judged against the residual predicted from what was played (the room's tail beyond the
            // canceller's filter included): the loudest residual of the window holds back a player the tail cannot explain.
            var tailAbove = above;
            if (_tailW != null)
            {
                _lastTailRatio = farActive ? outEnergy / (PredictResidual(f, out _) + far * TailFloor) : 0;
                tailAbove = farActive && _lastTailRatio > ResidualRatio(_tailRatio) * _tailMarginPower * resume * relief && unexplained;
            }
            if (_bandPredictor != null)
            {
                var bands = _bandPredictor.EndFrame(f, farActive && (_learned >= ColdStartFrames || _noEchoPath), farActive && !_accepted, resume * relief);
                tailAbove = (tailAbove || !_options.EchoGuardBandsWithTail) && farActive && unexplained && bands >= _options.EchoGuardBandsNeeded;
            }
            _tailAbove = tailAbove ? _tailAbove + 1 : 0;
            // Open with no agent voice around, or once clearly above the echo (then for a hangover across the player's
            // pauses), or while an onset that counted lasts (the player is interrupting: the provider hears the words).
            if (_above >= _options.EchoGuardFrames) _openUntil = f + OpenHangoverFrames;
            var open = !farActive || f < _openUntil || _accepted;
            _open = open;
            // An onset counts on fresh evidence only: the hangover keeps the gate open across the player's pauses (the
            // provider hears them), but a residual that grew while the player spoke must not ride it into a new onset.
            _qualified = !farActive || _tailAbove >= _options.EchoGuardFrames;
            _gainTarget = open || _options.Mode == DuplexMode.HalfDuplex ? 1f : _gateGain;
            _outAcc = 0;
            _rawAcc = 0;
            _outCount = 0;
            if (_pending) TryAccept(_qualified);
            // Learn what the canceller leaves of the echo (the loudest residual-to-played ratio of the hold window) from
            // frames a few frames old that did not open the gate: an onset still rising is judged before it can raise the bar.
            // Learned whether the gate is open or not (an open gate that stopped learning kept a stale, low bar and stayed
            // open on a residual that had grown: the agent interrupted itself reply after reply). Only the player's
            // accepted speech is never learned.
            var learn = _recent[_recentAt];
            var learnFrame = _recentFrame[_recentAt];
            var learnOut = _recentOut[_recentAt];
            var learnTail = _recentTail[_recentAt];
            var learnedThen = _recentLearned[_recentAt];
            var tailLearnedThen = _recentTailLearned[_recentAt];
            _recentLearned[_recentAt] = rose ? ResidualRatio(_ratio) : -1;
            _recentTailLearned[_recentAt] = rose && _tailW != null ? ResidualRatio(_tailRatio) : -1;
            _recent[_recentAt] = farActive && !_accepted ? _lastRatio : -1;
            _recentTail[_recentAt] = farActive && !_accepted ? _lastTailRatio : -1;
            _recentFrame[_recentAt] = f;
            _recentOut[_recentAt] = outEnergy;
            _recentAt = (_recentAt + 1) % _recent.Length;
            // While the VAD hears speech that has not opened the guard, a frame can raise the learned residual only a
            // little: the canceller's residual may creep up (and is followed), the player's voice rising fast is not learned.
            // A frame whose energy had just risen (the relief's rise rule: the player adds energy) only over what was learned
            // when it was heard: against the value its own earlier frames had raised, an onset rising a few dB a frame
            // lifted the bar 3 dB a frame, and whether it did hung on a dB of its first frame (the canceller's block phase:
            // issue 13). A residual creeping up without such a rise is followed frame by frame as before.
            if (learn >= 0 && !_accepted && (!VadSpeaking || learn <= (learnedThen >= 0 ? learnedThen : ResidualRatio(_ratio)) * _learnCapPower))
            {
                _ratio.Add(learn);
                _learned++;
            }
            if (_tailW != null && learnTail >= 0 && !_accepted && (!VadSpeaking || learnTail <= (tailLearnedThen >= 0 ? tailLearnedThen : ResidualRatio(_tailRatio)) * _learnCapPower))
            {
                _tailRatio.Add(learnTail);
                LearnResidual(learnFrame, learnOut);
            }
            _bandPredictor?.Learn(_accepted, VadSpeaking, _learnCapPower);
            return gated;
        }

        /// <summary>
        /// While the guard is cold: counts consecutive frames of played voice whose microphone (before cancelling: a cold
        /// canceller explains nothing) stays far under the played signal; once they outlast the longest echo delay, the
        /// microphone has no echo path and the guard starts from what it learned (a second agent on a shared microphone
        /// gets it while another agent speaks: it must hear its player, not hold them back for 0.8 s and learn their
        /// voice as residual). Any louder frame (echo, or the player) starts the count again.
        /// </summary>
        void MeasureEchoPath(bool settled, bool farActive, double far)
        {
            if (_noEchoPath || _learned >= ColdStartFrames) return;
            var raw = _aec != null ? _rawAcc : _outAcc;
            if (settled)
            {
                _micFloor[_micFloorAt] = raw;
                _micFloorAt = (_micFloorAt + 1) % _micFloor.Length;
                if (_micFloorCount < _micFloor.Length) _micFloorCount++;
            }
            if (!farActive) return;
            if (_micFloorCount == 0) return;
            var floor = double.MaxValue;
            for (var i = 0; i < _micFloorCount; i++) if (_micFloor[i] < floor) floor = _micFloor[i];
            _noEchoRun = raw <= floor * NoEchoFloorFactor + far * NoEchoRatio ? _noEchoRun + 1 : 0;
            if (_noEchoRun >= NoEchoFrames) _noEchoPath = true;
        }

        /// <summary>The relief as the canceller's spectra over this frame's input samples revise it (<see cref="EchoCoherence"/>).</summary>
        double SpectralRelief(double relief)
        {
            var latency = _aec.LatencySamples;
            if (!_coherence.Frame(_aecOut - _frame - latency, _aecOut - latency, out var coherence, out var excess, out var rise)) return relief;
            if (relief == 1) return relief;
            var strong = (_options.EchoGuardCoherenceBelow <= 0 || coherence < _options.EchoGuardCoherenceBelow)
                && (_options.EchoGuardExcessAbove <= 0 || excess > _options.EchoGuardExcessAbove)
                && (_options.EchoGuardIncoherentRiseDb <= 0 || rise > _incoherentRisePower);
            return strong ? Math.Min(relief, _strongPower) : relief;
        }

        static double Quietest(double[] ring)
        {
            var quietest = double.MaxValue;
            for (var k = 0; k < ring.Length; k++) if (ring[k] < quietest) quietest = ring[k];
            return quietest;
        }

        /// <summary>The loudest played frame of the echo window that ends at frame <paramref name="f"/>.</summary>
        double FarAround(long f)
        {
            double far = 0;
            for (var k = 0; k < FarWindowFrames; k++)
            {
                var at = f - k;
                if (at < 0) break;
                var slot = (int)(at % RingFrames);
                if (_farFrame[slot] == at && _farEnergy[slot] > far) far = _farEnergy[slot];
            }
            return far;
        }

        /// <summary>Whether the agents' voice can be heard at sample <paramref name="pos"/> (and for the echo window after it).</summary>
        bool FarActive(long pos, double far)
        {
            var active = far > _frame * Math.Pow(10, FarActiveDbfs / 10);
            if (active) _farActiveUntil = pos + _frame * FarWindowFrames;
            return active;
        }

        double FarFrameEnergy(long f)
        {
            if (f < 0) return 0;
            var slot = (int)(f % RingFrames);
            return _farFrame[slot] == f ? _farEnergy[slot] : 0;
        }

        /// <summary>The residual predicted for frame <paramref name="f"/> from the played energy before it (and the input power).</summary>
        double PredictResidual(long f, out double power)
        {
            double y = 0, pw = 0;
            for (var k = 0; k < _tailW.Length; k++)
            {
                var x = FarFrameEnergy(f - k);
                y += _tailW[k] * x;
                pw += x * x;
            }
            power = pw;
            return y;
        }

        void LearnResidual(long f, double outEnergy)
        {
            var y = PredictResidual(f, out var pw);
            if (pw <= 0) return;
            var g = _options.EchoGuardTailStep * (outEnergy - y) / pw;
            for (var k = 0; k < _tailW.Length; k++)
            {
                var w = _tailW[k] + g * FarFrameEnergy(f - k);
                _tailW[k] = w > 0 ? w : 0;
            }
        }

        double ResidualRatio(LearnedRatio ratio)
        {
            // Until ColdStartFrames have been learned: an echo 20 dB louder than the played voice (nothing opens in the
            // agent's first 0.8 s, the canceller's 440 ms of delay plus time to see the echo). Then the loudest learned.
            // Sooner when the microphone was measured to carry no echo at all (MeasureEchoPath).
            if (_learned < ColdStartFrames && !_noEchoPath) return 100.0;
            return ratio.Percentile(_options.EchoGuardPercentile);
        }

        /// <summary>Residual ratios of the hold window and their percentile (sorted on demand, once per change).</summary>
        internal sealed class LearnedRatio
        {
            readonly double[] _hold, _sorted;
            int _at, _count;
            double _value = -1;

            public LearnedRatio(int frames) { _hold = new double[frames]; _sorted = new double[frames]; }

            public void Add(double ratio)
            {
                _hold[_at] = ratio;
                _at = (_at + 1) % _hold.Length;
                if (_count < _hold.Length) _count++;
                _value = -1;
            }

            public double Percentile(double percentile)
            {
                if (_count == 0) return 100.0;
                if (_value >= 0) return _value;
                var k = Math.Max(0, Math.Min(_count - 1, (int)Math.Ceiling(percentile / 100.0 * _count) - 1));
                _value = k == _count - 1 ? Loudest() : Select(k);
                return _value;
            }

            double Loudest()
            {
                var m = _hold[0];
                for (var i = 1; i < _count; i++) if (_hold[i] > m) m = _hold[i];
                return m;
            }

            /// <summary>
            /// The k-th smallest held ratio (quickselect on a copy). Not Array.Sort: under Mono it allocated on every call
            /// (48 kB per second of audio with the band predictor's four bands), and only one rank is wanted.
            /// </summary>
            double Select(int k)
            {
                var a = _sorted;
                Array.Copy(_hold, a, _count);
                int lo = 0, hi = _count - 1;
                while (lo < hi)
                {
                    var pivot = a[(lo + hi) >> 1];
                    int i = lo, j = hi;
                    while (i <= j)
                    {
                        while (a[i] < pivot) i++;
                        while (a[j] > pivot) j--;
                        if (i > j) break;
                        var t = a[i]; a[i] = a[j]; a[j] = t;
                        i++;
                        j--;
                    }
                    if (k <= j) hi = j;
                    else if (k >= i) lo = i;
                    else break;
                }
                return a[k];
            }
        }

        bool VadSpeaking => _vad != null && _vad.IsSpeaking;

        void OnSpeechStarted(double startMs)
        {
            if (_detector == null) return;
            if (_options.Mode != DuplexMode.FullDuplex && _options.Mode != DuplexMode.HalfDuplex) return;
            _pending = true;
            // On the microphone's clock: the VAD did not hear what this front end only observed.
            _pendingSinceMs = startMs + ObservedSamples * 1000.0 / _rate;
            TryAccept(_qualified);
        }

        void TryAccept(bool open)
        {
            if (!open && _options.Mode != DuplexMode.HalfDuplex) return;
            _pending = false;
            _accepted = true;
            RaisedOnsets++;
            LastOnsetMs = _pendingSinceMs;
            LastRaisedAtMs = _micPos * 1000.0 / _rate;
            VoiceActivity?.Invoke(true);
        }

        void OnSpeechEnded(SpeechSegment segment)
        {
            if (_pending) GuardedOnsets++;
            _pending = false;
            if (!_accepted) return;
            _accepted = false;
            VoiceActivity?.Invoke(false);
        }

        public void Dispose() => _vad?.Dispose();

        Resampler Require() => _micResampler ?? throw new InvalidOperationException("Configure(providerSampleRate) must be called first.");
    }
}
