namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Random state for TPDF dither: a 32-bit xorshift generator held in a plain struct, so it can live in
    /// a job, a NativeArray or a field and be passed by ref to Burst code. Not for anything but noise.
    /// </summary>
    public struct DitherState
    {
        /// <summary>The xorshift32 state; never 0 (0 is a fixed point of the generator).</summary>
        public uint State;

        /// <summary>A state seeded from <paramref name="seed"/> (0 is replaced by a fixed odd constant).</summary>
        public static DitherState FromSeed(uint seed)
        {
            DitherState s;
            s.State = seed == 0 ? 0x9E3779B9u : seed;
            return s;
        }

        /// <summary>Next 32 random bits (Marsaglia xorshift32, period 2^32 - 1).</summary>
        public static uint Next(ref DitherState s)
        {
            var x = s.State;
            if (x == 0) x = 0x9E3779B9u; // a default(DitherState) still produces noise
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            s.State = x;
            return x;
        }

        /// <summary>Triangular noise in (-1, 1) (units of one LSB): the sum of two independent uniform values.</summary>
        public static float Triangular(ref DitherState s)
        {
            // 24 high bits of each draw give a uniform value in [0, 1) exactly representable as float.
            const float scale = 1f / 16777216f;
            var a = (Next(ref s) >> 8) * scale;
            var b = (Next(ref s) >> 8) * scale;
            return a - b;
        }
    }
}
