using System;

namespace Parley.Audio.Vad
{
    /// <summary>
    /// A stream front for any <see cref="IVoiceActivityDetector"/>: cuts pushed samples (at the detector's rate)
    /// into frames, scores them and raises <see cref="SpeechStarted"/>/<see cref="SpeechEnded"/> through a
    /// <see cref="VoiceActivityTracker"/>. One preallocated frame buffer; nothing is allocated per push.
    /// Events are raised on the pushing thread, so push from a worker, not from the audio callback.
    /// </summary>
    public sealed class VoiceActivity : IDisposable
    {
        readonly IVoiceActivityDetector m_Detector;
        readonly VoiceActivityTracker m_Tracker;
        readonly float[] m_Frame;
        int m_Filled;

        public VoiceActivity(IVoiceActivityDetector detector, VadSettings settings)
        {
            m_Detector = detector ?? throw new ArgumentNullException(nameof(detector));
            if (detector.SampleRate <= 0 || detector.FrameSamples <= 0) throw new ArgumentException("The detector reports no frame size or rate.", nameof(detector));
            m_Tracker = new VoiceActivityTracker(detector.FrameSamples * 1000.0 / detector.SampleRate, settings);
            m_Frame = new float[detector.FrameSamples];
        }

        /// <summary>Raised with the segment's start (ms since the stream began) on the frame that crosses the onset threshold.</summary>
        public event Action<double> SpeechStarted;

        /// <summary>Raised with the whole segment once the hangover has run out (or at <see cref="Flush"/>).</summary>
        public event Action<SpeechSegment> SpeechEnded;

        public IVoiceActivityDetector Detector => m_Detector;
        public VoiceActivityTracker Tracker => m_Tracker;
        public bool IsSpeaking => m_Tracker.IsSpeaking;

        /// <summary>The probability of the last scored frame.</summary>
        public float Probability { get; private set; }

        /// <summary>Feeds mono samples at <see cref="IVoiceActivityDetector.SampleRate"/>; returns the frames scored.</summary>
        public int Push(ReadOnlySpan<float> samples)
        {
            var scored = 0;
            while (samples.Length > 0)
            {
                var n = Math.Min(samples.Length, m_Frame.Length - m_Filled);
                samples.Slice(0, n).CopyTo(new Span<float>(m_Frame, m_Filled, n));
                samples = samples.Slice(n);
                m_Filled += n;
                if (m_Filled < m_Frame.Length) break;
                m_Filled = 0;
                Probability = m_Detector.Process(m_Frame);
                Raise(m_Tracker.Update(Probability));
                scored++;
            }
            return scored;
        }

        /// <summary>Scores a partial last frame (zero-padded) and closes an open segment: the end of a stream.</summary>
        public void Flush()
        {
            if (m_Filled > 0)
            {
                Array.Clear(m_Frame, m_Filled, m_Frame.Length - m_Filled);
                m_Filled = 0;
                Probability = m_Detector.Process(m_Frame);
                Raise(m_Tracker.Update(Probability));
            }
            Raise(m_Tracker.Flush());
        }

        public void Reset()
        {
            m_Filled = 0;
            Probability = 0f;
            m_Detector.Reset();
            m_Tracker.Reset();
        }

        public void Dispose() => m_Detector.Dispose();

        void Raise(VadTransition t)
        {
            if (t == VadTransition.SpeechStarted) SpeechStarted?.Invoke(m_Tracker.SpeechStartMs);
            else if (t == VadTransition.SpeechEnded) SpeechEnded?.Invoke(m_Tracker.LastSegment);
        }
    }
}
