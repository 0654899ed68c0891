using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Parley.Audio
{
    /// <summary>
    /// SIMD float → PCM16 for runtimes that accelerate <see cref="Vector{T}"/> (CoreCLR: the CLI host, servers,
    /// tests). Unity's Mono and IL2CPP report <see cref="Vector.IsHardwareAccelerated"/> false and keep the scalar
    /// <see cref="Kernels.Pcm16Kernel"/> (which Burst vectorises itself). Same results as the kernel, bit for bit:
    /// clip to [-32768, 32767], round half to even, NaN → 0.
    /// </summary>
    static class Pcm16Vector
    {
        // Adding 1.5 × 2^23 puts every value of [-32768, 32767] where the float spacing is exactly 1, so the
        // FPU's round-half-to-even does the rounding; subtracting it back is exact.
        const float RoundingBias = 12582912f;

        public static bool Enabled => Vector.IsHardwareAccelerated;

        /// <summary>Converts the longest prefix that fills whole vectors; returns how many samples it wrote.</summary>
        public static int FromFloat(ReadOnlySpan<float> samples, Span<short> pcm)
        {
            var src = MemoryMarshal.Cast<float, Vector<float>>(samples);
            var dst = MemoryMarshal.Cast<short, Vector<short>>(pcm);
            var pairs = Math.Min(src.Length / 2, dst.Length);
            var scale = new Vector<float>(32768f);
            var low = new Vector<float>(-32768f);
            var high = new Vector<float>(32767f);
            var bias = new Vector<float>(RoundingBias);
            for (var i = 0; i < pairs; i++)
            {
                var a = Quantise(src[2 * i] * scale, low, high, bias);
                var b = Quantise(src[2 * i + 1] * scale, low, high, bias);
                dst[i] = Vector.Narrow(a, b);
            }
            return pairs * 2 * Vector<float>.Count;
        }

        static Vector<int> Quantise(Vector<float> v, Vector<float> low, Vector<float> high, Vector<float> bias)
        {
            var clipped = Vector.Min(Vector.Max(v, low), high);
            var finite = Vector.ConditionalSelect(Vector.Equals(v, v), clipped, Vector<float>.Zero);
            return Vector.ConvertToInt32((finite + bias) - bias);
        }
    }
}
