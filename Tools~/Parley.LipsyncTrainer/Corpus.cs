using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using NAudio.Wave;
using Parley.Lipsync;

namespace Parley.LipsyncTrainer
{
    /// <summary>One utterance of the generated data: mono samples and the viseme starting at each labelled ms.</summary>
    sealed class Utterance
    {
        public string Id, Set, Synth, Voice;
        public float[] Samples;
        public int Rate;
        public int[] StartMs;
        public int[] Viseme;

        /// <summary>The viseme sounding at <paramref name="ms"/> (silence after the last label's end).</summary>
        public int LabelAt(double ms)
        {
            var lo = 0;
            var hi = StartMs.Length - 1;
            if (ms < StartMs[0]) return (int)Parley.Lipsync.Viseme.Sil;
            while (lo < hi)
            {
                var mid = (lo + hi + 1) / 2;
                if (StartMs[mid] <= ms) lo = mid; else hi = mid - 1;
            }
            return Viseme[lo];
        }
    }

    static class Corpus
    {
        public static List<Utterance> Load(string dir, Func<string, bool> set)
        {
            var list = new List<Utterance>();
            foreach (var manifest in Directory.GetFiles(dir, "manifest*.csv"))
                foreach (var line in File.ReadAllLines(manifest))
                {
                    var c = line.Split(',');
                    if (c[0] == "id" || !set(c[1])) continue;
                    var u = new Utterance { Id = c[0], Set = c[1], Synth = c[2], Voice = c[3] };
                    (u.Samples, u.Rate) = ReadWav(Path.Combine(dir, "wav", u.Id + ".wav"));
                    (u.StartMs, u.Viseme) = ReadLabels(Path.Combine(dir, "labels", u.Id + ".csv"));
                    list.Add(u);
                }
            list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            return list;
        }

        public static (float[], int) ReadWav(string path)
        {
            using var reader = new WaveFileReader(path);
            var provider = reader.ToSampleProvider();
            var channels = provider.WaveFormat.Channels;
            var all = new List<float>();
            var buffer = new float[8192 * channels];
            int n;
            while ((n = provider.Read(buffer, 0, buffer.Length)) > 0)
                for (var i = 0; i + channels <= n; i += channels) all.Add(buffer[i]);
            return (all.ToArray(), provider.WaveFormat.SampleRate);
        }

        /// <summary>Reads <c>ms,viseme</c> (viseme by Oculus name) or <c>ms,phoneme</c> mapped through <paramref name="phonemes"/>.</summary>
        public static (int[], int[]) ReadLabels(string path, Dictionary<string, string> phonemes = null)
        {
            var ms = new List<int>();
            var vis = new List<int>();
            foreach (var line in File.ReadAllLines(path))
            {
                var i = line.IndexOf(',');
                if (i < 0 || line.StartsWith("ms,")) continue;
                var name = line.Substring(i + 1);
                if (phonemes != null)
                {
                    if (name.StartsWith("#")) continue;
                    if (!phonemes.TryGetValue(name, out name)) throw new FormatException("No viseme for phoneme '" + line.Substring(i + 1) + "' in " + path);
                }
                var v = Visemes.IndexOf(name);
                if (v < 0) throw new FormatException("Unknown viseme '" + name + "' in " + path);
                ms.Add(int.Parse(line.Substring(0, i), CultureInfo.InvariantCulture));
                vis.Add(v);
            }
            return (ms.ToArray(), vis.ToArray());
        }
    }
}
