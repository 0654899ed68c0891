namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Blittable state of one energy VAD stream (<see cref="EnergyVadKernel"/>): its
    /// bands (filters, noise floors) and the decision parameters.
    /// </summary>
    public struct EnergyVadState
    {
        /// <summary>The speech band (200 Hz to 4 kHz): the level the decision rests on, in any noise.</summary>
        public EnergyVadBand Full;
        /// <summary>Octave sub-bands (200-500 Hz, 0.5-1 kHz, 1-2 kHz, 2-4 kHz): each with its own floor, consulted only in steady noise.</summary>
        public EnergyVadBand Band0, Band1, Band2, Band3;
        /// <summary>Smoothing of <see cref="EnergyVadBand.ModulationDb"/> (fraction per frame).</summary>
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
        /// <summary>Smoothing of <see cref="EnergyVadBand.NoiseDeviationDb"/> (fraction per frame).</summary>
        public float DeviationPerFrame;
        /// <summary>The threshold in use: <see cref="DeviationFactor"/> × <see cref="EnergyVadBand.NoiseDeviationDb"/>, kept in [<see cref="MinThresholdDb"/>, <see cref="ThresholdDb"/>].</summary>
        public float DeviationFactor;
        /// <summary>
        /// While the full band's threshold in use is under this (steady noise), a frame scores by its best band: a vowel
        /// puts most of its power in one sub-band, where white or pink noise holds a fraction of its full-band power, dB.
        /// Babble and music keep the threshold at <see cref="ThresholdDb"/>, so there the full band alone decides.
        /// </summary>
        public float SubBandGateDb;
        /// <summary>With overlapping windows, the least the full band's threshold falls to, dB (2.25; 0 with 16 ms frames): each window is decided twice, so each decision must be surer.</summary>
        public float HopMinThresholdDb;
        /// <summary>Hops per window: 1 (16 ms frames, each decided) or 2 (a 16 ms window decided every 8 ms hop in steady noise, every other hop otherwise).</summary>
        public int HopsPerWindow;
        /// <summary>Hops taken since the last reset (the window's parity).</summary>
        public int Hops;
        /// <summary>The last decision's probability (repeated on a hop that is not decided).</summary>
        public float LastProbability;
        /// <summary>Width of the logistic around the threshold at <see cref="ThresholdDb"/>, dB (scaled with the threshold in use).</summary>
        public float SlopeDb;
        /// <summary>Frames quieter than this are never speech (digital silence, dither), dBFS.</summary>
        public float AbsoluteFloorDb;
        /// <summary>Decisions since the last reset.</summary>
        public int Frames;
        /// <summary>NaN/±Inf samples replaced by 0 since the last reset.</summary>
        public int NonFinite;
    }
}
