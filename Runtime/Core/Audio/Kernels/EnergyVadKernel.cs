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
    /// Assumes the stream starts on noise: the first frame seeds the floor (a stream that starts in speech
    /// is misread until the floor has fallen to its first pause).
    /// </summary>
    public static unsafe class EnergyVadKernel
    {
        /// <summary>Sets filter coefficients and the default decision parameters for frames of <paramref name="frameSamples"/> at <paramref name="sampleRate"/>.</summary>
        public static void Init(ref EnergyVadState s, int sampleRate, int frameSamples, float highPassHz = 200f, float lowPassHz = 4000f)
        {
            s = default;
            lowPassHz = System.MathF.Min(lowPassHz, 0.45f * sampleRate);
            s.HighPass = BiquadSection.HighPass(highPassHz / sampleRate);
            s.LowPass = BiquadSection.LowPass(lowPassHz / sampleRate);
            var frameSeconds = (float)frameSamples / sampleRate;
            // Time constants tuned on the VAD corpus (BENCHMARKS.md): a slow fall keeps the floor at the noise's
            // mean rather than its troughs, which is what lets babble through without firing.
            s.FallPerFrame = 1f - System.MathF.Exp(-frameSeconds / 1f);    // 1 s down
            s.RisePerFrame = 1f - System.MathF.Exp(-frameSeconds / 0.3f);  // 0.3 s up on noise
            s.RiseInSpeechPerFrameDb = 0.5f * frameSeconds;                // 0.5 dB/s up during speech
            s.ModulationPerFrame = 1f - System.MathF.Exp(-frameSeconds / 0.3f);
            s.StationaryDb = 0.8f;
            s.ThresholdDb = 4f;
            s.MinThresholdDb = 2f;
            s.DeviationFactor = 3f;
            s.DeviationPerFrame = 1f - System.MathF.Exp(-frameSeconds / 1f);
            s.NoiseDeviationDb = s.ThresholdDb / s.DeviationFactor;
            s.SlopeDb = 1.5f;
            s.AbsoluteFloorDb = -70f;
        }

        /// <summary>Clears the filter memory and the floor, keeping the parameters.</summary>
        public static void Reset(ref EnergyVadState s)
        {
            s.HighPass.Z1 = s.HighPass.Z2 = s.LowPass.Z1 = s.LowPass.Z2 = 0f;
            s.FloorDb = 0f;
            s.LevelDb = 0f;
            s.ModulationDb = 0f;
            s.NoiseDeviationDb = s.ThresholdDb / s.DeviationFactor;
            s.Frames = 0;
            s.NonFinite = 0;
        }

        /// <summary>Speech probability of one frame of <paramref name="count"/> mono samples; advances the state.</summary>
        public static float Process(ref EnergyVadState s, float* frame, int count)
        {
            if (count <= 0) return 0f;
            var sum = 0.0;
            for (var i = 0; i < count; i++)
            {
                var x = frame[i];
                if (x - x != 0f) { s.NonFinite++; x = Sample.Sanitize(x); }
                var y = BiquadSection.Run(ref s.LowPass, BiquadSection.Run(ref s.HighPass, x));
                sum += (double)y * y;
            }

            var level = 10f * (float)System.Math.Log10(sum / count + 1e-12);
            if (s.Frames++ == 0) { s.FloorDb = level; s.ModulationDb = s.StationaryDb * 2f; }
            else s.ModulationDb += (System.MathF.Abs(level - s.LevelDb) - s.ModulationDb) * s.ModulationPerFrame;
            s.LevelDb = level;
            var margin = level - s.FloorDb;
            var threshold = System.MathF.Max(System.MathF.Min(s.MinThresholdDb, s.ThresholdDb), System.MathF.Min(s.ThresholdDb, s.DeviationFactor * s.NoiseDeviationDb));
            var slope = s.SlopeDb * threshold / s.ThresholdDb;
            var p = level < s.AbsoluteFloorDb ? 0f : 1f / (1f + System.MathF.Exp(-(margin - threshold) / slope));
            if (p < 0.5f) s.NoiseDeviationDb += (System.MathF.Abs(margin) - s.NoiseDeviationDb) * s.DeviationPerFrame;
            if (margin < 0f) s.FloorDb += margin * s.FallPerFrame;
            else if (p < 0.5f || s.ModulationDb < s.StationaryDb) s.FloorDb += margin * s.RisePerFrame;
            else s.FloorDb += System.MathF.Min(margin, s.RiseInSpeechPerFrameDb);
            return p;
        }
    }
}
