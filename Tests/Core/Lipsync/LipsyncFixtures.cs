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

        /// <summary>15-class and open/closed frame accuracy of the shipped model on <paramref name="set"/>.</summary>
        public static (double visemes, double openClosed, long frames) Score(IEnumerable<Labelled> set)
        {
            long frames = 0, correct = 0, open = 0;
            foreach (var l in set)
            {
                var track = VisemeTrack.Analyse(l.Clip.Samples, l.Clip.SampleRate);
                for (var f = 0; f < track.Frames; f++)
                {
                    var truth = l.LabelAt(track.TimesMs[f]);
                    var top = track.Top(f);
                    frames++;
                    if (top == truth) correct++;
                    if (Visemes.IsClosed(top) == Visemes.IsClosed(truth)) open++;
                }
            }
            Console.WriteLine("lipsync fixture: " + frames + " frames, 15-class " + ((double)correct / frames).ToString("0.000") + ", open/closed " + ((double)open / frames).ToString("0.000"));
            return ((double)correct / frames, (double)open / frames, frames);
        }
    }
}
