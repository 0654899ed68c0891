using System;

namespace Parley.Audio.Vad
{
    /// <summary>
    /// A slow, accurate detector (Silero: speech declared two to three 32 ms frames after an onset) helped at
    /// onsets by a fast one (the energy VAD, within a frame of a clear onset). While the primary says no, a fast "yes"
    /// is reported instead for at most <see cref="GraceFrames"/> consecutive primary frames. Real speech is confirmed
    /// by the primary within that grace and the segment simply starts earlier; a noise burst the primary never
    /// confirms becomes a short segment that the tracker's hangover closes, and the fast detector cannot vouch again
    /// until it has gone quiet. Measured in BENCHMARKS.md (Voice activity): Silero's F1 with the energy VAD's onset delay.
    /// <para>
    /// Frames: by default the primary's (the fast detector scores its sub-frames and the loudest counts), so a decision
    /// comes every 32 ms. With <c>decideEveryOnsetFrame</c> the frames are the fast detector's: each one is decided as
    /// it arrives (every 16 ms with the energy VAD), from the fast score and the
    /// primary's latest (the primary runs whenever a whole primary frame has gathered, in a preallocated buffer). The
    /// onset is the live one, reported when it is known; it is never back-dated, because a barge-in cannot act on
    /// the past.
    /// </para>
    /// </summary>
    public sealed class OnsetAssistedDetector : IVoiceActivityDetector
    {
        readonly IVoiceActivityDetector m_Primary;
        readonly IVoiceActivityDetector m_Onset;
        readonly int m_SubFrames;
        readonly bool m_EveryOnsetFrame;
        readonly float[] m_Gather;
        int m_Gathered;
        float m_PrimaryLast;
        int m_Vouched;

        /// <param name="primary">The detector whose decisions count (owned: disposed with this one).</param>
        /// <param name="onset">The fast detector, same rate, frames dividing the primary's (owned).</param>
        /// <param name="graceFrames">Primary frames the fast detector may vouch for in a row.</param>
        public OnsetAssistedDetector(IVoiceActivityDetector primary, IVoiceActivityDetector onset, int graceFrames = 3)
            : this(primary, onset, graceFrames, false) { }

        /// <param name="decideEveryOnsetFrame">Take and decide the fast detector's frames (a finer decision clock) instead of the primary's.</param>
        public OnsetAssistedDetector(IVoiceActivityDetector primary, IVoiceActivityDetector onset, int graceFrames, bool decideEveryOnsetFrame)
        {
            m_Primary = primary ?? throw new ArgumentNullException(nameof(primary));
            m_Onset = onset ?? throw new ArgumentNullException(nameof(onset));
            if (onset.SampleRate != primary.SampleRate)
                throw new ArgumentException("The onset detector runs at " + onset.SampleRate + " Hz, the primary at " + primary.SampleRate + " Hz.", nameof(onset));
            if (onset.FrameSamples <= 0 || primary.FrameSamples % onset.FrameSamples != 0)
                throw new ArgumentException("The onset detector's frames (" + onset.FrameSamples + ") must divide the primary's (" + primary.FrameSamples + ").", nameof(onset));
            if (graceFrames < 1 || graceFrames > 100) throw new ArgumentOutOfRangeException(nameof(graceFrames), graceFrames, "The grace must be 1 to 100 frames.");
            m_SubFrames = primary.FrameSamples / onset.FrameSamples;
            m_EveryOnsetFrame = decideEveryOnsetFrame;
            if (decideEveryOnsetFrame) m_Gather = new float[primary.FrameSamples];
            GraceFrames = graceFrames;
        }

        public int SampleRate => m_Primary.SampleRate;
        public int FrameSamples => m_EveryOnsetFrame ? m_Onset.FrameSamples : m_Primary.FrameSamples;
        public int GraceFrames { get; }

        /// <summary>True when frames are the fast detector's (decided every one), false when they are the primary's.</summary>
        public bool DecidesEveryOnsetFrame => m_EveryOnsetFrame;

        public float Process(ReadOnlySpan<float> frame)
        {
            if (frame.Length != FrameSamples) throw new ArgumentException("Expected a frame of " + FrameSamples + " samples, got " + frame.Length + ".", nameof(frame));
            if (m_EveryOnsetFrame) return ProcessOnsetFrame(frame);
            var fast = 0f;
            var n = m_Onset.FrameSamples;
            for (var i = 0; i < m_SubFrames; i++) fast = Math.Max(fast, m_Onset.Process(frame.Slice(i * n, n)));
            return Decide(m_Primary.Process(frame), fast, 1);
        }

        float ProcessOnsetFrame(ReadOnlySpan<float> frame)
        {
            var fast = m_Onset.Process(frame);
            frame.CopyTo(new Span<float>(m_Gather, m_Gathered, frame.Length));
            m_Gathered += frame.Length;
            if (m_Gathered == m_Gather.Length)
            {
                m_Gathered = 0;
                m_PrimaryLast = m_Primary.Process(m_Gather);
            }
            return Decide(m_PrimaryLast, fast, m_SubFrames);
        }

        // The grace is counted in primary frames: `framesPerPrimary` decisions make one.
        float Decide(float primary, float fast, int framesPerPrimary)
        {
            if (primary >= 0.5f || fast < 0.5f)
            {
                m_Vouched = 0;
                return primary;
            }
            if (m_Vouched >= GraceFrames * framesPerPrimary) return primary;
            m_Vouched++;
            return fast;
        }

        public void Reset()
        {
            m_Vouched = 0;
            m_Gathered = 0;
            m_PrimaryLast = 0f;
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
