using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Parley.Lipsync;

namespace Parley.LipsyncTrainer
{
    /// <summary>Features through the package's own analyser, then the network, then the generated weights file.</summary>
    static class Trainer
    {
        public static readonly int[] Context = { -8, -5, -3, -1, 0, 1, 3 };
        public static readonly double ClassPower = double.Parse(Environment.GetEnvironmentVariable("LIPSYNC_CLASS_POWER") ?? "0.5", System.Globalization.CultureInfo.InvariantCulture);
        public static readonly bool Breaths = (Environment.GetEnvironmentVariable("LIPSYNC_BREATHS") ?? "1") == "1";
        public static readonly int Copies = int.Parse(Environment.GetEnvironmentVariable("LIPSYNC_COPIES") ?? "2");
        public static readonly float Smoothing = float.Parse(Environment.GetEnvironmentVariable("LIPSYNC_SMOOTHING") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        /// <summary>With LIPSYNC_VALIDATION=1 every 10th training utterance is left out (the "validation" set of eval) to choose between variants.</summary>
        public static readonly bool Validation = Environment.GetEnvironmentVariable("LIPSYNC_VALIDATION") == "1";
        internal static bool IsValidation(int index) => index % 10 == 9;
        public static readonly int Hidden = int.Parse(Environment.GetEnvironmentVariable("LIPSYNC_HIDDEN") ?? "96");
        /// <summary>Labels are taken this far after the frame centre (the attack smoothing lags about as much).</summary>
        public static readonly double LeadMs = double.Parse(Environment.GetEnvironmentVariable("LIPSYNC_LEAD_MS") ?? "10");

        public static void Run(string dir, string output, int epochs)
        {
            var train = Corpus.Load(dir, s => s == "train");
            if (Validation) train = train.Where((u, i) => !IsValidation(i)).ToList();
            Console.Error.WriteLine($"train: {train.Count} utterances, {train.Sum(u => u.Samples.Length / (double)u.Rate):0} s");
            var rnd = new Random(14);
            // Augmentation, fixed by the seed: level from -20 to +2 dB and a white-noise floor 30 to 60 dB below the speech.
            // Vocal-tract-length/tempo perturbation: every utterance twice, resampled by a factor from 0.85 to 1 and
            // from 1 to 1.25 (formants and durations scale together: male to female range), so unseen speakers are
            // not out of range of the few synthetic ones. Each copy's audio is rebuilt from its own seed when needed.
            var copies = Copies;
            var items = train.Count * copies;
            var warp = new double[items];
            for (var n = 0; n < items; n++) warp[n] = copies == 1 ? 0.85 + 0.3 * rnd.NextDouble() : n % 2 == 0 ? 0.85 + 0.15 * rnd.NextDouble() : 1 + 0.25 * rnd.NextDouble();
            float[] AudioOf(int n)
            {
                var r = new Random(14_000 + n);
                var u = train[n / copies];
                return Augment(Warp(Breathe(u, r), warp[n]), r);
            }

            // Pass 1: raw cepstra (no normaliser) give the normaliser's starting mean over speech frames.
            const int F = LipsyncModel.Features;
            var raw = new LipsyncModel(new[] { 0 }, 1, new float[LipsyncModel.Ceps], new float[F], Ones(F), new float[F], new float[1], new float[15], new float[15]);
            var mean = new double[LipsyncModel.Ceps];
            long speech = 0;
            for (var n = 0; n < items; n += 4)
            {
                var list = new List<float>();
                using (var a = new LipsyncAnalyser(train[n / copies].Rate, raw, 0, 0, 0)) a.AppendInputs(AudioOf(n), list);
                for (var f = 0; f + F <= list.Count; f += F)
                {
                    if (list[f + LipsyncModel.Ceps] * 20 <= LipsyncAnalyser.GateDb) continue;
                    for (var c = 0; c < LipsyncModel.Ceps; c++) mean[c] += list[f + c];
                    speech++;
                }
            }
            var meanInit = mean.Select(v => (float)(v / speech)).ToArray();

            // Pass 2: the context inputs exactly as the analyser builds them at run time.
            var inputs = Context.Length * F;
            var shape = new LipsyncModel(Context, 1, meanInit, new float[inputs], Ones(inputs), new float[inputs], new float[1], new float[15], new float[15]);
            var xs = new List<float>();
            var ys = new List<int>();
            var synth = new List<int>();
            // Sources weighted equally: espeak-ng, Festival diphones, flite clustergen, recorded speech (what is present).
            var sources = train.Select(u => u.Synth).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
            Console.Error.WriteLine("sources: " + string.Join(", ", sources.Select(n => n + " " + train.Count(u => u.Synth == n))));
            for (var n = 0; n < items; n++)
            {
                var u = train[n / copies];
                using var a = new LipsyncAnalyser(u.Rate, shape, 0, 0, LipsyncAnalyser.NormalisationSeconds);
                var before = xs.Count;
                a.AppendInputs(AudioOf(n), xs);
                var frames = (xs.Count - before) / inputs;
                for (var f = 0; f < frames; f++)
                {
                    // Warped time back to the labels' time; the label a little ahead so the smoothed output is on time.
                    ys.Add(u.LabelAt((a.FrameCentre(f) * 1000.0 / u.Rate + LeadMs) * warp[n]));
                    synth.Add(sources.IndexOf(u.Synth));
                }
            }
            var x = xs.ToArray();
            var y = ys.ToArray();
            var count = y.Length;
            Console.Error.WriteLine($"{count} frames, {inputs} inputs");
            var shift = new float[inputs];
            var scale = new float[inputs];
            for (var i = 0; i < inputs; i++)
            {
                double s = 0, s2 = 0;
                for (var k = 0; k < count; k++) { double v = x[k * inputs + i]; s += v; s2 += v * v; }
                var m = s / count;
                shift[i] = (float)m;
                scale[i] = (float)(1 / Math.Sqrt(Math.Max(s2 / count - m * m, 1e-6)));
            }
            for (var k = 0; k < count; k++)
                for (var i = 0; i < inputs; i++) x[k * inputs + i] = (x[k * inputs + i] - shift[i]) * scale[i];

            // Weights: rarer visemes count more (frequency^-ClassPower), and each source counts equally.
            var classCount = new double[15];
            var synthCount = new double[sources.Count];
            for (var k = 0; k < count; k++) { classCount[y[k]]++; synthCount[synth[k]]++; }
            var weight = new float[count];
            double total = 0;
            for (var k = 0; k < count; k++)
            {
                weight[k] = (float)(Math.Pow(Math.Max(classCount[y[k]], 1), -ClassPower) / synthCount[synth[k]]);
                total += weight[k];
            }
            for (var k = 0; k < count; k++) weight[k] = (float)(weight[k] * count / total);

            var net = new Network(inputs, Hidden, 15, 14) { Smoothing = Smoothing };
            var order = Enumerable.Range(0, count).ToArray();
            for (var e = 0; e < epochs; e++)
            {
                for (var i = order.Length - 1; i > 0; i--) { var j = rnd.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
                var rate = 0.002f * (float)Math.Pow(0.8, e);
                var loss = net.Epoch(x, y, weight, order, 256, rate, 1e-4f);
                Console.Error.WriteLine($"epoch {e + 1}/{epochs}: loss {loss:0.0000}");
            }
            Write(output, meanInit, shift, scale, net, train.Count, count, epochs, sources);
            Console.Error.WriteLine("wrote " + output);
        }

        /// <summary>
        /// Synthetic pauses are clean; recorded ones hold breaths and room noise. Half of the pauses longer than
        /// 150 ms get a soft low-passed noise burst 18–35 dB below the utterance (still labelled silence).
        /// </summary>
        internal static float[] Breathe(Utterance u, Random r)
        {
            if (!Breaths) return u.Samples;
            var x = (float[])u.Samples.Clone();
            double power = 0;
            foreach (var v in x) power += v * v;
            var rms = Math.Sqrt(power / Math.Max(1, x.Length));
            for (var i = 0; i < u.StartMs.Length; i++)
            {
                if (u.Viseme[i] != (int)Parley.Lipsync.Viseme.Sil) continue;
                var endMs = i + 1 < u.StartMs.Length ? u.StartMs[i + 1] : x.Length * 1000.0 / u.Rate;
                var pause = endMs - u.StartMs[i];
                if (pause < 150 || r.NextDouble() < 0.5) continue;
                var length = (int)(Math.Min(pause - 60, 100 + 200 * r.NextDouble()) * u.Rate / 1000);
                var start = (int)((u.StartMs[i] + 30 + r.NextDouble() * (pause - 60 - length * 1000.0 / u.Rate)) * u.Rate / 1000);
                var amp = rms * Math.Pow(10, -(18 + 17 * r.NextDouble()) / 20) * Math.Sqrt(3);
                var pole = 0.3 + 0.65 * r.NextDouble();
                double lp = 0;
                for (var k = 0; k < length && start + k < x.Length; k++)
                {
                    lp = pole * lp + (1 - pole) * (r.NextDouble() * 2 - 1);
                    var env = 0.5 - 0.5 * Math.Cos(2 * Math.PI * k / length);
                    x[start + k] += (float)(amp * env * lp / Math.Sqrt((1 - pole) / (1 + pole)));
                }
            }
            return x;
        }

        static float[] Warp(float[] x, double factor)
        {
            var o = new float[(int)(x.Length / factor)];
            for (var i = 0; i < o.Length; i++)
            {
                var p = i * factor;
                var j = (int)p;
                var f = (float)(p - j);
                o[i] = j + 1 < x.Length ? x[j] + f * (x[j + 1] - x[j]) : x[x.Length - 1];
            }
            return o;
        }

        internal static float[] Augment(float[] samples, Random rnd)
        {
            var gain = (float)Math.Pow(10, (rnd.NextDouble() * 22 - 20) / 20);
            double power = 0;
            foreach (var s in samples) power += s * s;
            var rms = Math.Sqrt(power / Math.Max(1, samples.Length)) * gain;
            var noise = (float)(rms * Math.Pow(10, -(30 + rnd.NextDouble() * 30) / 20) * Math.Sqrt(3));
            var o = new float[samples.Length];
            for (var i = 0; i < o.Length; i++) o[i] = samples[i] * gain + noise * (float)(rnd.NextDouble() * 2 - 1);
            return o;
        }

        static float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();

        static void Write(string path, float[] meanInit, float[] shift, float[] scale, Network net, int utterances, int frames, int epochs, List<string> sources)
        {
            var held = Validation ? ", validation tenth left out" : "";
            var header = $@"// <auto-generated>
// Written by Tools~/Parley.LipsyncTrainer (train) from Tools~/lipsync-data/generate output: {utterances} training
// utterances ({string.Join(", ", sources)}) x {Copies} warped copies, {frames} frames, {net.Hidden} hidden units,
// {epochs} epochs, label lead {LeadMs} ms, label smoothing {Smoothing}{held}, seed 14. Do not edit by hand.
// Floats are little-endian float32 in base64.
// </auto-generated>
";
            File.WriteAllText(path, WeightsFile(header, Context, net.Hidden, meanInit, shift, scale, net.W1, net.B1, net.W2, net.B2));
        }

        /// <summary>The generated weights file: <paramref name="header"/> then the model's constructor call.</summary>
        internal static string WeightsFile(string header, int[] context, int hidden, float[] meanInit, float[] shift, float[] scale, float[] w1, float[] b1, float[] w2, float[] b2)
        {
            string B(float[] a)
            {
                var bytes = new byte[a.Length * 4];
                Buffer.BlockCopy(a, 0, bytes, 0, bytes.Length);
                var s = Convert.ToBase64String(bytes);
                var sb = new StringBuilder();
                for (var i = 0; i < s.Length; i += 120) sb.Append("\n                \"").Append(s, i, Math.Min(120, s.Length - i)).Append("\" +");
                sb.Length -= 2;
                return sb.ToString();
            }
            var ctx = string.Join(", ", context);
            var text = header + $@"namespace Parley.Lipsync
{{
    static class LipsyncModelWeights
    {{
        internal static LipsyncModel Create() => new LipsyncModel(
            new[] {{ {ctx} }}, {hidden},
            LipsyncModel.Decode({B(meanInit)}),
            LipsyncModel.Decode({B(shift)}),
            LipsyncModel.Decode({B(scale)}),
            LipsyncModel.Decode({B(w1)}),
            LipsyncModel.Decode({B(b1)}),
            LipsyncModel.Decode({B(w2)}),
            LipsyncModel.Decode({B(b2)}));
    }}
}}
";
            return text.Replace("\r\n", "\n");
        }
    }
}
