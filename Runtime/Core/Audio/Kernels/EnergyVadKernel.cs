namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Energy VAD with noise-floor tracking: each frame is band-limited to the speech band (high-pass 200 Hz,
    /// low-pass 4 kHz or 0.45·rate), its level in dBFS is compared with a tracked noise floor, and the margin
    /// maps through a logistic to a speech probability. The floor follows non-speech frames (1 s down, 0.3 s up)
    /// and climbs only 0.5 dB/s while a frame looks like speech, so it follows the noise, not the talker; a loud
    /// stretch whose level barely moves from frame to frame (no syllables) is a noise step, and the floor climbs to it.
    /// The threshold adapts to the noise (a constant-false-alarm rule): three times the noise's own mean frame-to-frame
    /// deviation from the floor, between 2 dB (steady white or pink noise: a weak onset is caught a frame or two earlier)
    /// and 4 dB (babble, music: as before).
    /// With sub-bands on (<see cref="EnergyVadState.SubBandGateDb"/> above 0: the default with 8 ms hops), in steady noise
    /// (threshold under the gate) four octave sub-bands (200 Hz to 4 kHz), each tracked the same way against its own floor,
    /// also vote and the frame scores by the best of the five (a-posteriori SNR per band, as G.729B and WebRTC's VAD do):
    /// a vowel's power sits in one or two of them while white or pink noise spreads over all.
    /// With two hops per window the level is over the last two hops (16 ms) and, in steady noise, decided every hop (8 ms);
    /// in fluctuating noise only every second hop, on the same non-overlapping windows as 16 ms frames.
    /// Assumes the stream starts on noise: the louder of the first two frames seeds the floor (a stream that starts in
    /// speech is misread until the floor has fallen to its first pause). Not the first alone: whatever feeds the VAD
    /// starts from zeros (a resampler's filter, a canceller's first outputs), so the first frame can read dBs under the
    /// noise, and a floor seeded there takes the noise after it for speech.
    /// </summary>
    public static unsafe class EnergyVadKernel
    {
        /// <summary>
        /// Sets filter coefficients and the default decision parameters for hops of <paramref name="frameSamples"/> at
        /// <paramref name="sampleRate"/>, <paramref name="hopsPerWindow"/> (1 or 2) to a window.
        /// </summary>
        public static void Init(ref EnergyVadState s, int sampleRate, int frameSamples, float highPassHz = 200f, float lowPassHz = 4000f, int hopsPerWindow = 1)
        {
            s = default;
            lowPassHz = System.MathF.Min(lowPassHz, 0.45f * sampleRate);
            float rate = sampleRate;
            s.Full = EnergyVadBand.Create(highPassHz / rate, lowPassHz / rate);
            s.Band0 = EnergyVadBand.Create(highPassHz / rate, System.MathF.Min(500f, lowPassHz) / rate);
            s.Band1 = EnergyVadBand.Create(500f / rate, System.MathF.Min(1000f, lowPassHz) / rate);
            s.Band2 = EnergyVadBand.Create(1000f / rate, System.MathF.Min(2000f, lowPassHz) / rate);
            s.Band3 = EnergyVadBand.Create(2000f / rate, lowPassHz / rate);
            s.HopsPerWindow = hopsPerWindow == 2 ? 2 : 1;
            var frameSeconds = (float)frameSamples / sampleRate;
            // Time constants tuned on the VAD corpus (BENCHMARKS.md): a slow fall keeps the floor at the noise's
            // mean rather than its troughs, which is what lets babble through without firing. Per hop.
            s.FallPerFrame = 1f - System.MathF.Exp(-frameSeconds / 1f);    // 1 s down
            s.RisePerFrame = 1f - System.MathF.Exp(-frameSeconds / 0.3f);  // 0.3 s up on noise
            s.RiseInSpeechPerFrameDb = 0.5f * frameSeconds;                // 0.5 dB/s up during speech
            s.ModulationPerFrame = 1f - System.MathF.Exp(-frameSeconds / 0.3f);
            s.StationaryDb = 0.8f;
            s.ThresholdDb = 4f;
            s.MinThresholdDb = 2f;
            s.HopMinThresholdDb = s.HopsPerWindow == 2 ? 2.25f : 0f;
            s.DeviationFactor = 3f;
            s.DeviationPerFrame = 1f - System.MathF.Exp(-frameSeconds / 1f);
            // Sub-bands catch a vowel under steady noise sooner but start about eight times as many one-frame segments in
            // long steady noise (BENCHMARKS.md): on with 8 ms hops only, which need them to gain anything.
            s.SubBandGateDb = s.HopsPerWindow == 2 ? 3f : 0f;
            s.SlopeDb = 1.5f;
            s.AbsoluteFloorDb = -70f;
            Reset(ref s);
        }

        /// <summary>Clears the filter memory and the floors, keeping the parameters.</summary>
        public static void Reset(ref EnergyVadState s)
        {
            var deviation = s.ThresholdDb / s.DeviationFactor;
            ResetBand(ref s.Full, deviation);
            ResetBand(ref s.Band0, deviation);
            ResetBand(ref s.Band1, deviation);
            ResetBand(ref s.Band2, deviation);
            ResetBand(ref s.Band3, deviation);
            s.Frames = 0;
            s.Hops = 0;
            s.LastProbability = 0f;
            s.NonFinite = 0;
        }

        /// <summary>Speech probability of one hop of <paramref name="count"/> mono samples; advances the state.</summary>
        public static float Process(ref EnergyVadState s, float* frame, int count)
        {
            if (count <= 0) return 0f;
            double full = 0.0, b0 = 0.0, b1 = 0.0, b2 = 0.0, b3 = 0.0;
            var subBands = s.SubBandGateDb > 0f;
            for (var i = 0; i < count; i++)
            {
                var x = frame[i];
                if (x - x != 0f) { s.NonFinite++; x = Sample.Sanitize(x); }
                var y = EnergyVadBand.Filter(ref s.Full, x);
                full += (double)y * y;
                if (!subBands) continue;   // off (the default with 16 ms frames): the full band's cost only
                y = EnergyVadBand.Filter(ref s.Band0, x);
                b0 += (double)y * y;
                y = EnergyVadBand.Filter(ref s.Band1, x);
                b1 += (double)y * y;
                y = EnergyVadBand.Filter(ref s.Band2, x);
                b2 += (double)y * y;
                y = EnergyVadBand.Filter(ref s.Band3, x);
                b3 += (double)y * y;
            }

            var overlapping = s.HopsPerWindow == 2;
            var windowSamples = overlapping && s.Hops > 0 ? 2 * count : count;
            var steady = Threshold(ref s, ref s.Full, FullMinThreshold(ref s)) < s.SubBandGateDb;
            // Fluctuating noise is decided on the non-overlapping windows only: twice the decisions on a level that jumps
            // would be twice the false starts (babble F1 0.86 instead of 0.90 in 20 dB babble).
            var decide = !overlapping || steady || (s.Hops & 1) == 1;
            s.Hops++;
            var steps = overlapping && !steady ? 2 : 1;
            var seed = decide && s.Frames < 2 ? s.Frames + 1 : 0;   // 1, 2: the frames that seed the floor
            var score = Level(ref s, ref s.Full, full, windowSamples, seed, decide, steps, FullMinThreshold(ref s), overlapping);
            float score0 = 0f, score1 = 0f, score2 = 0f, score3 = 0f;
            if (subBands)
            {
                score0 = Level(ref s, ref s.Band0, b0, windowSamples, seed, decide, steps, s.MinThresholdDb, overlapping);
                score1 = Level(ref s, ref s.Band1, b1, windowSamples, seed, decide, steps, s.MinThresholdDb, overlapping);
                score2 = Level(ref s, ref s.Band2, b2, windowSamples, seed, decide, steps, s.MinThresholdDb, overlapping);
                score3 = Level(ref s, ref s.Band3, b3, windowSamples, seed, decide, steps, s.MinThresholdDb, overlapping);
            }
            if (!decide) return s.LastProbability;
            s.Frames++;
            // Babble and music fluctuate in every band, and the best of five would fire on them: sub-bands only in steady noise.
            if (steady) score = System.MathF.Max(score, System.MathF.Max(System.MathF.Max(score0, score1), System.MathF.Max(score2, score3)));
            var p = s.Full.LevelDb < s.AbsoluteFloorDb ? 0f : 1f / (1f + System.MathF.Exp(-score));
            // Every band's floor follows the frame's decision, so none climbs onto the talker; and the full band says what a
            // noise step is (a narrow band's level moves more from frame to frame, and would hold on to a step as speech).
            var step = s.Full.ModulationDb < s.StationaryDb;
            Track(ref s, ref s.Full, p, step, steps);
            if (subBands)
            {
                Track(ref s, ref s.Band0, p, step, steps);
                Track(ref s, ref s.Band1, p, step, steps);
                Track(ref s, ref s.Band2, p, step, steps);
                Track(ref s, ref s.Band3, p, step, steps);
            }
            s.LastProbability = p;
            return p;
        }

        static float FullMinThreshold(ref EnergyVadState s) => System.MathF.Max(s.MinThresholdDb, s.HopMinThresholdDb);

        static void ResetBand(ref EnergyVadBand b, float deviation)
        {
            b.HighPass.Z1 = b.HighPass.Z2 = b.LowPass.Z1 = b.LowPass.Z2 = 0f;
            b.FloorDb = 0f;
            b.LevelDb = 0f;
            b.EarlierLevelDb = 0f;
            b.PreviousSum = 0.0;
            b.ModulationDb = 0f;
            b.NoiseDeviationDb = deviation;
        }

        /// <summary>The threshold in use for a band: the noise's own deviation times the factor, kept in [min, <see cref="EnergyVadState.ThresholdDb"/>].</summary>
        static float Threshold(ref EnergyVadState s, ref EnergyVadBand b, float minThresholdDb) =>
            System.MathF.Max(System.MathF.Min(minThresholdDb, s.ThresholdDb), System.MathF.Min(s.ThresholdDb, s.DeviationFactor * b.NoiseDeviationDb));

        /// <summary>
        /// Takes the band's hop (its window's level, and on a decided hop its modulation); returns the window's margin over
        /// the floor less the threshold in use, in slopes (the logistic's argument).
        /// </summary>
        static float Level(ref EnergyVadState s, ref EnergyVadBand b, double hopSum, int windowSamples, int seed, bool decide, int steps, float minThresholdDb, bool overlapping)
        {
            var level = 10f * (float)System.Math.Log10((hopSum + (overlapping ? b.PreviousSum : 0.0)) / windowSamples + 1e-12);
            b.PreviousSum = hopSum;
            // Modulation against the window one whole window back (with overlapping windows, two hops).
            var before = overlapping ? b.EarlierLevelDb : b.LevelDb;
            b.EarlierLevelDb = b.LevelDb;
            b.LevelDb = level;
            if (!decide) return 0f;
            if (seed == 1) { b.FloorDb = level; b.ModulationDb = s.StationaryDb * 2f; }
            else
            {
                if (seed == 2) b.FloorDb = System.MathF.Max(b.FloorDb, level);
                b.ModulationDb += (System.MathF.Abs(level - before) - b.ModulationDb) * Per(s.ModulationPerFrame, steps);
            }
            var threshold = Threshold(ref s, ref b, minThresholdDb);
            var slope = s.SlopeDb * threshold / s.ThresholdDb;
            return (level - b.FloorDb - threshold) / slope;
        }

        /// <summary>A per-hop smoothing fraction over <paramref name="steps"/> hops (1 or 2).</summary>
        static float Per(float fraction, int steps) => steps == 1 ? fraction : fraction * (2f - fraction);

        /// <summary>Moves the band's floor and noise deviation after the frame was decided (<paramref name="p"/>; <paramref name="noiseStep"/>: a loud stretch without syllables).</summary>
        static void Track(ref EnergyVadState s, ref EnergyVadBand b, float p, bool noiseStep, int steps)
        {
            var margin = b.LevelDb - b.FloorDb;
            if (p < 0.5f) b.NoiseDeviationDb += (System.MathF.Abs(margin) - b.NoiseDeviationDb) * Per(s.DeviationPerFrame, steps);
            if (margin < 0f) b.FloorDb += margin * Per(s.FallPerFrame, steps);
            else if (p < 0.5f || noiseStep) b.FloorDb += margin * Per(s.RisePerFrame, steps);
            else b.FloorDb += System.MathF.Min(margin, s.RiseInSpeechPerFrameDb * steps);
        }
    }
}
