using System;

namespace Parley.Audio.Vad
{
    /// <summary>
    /// A slow, accurate detector (Silero: speech declared two to three 32 ms frames after an onset) helped at
    /// onsets by a fast one (the energy VAD, within a frame of a clear onset). Each primary frame is also scored by
    /// the fast detector in sub-frames; while the primary says no, a fast "yes" is reported instead for at most
    /// <see cref="GraceFrames"/> consecutive frames. Real speech is confirmed by the primary within that grace and the
    /// segment simply starts earlier; a noise burst the primary never confirms becomes a short segment that the
    /// tracker's hangover closes, and the fast detector cannot vouch again until it has gone quiet. Measured in
    /// BENCHMARKS.md (Voice activity): Silero's F1 with the energy VAD's onset delay.
    /// </summary>
    public sealed class OnsetAssistedDetector : IVoiceActivityDetector
    {
        readonly IVoiceActivityDetector m_Primary;
        readonly IVoiceActivityDetector m_Onset;
        readonly int m_SubFrames;
        int m_Vouched;

        /// <param name="primary">The detector whose decisions count (owned: disposed with this one).</param>
        /// <param name="onset">The fast detector, same rate, frames dividing the primary's (owned).</param>
        /// <param name="graceFrames">Primary frames the fast detector may vouch for in a row.</param>
        public OnsetAssistedDetector(IVoiceActivityDetector primary, IVoiceActivityDetector onset, int graceFrames = 3)
        {
            m_Primary = primary ?? throw new ArgumentNullException(nameof(primary));
            m_Onset = onset ?? throw new ArgumentNullException(nameof(onset));
            if (onset.SampleRate != primary.SampleRate)
                throw new ArgumentException("The onset detector runs at " + onset.SampleRate + " Hz, the primary at " + primary.SampleRate + " Hz.", nameof(onset));
            if (onset.FrameSamples <= 0 || primary.FrameSamples % onset.FrameSamples != 0)
                throw new ArgumentException("The onset detector's frames (" + onset.FrameSamples + ") must divide the primary's (" + primary.FrameSamples + ").", nameof(onset));
            if (graceFrames < 1 || graceFrames > 100) throw new ArgumentOutOfRangeException(nameof(graceFrames), graceFrames, "The grace must be 1 to 100 frames.");
            m_SubFrames = primary.FrameSamples / onset.FrameSamples;
            GraceFrames = graceFrames;
        }

        public int SampleRate => m_Primary.SampleRate;
        public int FrameSamples => m_Primary.FrameSamples;
        public int GraceFrames { get; }

        public float Process(ReadOnlySpan<float> frame)
        {
            if (frame.Length != FrameSamples) throw new ArgumentException("Expected a frame of " + FrameSamples + " samples, got " + frame.Length + ".", nameof(frame));
            var fast = 0f;
            var n = m_Onset.FrameSamples;
            for (var i = 0; i < m_SubFrames; i++) fast = Math.Max(fast, m_Onset.Process(frame.Slice(i * n, n)));
            var primary = m_Primary.Process(frame);
            if (primary >= 0.5f || fast < 0.5f)
            {
                m_Vouched = 0;
                return primary;
            }
            if (m_Vouched >= GraceFrames) return primary;
            m_Vouched++;
            return fast;
        }

        public void Reset()
        {
            m_Vouched = 0;
            m_Primary.Reset();
            m_Onset.Reset();
        }

        public void Dispose()
        {
            m_Primary.Dispose();
            m_Onset.Dispose();
        }
    }
}
