using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Parley.Tests.Support;

namespace Parley.Benchmarks.Aec
{
    /// <summary>
    /// Runs Parley's echo canceller, speexdsp and WebRTC's legacy AEC on identical scenes in one process and prints
    /// the figures for BENCHMARKS.md. Run: dotnet run -c Release --project "Tools~/Parley.Benchmarks" -- aec-compare
    /// [--quick] [--parley-only].
    /// </summary>
    public static class AecComparison
    {
        public sealed class Room
        {
            public double Rt60, DelayMs, EchoDb;
            public override string ToString() => $"RT60 {Rt60:0.0} s, {DelayMs:0} ms, echo {EchoDb:0} dB";
        }

        public static readonly Room[] Rooms =
        {
            new Room { Rt60 = 0.2, DelayMs = 20, EchoDb = 0 },
            new Room { Rt60 = 0.4, DelayMs = 100, EchoDb = -6 },
            new Room { Rt60 = 0.6, DelayMs = 200, EchoDb = -12 },
            new Room { Rt60 = 0.8, DelayMs = 300, EchoDb = -20 },
        };

        const double Seconds = 12;
        const double NoiseDbfs = -60;
        static readonly double[] NearAt = { 4.0, 7.0, 10.0 };

        public static int Run(string[] args)
        {
            var trace = Array.IndexOf(args, "--trace");
            if (trace >= 0 && args.Contains("--jump")) return ParleyAec.Trace(Scene.MakeJump(16000), 16000, false);
            if (trace >= 0) return ParleyAec.Trace(Scene.Make(16000, Rooms[int.Parse(args[trace + 1])], int.Parse(args[trace + 1]) + 1), 16000, args.Contains("--double"));
            var quick = args.Contains("--quick");
            var parleyOnly = args.Contains("--parley-only");
            var rateAt = Array.IndexOf(args, "--rate");
            var rate = rateAt >= 0 ? int.Parse(args[rateAt + 1]) : 16000;
            var contenders = new List<IEchoContender> { new ParleyAec(200) };
            if (!parleyOnly)
            {
                contenders.Add(new SpeexAec(200));
                contenders.Add(new WebRtcAec());
            }
            var rooms = quick ? new[] { Rooms[1] } : Rooms;
            Console.WriteLine($"Echo cancellers on identical scenes, {rate} Hz, {Seconds} s of agent speech, noise {NoiseDbfs} dBFS\n");
            Console.WriteLine("| canceller | scene | ERLE single talk (dB, from 3 s) | convergence (s, ERLE ≥ 10 dB) | near-end SNR double talk (dB) | ERLE during double talk (dB) | CPU (ms per s of audio) |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            // Warm-up: JIT, the shim's build and library loading stay out of the CPU figures.
            var warm = Scene.Make(rate, Rooms[0], 99);
            foreach (var c in contenders)
                if (Supports(c, rate)) c.Run(warm.MicSingle.AsSpan(0, rate * 2).ToArray(), warm.Far, rate, warm.Delay);
            var totals = contenders.ToDictionary(c => c.Name, c => new double[4]);
            var seed = 1;
            foreach (var room in rooms)
            {
                var scene = Scene.Make(rate, room, seed++);
                foreach (var c in contenders)
                {
                    if (!Supports(c, rate)) { Console.WriteLine($"| {c.Name} | {room} | n/a at {rate} Hz | | | | |"); continue; }
                    // Processor time of this process, not wall time: the machine is shared.
                    var before = Process.GetCurrentProcess().TotalProcessorTime;
                    var single = c.Run(scene.MicSingle, scene.Far, rate, scene.Delay);
                    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds / Seconds;
                    var erle = EchoScenes.ErleDb(scene.MicSingle, single, scene.Echo, scene.Noise, rate, 3 * rate);
                    var conv = EchoScenes.ConvergenceSeconds(scene.MicSingle, single, scene.Echo, scene.Noise, rate, 10);
                    var dt = c.Run(scene.MicDouble, scene.Far, rate, scene.Delay);
                    var snr = scene.NearSnr(dt, rate);
                    var erleDt = EchoScenes.ErleDb(scene.MicDouble, dt, scene.Echo, scene.Noise, rate, 3 * rate);
                    Console.WriteLine($"| {c.Name} | {room} | {erle:0.0} | {conv:0.00} | {snr:0.0} | {erleDt:0.0} | {cpu:0.0} |");
                    var t = totals[c.Name];
                    t[0] += erle; t[1] += conv; t[2] += snr; t[3] += cpu;
                }
            }
            Console.WriteLine();
            Console.WriteLine("| canceller | mean ERLE (dB) | mean convergence (s) | mean near-end SNR (dB) | mean CPU (ms/s) |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var c in contenders)
            {
                if (!Supports(c, rate)) continue;
                var t = totals[c.Name];
                var n = rooms.Length;
                Console.WriteLine($"| {c.Name} | {t[0] / n:0.0} | {t[1] / n:0.00} | {t[2] / n:0.0} | {t[3] / n:0.0} |");
            }
            Console.WriteLine();
            foreach (var c in contenders) Console.WriteLine($"- {c.Name}: {c.Settings}");
            if (!quick) Robustness(rate);
            return 0;
        }

        /// <summary>WebRTC's AudioProcessing 0.3 runs its AEC at 8, 16, 32 and 48 kHz only.</summary>
        static bool Supports(IEchoContender c, int rate) => !(c is WebRtcAec) || rate == 8000 || rate == 16000 || rate == 32000 || rate == 48000;

        /// <summary>Parley alone: a delay jump (60 → 260 ms at 6 s) and ±0.5 % clock drift, the references cannot be given these.</summary>
        static void Robustness(int rate)
        {
            Console.WriteLine();
            Console.WriteLine("| Parley, RT60 0.3 s, echo −6 dB | measure |");
            Console.WriteLine("|---|---|");
            var jump = Scene.MakeJump(rate);
            var output = new ParleyAec(200).Run(jump.MicSingle, jump.Far, rate, jump.Delay);
            var after = EchoScenes.Echo(jump.Far, EchoScenes.RoomImpulse(rate, 0.3, 260, 5), -6);
            var settled = new ParleyAec(200).Run(EchoScenes.Sum(after, jump.Noise), jump.Far, rate, jump.Delay);
            var seconds = EchoScenes.ReconvergenceSeconds(jump.MicSingle, output, settled, jump.Echo, jump.Noise, rate, 6, 6 * rate);
            if (Environment.GetEnvironmentVariable("PARLEY_AEC_WINDOWS") != null)
                for (var w = 5 * rate; w + rate / 4 <= output.Length; w += rate / 4)
                {
                    double m = 0, o = 0, q = 0;
                    for (var i = w; i < w + rate / 4; i++) { m += jump.MicSingle[i] * jump.MicSingle[i]; o += output[i] * output[i]; q += settled[i] * settled[i]; }
                    Console.WriteLine($"{w / (double)rate:0.00} s: jump {10 * Math.Log10(m / o):0.0} dB, settled {10 * Math.Log10(m / q):0.0} dB");
                }
            var first = -1.0;
            for (var w = 6 * rate; w + rate / 4 <= output.Length && first < 0; w += rate / 4)
            {
                double m = 0, o = 0, q = 0;
                for (var i = w; i < w + rate / 4; i++) { m += jump.MicSingle[i] * jump.MicSingle[i]; o += output[i] * output[i]; q += settled[i] * settled[i]; }
                if (10 * Math.Log10(q / o) > -6 && 10 * Math.Log10(m / o) > 20) first = (w + rate / 4 - 6 * rate) / (double)rate;
            }
            Console.WriteLine($"| delay jump 60 → 260 ms at 6 s | first 250 ms window back within 6 dB of a canceller that had 260 ms all along (and ≥ 20 dB) after {first:0.00} s; every window after that within 6 dB after {seconds:0.00} s |");
            foreach (var drift in new[] { 0.005, -0.005 })
            {
                var far = EchoScenes.FarSpeech(rate, Seconds);
                var echo0 = EchoScenes.Echo(far, EchoScenes.RoomImpulse(rate, 0.3, 100, 8), -6);
                var stretched = new Parley.Audio.Resampler(rate, (int)Math.Round(rate * (1 + drift))).ConvertClip(echo0);
                var echo = new float[far.Length];
                Array.Copy(stretched, echo, Math.Min(stretched.Length, echo.Length));
                var noise = EchoScenes.Noise(far.Length, NoiseDbfs, 9);
                var mic = EchoScenes.Sum(echo, noise);
                var o = new ParleyAec(200).Run(mic, far, rate, 0);
                var still = new ParleyAec(200).Run(EchoScenes.Sum(echo0, noise), far, rate, 0);
                Console.WriteLine($"| clock drift {drift * 100:+0.0;-0.0} % (100 ms path moving {drift * Seconds * 1000:+0;-0} ms over {Seconds} s) | ERLE from 3 s {EchoScenes.ErleDb(mic, o, echo, noise, rate, 3 * rate):0.0} dB (no drift: {EchoScenes.ErleDb(EchoScenes.Sum(echo0, noise), still, echo0, noise, rate, 3 * rate):0.0} dB) |");
            }
        }

        /// <summary>One room: far-end speech, its echo, noise, and near-end clips for double talk.</summary>
        public sealed class Scene
        {
            public float[] Far, Echo, Noise, Near, MicSingle, MicDouble;
            public int Delay;
            public List<(int Start, int End)> NearSpans = new List<(int, int)>();

            public static Scene Make(int rate, Room room, int seed)
            {
                var s = new Scene();
                s.Far = EchoScenes.FarSpeech(rate, Seconds);
                var n = s.Far.Length;
                s.Echo = EchoScenes.Echo(s.Far, EchoScenes.RoomImpulse(rate, room.Rt60, room.DelayMs, seed), room.EchoDb);
                s.Noise = EchoScenes.Noise(n, NoiseDbfs, seed + 100);
                s.Delay = (int)Math.Round(room.DelayMs * rate / 1000);
                s.Near = new float[n];
                for (var i = 0; i < NearAt.Length; i++)
                {
                    var clip = EchoScenes.NearClip(i, rate);
                    var at = (int)(NearAt[i] * rate);
                    var len = Math.Min(clip.Length, n - at);
                    Array.Copy(clip, 0, s.Near, at, len);
                    s.NearSpans.Add((at, at + len));
                }
                s.MicSingle = EchoScenes.Sum(s.Echo, s.Noise);
                s.MicDouble = EchoScenes.Sum(s.Echo, s.Noise, s.Near);
                return s;
            }

            /// <summary>Delay jump (device change): 60 ms for 6 s, then 260 ms, same room shape.</summary>
            public static Scene MakeJump(int rate)
            {
                var s = new Scene();
                s.Far = EchoScenes.FarSpeech(rate, Seconds);
                var before = EchoScenes.Echo(s.Far, EchoScenes.RoomImpulse(rate, 0.3, 60, 5), -6);
                var after = EchoScenes.Echo(s.Far, EchoScenes.RoomImpulse(rate, 0.3, 260, 5), -6);
                s.Echo = new float[s.Far.Length];
                for (var i = 0; i < s.Echo.Length; i++) s.Echo[i] = i < 6 * rate ? before[i] : after[i];
                s.Noise = EchoScenes.Noise(s.Far.Length, NoiseDbfs, 6);
                s.Near = new float[s.Far.Length];
                s.MicSingle = s.MicDouble = EchoScenes.Sum(s.Echo, s.Noise);
                s.Delay = 260 * rate / 1000;
                return s;
            }

            /// <summary>Mean over the near-end clips of the SNR after the best gain and lag (±30 ms).</summary>
            public double NearSnr(float[] output, int rate) =>
                NearSpans.Average(span => EchoScenes.NearEndSnrDb(Near, output, span.Start, span.End, rate * 3 / 100));
        }
    }
}
