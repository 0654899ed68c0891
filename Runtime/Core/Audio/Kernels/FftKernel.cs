namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Radix-2 real FFT over caller-owned unmanaged buffers (Burst-friendly: no allocation, no throw).
    /// A real signal of <c>n</c> samples (n a power of two, ≥ 4) is transformed as an n/2-point complex FFT of its
    /// even/odd pairs followed by the split step, so it costs about half a complex FFT of size n.
    /// Spectra are split re/im arrays of n/2 + 1 bins (DC to Nyquist), unnormalised forward;
    /// <see cref="Inverse"/> scales by 1/n so Inverse(Forward(x)) = x.
    /// </summary>
    public static unsafe class FftKernel
    {
        /// <summary>Floats of the twiddle table for size <paramref name="n"/>: cos and sin of 2πk/n, k = 0..n/2.</summary>
        public static int TableLength(int n) => n + 2;

        public static void Init(float* table, int n)
        {
            var h = n / 2;
            for (var k = 0; k <= h; k++)
            {
                var a = 2.0 * System.Math.PI * k / n;
                table[k] = (float)System.Math.Cos(a);
                table[h + 1 + k] = (float)System.Math.Sin(a);
            }
        }

        /// <summary>
        /// Spectrum of <paramref name="x"/> (n reals) into <paramref name="re"/>/<paramref name="im"/> (n/2 + 1 each).
        /// <paramref name="work"/> holds n floats; <paramref name="x"/> is left unchanged.
        /// </summary>
        public static void Forward(float* table, int n, float* x, float* re, float* im, float* work)
        {
            var m = n / 2;
            for (var i = 0; i < n; i++) work[i] = x[i];
            Complex(table, n, work, -1f);
            var sin = table + m + 1;
            for (var k = 0; k <= m; k++)
            {
                var j = k == m ? 0 : k;
                var l = k == 0 ? 0 : m - k;
                float ar = work[2 * j], ai = work[2 * j + 1];
                float br = work[2 * l], bi = work[2 * l + 1];
                // Even part (Z[k] + conj Z[m−k]) / 2 and odd part −i (Z[k] − conj Z[m−k]) / 2, then X = Fe + W^k Fo.
                var er = 0.5f * (ar + br);
                var ei = 0.5f * (ai - bi);
                var or = 0.5f * (ai + bi);
                var oi = -0.5f * (ar - br);
                float c = table[k], s = sin[k];
                re[k] = er + c * or + s * oi;
                im[k] = ei + c * oi - s * or;
            }
        }

        /// <summary>
        /// Real signal (n samples, scaled by 1/n) of the spectrum <paramref name="re"/>/<paramref name="im"/> (n/2 + 1 bins;
        /// the imaginary parts of DC and Nyquist are ignored). <paramref name="x"/> may not alias the spectrum.
        /// </summary>
        public static void Inverse(float* table, int n, float* re, float* im, float* x)
        {
            var m = n / 2;
            var sin = table + m + 1;
            for (var k = 0; k < m; k++)
            {
                float ar = re[k], ai = im[k];
                float br = re[m - k], bi = -im[m - k];
                if (k == 0) { ai = 0f; bi = 0f; }
                var er = 0.5f * (ar + br);
                var ei = 0.5f * (ai + bi);
                var gr = 0.5f * (ar - br);
                var gi = 0.5f * (ai - bi);
                float c = table[k], s = sin[k];
                var or = c * gr - s * gi;
                var oi = c * gi + s * gr;
                x[2 * k] = er - oi;
                x[2 * k + 1] = ei + or;
            }
            Complex(table, n, x, 1f);
            var scale = 1f / m;
            for (var i = 0; i < n; i++) x[i] *= scale;
        }

        /// <summary>In-place complex FFT of n/2 interleaved points; <paramref name="sign"/> −1 forward, +1 inverse (unscaled).</summary>
        static void Complex(float* table, int n, float* z, float sign)
        {
            var m = n / 2;
            var sin = table + m + 1;
            // Bit-reversal permutation.
            for (int i = 0, j = 0; i < m - 1; i++)
            {
                if (i < j)
                {
                    float tr = z[2 * i], ti = z[2 * i + 1];
                    z[2 * i] = z[2 * j];
                    z[2 * i + 1] = z[2 * j + 1];
                    z[2 * j] = tr;
                    z[2 * j + 1] = ti;
                }
                var b = m >> 1;
                while (b <= j) { j -= b; b >>= 1; }
                j += b;
            }
            for (var len = 2; len <= m; len <<= 1)
            {
                var half = len >> 1;
                // Twiddle e^(sign·2πi·q/len) is table entry q·(n/len).
                var step = n / len;
                for (var q = 0; q < half; q++)
                {
                    var wr = table[q * step];
                    var wi = sign * sin[q * step];
                    for (var i = q; i < m; i += len)
                    {
                        var a = 2 * i;
                        var b = 2 * (i + half);
                        var tr = wr * z[b] - wi * z[b + 1];
                        var ti = wr * z[b + 1] + wi * z[b];
                        z[b] = z[a] - tr;
                        z[b + 1] = z[a + 1] - ti;
                        z[a] += tr;
                        z[a + 1] += ti;
                    }
                }
            }
        }
    }
}
