using System;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>
    /// Learns the clock drift of a microphone against the output it hears from the two streams alone (GCC-PHAT lags
    /// over half-second windows, a line through up to a minute of them; <see cref="DriftEstimateKernel"/>): within
    /// 10 ppm after 50 s of agent speech at ±0.5 %. The
    /// <see cref="EchoCanceller"/> runs one on its raw input unless told the drift. After construction nothing
    /// allocates; call from one thread.
    /// </summary>
    public sealed unsafe class ClockDriftEstimator
    {
        readonly float[] m_Memory;
        DriftEstimateState m_State;

        /// <param name="sampleRate">Rate of both streams, 8000–48000 Hz.</param>
        public ClockDriftEstimator(int sampleRate)
        {
            if (sampleRate < 8000 || sampleRate > 48000)
                throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must be between 8000 and 48000 Hz.");
            m_Memory = new float[DriftEstimateKernel.Init(ref m_State, sampleRate)];
            Reset();
        }

        /// <summary>
        /// The drift to compensate, in ppm (positive: the microphone's clock runs fast): the latest fit that spans
        /// 8 s of usable windows, is 3 standard errors from zero, at least 50 ppm, sure within ±50 ppm and moved the lag
        /// 1.6 ms over its span (a small drift needs a long one: 50 ppm 32 s); 0 until then.
        /// </summary>
        public double CompensationPpm => m_State.CompensationPpm;
        /// <summary>The latest fit and its standard error, in ppm (NaN before 8 usable windows).</summary>
        public double FitPpm => m_State.FitPpm;
        /// <inheritdoc cref="FitPpm"/>
        public double FitErrorPpm => m_State.FitErrorPpm;
        /// <summary>Windows whose correlation peak was clear enough to use.</summary>
        public int UsableWindows => m_State.Accepted;

        /// <summary>Forgets everything learned.</summary>
        public void Reset()
        {
            fixed (float* f = m_Memory) DriftEstimateKernel.Reset(ref m_State, f);
        }

        /// <summary>Takes microphone samples and the reference played at the same instants (same length).</summary>
        /// <exception cref="ArgumentException">Lengths differ (nothing is consumed).</exception>
        public void Feed(ReadOnlySpan<float> mic, ReadOnlySpan<float> reference)
        {
            if (reference.Length != mic.Length)
                throw new ArgumentException("Reference holds " + reference.Length + " samples, microphone " + mic.Length + ".", nameof(reference));
            fixed (float* f = m_Memory)
            fixed (float* m = &System.Runtime.InteropServices.MemoryMarshal.GetReference(mic))
            fixed (float* r = &System.Runtime.InteropServices.MemoryMarshal.GetReference(reference))
                DriftEstimateKernel.Feed(ref m_State, f, m, r, mic.Length);
        }
    }
}
