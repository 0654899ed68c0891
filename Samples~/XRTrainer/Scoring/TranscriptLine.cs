using System;

namespace Parley.Samples.XRTrainer.Scoring
{
    /// <summary>One final transcript of the trainee: what the recogniser heard, and when (seconds since the drill started).</summary>
    public readonly struct TranscriptLine
    {
        public TranscriptLine(double seconds, string text)
        {
            if (double.IsNaN(seconds) || seconds < 0) throw new ArgumentOutOfRangeException(nameof(seconds), "A transcript time is seconds since the drill started (>= 0).");
            Seconds = seconds;
            Text = text ?? string.Empty;
        }

        public double Seconds { get; }
        public string Text { get; }

        public override string ToString() => Seconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s: " + Text;
    }
}
