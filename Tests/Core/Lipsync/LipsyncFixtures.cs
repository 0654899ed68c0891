using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Parley.Lipsync;
using Parley.Tests.Support;

namespace Parley.Tests.Lipsync
{
    /// <summary>
    /// Speech with independent phone timings: the shared espeak-ng clips (their phonemes.csv through the shared
    /// phoneme-visemes.csv) and natural speech forced-aligned by pocketsphinx (Tests/Fixtures~/lipsync/natural,
    /// written by Tools~/lipsync-data/generate).
    /// </summary>
    public static class LipsyncFixtures
    {
        public static readonly string[] SyntheticIds =
        {
            "npc-greeting", "npc-price", "npc-quest", "user-question", "user-thanks", "user-interrupt", "trainer-step", "trainer-answer",
        };

        public sealed class Labelled
        {
            public string Id;
            public TestWav.Clip Clip;
            public int[] StartMs;
            public int[] Viseme;

            public int LabelAt(double ms)
            {
                var v = (int)Parley.Lipsync.Viseme.Sil;
                for (var i = 0; i < StartMs.Length && StartMs[i] <= ms; i++) v = Viseme[i];
                return v;
            }
        }

        public static Labelled Synthetic(string id, int rate)
        {
            var table = new Dictionary<string, string>();
            foreach (var line in File.ReadAllLines(PackagePaths.Fixture("audio", "phoneme-visemes.csv")))
            {
                var i = line.IndexOf(',');
                if (line.StartsWith("phoneme,")) continue;
                table[line.Substring(0, i)] = line.Substring(i + 1);
            }
            var ms = new List<int>();
            var vis = new List<int>();
            foreach (var line in File.ReadAllLines(PackagePaths.Fixture("audio", "speech", id + ".phonemes.csv")))
            {
                var i = line.IndexOf(',');
                var phoneme = line.Substring(i + 1);
                if (line.StartsWith("ms,") || phoneme.StartsWith("#")) continue;
                ms.Add(int.Parse(line.Substring(0, i), CultureInfo.InvariantCulture));
                vis.Add(Visemes.IndexOf(table[phoneme]));
            }
            return new Labelled { Id = id, Clip = TestWav.Speech(id, rate), StartMs = ms.ToArray(), Viseme = vis.ToArray() };
        }

        public static IEnumerable<Labelled> Natural()
        {
            var dir = PackagePaths.Fixture("lipsync", "natural");
            var files = Directory.GetFiles(dir, "*.wav");
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var wav in files)
            {
                var ms = new List<int>();
                var vis = new List<int>();
                foreach (var line in File.ReadAllLines(Path.ChangeExtension(wav, ".csv")))
                {
                    if (line.StartsWith("ms,")) continue;
                    var i = line.IndexOf(',');
                    ms.Add(int.Parse(line.Substring(0, i), CultureInfo.InvariantCulture));
                    vis.Add(Visemes.IndexOf(line.Substring(i + 1)));
                }
                yield return new Labelled { Id = Path.GetFileNameWithoutExtension(wav), Clip = TestWav.Read(wav), StartMs = ms.ToArray(), Viseme = vis.ToArray() };
            }
        }

        /// <summary>Frame scores of the shipped model on a set, and of the amplitude-only baseline on the same frames.</summary>
        public readonly struct Scores
        {
            public readonly double Visemes, OpenClosed, BaselineVisemes, BaselineOpenClosed;
            public readonly long Frames;

            public Scores(double visemes, double openClosed, double baselineVisemes, double baselineOpenClosed, long frames)
            {
                Visemes = visemes;
                OpenClosed = openClosed;
                BaselineVisemes = baselineVisemes;
                BaselineOpenClosed = baselineOpenClosed;
                Frames = frames;
            }

            public override string ToString() =>
                "15-class " + Visemes.ToString("0.000") + " (baseline " + BaselineVisemes.ToString("0.000") + "), open/closed " +
                OpenClosed.ToString("0.000") + " (baseline " + BaselineOpenClosed.ToString("0.000") + ") over " + Frames + " frames";
        }

        /// <summary>
        /// 15-class and open/closed frame accuracy of the shipped model on <paramref name="set"/>, and of the amplitude-only
        /// baseline on the same frames: the RMS of the 25 ms window the frame describes (centred on it, the audio past
        /// the clip's end silent) below <paramref name="baselineThresholdDb"/> dBFS is <c>sil</c>, else <c>aa</c>.
        /// </summary>
        public static Scores Score(IEnumerable<Labelled> set, float baselineThresholdDb)
        {
            long frames = 0, correct = 0, open = 0, baseCorrect = 0, baseOpen = 0;
            foreach (var l in set)
            {
                var rate = l.Clip.SampleRate;
                var track = VisemeTrack.Analyse(l.Clip.Samples, rate);
                var window = (int)Math.Round(rate * 0.025);
                for (var f = 0; f < track.Frames; f++)
                {
                    var truth = l.LabelAt(track.TimesMs[f]);
                    var top = track.Top(f);
                    frames++;
                    if (top == truth) correct++;
                    if (Visemes.IsClosed(top) == Visemes.IsClosed(truth)) open++;

                    var first = (int)Math.Round(track.TimesMs[f] * rate / 1000) - window / 2;
                    double energy = 0;
                    for (var i = Math.Max(0, first); i < Math.Min(first + window, l.Clip.Samples.Length); i++)
                        energy += (double)l.Clip.Samples[i] * l.Clip.Samples[i];
                    var db = 10 * Math.Log10(energy / window + 1e-10);
                    var baseline = db < baselineThresholdDb ? (int)Viseme.Sil : (int)Viseme.Aa;
                    if (baseline == truth) baseCorrect++;
                    if (Visemes.IsClosed(baseline) == Visemes.IsClosed(truth)) baseOpen++;
                }
            }
            return new Scores((double)correct / frames, (double)open / frames, (double)baseCorrect / frames, (double)baseOpen / frames, frames);
        }
    }
}
