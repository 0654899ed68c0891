using System;
using Parley.Audio;
using Parley.Audio.Vad;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The echo guard of a <see cref="DuplexFrontEnd"/>: per 10 ms frame of the cancelled microphone, whether the
    /// player's voice rises clearly above what the canceller leaves of the agent's echo. It decides which of the local
    /// VAD's onsets count (barge-in) and gates the residual the provider hears (the canceller's non-linear stage). Its
    /// evidence: the played energy per frame, the residual-to-played ratios it learned (the loudest of a hold window, a
    /// predictor over the room's tail, per band), how much of each frame the canceller explains (the microphone it was
    /// cleaned from, sample for sample) and the canceller's own spectra (<see cref="EchoCoherence"/>). Sized at
    /// <see cref="Configure"/>; nothing allocates after. The front end's thread calls everything.
    /// Long for one type: a frame's verdict weighs all that evidence at once, so its rules stay together here; the parts
    /// that stand alone are their own types (<see cref="EchoPathPresence"/>, <see cref="EchoBandPredictor"/>,
    /// <see cref="ResidualPredictor"/>, <see cref="LearnedRatio"/>).
    /// </summary>
    internal sealed class EchoGuard
    {
        internal const int GuardFrameMs = 10;
        const int FarWindowFrames = 64;   // 640 ms of played energy: the canceller's 440 ms of delay plus the room's early tail
        const int RingFrames = 256;       // played energy kept: the predictor's lags (≤ 2.4 s) plus the learning delay
        const double FarActiveDbfs = -55;

        readonly DuplexFrontEndOptions _options;
        EchoCanceller _aec;
        VoiceActivity _vad;
        int _rate, _frame;
        long _blockStart;   // the capture position of the block being guarded (when an onset is raised from it)

        // Played energy per 10 ms frame, and the residual predicted from it (null: EchoGuardTailMs 0).
        readonly PlayedEnergyRing _played = new PlayedEnergyRing(RingFrames, 1);
        ResidualPredictor _tail;
        // The output energy of recent frames.
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
        double _lastCoherence;      // this frame's share coherent with the echo estimate (0 when no block ended in it)
        double _strongPower, _incoherentRisePower;
        double[] _riseOut;   // the cleaned energy of the last EchoGuardReliefRiseMs (ring of 10 ms frames)
        double[] _riseRaw;   // the microphone's before cancelling, the last EchoGuardReliefRawRiseMs (the relief's raw-rise rule)
        int _rawRiseAt;
        double _heldRelief;  // the stronger relief last earned (EchoGuardReliefHoldFrames), and its last frame
        long _reliefHeldUntil;
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
        int _above, _tailAbove, _strongAbove, _clearAbove;
        bool _heldBySpeech;   // the gate holds open for the speech it opened on
        long _openUntil;
        bool _open = true, _qualified = true;
        bool _farPaused = true;
        long _resumeUntil;
        // The played voice's first frames after the echo window fell silent set no held ratio, and the tail predictor learns
        // nothing from them: the microphone there carries the room's noise, or the player, against a played envelope still
        // rising; its ratio read up to 25 dB over any echo's, held 2 s, and the tail's weights learnt from it over-predicted
        // the next frames (BENCHMARKS.md, "The cold first reply"). The band predictors' weights still learn them: without
        // them a warm reply's leak went through.
        const int PlayedOnsetFrames = 10;
        bool _farWasActive;
        long _farStartedAt;
        readonly bool[] _recentOnset = new bool[5];
        // A canceller removing less than this of the echo leaks nothing at a resume: its output is the echo, which the
        // ratios already follow (the cold start of its first reply), so the resume bar waits for it.
        const float ResumeLeakErleDb = 3f;
        // The tail predictor learns nothing before the echo first arrives, so the ratios it was judged by in the guard's
        // cold start read 10-25 dB over the ones after: they are forgotten when the cold start ends, and the tail keeps the
        // cold bar until it has learnt this many frames again against the predictor it has by then.
        internal const int TailRelearnFrames = 40;
        int _tailRelearnt;
        // Only frames whose microphone carries the echo count toward those 40: within this many dB of the loudest
        // microphone-to-played ratio held (before cancelling, so a canceller converging does not move it). A relearn over
        // a pause of the agent held the tail's ratio from the pause's faint echo; the echo of the next words stood 14-16 dB
        // over the predictor, 2-4 dB over that bar, and the agent interrupted itself (BENCHMARKS.md, "The tail's relearn
        // counts only frames that carry the echo").
        const double TailRelearnEchoDb = 20;
        static readonly double TailRelearnEcho = Math.Pow(10, -TailRelearnEchoDb / 10);
        // Once the relearn has counted this many frames of echo, and while the canceller removes at least TailRelearnErleDb of
        // the echo, the tail's verdict stands on the ratio relearnt so far raised by this many dB (under the cold bar; the
        // margin on top): a player 1 s into a first reply stood 18-43 dB over it and was held back by the cold bar. From a
        // canceller that removes nothing yet the echo of a word after a pause stood 21-27 dB over it (RT60 0.8 s, gauge
        // 0.3 dB): that ratio judges a predictor still learning, not the canceller's leak (BENCHMARKS.md, "The tail's verdict
        // during its relearn"). What is learnt keeps the cold bar's cap.
        internal const int TailRelearnTrustFrames = 10;
        internal const double TailRelearnErleDb = 2;
        const double TailRelearnHeadroomDb = 10;
        static readonly double TailRelearnHeadroom = Math.Pow(10, TailRelearnHeadroomDb / 10);
        LearnedRatio _micRatio;   // the microphone's energy over the played envelope, as heard (the hold window's frames)
        readonly double[] _recentMic = { -1, -1, -1, -1, -1 };
        const double TailFloor = 1e-4;    // the prediction never under −40 dB of the loudest played frame (an unlearned predictor)
        const double PauseRatio = 0.01;   // −20 dB under the played envelope: back above it after a pause, the agent resumed
        const int OpenHangoverFrames = 30;   // the gate stays open 300 ms after the microphone was last clearly above the echo
        double _marginPower, _resumePower, _pausePower, _learnCapPower, _fastPower;
        long _learned;
        bool _warmSeen;   // the canceller's warm start was seen (ForgetRatios)
        long _warmSettledAfter = long.MinValue;   // the last frame that carries cold output across the warm start
        const int ColdStartFrames = 80;
        const double ColdRatio = LearnedRatio.Unlearnt;   // the cold bar: an echo 20 dB louder than the played voice
        // After a warm start the guard learns a canceller that already cancels, so 0.4 s of it sets the first bar: 0.8 s
        // held back most players 1 s into the first reply (BENCHMARKS.md, "Warm starts").
        const int WarmStartFrames = 40;
        int _coldFrames;
        // The one-frame-sooner count also needs the microphone itself risen 1 dB over the quietest of the rise window:
        // a burst the canceller leaks as the echo changes does not add power to the microphone (as the relief's rule).
        static readonly double FastRawRise = Math.Pow(10, 0.1);
        // The cold start ends early when the microphone is measured to carry no echo.
        readonly EchoPathPresence _presence = new EchoPathPresence();
        float _gain = 1f, _gainTarget = 1f, _gainStep, _gateGain;
        double _pendingSinceMs;
        long _farActiveUntil = long.MinValue;

        public EchoGuard(DuplexFrontEndOptions options)
        {
            _options = options;
            options.ValidateEchoGuard();
        }

        /// <summary>Capture position (samples at the processing rate) until which the agents' voice can be heard.</summary>
        public long FarActiveUntil => _farActiveUntil;
        /// <summary>The microphone was measured to carry no echo of the played voice (see <see cref="DuplexFrontEnd.NoEchoPathMeasured"/>).</summary>
        public bool NoEchoPath => _presence.NoEchoPath;
        public int GuardedOnsets { get; private set; }
        public int RaisedOnsets { get; private set; }
        public double LastOnsetMs { get; private set; } = -1;
        public double LastRaisedAtMs { get; private set; } = -1;
        /// <summary>An onset counted (true) and its speech ended (false): barge-in.</summary>
        public event Action<bool> VoiceActivity;
        /// <summary>Each frame's verdict, in frames with anything played in the echo window, for tracing a scene (null: none; nothing else reads it).</summary>
        internal Action<EchoGuardFrame> Traced;

        /// <summary>
        /// Sizes the guard for <paramref name="rate"/> and the canceller in front of it (null: none), and hears speech from
        /// <paramref name="vad"/> (whose onsets the owner passes to <see cref="Onset"/>). The learned state starts over.
        /// </summary>
        public void Configure(int rate, EchoCanceller aec, VoiceActivity vad)
        {
            _rate = rate;
            _frame = rate * GuardFrameMs / 1000;
            _aec = aec;
            _vad = vad;
            var hold = (int)Math.Ceiling(_options.EchoGuardHoldMs / GuardFrameMs);
            _ratio = new LearnedRatio(hold);
            _tailRatio = new LearnedRatio(hold);
            _micRatio = new LearnedRatio(hold);
            _tailMarginPower = Math.Pow(10, _options.EchoGuardTailMarginDb / 10);
            _learned = 0;
            _coldFrames = ColdStartFrames;
            _warmSeen = false;
            _warmSettledAfter = long.MinValue;
            _tailRelearnt = TailRelearnFrames;
            _farWasActive = false;
            _presence.Reset();
            var lags = (int)Math.Ceiling(_options.EchoGuardTailMs / GuardFrameMs);
            _tail = lags > 0 ? new ResidualPredictor(_played, lags, 1, _options.EchoGuardTailStep) : null;
            _bandPredictor = _options.EchoGuardBands > 0
                ? new EchoBandPredictor(rate, _options.EchoGuardBands, lags > 0 ? lags : 128, RingFrames, FarWindowFrames, hold, _options.EchoGuardTailStep, _options.EchoGuardBandMarginDb)
                : null;
            _rawDelay = new float[Math.Max(1, aec?.LatencySamples ?? 1)];
            _rawAt = 0;
            _rawAcc = 0;
            _unexplainedPower = Math.Pow(10, _options.EchoGuardUnexplainedDb / 10);
            _reliefUnexplainedPower = Math.Pow(10, _options.EchoGuardReliefUnexplainedDb / 10);
            _reliefPower = Math.Pow(10, -_options.EchoGuardReliefDb / 10);
            _reliefRisePower = Math.Pow(10, _options.EchoGuardReliefRiseDb / 10);
            _riseOut = new double[Math.Max(1, (int)Math.Ceiling(_options.EchoGuardReliefRiseMs / GuardFrameMs))];
            _riseRaw = new double[Math.Max(1, (int)Math.Ceiling(_options.EchoGuardReliefRawRiseMs / GuardFrameMs))];
            _rawRiseAt = 0;
            _heldRelief = 1;
            _reliefHeldUntil = -1;
            _rawRisePower = Math.Pow(10, _options.EchoGuardReliefRawRiseDb / 10);
            _riseAt = 0;
            _strongPower = Math.Pow(10, -_options.EchoGuardStrongReliefDb / 10);
            _incoherentRisePower = Math.Pow(10, _options.EchoGuardIncoherentRiseDb / 10);
            _coherence = aec != null && _options.EchoGuardStrongReliefDb > 0 ? new EchoCoherence(_riseOut.Length) : null;
            if (aec != null) aec.Coherence = _coherence;
            _aecOut = 0;
            _marginPower = Math.Pow(10, _options.EchoGuardMarginDb / 10);
            _resumePower = Math.Pow(10, _options.EchoGuardResumeDb / 10);
            _pausePower = Math.Pow(10, -_options.EchoGuardPauseDb / 10);
            _fastPower = Math.Pow(10, _options.EchoGuardFastMarginDb / 10);
            _learnCapPower = Math.Pow(10, _options.EchoGuardLearnCapDb / 10);
            // The gate is the canceller's last stage: with the canceller off the microphone goes out as heard.
            _gateGain = _options.ResidualGateDb >= 0 || !_options.EchoCancellation ? 1f : (float)Math.Pow(10, _options.ResidualGateDb / 20);
            _gainStep = (float)(1 - Math.Exp(-1.0 / (0.002 * rate)));
            _openUntil = 0;
            _strongAbove = _clearAbove = 0;
            _heldBySpeech = false;
            _open = true;
            _qualified = true;
            _farPaused = true;
            _resumeUntil = 0;
        }

        /// <summary>
        /// The echo path may have changed (a new output device): whatever was measured or learned of it is void. The guard
        /// starts cold, as at <see cref="Configure"/>: the agent's voice held back until it has learned the new residual,
        /// or measured again that there is no echo. Allocates nothing.
        /// </summary>
        public void EchoPathChanged()
        {
            _presence.Reset();
            _learned = 0;
            _tailRelearnt = TailRelearnFrames;
            _micRatio.Clear();
            _openUntil = 0;
            _above = _tailAbove = _strongAbove = _clearAbove = 0;
            _heldBySpeech = false;
            _reliefHeldUntil = -1;
        }

        /// <summary>The played signal jumped (a new run): the band predictor's filters start over.</summary>
        public void ResetPlayed() => _bandPredictor?.ResetPlayed();

        /// <summary>Played samples at the processing rate from capture position <paramref name="pos"/>: their energy per frame.</summary>
        public void AddPlayed(long pos, ReadOnlySpan<float> samples)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                var p = pos + i;
                var f = p / _frame;
                var v = samples[i];
                _played.Add(f, v * v);
                _bandPredictor?.AddPlayed(f, v);
            }
        }

        /// <summary>
        /// A block guarded: <paramref name="mic"/> as it entered the canceller, <paramref name="clean"/> the canceller's
        /// guard view of it (the same samples, its latency apart: what the bars are learned from), <paramref name="sent"/>
        /// the canceller's output, gated in place (what the provider hears), from capture position <paramref name="pos"/>;
        /// <paramref name="observed"/> samples of the capture so far were only observed (<see cref="Observe"/>).
        /// </summary>
        public void Process(ReadOnlySpan<float> mic, ReadOnlySpan<float> clean, Span<float> sent, long pos, long observed)
        {
            _blockStart = pos;
            for (var i = 0; i < clean.Length; i++)
            {
                var raw = mic[i];
                if (_aec != null)
                {
                    var d = _rawDelay[_rawAt];
                    _rawDelay[_rawAt] = raw;
                    _rawAt = (_rawAt + 1) % _rawDelay.Length;
                    raw = d;
                }
                sent[i] *= Guard(clean[i], raw, pos + i, observed);
            }
        }

        /// <summary>A block of the microphone another agent hears (<see cref="DuplexFrontEnd.Observe"/>): only the echo path is measured.</summary>
        public void Observe(ReadOnlySpan<float> mic, long pos)
        {
            for (var i = 0; i < mic.Length; i++)
            {
                // The microphone as heard: no canceller ran on it (its delay line stays with the canceller's stream).
                var raw = mic[i];
                _rawAcc += raw * raw;
                _outAcc += raw * raw;
                if (++_outCount < _frame) continue;
                var at = pos + i;
                var far = FarAround(at / _frame);
                MeasureEchoPath(true, FarActive(at, far), far);
                _outAcc = 0;
                _rawAcc = 0;
                _outCount = 0;
            }
        }
        /// <summary>
        /// Per output sample, the gate's gain for it: at each 10 ms frame's end, the played energy around it, the residual
        /// ratio, and whether the microphone is open (no agent voice, or clearly above the echo for a few frames).
        /// </summary>
        float Guard(float y, float raw, long pos, long observed)
        {
            _outAcc += y * y;
            _rawAcc += raw * raw;
            _aecOut++;
            _bandPredictor?.AddOutput(y);
            // The gate's gain follows its target within about 2 ms (no clicks).
            _gain += (_gainTarget - _gain) * _gainStep;
            var gain = _gain;
            if (++_outCount < _frame) return gain;
            var f = pos / _frame;
            // The canceller just installed the room an earlier conversation learnt: the residual levels the guard holds
            // (2 s) are the cold canceller's leak. They start over on the warm canceller; the predictors' weights stay
            // (cleared too, a warm reply in the sweep's RT60 0.6 s / 200 ms / -12 dB room interrupted itself 7 s in).
            if (!_warmSeen && _aec != null && _aec.StartedWarm) ForgetRatios(f);
            var far = FarAround(f);
            var farActive = FarActive(pos, far);
            if (farActive && !_farWasActive) _farStartedAt = f;
            _farWasActive = farActive;
            var playedOnset = f < _farStartedAt + PlayedOnsetFrames;
            // The canceller leaks when the agent resumes after a pause (bins the new sound excites are unlearned): for
            // the echo window after such an onset the bar is raised by the margin again.
            var now = _played.At(f, 0);
            if (farActive && now > far * PauseRatio && _farPaused) { _farPaused = false; _resumeUntil = f + (long)(_options.EchoGuardResumeMs / GuardFrameMs); }
            else if (now < far * _pausePower) _farPaused = true;
            // Not on a microphone measured to carry no echo (headphones; a second agent on a shared microphone): there is no
            // echo to leak, and the raised bar would hold back a player who starts just after the agent resumed.
            // Nor while the canceller removes less than ResumeLeakErleDb of the echo.
            var resume = f < _resumeUntil && !_presence.NoEchoPath && (_aec == null || _aec.State.FgErleDb >= ResumeLeakErleDb) ? _resumePower : 1;
            var bar = ResidualRatio(_ratio) * _marginPower * resume;
            var outEnergy = _outAcc;
            _lastRatio = farActive ? outEnergy / far : 0;
            var micRatio = farActive ? _rawAcc / far : 0;
            // Not the first frames the canceller ran: its latency line starts as zeros, which is no floor.
            MeasureEchoPath(pos - observed >= _rawDelay.Length + 2 * _frame, farActive, far);
            // Above the echo, and (with the canceller on) something the canceller could not take out: its own echo it
            // takes down by far more than the margin once converged, the player's voice it leaves.
            var unexplained = _aec == null || _outAcc > _rawAcc * _unexplainedPower;
            // Strong evidence lowers the predictors' margins: the canceller explains almost none of the frame and the
            // cleaned energy rose (the player's voice). A residual the canceller leaves as the echo fades is unexplained
            // too, but does not rise.
            var rose = outEnergy > Quietest(_riseOut) * _reliefRisePower;
            // The relief also needs the microphone itself to rise: the player adds power to it (a canceller overshooting as the echo fades does not).
            var rawQuietest = Quietest(_riseRaw);
            var rawRose = _options.EchoGuardReliefRawRiseDb <= 0 || _rawAcc > rawQuietest * _rawRisePower;
            var relief = _options.EchoGuardReliefDb > 0 && _aec != null && _outAcc > _rawAcc * _reliefUnexplainedPower && rose && rawRose ? _reliefPower : 1;
            // A canceller that removes no echo (its ERLE under the option) makes "unexplained" no evidence of the player.
            if (relief != 1 && _options.EchoGuardReliefErleDb > 0 && _aec.State.FgErleDb < _options.EchoGuardReliefErleDb) relief = 1;
            var strong = false;
            if (_coherence != null) relief = SpectralRelief(relief, out strong);   // every frame: its rise compares against the last frames
            relief = HeldRelief(f, relief, rose, ref strong);
            // A frame in which the canceller put out the microphone (its stale estimate was louder than the microphone) is
            // the canceller's failure, not evidence of the player: it carries the echo as it is, over bars learned from
            // what the canceller leaves. Not learned either.
            var passed = _coherence != null && _coherence.MicrophonePassed;
            if (passed) unexplained = false;
            // What the canceller leaves of the echo, to be learnt: not the player's accepted speech, not a passed microphone,
            // not the frames that still carry the cold canceller's output across its warm start.
            var learnable = farActive && !_accepted && !passed && f > _warmSettledAfter;
            _riseOut[_riseAt] = outEnergy;
            _riseRaw[_rawRiseAt] = _rawAcc;
            _rawRiseAt = (_rawRiseAt + 1) % _riseRaw.Length;
            _riseAt = (_riseAt + 1) % _riseOut.Length;
            var above = farActive && _lastRatio > bar && unexplained;
            _above = above ? _above + 1 : 0;
            // Onsets are judged against the residual predicted from what was played (the room's tail beyond the
            // canceller's filter included): the loudest residual of the window holds back a player the tail cannot explain.
            var tailAbove = above;
            var tailBar = 0.0;
            if (_tail != null)
            {
                _lastTailRatio = farActive ? outEnergy / (_tail.Predict(f, 0, out _) + far * TailFloor) : 0;
                tailBar = TailVerdictRatio() * _tailMarginPower * resume * relief;
                tailAbove = farActive && _lastTailRatio > tailBar && unexplained;
                // While the tail relearns (its cold bar, or the relearnt ratio with headroom) the broadband verdict counts too:
                // its ratios, held over the cold start, need no predictor. The cold bar alone held back a player 15 dB over an
                // echo the canceller had not found yet (BENCHMARKS.md, "The tail's relearn and the broadband verdict").
                if (TailRelearning) tailAbove |= above;
            }
            if (_bandPredictor != null)
            {
                var bands = _bandPredictor.EndFrame(f, farActive && (_learned >= _coldFrames || _presence.NoEchoPath), learnable, !playedOnset, resume * relief);
                tailAbove = (tailAbove || !_options.EchoGuardBandsWithTail) && farActive && unexplained && bands >= _options.EchoGuardBandsNeeded;
            }
            // A frame the canceller's spectra call its own echo does not count toward an onset.
            if (tailAbove && _options.EchoGuardOnsetCoherenceBelow > 0 && _lastCoherence >= _options.EchoGuardOnsetCoherenceBelow) tailAbove = false;
            _tailAbove = tailAbove ? _tailAbove + 1 : 0;
            if (Traced != null) Trace(f, far, now, micRatio, bar, tailBar, resume, relief, unexplained);
            // The same verdict with the bar EchoGuardFastMarginDb higher: a run of those counts one frame sooner.
            var clear = tailAbove && _tail != null && _fastPower > 1 && _rawAcc > rawQuietest * FastRawRise
                && _lastTailRatio > tailBar * _fastPower;
            _clearAbove = clear ? _clearAbove + 1 : 0;
            // Open with no agent voice around, or once clearly above the echo (then for a hangover across the player's
            // pauses), or while an onset that counted lasts (the player is interrupting: the provider hears the words).
            if (_above >= _options.EchoGuardFrames) _openUntil = f + OpenHangoverFrames;
            // The guard's full evidence opens it too (ResidualGateOnStrongOnset): the predictors' verdict under the stronger relief.
            _strongAbove = tailAbove && strong && _options.ResidualGateOnStrongOnset ? _strongAbove + 1 : 0;
            if (_strongAbove >= _options.EchoGuardFrames) { _openUntil = f + OpenHangoverFrames; _heldBySpeech = VadSpeaking; }
            _heldBySpeech &= VadSpeaking;
            // A microphone measured to carry no echo has no residual to gate: the provider hears it as it is (the quiet
            // start of a word under the bar a loud played voice set held it back 130 ms).
            var open = !farActive || f < _openUntil || _accepted || _heldBySpeech || _presence.NoEchoPath;
            _open = open;
            // An onset counts on fresh evidence only: the hangover keeps the gate open across the player's pauses (the
            // provider hears them), but a residual that grew while the player spoke must not ride it into a new onset.
            _qualified = !farActive || _tailAbove >= _options.EchoGuardFrames || _clearAbove >= Math.Max(1, _options.EchoGuardFrames - 1);
            _gainTarget = open || _options.Mode == DuplexMode.HalfDuplex ? 1f : _gateGain;
            _outAcc = 0;
            _rawAcc = 0;
            _outCount = 0;
            if (_pending) TryAccept(_qualified, _blockStart);
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
            var learnOnset = _recentOnset[_recentAt];
            var learnMic = _recentMic[_recentAt];
            _recentMic[_recentAt] = learnable ? micRatio : -1;
            _recentLearned[_recentAt] = rose ? ResidualRatio(_ratio) : -1;
            _recentTailLearned[_recentAt] = rose && _tail != null ? TailResidualRatio() : -1;
            _recentOnset[_recentAt] = playedOnset;
            _recent[_recentAt] = learnable ? _lastRatio : -1;
            _recentTail[_recentAt] = learnable ? _lastTailRatio : -1;
            _recentFrame[_recentAt] = f;
            _recentOut[_recentAt] = outEnergy;
            _recentAt = (_recentAt + 1) % _recent.Length;
            // While the VAD hears speech that has not opened the guard, a frame can raise the learned residual only a
            // little: the canceller's residual may creep up (and is followed), the player's voice rising fast is not learned.
            // A frame whose energy had just risen (the relief's rise rule: the player adds energy) only over what was learned
            // when it was heard: against the value its own earlier frames had raised, an onset rising a few dB a frame
            // lifted the bar 3 dB a frame, and whether it did hung on a dB of its first frame (the canceller's block phase:
            // issue 13). A residual creeping up without such a rise is followed frame by frame as before.
            // On a microphone measured to carry no echo, speech is the player's: there is no residual for it to follow,
            // and learned a little at a time it raised the bar to the player's level over an utterance (a second agent on
            // a shared microphone, the provider's VAD deciding: the gate closed on the player's later words, and the
            // provider heard one utterance as two).
            var player = _accepted || _presence.NoEchoPath && VadSpeaking;
            if (learnMic >= 0 && !player && !learnOnset) _micRatio.Add(learnMic);
            if (learn >= 0 && !player && !learnOnset && (!VadSpeaking || learn <= (learnedThen >= 0 ? learnedThen : ResidualRatio(_ratio)) * _learnCapPower))
            {
                _ratio.Add(learn);
                if (++_learned == _coldFrames && !_warmSeen) RelearnTail();
            }
            if (_tail != null && learnTail >= 0 && !player && (!VadSpeaking || learnTail <= (tailLearnedThen >= 0 ? tailLearnedThen : TailResidualRatio()) * _learnCapPower))
            {
                if (_tailRelearnt < TailRelearnFrames && learnMic >= _micRatio.Percentile(100) * TailRelearnEcho) _tailRelearnt++;
                if (!learnOnset)
                {
                    _tailRatio.Add(learnTail);
                    _tail.Learn(learnFrame, 0, learnOut);
                }
            }
            _bandPredictor?.Learn(player, VadSpeaking, _learnCapPower);
            return gain;
        }

        /// <summary>Reports this frame to <see cref="Traced"/> (only called when something listens).</summary>
        void Trace(long f, double far, double now, double micRatio, double bar, double tailBar, double resume, double relief, bool unexplained)
        {
            if (!(far > 0)) return;
            Traced(new EchoGuardFrame
            {
                Frame = f, Far = far, Now = now / far, OutRatio = _lastRatio, MicRatio = micRatio, Bar = bar, TailRatio = _lastTailRatio,
                TailBar = tailBar, TailHeld = _tailRatio.Percentile(_options.EchoGuardPercentile), Resume = resume, Relief = relief, ErleDb = _aec?.State.FgErleDb ?? 0, Coherence = _lastCoherence,
                Unexplained = unexplained, Above = _above, TailAbove = _tailAbove, TailRelearnt = _tailRelearnt, Learned = _learned,
                VadSpeaking = VadSpeaking, Pending = _pending,
            });
        }

        /// <summary>The held residual ratios, and frames waiting to be learnt, forgotten; the guard's cold start again, shorter.</summary>
        void ForgetRatios(long f)
        {
            _warmSeen = true;
            // The frame the warm start is seen in ended on the cold canceller's output, and the next frames pass through its
            // latency and the first warm blocks (one RT60 0.2 s room: -0.1, -11.5, -26.9 dB under the microphone, then -40).
            // Learnt, the first held the bar 8.5 dB high for the hold's 2 s (BENCHMARKS.md, "Warm starts").
            _warmSettledAfter = f + 1 + (_aec.LatencySamples + _frame - 1) / _frame;
            _coldFrames = WarmStartFrames;
            _ratio.Clear();
            _tailRatio.Clear();
            _bandPredictor?.ForgetRatios();
            _learned = 0;
            for (var i = 0; i < _recent.Length; i++) _recent[i] = _recentTail[i] = -1;
        }

        /// <summary>While the guard is cold: whether the microphone carries an echo at all (<see cref="EchoPathPresence"/>).</summary>
        void MeasureEchoPath(bool settled, bool farActive, double far)
        {
            if (_learned >= _coldFrames) return;
            _presence.Frame(settled, _aec != null ? _rawAcc : _outAcc, farActive, far);
        }

        /// <summary>The relief as the canceller's spectra over this frame's input samples revise it (<see cref="EchoCoherence"/>).</summary>
        double SpectralRelief(double relief, out bool strong)
        {
            var latency = _aec.LatencySamples;
            strong = false;
            if (!_coherence.Frame(_aecOut - _frame - latency, _aecOut - latency, out var coherence, out var rise)) { _lastCoherence = 0; return relief; }
            _lastCoherence = coherence;
            if (_options.EchoGuardReliefCoherenceBelow > 0 && coherence >= _options.EchoGuardReliefCoherenceBelow) return 1;
            if (relief == 1) return relief;
            strong = (_options.EchoGuardCoherenceBelow <= 0 || coherence < _options.EchoGuardCoherenceBelow)
                && (_options.EchoGuardIncoherentRiseDb <= 0 || rise > _incoherentRisePower);
            return strong ? Math.Min(relief, _strongPower) : relief;
        }

        /// <summary>
        /// The stronger relief once earned carries over the next <see cref="DuplexFrontEndOptions.EchoGuardReliefHoldFrames"/>
        /// frames that the canceller's spectra still call not its echo (under
        /// <see cref="DuplexFrontEndOptions.EchoGuardCoherenceBelow"/>) and whose cleaned energy still rose: the player's word
        /// keeps its incoherence, not every entry rule frame after frame (under a 0 dB echo its cleaned share fell 0.1 dB
        /// under <see cref="DuplexFrontEndOptions.EchoGuardReliefUnexplainedDb"/> for one frame, and the onset's run broke).
        /// The 7 dB relief is not held: held, it carried an echo leak 5 dB under that share into a self-interruption.
        /// </summary>
        double HeldRelief(long f, double relief, bool rose, ref bool strong)
        {
            if (strong)
            {
                _heldRelief = relief;
                _reliefHeldUntil = f + _options.EchoGuardReliefHoldFrames;
                return relief;
            }
            if (relief < 1 || f > _reliefHeldUntil || !rose || _lastCoherence <= 0 || _lastCoherence >= _options.EchoGuardCoherenceBelow) return relief;
            if (_options.EchoGuardReliefErleDb > 0 && _aec.State.FgErleDb < _options.EchoGuardReliefErleDb) return relief;
            strong = true;
            return _heldRelief;
        }

        static double Quietest(double[] ring)
        {
            var quietest = double.MaxValue;
            for (var k = 0; k < ring.Length; k++) if (ring[k] < quietest) quietest = ring[k];
            return quietest;
        }

        /// <summary>The loudest played frame of the echo window that ends at frame <paramref name="f"/>.</summary>
        double FarAround(long f) => _played.Loudest(f, FarWindowFrames, 0);

        /// <summary>Whether the agents' voice can be heard at sample <paramref name="pos"/> (and for the echo window after it).</summary>
        bool FarActive(long pos, double far)
        {
            var active = far > _frame * Math.Pow(10, FarActiveDbfs / 10);
            if (active) _farActiveUntil = pos + _frame * FarWindowFrames;
            return active;
        }

        double ResidualRatio(LearnedRatio ratio)
        {
            // Until ColdStartFrames have been learned (WarmStartFrames after a warm start): an echo 20 dB louder than the
            // played voice (nothing opens in the agent's first 0.8 s, the canceller's 440 ms of delay plus time to see the
            // echo). Then the loudest learned.
            // Sooner when the microphone was measured to carry no echo at all (MeasureEchoPath).
            if (_learned < _coldFrames && !_presence.NoEchoPath) return ColdRatio;
            return ratio.Percentile(_options.EchoGuardPercentile);
        }

        /// <summary>The cold start ended: the tail's held ratios, judged by a predictor that had not yet heard the echo, start over.</summary>
        void RelearnTail()
        {
            _tailRelearnt = 0;
            _tailRatio.Clear();
        }

        /// <summary>The tail's held ratio; the cold bar while it relearns after the cold start (<see cref="TailRelearnFrames"/>).</summary>
        double TailResidualRatio() => TailRelearning ? ColdRatio : ResidualRatio(_tailRatio);

        /// <summary>
        /// The tail's held ratio its verdict stands on: while it relearns, what it has relearnt so far with headroom
        /// (<see cref="TailRelearnHeadroomDb"/>) once a canceller removes some of the echo; else <see cref="TailResidualRatio"/>.
        /// </summary>
        double TailVerdictRatio() => TailRelearning && _tailRelearnt >= TailRelearnTrustFrames && _aec != null && _aec.State.FgErleDb >= TailRelearnErleDb
            ? Math.Min(ColdRatio, _tailRatio.Percentile(_options.EchoGuardPercentile) * TailRelearnHeadroom)
            : TailResidualRatio();

        /// <summary>The tail relearns after the cold start (<see cref="TailRelearnFrames"/>; not on a microphone without echo).</summary>
        bool TailRelearning => _tailRelearnt < TailRelearnFrames && !_presence.NoEchoPath;

        bool VadSpeaking => _vad != null && _vad.IsSpeaking;

        /// <summary>
        /// The local VAD heard speech start at <paramref name="sinceMs"/> (ms of capture); <paramref name="nowPos"/>: the
        /// capture position now. It counts at once if the guard is open, else when a frame qualifies, or never.
        /// </summary>
        public void Onset(double sinceMs, long nowPos)
        {
            if (_options.Mode != DuplexMode.FullDuplex && _options.Mode != DuplexMode.HalfDuplex) return;
            _pending = true;
            _pendingSinceMs = sinceMs;
            TryAccept(_qualified, nowPos);
        }

        void TryAccept(bool open, long nowPos)
        {
            if (!open && _options.Mode != DuplexMode.HalfDuplex) return;
            _pending = false;
            _accepted = true;
            RaisedOnsets++;
            LastOnsetMs = _pendingSinceMs;
            LastRaisedAtMs = nowPos * 1000.0 / _rate;
            VoiceActivity?.Invoke(true);
        }

        /// <summary>The local VAD's speech ended: a held-back onset is counted as guarded; a raised one ends.</summary>
        public void SpeechEnded()
        {
            if (_pending) GuardedOnsets++;
            _pending = false;
            if (!_accepted) return;
            _accepted = false;
            VoiceActivity?.Invoke(false);
        }
    }
}
