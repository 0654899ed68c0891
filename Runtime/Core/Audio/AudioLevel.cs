using System;
using System.Runtime.InteropServices;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>
    /// Levels of a float buffer (see <see cref="LevelKernel"/>): dBFS against full scale 1.0, -∞ for silence
    /// or an empty buffer. NaN counts as 0, ±Inf as full scale.
    /// </summary>
    public static unsafe class AudioLevel
    {
        public static float Peak(ReadOnlySpan<float> samples)
        {
            fixed (float* s = &MemoryMarshal.GetReference(samples)) return LevelKernel.Peak(s, samples.Length);
        }

        public static float Rms(ReadOnlySpan<float> samples)
        {
            fixed (float* s = &MemoryMarshal.GetReference(samples)) return FrameKernels.Current.Rms(s, samples.Length);
        }

        public static float PeakDbfs(ReadOnlySpan<float> samples) => LevelKernel.ToDbfs(Peak(samples));

        public static float RmsDbfs(ReadOnlySpan<float> samples) => LevelKernel.ToDbfs(Rms(samples));
    }
}
