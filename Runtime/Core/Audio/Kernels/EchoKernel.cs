namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Acoustic echo canceller over caller-owned unmanaged memory (Burst-friendly: no allocation, throw or virtual call).
    /// One call handles one block of <c>Block</c> microphone and reference samples taken at the same instant:
    /// <list type="number">
    /// <item>the reference, resampled by the given clock drift (<see cref="EchoDriftKernel"/>), goes block by block into a
    /// ring of spectra that reaches <c>MaxDelayBlocks</c> back;</item>
    /// <item>a partitioned-block frequency-domain adaptive filter (<see cref="EchoFilterKernel"/>: overlap-save, <c>Partitions</c> partitions,
    /// per-bin power normalisation, gradient constraint on two partitions a block, round robin) reads the reference
    /// <c>Delay</c> blocks back; two copies run: the background adapts every block (by default by the frequency-domain
    /// Kalman update, <see cref="EchoKalmanKernel"/>, which also constrains the partitions its steps may have wrapped),
    /// the foreground makes the output and takes the background's coefficients only when they are clearly better
    /// (<see cref="EchoTwoPathKernel"/>: double talk cannot corrupt it);</item>
    /// <item>the alignment follows the echo: a band-pattern matcher (binary spectra of reference and microphone,
    /// mismatch counted at every lag) finds the delay coarsely and the foreground's strongest partition steers it
    /// block by block (delay jumps and clock drift); after a jump, saved taps of the old path are moved to the new one to
    /// the sample (<see cref="EchoReseedKernel"/>);</item>
    /// <item>a suppressor removes the residual echo per bin (held echo estimate × a tracked leak factor, at least what
    /// the filter's gauge implies), keeps bins where the error is well above it (near-end speech) and fills what it
    /// removes with comfort noise at the tracked noise floor.</item>
    /// </list>
    /// Output is delayed by <c>GainDelay</c> samples (the suppressor's linear-phase gain filter, 3 ms).
    /// </summary>
    public static unsafe class EchoKernel
    {

        /// <summary>Sets geometry, tuning and the memory layout; then allocate <c>FloatCount</c>/<c>IntCount</c> and call <see cref="Reset"/>.</summary>
        public static void Init(ref EchoState s, int sampleRate, int block, int partitions, int maxDelayBlocks)
        {
            s.SampleRate = sampleRate;
            s.Block = block;
            s.FftSize = 2 * block;
            s.Bins = block + 1;
            s.Partitions = partitions;
            s.MaxDelayBlocks = maxDelayBlocks;
            s.HistoryLength = EchoDriftKernel.HistoryLength(block);
            // The block the tuning was made on (a power of two ≥ 8 ms); smaller blocks scale it (EchoState.Sub).
            var tuned = 64;
            while (tuned * 125 < sampleRate) tuned <<= 1;
            s.Sub = tuned > block ? tuned / block : 1;
            s.ReplayBlocks = EchoReplayKernel.Blocks(sampleRate, block, s.Sub);
            s.RingBlocks = maxDelayBlocks + partitions + 1 + s.ReplayBlocks;
            EchoTuning.Defaults(ref s, sampleRate, block);

            int n = s.FftSize, k = s.Bins, pk = partitions * k, rk = s.RingBlocks * k;
            var o = 0;
            s.Table = o; o += FftKernel.TableLength(n);
            s.Work = o; o += n;
            s.Window = o; o += n;
            s.Time = o; o += n;
            s.RefRe = o; o += rk;
            s.RefIm = o; o += rk;
            s.RefPrev = o; o += block;
            s.FgRe = o; o += pk;
            s.FgIm = o; o += pk;
            s.BgRe = o; o += pk;
            s.BgIm = o; o += pk;
            s.Power = o; o += k;
            s.Mic = o; o += block;
            s.Ref = o; o += block;
            s.MicPrev = o; o += block;
            s.ErrPrev = o; o += block;
            s.ErrFg = o; o += block;
            s.ErrBg = o; o += block;
            s.SpecRe = o; o += k;
            s.SpecIm = o; o += k;
            s.MicRe = o; o += k;
            s.MicIm = o; o += k;
            s.ErrRe = o; o += k;
            s.ErrIm = o; o += k;
            s.Overlap = o; o += block;
            s.Noise = o; o += k;
            s.EchoHold = o; o += k;
            s.ErrAvg = o; o += k;
            s.EchoAvg = o; o += k;
            s.Gain = o; o += k;
            s.BandMeanRef = o; o += EchoDelayKernel.Bands;
            s.BandMeanMic = o; o += EchoDelayKernel.Bands;
            s.Score = o; o += maxDelayBlocks;
            s.Share = o; o += partitions;
            s.SeedTaps = o; o += partitions * block;
            s.BgTaps = o; o += partitions * block;
            s.CandRe = o; o += pk;
            s.CandIm = o; o += pk;
            s.ErrCand = o; o += block;
            s.RawHistory = o; o += s.HistoryLength;
            s.InterpTable = o; o += (EchoDriftKernel.Phases + 1) * EchoDriftKernel.Taps;
            s.FilterScratchRe = o; o += k;
            s.FilterScratchIm = o; o += k;
            s.Fir = o; o += 4 * k;
            s.SendFir = o; o += 4 * k;
            s.SendHold = o; o += k;
            s.SendGain = o; o += k;
            s.SendSpecRe = o; o += k;
            s.SendSpecIm = o; o += k;
            s.SendOverlap = o; o += block;
            s.FrameRe = o; o += k;
            s.FrameIm = o; o += k;
            s.GainPrev = o; o += block;
            s.Aux = o; o += n;
            s.GainTaper = o; o += block + 1;
            s.GainFade = o; o += block;
            s.KalP = o; o += pk;
            s.KalPsi = o; o += k;
            s.KalLow = o; o += 2 * k;
            s.KalW2 = o; o += k;
            s.KalWrap = o; o += partitions;
            s.KalMiss = o; o += k;
            s.TrimRe = o; o += pk;
            s.TrimIm = o; o += pk;
            s.CohYy = o; o += k;
            s.CohDd = o; o += k;
            s.CohYdRe = o; o += k;
            s.CohYdIm = o; o += k;
            s.RefCohXx = o; o += k;
            s.RefCohXeRe = o; o += k;
            s.RefCohXeIm = o; o += k;
            s.RefCohEe = o; o += k;
            s.RefCohMiss = o; o += k;
            s.ReplayMic = o; o += s.ReplayBlocks * block;
            s.FloatCount = o;
            s.RefBits = 0;
            s.BandEdges = maxDelayBlocks;
            s.ReplayHeads = maxDelayBlocks + EchoDelayKernel.Bands + 1;
            s.IntCount = s.ReplayHeads + s.ReplayBlocks;
        }

        /// <summary>Clears every buffer and running value (a new stream); keeps geometry and tuning.</summary>
        public static void Reset(ref EchoState s, float* f, int* iw)
        {
            for (var i = 0; i < s.FloatCount; i++) f[i] = 0f;
            for (var i = 0; i < s.IntCount; i++) iw[i] = 0;
            var n = s.FftSize;
            FftKernel.Init(f + s.Table, n);
            var w = f + s.Window;
            // Periodic sqrt-Hann: analysis × synthesis windows sum to 1 at 50 % overlap.
            for (var i = 0; i < n; i++) w[i] = (float)System.Math.Sqrt(0.5 - 0.5 * System.Math.Cos(2 * System.Math.PI * i / n));
            // The leak starts at 1 (nothing cancelled yet) and falls as the filter converges.
            s.LeakPey = s.LeakPyy = 1f;
            var score = f + s.Score;
            for (var i = 0; i < s.MaxDelayBlocks; i++) score[i] = 0.5f;
            var binHz = (float)s.SampleRate / n;
            var edges = iw + s.BandEdges;
            for (var b = 0; b <= EchoDelayKernel.Bands; b++)
            {
                var e = (int)((EchoDelayKernel.BandLowHz + b * EchoDelayKernel.BandWidthHz) / binHz + 0.5f);
                if (b > 0 && e <= edges[b - 1]) e = edges[b - 1] + 1;
                edges[b] = e < s.Bins ? e : s.Bins - 1;
            }
            s.Blocks = 0;
            s.PowerAligned = -2;
            s.Delay = 0;
            s.ConstrainNext = 0;
            s.ErrFgSmooth = s.ErrBgSmooth = s.MicSmooth = s.FgErleDb = s.GaugePeakDb = 0f;
            s.FineCounter = s.Converged = s.Held = s.LetGoLeft = 0;
            s.CopyVotes = s.BadFg = s.FgPeak = 0;
            s.Estimate = -1;
            s.MatchBias = 0f;
            // Before any convergence any clear lag is good enough.
            s.GoodScore = 0.5f;
            s.RefPeak = 0f;
            s.Candidate = -1;
            s.CandidateVotes = 0;
            s.Random = 0x9E3779B9u;
            s.NonFinite = 0;
            s.ForegroundCopies = 0;
            s.SeedPeak = -1;
            s.SeedBlocks = 0;
            s.SeedLagDelay = int.MinValue;
            s.SeedDelay = s.SeedWarm = s.WarmStarts = s.SeedLoaded = 0;
            s.Reseeds = 0;
            s.KalmanConstraints = 0;
            s.KalmanReady = 0;
            s.KalmanInits = 0;
            s.KalmanHold = 0;
            s.KalmanDropped = 0;
            s.KalmanStartScale = 1f;
            s.KalmanRestartCalm = 0;
            s.DoubleTalkArmed = s.DoubleTalkArmRun = 0;
            s.DoubleTalkMoves = s.FilterMoves;
            s.DoubleTalkBlocks = s.SendDoubleTalkBlocks = 0;
            s.MicBlocks = 0;
            s.MissBlocks = s.ReseedWindow = 0;
            s.CoherentPower = s.CoherenceMicPower = 0;
            s.IncoherentShare = 0f;
            s.SendDoubleTalkHeld = 0;
            s.BlockErrFg = s.BlockErrBg = 0f;
            s.ReplayPending = s.ReplayedBlocks = 0;
            EchoDriftKernel.InitTable(f + s.InterpTable);
            EchoDriftKernel.Reset(ref s);
            EchoTrimKernel.Reset(ref s);
            EchoGainFilterKernel.Reset(ref s, f);
        }

        /// <summary>
        /// Cancels one block: <paramref name="mic"/> and <paramref name="reference"/> (Block samples each, the same
        /// instant) in, <paramref name="output"/> (Block samples, one block late) out: what the provider hears (the send
        /// suppression where <c>SendOverSubtraction</c> is set). <paramref name="guard"/> (null: not made) gets the same
        /// block under the suppression the echo guard learns from; give it every block or none (its gain filter runs
        /// only when asked). Either may alias mic.
        /// </summary>
        public static void Process(ref EchoState s, float* f, int* iw, float* mic, float* reference, float* output, float* guard)
        {
            int b = s.Block, n = s.FftSize, k = s.Bins;
            var table = f + s.Table;
            var work = f + s.Work;
            var time = f + s.Time;
            var m = f + s.Mic;
            var x = f + s.Ref;
            for (var i = 0; i < b; i++)
            {
                float a = mic[i], r = reference[i];
                if (a - a != 0f || r - r != 0f) s.NonFinite++;
                m[i] = Sample.Sanitize(a);
                x[i] = Sample.Sanitize(r);
            }

            // 1. Reference resampled by the clock drift (0–2 blocks; the alignment moves to match), spectra into the ring.
            double refEnergy = 0;
            for (var i = 0; i < b; i++) refEnergy += (double)x[i] * x[i];
            EchoDriftKernel.Produce(ref s, f, x);
            var slot = (int)(s.RefHead % s.RingBlocks);
            var refActive = refEnergy / b > s.ActiveLevel;
            // Recent peak of the reference block energy, falling ≈ 0.5 dB/s.
            s.RefPeak = (float)(refEnergy > s.RefPeak * s.PeakKeep ? refEnergy : s.RefPeak * s.PeakKeep);
            var refBits = EchoDelayKernel.Binarize(ref s, f, iw, f + s.RefRe + slot * k, f + s.RefIm + slot * k, f + s.BandMeanRef, refActive);
            iw[s.RefBits + (int)(s.Blocks % s.MaxDelayBlocks)] = refActive ? refBits : -1;
            EchoReplayKernel.Keep(ref s, f, iw, m, refActive);

            // 2. Both filters' echo estimates and errors.
            var aligned = s.RefHead - s.Delay;
            EchoFilterKernel.UpdatePower(ref s, f, aligned);
            EchoFilterKernel.Filter(ref s, f, f + s.FgRe, f + s.FgIm, aligned, m, f + s.ErrFg);
            EchoFilterKernel.Filter(ref s, f, f + s.BgRe, f + s.BgIm, aligned, m, f + s.ErrBg);
            double ef = 0, eb = 0, dd = 0, yy = 0;
            var errFg = f + s.ErrFg;
            var errBg = f + s.ErrBg;
            for (var i = 0; i < b; i++)
            {
                ef += (double)errFg[i] * errFg[i];
                eb += (double)errBg[i] * errBg[i];
                var y = m[i] - errFg[i];
                yy += (double)y * y;
                dd += (double)m[i] * m[i];
            }

            // 3. Background adaptation, then the two-path decisions.
            if (refActive)
            {
                // Step control (speexdsp's residual-to-error ratio): once converged, adapt in proportion to how much of
                // the error is residual echo (leak × echo estimate); in double talk the near end dominates the error and
                // the background all but freezes instead of learning the player's voice.
                var gain = 1f;
                if (s.Converged != 0)
                {
                    var rer = (float)(s.LeakPey / s.LeakPyy * yy / (ef + 1e-12));
                    gain = s.StepRer * rer;
                    if (gain > 1f) gain = 1f;
                    if (gain < s.StepFloor) gain = s.StepFloor;
                }
                if (s.Kalman != 0) EchoKalmanKernel.Adapt(ref s, f, aligned, gain);
                else EchoFilterKernel.Adapt(ref s, f, aligned, gain);
            }
            // In the window after a path move the expected miss follows the echo down through the far end's pauses.
            else if (s.MissBlocks > 0 && s.Kalman != 0) EchoKalmanKernel.Miss(ref s, f, aligned);
            var refLoud = refEnergy > 0.01 * s.RefPeak;
            s.BlockErrFg = (float)ef;
            s.BlockErrBg = (float)eb;
            EchoTwoPathKernel.Decide(ref s, f, iw, (float)ef, (float)eb, (float)dd, refActive, refLoud);
            EchoReseedKernel.Track(ref s, f, (float)dd, (float)ef);
            EchoReseedKernel.Try(ref s, f, aligned, m, (float)dd, (float)ef, (float)eb, refLoud);

            // 4. Suppressor analysis frames: microphone and foreground error, sqrt-Hann windowed.
            var win = f + s.Window;
            WindowedFrame(f + s.MicPrev, m, win, time, b);
            FftKernel.Forward(table, n, time, f + s.MicRe, f + s.MicIm, work);
            WindowedFrame(f + s.ErrPrev, errFg, win, time, b);
            FftKernel.Forward(table, n, time, f + s.ErrRe, f + s.ErrIm, work);

            // 5. Delay tracking: coarse band-pattern votes, fine steering by the foreground's peak partition.
            var micActive = dd / b > s.ActiveLevel;
            var micBits = EchoDelayKernel.Binarize(ref s, f, iw, f + s.MicRe, f + s.MicIm, f + s.BandMeanMic, micActive);
            if (micActive) EchoDelayKernel.Vote(ref s, f, iw, micBits);
            EchoDelayKernel.Steer(ref s, f);
            if (s.ReplayPending != 0) EchoReplayKernel.Run(ref s, f, iw);
            EchoTrimKernel.Step(ref s, f, refActive);

            // 6. Residual echo suppression: the gains filter this block's error (GainDelay late); comfort noise goes
            // through an overlap-add (a block late does not matter for noise). A block whose error carries 6 dB more
            // energy than the microphone (the estimate adds what it should remove: the echo went away under a converged
            // filter, until the two-path logic drops it) puts out the microphone instead: the stale estimate is the
            // agent's own voice. 6 dB, not 0: in double talk the player's voice against the echo moves a block's error
            // by up to 2√(echo/player) of the microphone either way (3 dB with both at one level), and passing the microphone
            // there cost the near end 0.3–1.6 dB (aec-compare). The analysis keeps the error (leak, hold, coherence, gauge).
            var source = errFg;
            if (ef > 4 * dd)
            {
                source = m;
                s.MicBlocks++;
            }
            EchoCoherenceKernel.Block(ref s, f);
            if (s.RefCoherentWeight > 0f) EchoCoherenceKernel.Reference(ref s, f);
            EchoSuppressorKernel.Suppress(ref s, f, refActive);
            // The guard view's gains (the only ones without a send suppression) take the frame first; the send gains reuse
            // its spectrum, or take it themselves when no view is asked for.
            var send = s.SendOverSubtraction > 0f;
            var framed = guard != null || !send;
            if (framed)
            {
                var target = send ? guard : output;
                ComfortNoise(ref s, f, s.SpecRe, s.SpecIm, s.Overlap, target);
                EchoGainFilterKernel.Apply(ref s, f, source, target);
            }
            if (send)
            {
                ComfortNoise(ref s, f, s.SendSpecRe, s.SendSpecIm, s.SendOverlap, output);
                if (framed) EchoGainFilterKernel.ApplyAgain(ref s, f, s.SendGain, s.SendFir, output);
                else EchoGainFilterKernel.Apply(ref s, f, source, s.SendGain, s.SendFir, output);
            }
            else if (guard != null && guard != output)
                for (var i = 0; i < b; i++) guard[i] = output[i];
            s.Blocks++;
        }

        /// <summary>Comfort noise spectrum (re, im at the offsets) through the overlap-add into <paramref name="output"/> (a block late).</summary>
        static void ComfortNoise(ref EchoState s, float* f, int re, int im, int overlap, float* output)
        {
            int b = s.Block;
            var time = f + s.Time;
            var win = f + s.Window;
            FftKernel.Inverse(f + s.Table, s.FftSize, f + re, f + im, time);
            var ola = f + overlap;
            for (var i = 0; i < b; i++)
            {
                output[i] = ola[i] + time[i] * win[i];
                ola[i] = time[b + i] * win[b + i];
            }
        }

        /// <summary>The previous block then this one, windowed, into <paramref name="time"/>; this block becomes the previous.</summary>
        static void WindowedFrame(float* prev, float* cur, float* win, float* time, int b)
        {
            for (var i = 0; i < b; i++)
            {
                time[i] = prev[i] * win[i];
                time[b + i] = cur[i] * win[b + i];
                prev[i] = cur[i];
            }
        }
    }
}
