namespace Parley.Audio.Kernels
{
    /// <summary>
    /// One band of the energy VAD (<see cref="EnergyVadKernel"/>): its band-pass (a 2nd-order high-pass then a 2nd-order
    /// low-pass), the tracked noise floor of its level and how much that level moves, blittable.
    /// </summary>
    public struct EnergyVadBand
    {
        public BiquadSection HighPass, LowPass;
        /// <summary>Tracked noise floor of the band level, dBFS.</summary>
        public float FloorDb;
        /// <summary>Band level of the last window, dBFS.</summary>
        public float LevelDb;
        /// <summary>Band level of the window before that, dBFS (with overlapping windows, modulation is measured against the window a whole window back).</summary>
        public float EarlierLevelDb;
        /// <summary>Sum of squares of the last hop (with overlapping windows, the first half of the next window).</summary>
        public double PreviousSum;
        /// <summary>Smoothed frame-to-frame level change, dB: syllables make speech jump several dB, steady noise does not.</summary>
        public float ModulationDb;
        /// <summary>Tracked mean |level - floor| of non-speech frames, dB: how much the noise itself moves from frame to frame.</summary>
        public float NoiseDeviationDb;

        public static EnergyVadBand Create(float highPassCorner, float lowPassCorner) =>
            new EnergyVadBand { HighPass = BiquadSection.HighPass(highPassCorner), LowPass = BiquadSection.LowPass(lowPassCorner) };

        /// <summary>Band-passes one sample, advancing the filter memory.</summary>
        public static float Filter(ref EnergyVadBand b, float x) => BiquadSection.Run(ref b.LowPass, BiquadSection.Run(ref b.HighPass, x));
    }
}
