using System;
using System.Collections.Generic;
using System.Linq;
using Parley.Lipsync;

namespace Parley.LipsyncTrainer
{
    /// <summary>Frame scores of the shipped analyser against phone-timing ground truth, and an amplitude-only baseline.</summary>
    static class Evaluator
    {
        public sealed class Score
        {
            public long Frames, Correct, OpenCorrect, WeightOpenCorrect;
            public readonly long[,] Confusion = new long[15, 15];

            public void Add(int truth, int predicted)
            {
                Frames++;
                if (truth == predicted) Correct++;
                if (Visemes.IsClosed(truth) == Visemes.IsClosed(predicted)) OpenCorrect++;
                Confusion[truth, predicted]++;
            }

            public double Accuracy => (double)Correct / Frames;
            public double OpenClosed => (double)OpenCorrect / Frames;
            /// <summary>Open/closed from the weights: closed when w_sil + w_PP ≥ 0.5 (what a jaw driven by the weights shows).</summary>
            public double WeightOpenClosed => (double)WeightOpenCorrect / Frames;

            /// <summary>Mean F1 over the visemes present in the ground truth.</summary>
            public double MacroF1
            {
                get
                {
                    double sum = 0;
                    var n = 0;
                    for (var c = 0; c < 15; c++)
                    {
                        long tp = Confusion[c, c], truth = 0, pred = 0;
                        for (var k = 0; k < 15; k++) { truth += Confusion[c, k]; pred += Confusion[k, c]; }
                        if (truth == 0) continue;
                        n++;
                        sum += tp == 0 ? 0 : 2.0 * tp / (truth + pred);
                    }
                    return sum / n;
                }
            }
        }

        public sealed class Result
        {
            public string Set;
            public int Utterances;
            public double Seconds;
            public Score Analyser = new Score(), Baseline = new Score();
            /// <summary>Lag (ms) of the analyser's mouth opening against the truth that correlates best; positive = lips late.</summary>
            public int OffsetMs;
        }

        /// <summary>The RMS threshold (dBFS) that gives the amplitude baseline its best open/closed accuracy on <paramref name="train"/>.</summary>
        public static float BaselineThreshold(List<Utterance> train)
        {
            var best = 0.0;
            var bestDb = -40f;
            var all = new List<(float db, bool closed)>();
            foreach (var u in train)
                foreach (var (t, db) in Levels(u)) all.Add((db, Visemes.IsClosed(u.LabelAt(t))));
            for (var db = -80f; db <= -5f; db += 1f)
            {
                var ok = all.Count(p => (p.db < db) == p.closed);
                if (ok > best) { best = ok; bestDb = db; }
            }
            return bestDb;
        }

        /// <summary>RMS level (dBFS) of a 25 ms window centred on each 10 ms hop, with its time in ms.</summary>
        static IEnumerable<(double ms, float db)> Levels(Utterance u)
        {
            var hop = (int)Math.Round(u.Rate * LipsyncAnalyser.HopMs / 1000);
            var window = (int)Math.Round(u.Rate * LipsyncAnalyser.WindowMs / 1000);
            for (var start = 0; start + window <= u.Samples.Length; start += hop)
            {
                double e = 0;
                for (var i = 0; i < window; i++) e += u.Samples[start + i] * u.Samples[start + i];
                yield return ((start + window * 0.5) * 1000.0 / u.Rate, (float)(10 * Math.Log10(e / window + 1e-10)));
            }
        }

        public static Result Run(string set, List<Utterance> utterances, float thresholdDb, double attackMs = LipsyncAnalyser.DefaultAttackMs, double releaseMs = LipsyncAnalyser.DefaultReleaseMs)
        {
            var r = new Result { Set = set, Utterances = utterances.Count };
            const int maxLag = 10;
            var corr = new double[2 * maxLag + 1];
            foreach (var u in utterances)
            {
                r.Seconds += u.Samples.Length / (double)u.Rate;
                var track = VisemeTrack.Analyse(u.Samples, u.Rate, null, attackMs, releaseMs);
                var open = new double[track.Frames];
                var truthOpen = new double[track.Frames];
                for (var f = 0; f < track.Frames; f++)
                {
                    var truth = u.LabelAt(track.TimesMs[f]);
                    r.Analyser.Add(truth, track.Top(f));
                    open[f] = 1 - track.Weight(f, (int)Viseme.Sil) - track.Weight(f, (int)Viseme.PP);
                    if ((open[f] <= 0.5) == Visemes.IsClosed(truth)) r.Analyser.WeightOpenCorrect++;
                    truthOpen[f] = Visemes.IsClosed(truth) ? 0 : 1;
                }
                foreach (var (t, db) in Levels(u)) r.Baseline.Add(u.LabelAt(t), db < thresholdDb ? (int)Viseme.Sil : (int)Viseme.Aa);
                // Cross-correlation of mouth opening with the truth over ±100 ms (frames are 10 ms apart).
                var mo = open.Average();
                var mt = truthOpen.Average();
                for (var lag = -maxLag; lag <= maxLag; lag++)
                    for (var f = 0; f < track.Frames; f++)
                    {
                        var g = f - lag;
                        if (g < 0 || g >= track.Frames) continue;
                        corr[lag + maxLag] += (open[f] - mo) * (truthOpen[g] - mt);
                    }
            }
            var best = 0;
            for (var i = 1; i < corr.Length; i++) if (corr[i] > corr[best]) best = i;
            r.OffsetMs = (best - maxLag) * (int)LipsyncAnalyser.HopMs;
            return r;
        }
    }
}
