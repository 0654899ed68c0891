namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Blittable state of one energy VAD stream (<see cref="EnergyVadKernel"/>): the speech-band filter's
    /// coefficients and memory, the tracked noise floor and the decision parameters.
    /// </summary>
    public struct EnergyVadState
    {
        // Speech band: a 2nd-order high-pass then a 2nd-order low-pass.
        public BiquadSection HighPass, LowPass;

        /// <summary>Tracked noise floor of the band level, dBFS.</summary>
        public float FloorDb;
        /// <summary>Band level of the last frame, dBFS.</summary>
        public float LevelDb;
        /// <summary>Smoothed frame-to-frame level change, dB: syllables make speech jump several dB, steady noise does not.</summary>
        public float ModulationDb;
        /// <summary>Smoothing of <see cref="ModulationDb"/> (fraction per frame).</summary>
        public float ModulationPerFrame;
        /// <summary>Below this modulation a loud stretch is taken as a noise step, and the floor climbs to it as on noise, dB.</summary>
        public float StationaryDb;
        /// <summary>How fast the floor follows a quieter frame (fraction of the gap closed per frame).</summary>
        public float FallPerFrame;
        /// <summary>How fast the floor follows a louder frame that is not speech (fraction of the gap closed per frame).</summary>
        public float RisePerFrame;
        /// <summary>The same while the frame looks like speech, so a long utterance does not lift the floor onto itself.</summary>
        public float RiseInSpeechPerFrameDb;
        /// <summary>Level above the floor at which the probability is 0.5 in fluctuating noise (the most the threshold rises to), dB.</summary>
        public float ThresholdDb;
        /// <summary>The least the threshold falls to in steady noise, dB.</summary>
        public float MinThresholdDb;
        /// <summary>Tracked mean |level - floor| of non-speech frames, dB: how much the noise itself moves from frame to frame.</summary>
        public float NoiseDeviationDb;
        /// <summary>Smoothing of <see cref="NoiseDeviationDb"/> (fraction per frame).</summary>
        public float DeviationPerFrame;
        /// <summary>The threshold in use: <see cref="DeviationFactor"/> × <see cref="NoiseDeviationDb"/>, kept in [<see cref="MinThresholdDb"/>, <see cref="ThresholdDb"/>].</summary>
        public float DeviationFactor;
        /// <summary>Width of the logistic around the threshold at <see cref="ThresholdDb"/>, dB (scaled with the threshold in use).</summary>
        public float SlopeDb;
        /// <summary>Frames quieter than this are never speech (digital silence, dither), dBFS.</summary>
        public float AbsoluteFloorDb;
        public int Frames;
        /// <summary>NaN/±Inf samples replaced by 0 since the last reset.</summary>
        public int NonFinite;
    }
}
