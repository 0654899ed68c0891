namespace Parley.Audio.Kernels
{
    /// <summary>
    /// One second-order section (transposed direct form II): coefficients and state, blittable. Designs are the RBJ
    /// audio-EQ cookbook's Butterworth sections (Q = 1/√2); the corner is given over the sample rate.
    /// </summary>
    public struct BiquadSection
    {
        public float B0, B1, B2, A1, A2, Z1, Z2;

        public static BiquadSection Identity() => new BiquadSection { B0 = 1f };

        public static BiquadSection HighPass(float corner)
        {
            Prototype(corner, out var cos, out var a0, out var a1, out var a2);
            var b0 = (1f + cos) / 2f / a0;
            return new BiquadSection { B0 = b0, B1 = -(1f + cos) / a0, B2 = b0, A1 = a1, A2 = a2 };
        }

        public static BiquadSection LowPass(float corner)
        {
            Prototype(corner, out var cos, out var a0, out var a1, out var a2);
            var b0 = (1f - cos) / 2f / a0;
            return new BiquadSection { B0 = b0, B1 = (1f - cos) / a0, B2 = b0, A1 = a1, A2 = a2 };
        }

        static void Prototype(float corner, out float cos, out float a0, out float a1, out float a2)
        {
            var w = 2f * System.MathF.PI * corner;
            var alpha = System.MathF.Sin(w) / (2f * 0.70710678f);
            cos = System.MathF.Cos(w);
            a0 = 1f + alpha;
            a1 = -2f * cos / a0;
            a2 = (1f - alpha) / a0;
        }

        /// <summary>Filters one sample and advances the section's memory.</summary>
        public static float Run(ref BiquadSection s, float x)
        {
            var y = s.B0 * x + s.Z1;
            s.Z1 = s.B1 * x - s.A1 * y + s.Z2;
            s.Z2 = s.B2 * x - s.A2 * y;
            return y;
        }
    }
}
