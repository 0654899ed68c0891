namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Applies the suppressor's per-bin gains to the block just received (part of <see cref="EchoKernel"/>). An
    /// overlap-add synthesis holds each block until the next one arrives (one block of latency: 8 ms at 16 kHz); here
    /// the gains become a short linear-phase filter instead: their zero-phase impulse response, Hann-windowed to
    /// 2·<c>GainDelay</c> + 1 taps and delayed by <c>GainDelay</c> samples, run over the foreground error by overlap-save.
    /// The window also smooths the gains across frequency, which lets less echo through the bins between the player's
    /// harmonics (BENCHMARKS.md, "Low-delay suppression"). The previous block's filter fades into the new one across the
    /// block, so a gain change cannot click. A minimum-phase filter (no delay at all) was measured too: its phase,
    /// changing every block, costs the player's voice 17 dB of waveform SNR in double talk.
    /// </summary>
    public static unsafe class EchoGainFilterKernel
    {
        /// <summary>
        /// Adds <c>Block</c> samples of <paramref name="err"/> (this block's foreground error) filtered by the gains in
        /// <c>Gain</c>, <c>GainDelay</c> samples late, to <paramref name="output"/> (which holds the comfort noise).
        /// </summary>
        public static void Apply(ref EchoState s, float* f, float* err, float* output) => Apply(ref s, f, err, s.Gain, s.Fir, output);

        /// <summary><see cref="Apply(ref EchoState, float*, float*, float*)"/> with the gains (Bins from offset <paramref name="gain"/>) and filter state (4 × Bins from <paramref name="fir"/>) given.</summary>
        public static void Apply(ref EchoState s, float* f, float* err, int gain, int fir, float* output)
        {
            Frame(ref s, f, err);
            Filter(ref s, f, gain, fir, output);
        }

        /// <summary>
        /// The block <see cref="Apply"/> took through a second set of gains (Bins from offset <paramref name="gain"/>)
        /// with its own filter state (4 × Bins from <paramref name="fir"/>), added to <paramref name="output"/>: the
        /// frame's spectrum is shared.
        /// </summary>
        public static void ApplyAgain(ref EchoState s, float* f, int gain, int fir, float* output) => Filter(ref s, f, gain, fir, output);

        /// <summary>Overlap-save: the previous block then this one, unwindowed, into FrameRe/FrameIm.</summary>
        static void Frame(ref EchoState s, float* f, float* err)
        {
            var b = s.Block;
            var time = f + s.Time;
            var prev = f + s.GainPrev;
            for (var j = 0; j < b; j++)
            {
                time[j] = prev[j];
                time[b + j] = err[j];
                prev[j] = err[j];
            }
            FftKernel.Forward(f + s.Table, s.FftSize, time, f + s.FrameRe, f + s.FrameIm, f + s.Work);
        }

        static void Filter(ref EchoState s, float* f, int gainAt, int fir, float* output)
        {
            int b = s.Block, n = s.FftSize, k = s.Bins, delay = s.GainDelay;
            var table = f + s.Table;
            var work = f + s.Work;
            var time = f + s.Time;
            var aux = f + s.Aux;
            var gain = f + gainAt;
            float* cr = f + s.FilterScratchRe, ci = f + s.FilterScratchIm;
            float* hr = f + fir, hi = hr + k, pr = hi + k, pi = pr + k;
            float* xr = f + s.FrameRe, xi = f + s.FrameIm;

            // 1. The filter: zero-phase response of the gains, windowed and delayed (2·delay + 1 ≤ Block + 1 taps, so
            // overlap-save over two blocks is exact).
            for (var i = 0; i < k; i++)
            {
                cr[i] = gain[i];
                ci[i] = 0f;
            }
            FftKernel.Inverse(table, n, cr, ci, aux);
            var taps = 2 * delay + 1;
            var taper = f + s.GainTaper;
            for (var j = 0; j < n; j++) time[j] = 0f;
            for (var j = 0; j < taps; j++) time[j] = aux[(j - delay + n) % n] * taper[j];
            FftKernel.Forward(table, n, time, hr, hi, work);

            // 2. This block through the previous filter, then through the new one, crossfaded (raised cosine).
            Multiply(xr, xi, pr, pi, cr, ci, k);
            FftKernel.Inverse(table, n, cr, ci, aux);
            Multiply(xr, xi, hr, hi, cr, ci, k);
            FftKernel.Inverse(table, n, cr, ci, time);
            var fade = f + s.GainFade;
            for (var j = 0; j < b; j++) output[j] += aux[b + j] + fade[j] * (time[b + j] - aux[b + j]);
            for (var i = 0; i < k; i++)
            {
                pr[i] = hr[i];
                pi[i] = hi[i];
            }
        }

        /// <summary>
        /// A new stream: the previous filters pass everything, <c>GainDelay</c> samples late. Also fills the taps'
        /// Hann window and the crossfade's raised cosine, so <see cref="Apply"/> computes no cosine per block.
        /// </summary>
        public static void Reset(ref EchoState s, float* f)
        {
            var taps = 2 * s.GainDelay + 1;
            var taper = f + s.GainTaper;
            for (var j = 0; j < taps; j++) taper[j] = 0.5f - 0.5f * (float)System.Math.Cos(2 * System.Math.PI * (j + 1) / (taps + 1));
            var fade = f + s.GainFade;
            for (var j = 0; j < s.Block; j++) fade[j] = 0.5f - 0.5f * (float)System.Math.Cos(System.Math.PI * (j + 1) / s.Block);
            int k = s.Bins;
            float* pr = f + s.Fir + 2 * k, pi = pr + k, qr = f + s.SendFir + 2 * k, qi = qr + k;
            for (var i = 0; i < k; i++)
            {
                var a = 2 * System.Math.PI * i * s.GainDelay / s.FftSize;
                qr[i] = pr[i] = (float)System.Math.Cos(a);
                qi[i] = pi[i] = (float)-System.Math.Sin(a);
            }
        }

        static void Multiply(float* ar, float* ai, float* br, float* bi, float* or, float* oi, int k)
        {
            for (var i = 0; i < k; i++)
            {
                var re = ar[i] * br[i] - ai[i] * bi[i];
                var im = ar[i] * bi[i] + ai[i] * br[i];
                or[i] = re;
                oi[i] = im;
            }
        }
    }
}
