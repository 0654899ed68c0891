using System;

namespace Parley.Tests.Support
{
    /// <summary>
    /// Frequency-domain measurements for DSP tests: least-squares tone fits (amplitude, phase and what is left
    /// over), Kaiser-windowed single-bin DFT (Goertzel) and Welch power spectra. Double precision throughout so the
    /// measurement floor (≈ −250 dB) sits far below anything a float signal can show.
    /// </summary>
    public static class Spectrum
    {
        public struct ToneFit
        {
            /// <summary>Peak amplitude of the fitted sinusoid.</summary>
            public double Amplitude;
            /// <summary>Phase in radians of the fit a·cos(ωn + φ), n counted from the segment's first sample.</summary>
            public double Phase;
            /// <summary>RMS of the signal minus the fitted sinusoid (images, aliases, noise, distortion).</summary>
            public double ResidualRms;

            /// <summary>Residual relative to the tone's RMS, in dB.</summary>
            public double ResidualDb => Db(ResidualRms / (Amplitude / Math.Sqrt(2)));
        }

        public static double Db(double amplitudeRatio) => 20 * Math.Log10(amplitudeRatio);

        /// <summary>
        /// Least-squares fit of a·cos(2πf n/rate) + b·sin(2πf n/rate) + dc to <paramref name="x"/>, exact for any
        /// (non-integer) number of cycles; the residual is everything that is not that tone.
        /// </summary>
        public static ToneFit FitTone(ReadOnlySpan<float> x, double hz, double rate)
        {
            var w = 2 * Math.PI * hz / rate;
            // Normal equations of the 3-column basis [cos, sin, 1].
            double cc = 0, ss = 0, cs = 0, c1 = 0, s1 = 0, xc = 0, xs = 0, x1 = 0;
            var n = x.Length;
            for (var i = 0; i < n; i++)
            {
                var c = Math.Cos(w * i);
                var s = Math.Sin(w * i);
                double v = x[i];
                cc += c * c; ss += s * s; cs += c * s; c1 += c; s1 += s;
                xc += v * c; xs += v * s; x1 += v;
            }
            var m = new[,] { { cc, cs, c1 }, { cs, ss, s1 }, { c1, s1, n } };
            var sol = Solve3(m, new[] { xc, xs, x1 });
            double err = 0;
            for (var i = 0; i < n; i++)
            {
                var e = x[i] - (sol[0] * Math.Cos(w * i) + sol[1] * Math.Sin(w * i) + sol[2]);
                err += e * e;
            }
            return new ToneFit
            {
                Amplitude = Math.Sqrt(sol[0] * sol[0] + sol[1] * sol[1]),
                Phase = Math.Atan2(-sol[1], sol[0]),
                ResidualRms = Math.Sqrt(err / Math.Max(1, n)),
            };
        }

