namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Splits a signal into bands and sums each band's energy (the echo guard's per-band residual predictor). Band b
    /// runs sections 2b and 2b+1 in series: a low pass for the first band, a high pass for the last, high pass then low
    /// pass between (Butterworth, Q = 1/√2, RBJ cookbook).
    /// </summary>
    public static unsafe class BandSplitKernel
    {
        /// <summary>Sections for <paramref name="bands"/> bands split at <paramref name="edges"/> (bands − 1 corners over the sample rate).</summary>
        public static void Design(BiquadSection* sections, float* edges, int bands)
        {
            for (var b = 0; b < bands; b++)
            {
                var lo = b == 0 ? 0f : edges[b - 1];
                var hi = b == bands - 1 ? 0f : edges[b];
                sections[2 * b] = lo > 0f ? BiquadSection.HighPass(lo) : BiquadSection.Identity();
                sections[2 * b + 1] = hi > 0f ? BiquadSection.LowPass(hi) : BiquadSection.Identity();
            }
        }

        /// <summary>Adds x's energy in each band to <paramref name="energy"/>[b].</summary>
        public static void Accumulate(BiquadSection* sections, int bands, float x, double* energy)
        {
            for (var b = 0; b < bands; b++)
            {
                var v = BiquadSection.Run(ref sections[2 * b + 1], BiquadSection.Run(ref sections[2 * b], x));
                energy[b] += v * v;
            }
        }

        public static void Clear(BiquadSection* sections, int bands)
        {
            for (var i = 0; i < 2 * bands; i++) { sections[i].Z1 = 0f; sections[i].Z2 = 0f; }
        }
    }
}
