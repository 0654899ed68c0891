using System;
using System.Runtime.InteropServices;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>Checked entry points of <see cref="FadeKernel"/>: linear gain ramps applied in place.</summary>
    public static unsafe class Fade
    {
        /// <summary>Ramps the whole buffer from <paramref name="from"/> (first frame) towards <paramref name="to"/> (reached just after the last frame).</summary>
        public static void Linear(Span<float> interleaved, int channels, float from, float to)
        {
            var frames = AudioArgs.Frames(interleaved.Length, channels, nameof(interleaved));
            Linear(interleaved, channels, from, to, 0, frames);
        }

        /// <summary>
        /// One buffer of a ramp <paramref name="length"/> frames long that started <paramref name="position"/>
        /// frames ago (fades that span callbacks); frames past the end get <paramref name="to"/>.
        /// </summary>
        public static void Linear(Span<float> interleaved, int channels, float from, float to, int position, int length)
        {
            var frames = AudioArgs.Frames(interleaved.Length, channels, nameof(interleaved));
            if (position < 0) throw new ArgumentOutOfRangeException(nameof(position), position, "Ramp position must be ≥ 0.");
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "Ramp length must be ≥ 0.");
            if (float.IsNaN(from) || float.IsInfinity(from)) throw new ArgumentOutOfRangeException(nameof(from), from, "Gain must be finite.");
            if (float.IsNaN(to) || float.IsInfinity(to)) throw new ArgumentOutOfRangeException(nameof(to), to, "Gain must be finite.");
            fixed (float* s = &MemoryMarshal.GetReference(interleaved))
                FadeKernel.Linear(s, frames, channels, from, to, position, length);
        }
    }
}