        /// <summary>Kaiser window; β = 20 puts sidelobes near −150 dB.</summary>
        public static double[] Kaiser(int n, double beta)
        {
            var w = new double[n];
            var i0 = BesselI0(beta);
            for (var i = 0; i < n; i++)
            {
                var r = 2.0 * i / (n - 1) - 1;
                w[i] = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - r * r))) / i0;
            }
            return w;
        }

        /// <summary>
        /// Amplitude of the component at <paramref name="hz"/> by a Kaiser-windowed DFT at that one frequency (a Goertzel
        /// bin), normalised so a sine of amplitude A reads A. Leakage from a tone Δf away is below the window's sidelobes
        /// once Δf exceeds its main lobe (≈ (β/π + 1)·rate/n for β = 20 about 7.4 bins).
        /// </summary>
        public static double ToneAmplitude(ReadOnlySpan<float> x, double hz, double rate, double beta = 20)
        {
            var win = Kaiser(x.Length, beta);
            var w = 2 * Math.PI * hz / rate;
            double re = 0, im = 0, sum = 0;
            for (var i = 0; i < x.Length; i++)
            {
                re += x[i] * win[i] * Math.Cos(w * i);
                im -= x[i] * win[i] * Math.Sin(w * i);
                sum += win[i];
            }
            return 2 * Math.Sqrt(re * re + im * im) / sum;
        }

        /// <summary>
        /// Welch power spectrum: Kaiser-windowed (β = 20), half-overlapping segments of <paramref name="size"/> (a power
        /// of two); returns mean power per bin 0..size/2 (bin k at k·rate/size), normalised so only ratios matter.
        /// </summary>
        public static double[] WelchPower(ReadOnlySpan<float> x, int size)
        {
            var win = Kaiser(size, 20);
            var power = new double[size / 2 + 1];
            var re = new double[size];
            var im = new double[size];
            var segments = 0;
            for (var start = 0; start + size <= x.Length; start += size / 2)
            {
                for (var i = 0; i < size; i++)
                {
                    re[i] = x[start + i] * win[i];
                    im[i] = 0;
                }
                Fft(re, im);
                for (var k = 0; k <= size / 2; k++) power[k] += re[k] * re[k] + im[k] * im[k];
                segments++;
            }
            for (var k = 0; k < power.Length; k++) power[k] /= Math.Max(1, segments);
            return power;
        }

        /// <summary>Mean power per bin of a <see cref="WelchPower"/> spectrum between two frequencies (inclusive).</summary>
        public static double MeanPower(double[] power, double rate, double fromHz, double toHz)
        {
            var size = (power.Length - 1) * 2;
            var k0 = (int)Math.Ceiling(fromHz * size / rate);
            var k1 = Math.Min(power.Length - 1, (int)Math.Floor(toHz * size / rate));
            double sum = 0;
            for (var k = k0; k <= k1; k++) sum += power[k];
            return sum / Math.Max(1, k1 - k0 + 1);
        }

        /// <summary>
        /// Signal-to-error ratio (dB) of <paramref name="actual"/> against <paramref name="reference"/> counting only
        /// the band 0..<paramref name="maxHz"/> (Welch spectra of the reference and of the difference).
        /// </summary>
        public static double BandSnrDb(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual, double rate, double maxHz, int size = 2048)
        {
            var n = Math.Min(reference.Length, actual.Length);
            var error = new float[n];
            for (var i = 0; i < n; i++) error[i] = actual[i] - reference[i];
            var signal = MeanPower(WelchPower(reference.Slice(0, n), size), rate, 0, maxHz);
            var noise = MeanPower(WelchPower(error, size), rate, 0, maxHz);
            return 10 * Math.Log10(signal / noise);
        }

        /// <summary>In-place radix-2 complex FFT.</summary>
        public static void Fft(double[] re, double[] im)
        {
            var n = re.Length;
            for (int i = 1, j = 0; i < n; i++)
            {
                var bit = n >> 1;
                for (; (j & bit) != 0; bit >>= 1) j ^= bit;
                j ^= bit;
                if (i < j)
                {
                    var t = re[i]; re[i] = re[j]; re[j] = t;
                    t = im[i]; im[i] = im[j]; im[j] = t;
                }
            }
            for (var len = 2; len <= n; len <<= 1)
            {
                var ang = -2 * Math.PI / len;
                for (var i = 0; i < n; i += len)
                    for (var k = 0; k < len / 2; k++)
                    {
                        var wr = Math.Cos(ang * k);
                        var wi = Math.Sin(ang * k);
                        var ur = re[i + k];
                        var ui = im[i + k];
                        var vr = re[i + k + len / 2] * wr - im[i + k + len / 2] * wi;
                        var vi = re[i + k + len / 2] * wi + im[i + k + len / 2] * wr;
                        re[i + k] = ur + vr; im[i + k] = ui + vi;
                        re[i + k + len / 2] = ur - vr; im[i + k + len / 2] = ui - vi;
                    }
            }
        }

        static double BesselI0(double x)
        {
            double sum = 1, term = 1, half = x / 2;
            for (var k = 1; k < 200; k++)
            {
                term *= half / k * (half / k);
                sum += term;
                if (term < sum * 1e-17) break;
            }
            return sum;
        }

        static double[] Solve3(double[,] a, double[] b)
        {
            // Gaussian elimination with partial pivoting (3×3 is all a tone fit needs).
            const int n = 3;
            for (var col = 0; col < n; col++)
            {
                var piv = col;
                for (var r = col + 1; r < n; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[piv, col])) piv = r;
                if (piv != col)
                {
                    for (var c = 0; c < n; c++) { var t = a[col, c]; a[col, c] = a[piv, c]; a[piv, c] = t; }
                    var tb = b[col]; b[col] = b[piv]; b[piv] = tb;
                }
                for (var r = col + 1; r < n; r++)
                {
                    var f = a[r, col] / a[col, col];
                    for (var c = col; c < n; c++) a[r, c] -= f * a[col, c];
                    b[r] -= f * b[col];
                }
            }
            var x = new double[n];
            for (var r = n - 1; r >= 0; r--)
            {
                var s = b[r];
                for (var c = r + 1; c < n; c++) s -= a[r, c] * x[c];
                x[r] = s / a[r, r];
            }
            return x;
        }
    }
}
