using System;

namespace Parley.Audio.Vad
{
    /// <summary>One stretch of detected speech, in milliseconds from the start of the stream.</summary>
    public readonly struct SpeechSegment : IEquatable<SpeechSegment>
    {
        public readonly double StartMs;
        public readonly double EndMs;

        public SpeechSegment(double startMs, double endMs)
        {
            StartMs = startMs;
            EndMs = endMs;
        }

        public double DurationMs => EndMs - StartMs;

        public bool Equals(SpeechSegment other) => StartMs == other.StartMs && EndMs == other.EndMs;
        public override bool Equals(object obj) => obj is SpeechSegment s && Equals(s);
        public override int GetHashCode() => StartMs.GetHashCode() * 31 + EndMs.GetHashCode();
        public override string ToString() => StartMs + "-" + EndMs + " ms";
    }
}
