using System;

namespace Parley.Samples.XRTrainer.Scoring
{
    /// <summary>
    /// One thing the trainee must say they do. <see cref="Cues"/> are the ways of saying it: a cue is met when every
    /// one of its word groups occurs in one utterance, not negated (see <see cref="PhraseMatcher"/>).
    /// </summary>
    public sealed class TrainingStep
    {
        /// <param name="id">Short stable name (used in the scorecard).</param>
        /// <param name="title">What the trainee sees in the checklist.</param>
        /// <param name="cues">Each cue: word groups separated by spaces, alternatives by '|', words of a phrase by '+', a trailing '*' for any ending (e.g. "pull|remove pin|pen").</param>
        public TrainingStep(string id, string title, params string[] cues)
        {
            if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException("A step needs an id.", nameof(id));
            if (cues == null || cues.Length == 0) throw new ArgumentException("Step '" + id + "' needs at least one cue.", nameof(cues));
            Id = id;
            Title = string.IsNullOrWhiteSpace(title) ? id : title;
            Cues = new PhraseMatcher.Cue[cues.Length];
            for (var i = 0; i < cues.Length; i++) Cues[i] = PhraseMatcher.Parse(cues[i]);
        }

        public string Id { get; }
        public string Title { get; }
        internal PhraseMatcher.Cue[] Cues { get; }

        /// <summary>Counts for the order score (false: may come anywhere, e.g. "check your exit").</summary>
        public bool Ordered { get; set; } = true;

        /// <summary>Seconds after the drill started by which the step is due; 0 = no deadline.</summary>
        public double DeadlineSeconds { get; set; }

        /// <summary>Relative weight of the step in the score.</summary>
        public double Weight { get; set; } = 1;
    }
}
