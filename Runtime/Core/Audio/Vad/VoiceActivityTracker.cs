using System;

namespace Parley.Audio.Vad
{
    /// <summary>
    /// Turns per-frame speech probabilities into speech start/end transitions with hysteresis and hangover
    /// (<see cref="VadSettings"/>). A segment runs from the start of its first frame at or above the onset
    /// threshold to the end of its last frame at or above the offset threshold; the hangover only delays the
    /// end transition, it is not counted as speech. No allocation per frame.
    /// </summary>
    public sealed class VoiceActivityTracker
    {
        readonly VadSettings m_Settings;
        readonly double m_FrameMs;
        readonly long m_HangoverFrames;
        long m_Frame;
        long m_StartFrame;
        long m_LastSpeechFrame;

        public VoiceActivityTracker(double frameMs, VadSettings settings)
        {
            if (!(frameMs > 0 && frameMs < 10000)) throw new ArgumentOutOfRangeException(nameof(frameMs), frameMs, "The frame length must be in (0, 10000) ms.");
            settings.Validate();
            m_Settings = settings;
            m_FrameMs = frameMs;
            m_HangoverFrames = Math.Max(1, (long)Math.Ceiling(settings.HangoverMs / frameMs - 1e-9));
        }

        public bool IsSpeaking { get; private set; }

        /// <summary>Frames seen since construction or <see cref="Reset"/>.</summary>
        public long Frames => m_Frame;

        public double FrameMs => m_FrameMs;

        /// <summary>Start of the current (or last) segment, in ms.</summary>
        public double SpeechStartMs => m_StartFrame * m_FrameMs;

        /// <summary>The segment that the last <see cref="VadTransition.SpeechEnded"/> closed.</summary>
        public SpeechSegment LastSegment { get; private set; }

        public VadTransition Update(float probability)
        {
            var i = m_Frame++;
            if (!IsSpeaking)
            {
                if (!(probability >= m_Settings.OnsetThreshold)) return VadTransition.None;
                IsSpeaking = true;
                m_StartFrame = i;
                m_LastSpeechFrame = i;
                return VadTransition.SpeechStarted;
            }
            if (probability >= m_Settings.OffsetThreshold)
            {
                m_LastSpeechFrame = i;
                return VadTransition.None;
            }
            return i - m_LastSpeechFrame >= m_HangoverFrames ? End() : VadTransition.None;
        }

        /// <summary>Ends an open segment at the end of the stream (no hangover to wait for).</summary>
        public VadTransition Flush() => IsSpeaking ? End() : VadTransition.None;

        public void Reset()
        {
            m_Frame = 0;
            m_StartFrame = 0;
            m_LastSpeechFrame = 0;
            IsSpeaking = false;
            LastSegment = default;
        }

        VadTransition End()
        {
            IsSpeaking = false;
            LastSegment = new SpeechSegment(m_StartFrame * m_FrameMs, (m_LastSpeechFrame + 1) * m_FrameMs);
            return VadTransition.SpeechEnded;
        }
    }
}
