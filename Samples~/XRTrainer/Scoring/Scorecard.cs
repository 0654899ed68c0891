using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Parley.Samples.XRTrainer.Scoring
{
    /// <summary>How one step went.</summary>
    public sealed class StepResult
    {
        internal StepResult(TrainingStep step) { Step = step; }

        public TrainingStep Step { get; }
        public bool Done { get; internal set; }
        /// <summary>When the trainee said it (seconds since the start); NaN when not done.</summary>
        public double Seconds { get; internal set; } = double.NaN;
        /// <summary>The utterance that met the step.</summary>
        public string Utterance { get; internal set; }
        public bool InOrder { get; internal set; }
        public bool OnTime { get; internal set; }
        /// <summary>Points earned, out of the step's weight.</summary>
        public double Points { get; internal set; }
        /// <summary>What to tell the trainee about this step; empty when it went right.</summary>
        public string Note { get; internal set; } = string.Empty;
    }

    /// <summary>The result of a drill: per-step results and a score out of 100.</summary>
    public sealed class Scorecard
    {
        internal Scorecard(List<StepResult> steps, double score, bool passed)
        {
            Steps = steps;
            Score = score;
            Passed = passed;
        }

        public IReadOnlyList<StepResult> Steps { get; }
        /// <summary>0..100.</summary>
        public double Score { get; }
        public bool Passed { get; }

        public int Completed
        {
            get { var n = 0; foreach (var s in Steps) if (s.Done) n++; return n; }
        }

        /// <summary>A short report: the score, then one line per step with what went wrong.</summary>
        public string Summary()
        {
            var c = CultureInfo.InvariantCulture;
            var sb = new StringBuilder();
            sb.Append("Score ").Append(Score.ToString("0", c)).Append("/100 (").Append(Passed ? "pass" : "not yet").Append("), ")
              .Append(Completed).Append(" of ").Append(Steps.Count).Append(" steps\n");
            foreach (var s in Steps)
            {
                sb.Append(s.Done ? (s.Note.Length == 0 ? "[x] " : "[~] ") : "[ ] ").Append(s.Step.Title);
                if (s.Done) sb.Append(" at ").Append(s.Seconds.ToString("0", c)).Append(" s");
                if (s.Note.Length > 0) sb.Append(" - ").Append(s.Note);
                sb.Append('\n');
            }
            return sb.ToString();
        }
    }
}
