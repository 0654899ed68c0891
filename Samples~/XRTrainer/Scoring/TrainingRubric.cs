using System;
using System.Collections.Generic;
using System.Globalization;

namespace Parley.Samples.XRTrainer.Scoring
{
    /// <summary>
    /// Scores a drill from the trainee's final transcripts. Each step earns, out of its weight:
    /// <see cref="CompletionShare"/> when it was said, <see cref="OrderShare"/> when it is in order, and
    /// <see cref="TimeShare"/> when it was said by its deadline. "In order" is the longest run of ordered steps whose
    /// times follow the rubric's order; a step outside it is out of order (so one step said too early costs one
    /// step's order points, not every step after it). Utterances after <see cref="TimeLimitSeconds"/> do not count.
    /// Engine-free: the same code scores a live drill and the tests.
    /// </summary>
    public sealed class TrainingRubric
    {
        readonly List<TrainingStep> _steps;

        public TrainingRubric(string name, IEnumerable<TrainingStep> steps)
        {
            Name = name ?? string.Empty;
            _steps = new List<TrainingStep>(steps ?? throw new ArgumentNullException(nameof(steps)));
            if (_steps.Count == 0) throw new ArgumentException("A rubric needs at least one step.", nameof(steps));
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in _steps)
            {
                if (s == null) throw new ArgumentException("A rubric step is null.", nameof(steps));
                if (!ids.Add(s.Id)) throw new ArgumentException("Two steps are called '" + s.Id + "'.", nameof(steps));
                if (!(s.Weight > 0)) throw new ArgumentException("Step '" + s.Id + "' needs a positive weight.", nameof(steps));
            }
        }

        public string Name { get; }
        public IReadOnlyList<TrainingStep> Steps => _steps;

        public double CompletionShare { get; set; } = 0.6;
        public double OrderShare { get; set; } = 0.25;
        public double TimeShare { get; set; } = 0.15;
        /// <summary>Seconds the drill lasts; 0 = no limit.</summary>
        public double TimeLimitSeconds { get; set; }
        /// <summary>Score (0..100) needed to pass.</summary>
        public double PassMark { get; set; } = 80;

        public Scorecard Score(IEnumerable<TranscriptLine> transcript)
        {
            if (transcript == null) throw new ArgumentNullException(nameof(transcript));
            var shares = CompletionShare + OrderShare + TimeShare;
            if (CompletionShare < 0 || OrderShare < 0 || TimeShare < 0 || Math.Abs(shares - 1) > 1e-9)
                throw new InvalidOperationException("The completion, order and time shares must be >= 0 and add up to 1.");

            // Stable sort by time: two lines at the same second keep the order they were heard in.
            var lines = new List<TranscriptLine>(transcript);
            var order = new int[lines.Count];
            for (var i = 0; i < order.Length; i++) order[i] = i;
            Array.Sort(order, (a, b) => lines[a].Seconds != lines[b].Seconds ? lines[a].Seconds.CompareTo(lines[b].Seconds) : a.CompareTo(b));
            var tokens = new List<PhraseMatcher.Token>[lines.Count];

            var results = new List<StepResult>(_steps.Count);
            var keys = new (int line, int position)[_steps.Count];
            for (var s = 0; s < _steps.Count; s++)
            {
                var r = new StepResult(_steps[s]);
                results.Add(r);
                keys[s] = (-1, -1);
                for (var k = 0; k < order.Length && !r.Done; k++)
                {
                    var li = order[k];
                    if (TimeLimitSeconds > 0 && lines[li].Seconds > TimeLimitSeconds) break;
                    var words = tokens[li] ?? (tokens[li] = PhraseMatcher.Tokenize(lines[li].Text));
                    var at = FirstCue(words, _steps[s]);
                    if (at < 0) continue;
                    r.Done = true;
                    r.Seconds = lines[li].Seconds;
                    r.Utterance = lines[li].Text;
                    keys[s] = (k, at);
                }
            }

            MarkOrder(results, keys);

            double earned = 0, total = 0;
            var c = CultureInfo.InvariantCulture;
            foreach (var r in results)
            {
                var step = r.Step;
                total += step.Weight;
                if (!r.Done) { r.Note = "not said"; continue; }
                r.OnTime = step.DeadlineSeconds <= 0 || r.Seconds <= step.DeadlineSeconds;
                if (!r.OnTime) Append(r, "late (due by " + step.DeadlineSeconds.ToString("0", c) + " s)");
                r.Points = step.Weight * (CompletionShare + (r.InOrder ? OrderShare : 0) + (r.OnTime ? TimeShare : 0));
                earned += r.Points;
            }
            var score = 100 * earned / total;
            return new Scorecard(results, score, score >= PassMark - 1e-9);
        }

        static int FirstCue(List<PhraseMatcher.Token> words, TrainingStep step)
        {
            var best = -1;
            foreach (var cue in step.Cues)
            {
                var at = PhraseMatcher.Find(words, cue);
                if (at >= 0 && (best < 0 || at < best)) best = at;
            }
            return best;
        }

        static int Compare((int line, int position) a, (int line, int position) b) =>
            a.line != b.line ? a.line.CompareTo(b.line) : a.position.CompareTo(b.position);

        /// <summary>
        /// Longest chain of done, ordered steps (in rubric order) whose keys do not decrease. On ties the chain that
        /// keeps the earlier rubric steps wins, so the step that jumped ahead is the one marked.
        /// </summary>
        void MarkOrder(List<StepResult> results, (int line, int position)[] keys)
        {
            var idx = new List<int>();
            for (var s = 0; s < results.Count; s++)
            {
                if (!results[s].Done) continue;
                if (!_steps[s].Ordered) { results[s].InOrder = true; continue; }
                idx.Add(s);
            }
            var n = idx.Count;
            if (n == 0) return;
            var len = new int[n];
            var prev = new int[n];
            for (var i = 0; i < n; i++)
            {
                len[i] = 1; prev[i] = -1;
                for (var j = 0; j < i; j++)
                    if (Compare(keys[idx[j]], keys[idx[i]]) <= 0 && len[j] + 1 > len[i]) { len[i] = len[j] + 1; prev[i] = j; }
            }
            var end = 0;
            for (var i = 1; i < n; i++) if (len[i] > len[end]) end = i;
            for (var i = end; i >= 0; i = prev[i]) results[idx[i]].InOrder = true;

            foreach (var i in idx)
            {
                var r = results[i];
                if (r.InOrder) continue;
                string note = null;
                foreach (var j in idx)
                {
                    if (j < i && Compare(keys[j], keys[i]) > 0) { note = "said before \"" + _steps[j].Title + "\""; break; }
                    if (j > i && Compare(keys[j], keys[i]) < 0) { note = "said after \"" + _steps[j].Title + "\""; break; }
                }
                Append(r, note ?? "out of order");
            }
        }

        static void Append(StepResult r, string note) => r.Note = r.Note.Length == 0 ? note : r.Note + "; " + note;
    }
}
