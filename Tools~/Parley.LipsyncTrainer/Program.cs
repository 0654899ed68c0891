using System;
using System.Globalization;
using System.Linq;
using Parley.Lipsync;

namespace Parley.LipsyncTrainer
{
    /// <summary>
    /// train DATA [OUT.cs] [EPOCHS]: trains the network and writes the weights file (default: the package's
    /// Runtime/Core/Lipsync/LipsyncModelWeights.cs). eval DATA: scores the shipped model per evaluation set
    /// against the amplitude-only baseline and prints the Markdown table of BENCHMARKS.md. ensemble OUT.cs A.cs B.cs...:
    /// folds trained models into one network scoring their mean (<see cref="Ensemble"/>).
    /// </summary>
    static class Program
    {
        /// <summary>
        /// Training utterances (1/8, not the 1/8 of the "train" row) as training augments them: breath-like noise bursts
        /// in half the long pauses, a level of -20..+2 dB and a noise floor (seed 14). The set the pause gate is
        /// calibrated on: training data that has pauses like recordings, no evaluation speaker.
        /// </summary>
        static System.Collections.Generic.List<Utterance> Noisy(System.Collections.Generic.List<Utterance> utts)
        {
            var rnd = new Random(14);
            foreach (var u in utts) u.Samples = Trainer.Augment(Trainer.Breathe(u, rnd), rnd);
            return utts;
        }

        static int Main(string[] args)
        {
            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            if (args.Length >= 2 && args[0] == "train")
            {
                var output = args.Length > 2 ? args[2] : System.IO.Path.Combine(AppContext.BaseDirectory, "../../../../../../Runtime/Core/Lipsync/LipsyncModelWeights.cs");
                Trainer.Run(args[1], System.IO.Path.GetFullPath(output), args.Length > 3 ? int.Parse(args[3]) : 8);
                return 0;
            }
            if (args.Length >= 4 && args[0] == "ensemble")
            {
                Ensemble.Run(System.IO.Path.GetFullPath(args[1]), args.Skip(2).ToList());
                return 0;
            }
            if (args.Length >= 2 && args[0] == "eval")
            {
                var train = Corpus.Load(args[1], s => s == "train");
                var threshold = Evaluator.BaselineThreshold(train.Where((u, i) => i % 4 == 0).ToList());
                Console.WriteLine($"Amplitude baseline threshold (best open/closed on the training set): {threshold} dBFS RMS\n");
                Console.WriteLine("| set | utterances | s | open/closed | baseline | 15-class | baseline | macro-F1 | baseline | lip offset |");
                Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
                foreach (var set in (Environment.GetEnvironmentVariable("LIPSYNC_SETS") ?? "heldout-voice,heldout-synth,natural,natural-other,train").Split(','))
                {
                    var utts = Corpus.Load(args[1], s => s == (set == "train-noisy" || set == "validation" ? "train" : set));
                    if (set == "validation") utts = utts.Where((u, i) => Trainer.IsValidation(i)).ToList();
                    if (set == "train") utts = utts.Where((u, i) => i % 8 == 1).ToList();
                    if (set == "train-noisy") utts = Noisy(utts.Where((u, i) => i % 8 == 3).ToList());
                    var attack = double.Parse(Environment.GetEnvironmentVariable("LIPSYNC_ATTACK_MS") ?? LipsyncAnalyser.DefaultAttackMs.ToString());
                    var release = double.Parse(Environment.GetEnvironmentVariable("LIPSYNC_RELEASE_MS") ?? LipsyncAnalyser.DefaultReleaseMs.ToString());
                    var r = Evaluator.Run(set, utts, threshold, attack, release);
                    Console.WriteLine($"| {set}{(set == "train" ? " (1/8, seen)" : "")} | {r.Utterances} | {r.Seconds:0} | {r.Analyser.OpenClosed:0.000} ({r.Analyser.WeightOpenClosed:0.000}) | {r.Baseline.OpenClosed:0.000} | {r.Analyser.Accuracy:0.000} | {r.Baseline.Accuracy:0.000} | {r.Analyser.MacroF1:0.000} | {r.Baseline.MacroF1:0.000} | {r.OffsetMs:+0;-0;0} ms |");
                    if (args.Length > 2 && args[2] == "--confusion")
                    {
                        Console.WriteLine("truth\\pred " + string.Join(" ", Visemes.Names.Select(n => n.PadLeft(5))));
                        for (var t = 0; t < 15; t++)
                            Console.WriteLine(Visemes.Names[t].PadLeft(10) + " " + string.Join(" ", Enumerable.Range(0, 15).Select(p => r.Analyser.Confusion[t, p].ToString().PadLeft(5))));
                    }
                }
                return 0;
            }
            Console.Error.WriteLine("usage: train DATA [OUT.cs] [EPOCHS] | ensemble OUT.cs A.cs B.cs... | eval DATA [--confusion]");
            return 2;
        }
    }
}
