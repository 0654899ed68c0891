using Math = System.Math;

namespace Parley.Audio.Kernels
{
    /// <summary>
    /// The windowed-sinc fractional-delay table both drift resamplers read (the canceller's reference,
    /// <see cref="EchoDriftKernel"/>, and the Unity echo feed's): <c>phases + 1</c> rows of <c>taps</c> coefficients, row q
    /// for the fraction q / phases, tap t weighing input (base − taps/2 + 1 + t) for the point base + fraction. Kaiser
    /// window (β 9), unit gain at DC for every phase. Built once at set-up, never in a kernel.
    /// </summary>
    public static unsafe class FractionalDelayTable
    {
        const double Beta = 9.0;

        /// <summary>Fills <paramref name="table"/>, which the caller has sized to (phases + 1) × taps floats (taps even).</summary>
        public static void Fill(float* table, int taps, int phases)
        {
            var half = taps / 2;
            var i0b = BesselI0(Beta);
            for (var q = 0; q <= phases; q++)
            {
                var frac = (double)q / phases;
                double sum = 0;
                for (var t = 0; t < taps; t++)
                {
                    var x = t - (half - 1) - frac;
                    var sinc = x == 0 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
                    var r = x / half;
                    var w = r * r >= 1 ? 0.0 : BesselI0(Beta * Math.Sqrt(1 - r * r)) / i0b;
                    table[q * taps + t] = (float)(sinc * w);
                    sum += sinc * w;
                }
                for (var t = 0; t < taps; t++) table[q * taps + t] = (float)(table[q * taps + t] / sum);
            }
        }

        static double BesselI0(double x)
        {
            double sum = 1, term = 1;
            for (var k = 1; k < 40; k++)
            {
                term *= x * x / (4.0 * k * k);
                sum += term;
            }
            return sum;
        }
    }
}
