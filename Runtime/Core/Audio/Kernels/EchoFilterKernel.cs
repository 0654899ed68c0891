namespace Parley.Audio.Kernels
{
    /// <summary>
    /// The echo canceller's partitioned-block frequency-domain filter (overlap-save) over the ring of reference spectra:
    /// the echo estimate and error of one filter copy, the per-bin reference power that normalises its step, the
    /// normalised LMS step itself (when the Kalman update is off) and the gradient constraint. <see cref="EchoKernel"/>
    /// runs two copies through it; the Kalman, reseed, trim, delay and coherence kernels read the same ring.
    /// </summary>
    public static unsafe class EchoFilterKernel
    {
        /// <summary>
        /// Per-bin energy of the reference the filter spans (blocks aligned − Partitions + 1 … aligned): the exact
        /// normaliser of the frequency-domain NLMS step. Kept as a running sum; rebuilt when the alignment moves and
        /// every 64 blocks so rounding cannot accumulate.
        /// </summary>
        internal static void UpdatePower(ref EchoState s, float* f, long aligned)
        {
            var k = s.Bins;
            var power = f + s.Power;
            if (aligned != s.PowerAligned + 1 || (aligned & 63) == 0)
            {
                for (var i = 0; i < k; i++) power[i] = 0f;
                for (var p = 0; p < s.Partitions; p++) AddPower(s, f, power, aligned - p, 1f);
            }
            else
            {
                AddPower(s, f, power, aligned, 1f);
                AddPower(s, f, power, aligned - s.Partitions, -1f);
                for (var i = 0; i < k; i++) if (power[i] < 0f) power[i] = 0f;
            }
            s.PowerAligned = aligned;
        }

        static void AddPower(in EchoState s, float* f, float* power, long block, float sign)
        {
            if (!ReferenceSpectrum(s, f, block, out var re, out var im)) return;
            for (var i = 0; i < s.Bins; i++) power[i] += sign * (re[i] * re[i] + im[i] * im[i]);
        }

        /// <summary>The reference spectrum of block <paramref name="block"/> in the ring (<paramref name="re"/>, <paramref name="im"/>); false if before the stream.</summary>
        internal static bool ReferenceSpectrum(in EchoState s, float* f, long block, out float* re, out float* im)
        {
            if (block < 0)
            {
                re = im = null;
                return false;
            }
            var off = (int)(block % s.RingBlocks) * s.Bins;
            re = f + s.RefRe + off;
            im = f + s.RefIm + off;
            return true;
        }

        /// <summary>Echo estimate of filter (wr, wi) over the aligned reference; error = mic − estimate into <paramref name="err"/>.</summary>
        internal static void Filter(ref EchoState s, float* f, float* wr, float* wi, long aligned, float* mic, float* err)
        {
            int k = s.Bins, b = s.Block;
            var yr = f + s.SpecRe;
            var yi = f + s.SpecIm;
            for (var i = 0; i < k; i++) { yr[i] = 0f; yi[i] = 0f; }
            for (var p = 0; p < s.Partitions; p++)
            {
                if (!ReferenceSpectrum(s, f, aligned - p, out var xr, out var xi)) break;
                var pr = wr + p * k;
                var pi = wi + p * k;
                for (var i = 0; i < k; i++)
                {
                    yr[i] += pr[i] * xr[i] - pi[i] * xi[i];
                    yi[i] += pr[i] * xi[i] + pi[i] * xr[i];
                }
            }
            var time = f + s.Time;
            FftKernel.Inverse(f + s.Table, s.FftSize, yr, yi, time);
            for (var i = 0; i < b; i++) err[i] = mic[i] - time[b + i];
        }

        /// <summary>Spectrum of the background's error, zero-padded before (overlap-save), into SpecRe/SpecIm.</summary>
        internal static void ErrorSpectrum(ref EchoState s, float* f)
        {
            int b = s.Block;
            var time = f + s.Time;
            var err = f + s.ErrBg;
            for (var i = 0; i < b; i++) { time[i] = 0f; time[b + i] = err[i]; }
            FftKernel.Forward(f + s.Table, s.FftSize, time, f + s.SpecRe, f + s.SpecIm, f + s.Work);
        }

        /// <summary>Normalised frequency-domain LMS step of the background filter, constrained on two partitions.</summary>
        internal static void Adapt(ref EchoState s, float* f, long aligned, float gain)
        {
            int k = s.Bins, n = s.FftSize;
            ErrorSpectrum(ref s, f);
            var er = f + s.SpecRe;
            var ei = f + s.SpecIm;
            var power = f + s.Power;
            // Normaliser: the filter's total input power ≈ Partitions × smoothed power, floored near −50 dBFS white.
            var floor = n * s.Partitions * 1e-5f;
            for (var i = 0; i < k; i++)
            {
                var g = gain * s.Step * s.Partitions / (power[i] + floor);
                er[i] *= g;
                ei[i] *= g;
            }
            var wr = f + s.BgRe;
            var wi = f + s.BgIm;
            // Proportionate steps (as speexdsp's MDF): partitions holding more of the echo path adapt faster, which
            // speeds convergence on a decaying room response; the shares sum to 1, as 1/Partitions each would.
            var share = f + s.Share;
            float most = 0f, sum = 0f;
            for (var p = 0; p < s.Partitions; p++)
            {
                float e = 0f;
                var pr = wr + p * k;
                var pi = wi + p * k;
                for (var i = 0; i < k; i++) e += pr[i] * pr[i] + pi[i] * pi[i];
                share[p] = (float)System.Math.Sqrt(1e-6f + e / n);
                if (share[p] > most) most = share[p];
            }
            for (var p = 0; p < s.Partitions; p++) { share[p] += 0.1f * most + 1e-6f; sum += share[p]; }
            for (var p = 0; p < s.Partitions; p++)
            {
                if (!ReferenceSpectrum(s, f, aligned - p, out var xr, out var xi)) break;
                var pr = wr + p * k;
                var pi = wi + p * k;
                var q = share[p] / sum;
                // W += q·conj(X)·E.
                for (var i = 0; i < k; i++)
                {
                    pr[i] += q * (xr[i] * er[i] + xi[i] * ei[i]);
                    pi[i] += q * (xr[i] * ei[i] - xi[i] * er[i]);
                }
            }
            for (var c = 0; c < 2; c++)
            {
                Constrain(ref s, f, wr + s.ConstrainNext * k, wi + s.ConstrainNext * k);
                s.ConstrainNext = (s.ConstrainNext + 1) % s.Partitions;
            }
        }

        /// <summary>Keeps a partition a linear (not circular) convolution: zero its second half in time.</summary>
        internal static void Constrain(ref EchoState s, float* f, float* re, float* im)
        {
            int b = s.Block, n = s.FftSize;
            var time = f + s.Time;
            FftKernel.Inverse(f + s.Table, n, re, im, time);
            for (var i = b; i < n; i++) time[i] = 0f;
            FftKernel.Forward(f + s.Table, n, time, re, im, f + s.Work);
        }

        internal static void Copy(float* src, float* dst, int count)
        {
            for (var i = 0; i < count; i++) dst[i] = src[i];
        }

        internal static void Clear(float* dst, int count)
        {
            for (var i = 0; i < count; i++) dst[i] = 0f;
        }
    }
}
