using System;
using System.Runtime.InteropServices;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>
    /// Checked entry points of <see cref="ChannelKernel"/>: interleaved ⇄ planar and N channels ⇄ mono.
    /// Any channel count ≥ 1; buffers must hold whole frames. Non-finite samples are sanitized by the downmix
    /// (NaN → 0, ±Inf → ±1); the copies move samples unchanged.
    /// </summary>
    public static unsafe class ChannelMixer
    {
        /// <summary>Equal-gain average of every channel into <paramref name="mono"/>; returns the frame count.</summary>
        public static int Downmix(ReadOnlySpan<float> interleaved, int channels, Span<float> mono)
        {
            var frames = AudioArgs.Frames(interleaved.Length, channels, nameof(interleaved));
            AudioArgs.Fits(mono.Length, frames, nameof(mono));
            fixed (float* s = &MemoryMarshal.GetReference(interleaved))
            fixed (float* d = &MemoryMarshal.GetReference(mono))
                FrameKernels.Current.Downmix(s, frames, channels, d);
            return frames;
        }

        /// <summary>Copies one channel out of an interleaved buffer; returns the frame count.</summary>
        public static int Deinterleave(ReadOnlySpan<float> interleaved, int channels, int channel, Span<float> mono)
        {
            var frames = AudioArgs.Frames(interleaved.Length, channels, nameof(interleaved));
            AudioArgs.Channel(channel, channels);
            AudioArgs.Fits(mono.Length, frames, nameof(mono));
            fixed (float* s = &MemoryMarshal.GetReference(interleaved))
            fixed (float* d = &MemoryMarshal.GetReference(mono))
                ChannelKernel.Deinterleave(s, frames, channels, channel, d);
            return frames;
        }

        /// <summary>Writes <paramref name="mono"/> into one channel of <paramref name="interleaved"/> (same frame count).</summary>
        public static void Interleave(ReadOnlySpan<float> mono, int channels, int channel, Span<float> interleaved)
        {
            var frames = AudioArgs.Frames(interleaved.Length, channels, nameof(interleaved));
            AudioArgs.Channel(channel, channels);
            if (mono.Length != frames)
                throw new ArgumentException("Mono buffer has " + mono.Length + " frames; the interleaved buffer has " + frames + ".", nameof(mono));
            fixed (float* s = &MemoryMarshal.GetReference(mono))
            fixed (float* d = &MemoryMarshal.GetReference(interleaved))
                ChannelKernel.Interleave(s, frames, channels, channel, d);
        }

        /// <summary>Copies <paramref name="mono"/> into every channel; returns the samples written (frames × channels).</summary>
        public static int Upmix(ReadOnlySpan<float> mono, int channels, Span<float> interleaved)
        {
            AudioArgs.Frames(0, channels, nameof(interleaved));
            var needed = (long)mono.Length * channels;
            AudioArgs.Fits(interleaved.Length, (int)Math.Min(int.MaxValue, needed), nameof(interleaved));
            fixed (float* s = &MemoryMarshal.GetReference(mono))
            fixed (float* d = &MemoryMarshal.GetReference(interleaved))
                FrameKernels.Current.Upmix(s, mono.Length, channels, d);
            return (int)needed;
        }
    }
}
