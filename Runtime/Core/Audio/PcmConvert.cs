using System;
using System.Runtime.InteropServices;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>
    /// Checked entry points of <see cref="Pcm16Kernel"/>: float [-1, 1) ⇄ PCM16 little-endian. Out-of-range
    /// floats clip; NaN → 0 and ±Inf → ±full scale (documented clamp, never an exception on the audio path).
    /// Wrong buffer sizes and odd byte counts are <see cref="ArgumentException"/>s.
    /// </summary>
    public static unsafe class PcmConvert
    {
        /// <summary>Rounds to nearest; returns the samples written.</summary>
        public static int FloatToPcm16(ReadOnlySpan<float> samples, Span<short> pcm)
        {
            AudioArgs.Fits(pcm.Length, samples.Length, nameof(pcm));
            fixed (float* s = &MemoryMarshal.GetReference(samples))
            fixed (short* d = &MemoryMarshal.GetReference(pcm))
                FrameKernels.Current.FloatToPcm16(s, samples.Length, d);
            return samples.Length;
        }

        /// <summary>With ±1 LSB TPDF dither drawn from <paramref name="rng"/> (advanced in place); returns the samples written.</summary>
        public static int FloatToPcm16(ReadOnlySpan<float> samples, Span<short> pcm, ref DitherState rng)
        {
            AudioArgs.Fits(pcm.Length, samples.Length, nameof(pcm));
            fixed (float* s = &MemoryMarshal.GetReference(samples))
            fixed (short* d = &MemoryMarshal.GetReference(pcm))
                Pcm16Kernel.FromFloatDithered(s, samples.Length, d, ref rng);
            return samples.Length;
        }

        /// <summary>Interleaved float frames → mono PCM16 in one pass (the capture path); returns the frame count.</summary>
        public static int DownmixToPcm16(ReadOnlySpan<float> interleaved, int channels, Span<short> pcm)
        {
            var frames = AudioArgs.Frames(interleaved.Length, channels, nameof(interleaved));
            AudioArgs.Fits(pcm.Length, frames, nameof(pcm));
            if (channels == 1) return FloatToPcm16(interleaved, pcm);
            fixed (float* s = &MemoryMarshal.GetReference(interleaved))
            fixed (short* d = &MemoryMarshal.GetReference(pcm))
                Pcm16Kernel.DownmixFromFloat(s, frames, channels, d);
            return frames;
        }

        public static int Pcm16ToFloat(ReadOnlySpan<short> pcm, Span<float> samples)
        {
            AudioArgs.Fits(samples.Length, pcm.Length, nameof(samples));
            fixed (short* s = &MemoryMarshal.GetReference(pcm))
            fixed (float* d = &MemoryMarshal.GetReference(samples))
                FrameKernels.Current.Pcm16ToFloat(s, pcm.Length, d);
            return pcm.Length;
        }

        /// <summary>PCM16 little-endian bytes (as decoded from the wire) → float; returns the samples written.</summary>
        /// <exception cref="ArgumentException">An odd byte count (not whole samples), or <paramref name="samples"/> too small.</exception>
        public static int Pcm16BytesToFloat(ReadOnlySpan<byte> littleEndian, Span<float> samples)
        {
            if ((littleEndian.Length & 1) != 0)
                throw new ArgumentException("PCM16 payload has an odd byte count (" + littleEndian.Length + "); samples are 2 bytes.", nameof(littleEndian));
            // Pcm16Base64's static check guarantees a little-endian host, where the bytes are the samples.
            return Pcm16ToFloat(MemoryMarshal.Cast<byte, short>(littleEndian), samples);
        }
    }
}
