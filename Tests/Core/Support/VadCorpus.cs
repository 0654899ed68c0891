using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Parley.Tests.Support
{
    /// <summary>
    /// The labelled VAD test corpus: the eight speech fixtures at 16 kHz in one track (1.5 s lead, fixed gaps of 1.5-3 s,
    /// 1.5 s tail), labelled from their phoneme timings, mixed with seeded white, pink (Kellet) or babble noise
    /// (six shifted copies of the speech) at an SNR over the labelled speech. Built exactly as
    /// Tests/Fixtures~/vad/reference/corpus.js builds it, so the reference Silero run scores the same samples;
    /// corpus-check.csv there holds checksums of every condition.
    /// </summary>
    public static class VadCorpus
    {
        public const int Rate = 16000;
        static readonly string[] Clips = { "npc-greeting", "npc-price", "npc-quest", "user-question", "user-thanks", "user-interrupt", "trainer-step", "trainer-answer" };
        static readonly int[] GapsMs = { 2000, 2600, 1500, 3000, 2200, 1800, 2800 };
        const int LeadMs = 1500;
        const int TailMs = 1500;

        public static readonly (string Name, string Noise, int SnrDb)[] Conditions =
        {
            ("clean", "white", 60), ("white-20", "white", 20), ("white-10", "white", 10), ("white-5", "white", 5), ("white-0", "white", 0),
            ("pink-20", "pink", 20), ("pink-10", "pink", 10), ("pink-5", "pink", 5), ("pink-0", "pink", 0),
            ("babble-20", "babble", 20), ("babble-10", "babble", 10), ("babble-5", "babble", 5),
        };

        public sealed class Track
        {
            public Dictionary<string, float[]> Mixes;
            /// <summary>[start, end) ms of every sounding phoneme.</summary>
            public List<(double Start, double End)> Speech;
            /// <summary>Labelled onset of each utterance, ms.</summary>
            public List<double> Onsets;
            public int Samples;

            /// <summary>Frame k of <paramref name="frameSamples"/> is speech if at least half of it is labelled speech.</summary>
            public bool[] FrameLabels(int frameSamples)
            {
                var frames = Samples / frameSamples;
                var labels = new bool[frames];
                var frameMs = frameSamples * 1000.0 / Rate;
                // Overlap summed over intervals (phonemes abut), then thresholded.
                var covered = new double[frames];
                foreach (var (start, end) in Speech)
                    for (var k = Math.Max(0, (int)(start / frameMs)); k < frames && k * frameMs < end; k++)
                        covered[k] += Math.Max(0, Math.Min(end, (k + 1) * frameMs) - Math.Max(start, k * frameMs));
                for (var k = 0; k < frames; k++) labels[k] = covered[k] >= frameMs / 2;
                return labels;
            }
        }

        static Track s_Track;

        /// <summary>The corpus with every condition (built once per test run).</summary>
        public static Track Build() => s_Track ?? (s_Track = Create());

        static Track Create()
        {
            var clips = Clips.Select(id => Array.ConvertAll(TestWav.Speech(id, Rate).Samples, x => (double)x)).ToArray();
            var n = (LeadMs + TailMs) * Rate / 1000 + clips.Sum(c => c.Length) + GapsMs.Sum() * Rate / 1000;
            var speech = new double[n];
            var isSpeech = new bool[n];
            var track = new Track { Speech = new List<(double, double)>(), Onsets = new List<double>(), Samples = n, Mixes = new Dictionary<string, float[]>() };
            var at = LeadMs * Rate / 1000;
            for (var k = 0; k < clips.Length; k++)
            {
                var c = clips[k];
                Array.Copy(c, 0, speech, at, c.Length);
                var startMs = at * 1000.0 / Rate;
                var intervals = SpeechIntervals(Clips[k]);
                track.Onsets.Add(startMs + intervals[0].Start);
                foreach (var (s, e) in intervals)
                {
                    track.Speech.Add((startMs + s, startMs + e));
                    for (var i = at + s * Rate / 1000; i < Math.Min(at + e * Rate / 1000, at + c.Length); i++) isSpeech[i] = true;
                }
                at += c.Length + (k < GapsMs.Length ? GapsMs[k] * Rate / 1000 : 0);
            }
            double ps = 0;
            var count = 0;
            for (var i = 0; i < n; i++)
                if (isSpeech[i]) { ps += speech[i] * speech[i]; count++; }
            ps /= count;
            var noises = new Dictionary<string, double[]> { ["white"] = White(n, 1), ["pink"] = Pink(n, 2), ["babble"] = Babble(n, clips) };
            foreach (var (name, kind, snr) in Conditions)
            {
                var noise = noises[kind];
                double pn = 0;
                for (var i = 0; i < n; i++) pn += noise[i] * noise[i];
                pn /= n;
                var gain = Math.Sqrt(ps / (pn * Math.Pow(10, snr / 10.0)));
                var mix = new float[n];
                for (var i = 0; i < n; i++) mix[i] = (float)(speech[i] + gain * noise[i]);
                track.Mixes[name] = mix;
            }
            return track;
        }

        /// <summary>The labelled turns of conversation/user-turns-*.wav (start_ms, end_ms).</summary>
        public static List<(double Start, double End)> ConversationTurns() =>
            File.ReadAllLines(PackagePaths.Fixture("audio", "conversation", "user-turns.segments.csv")).Skip(1).Where(l => l.Length > 0)
                .Select(l => l.Split(',')).Select(c => (double.Parse(c[0], CultureInfo.InvariantCulture), double.Parse(c[1], CultureInfo.InvariantCulture))).ToList();

        /// <summary>[start, end) ms of every sounding phoneme of a clip (not a pause, not a #marker).</summary>
        public static List<(int Start, int End)> SpeechIntervals(string id)
        {
            var rows = File.ReadAllLines(PackagePaths.Fixture("audio", "speech", id + ".phonemes.csv")).Skip(1)
                .Where(l => l.Length > 0)
                .Select(l => { var c = l.IndexOf(','); return (Ms: int.Parse(l.Substring(0, c), CultureInfo.InvariantCulture), Phoneme: l.Substring(c + 1)); })
                .ToList();
            var result = new List<(int, int)>();
            for (var i = 0; i < rows.Count; i++)
            {
                var (ms, phoneme) = rows[i];
                if (phoneme.Length == 0 || phoneme.StartsWith("#", StringComparison.Ordinal)) continue;
                var end = ms;
                for (var j = i + 1; j < rows.Count; j++)
                    if (rows[j].Ms > ms) { end = rows[j].Ms; break; }
                if (end > ms) result.Add((ms, end));
            }
            return result;
        }

        /// <summary>Roughly Gaussian unit-variance noise (sum of four xorshift32 uniforms): exact in any IEEE double arithmetic.</summary>
        public static double[] White(int n, uint seed)
        {
            var x = seed;
            double U()
            {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                return x / 4294967296.0;
            }
            var output = new double[n];
            for (var i = 0; i < n; i++) output[i] = (U() + U() + U() + U() - 2) * 1.7320508075688772;
            return output;
        }

        /// <summary>Pink noise: Paul Kellet's refined filter over <see cref="White"/>.</summary>
        public static double[] Pink(int n, uint seed)
        {
            var w = White(n, seed);
            var output = new double[n];
            double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
            for (var i = 0; i < n; i++)
            {
                var x = w[i];
                b0 = 0.99886 * b0 + x * 0.0555179; b1 = 0.99332 * b1 + x * 0.0750759; b2 = 0.969 * b2 + x * 0.153852;
                b3 = 0.8665 * b3 + x * 0.3104856; b4 = 0.55 * b4 + x * 0.5329522; b5 = -0.7616 * b5 - x * 0.016898;
                output[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + x * 0.5362;
                b6 = x * 0.115926;
            }
            return output;
        }

        /// <summary>Six talkers: the clips end to end, summed at six offsets.</summary>
        static double[] Babble(int n, double[][] clips)
        {
            var all = clips.SelectMany(c => c).ToArray();
            var len = all.Length;
            var output = new double[n];
            for (var k = 0; k < 6; k++)
            {
                var offset = (int)Math.Floor(k * (double)len / 6) + 7919 * k;
                for (var i = 0; i < n; i++) output[i] += all[(i + offset) % len];
            }
            return output;
        }
    }
}
