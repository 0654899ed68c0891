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
            var rateAt = Array.IndexOf(args, "--rate");
            var rate = rateAt >= 0 ? int.Parse(args[rateAt + 1]) : 16000;
            var trace = Array.IndexOf(args, "--trace");
            if (trace >= 0) return ParleyAec.Trace(Scene.Make(rate, Rooms[int.Parse(args[trace + 1])], int.Parse(args[trace + 1]) + 1), rate, args.Contains("--double"));
            var quick = args.Contains("--quick");
            var parleyOnly = args.Contains("--parley-only");
            var contenders = new List<IEchoContender> { new ParleyAec(200) };
            if (!parleyOnly)
            {
                contenders.Add(new SpeexAec(200));
                // WebRTC 0.3 has no 24 kHz: it runs the same scenes converted to its 32 and 48 kHz modes.
                if (WebRtcRuns(rate)) contenders.Add(new WebRtcAec());
                else foreach (var inner in new[] { 32000, 48000 }) contenders.Add(new ResampledContender(new WebRtcAec(), inner));
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
            foreach (var c in contenders)
                if (c is ResampledContender r) RoundTrip(rate, r.InnerRate, rooms[0]);
            if (!quick) Robustness(rate);
            return 0;
        }

        /// <summary>
        /// The control for a converted contender: the rate conversion there and back with no canceller must leave the
        /// microphone's energy (ERLE ≈ 0 dB) and the near-end clips (SNR far above any canceller's) as they were.
        /// </summary>
        static void RoundTrip(int rate, int inner, Room room)
        {
            var scene = Scene.Make(rate, room, 1);
            var through = new ResampledContender(new PassThrough(), inner);
            var single = through.Run(scene.MicSingle, scene.Far, rate, scene.Delay);
            var near = through.Run(scene.Near, scene.Far, rate, scene.Delay);
            var erle = EchoScenes.ErleDb(scene.MicSingle, single, scene.Echo, scene.Noise, rate, 3 * rate);
            Console.WriteLine($"- control, {rate} → {inner} → {rate} Hz with no canceller ({room}): ERLE {erle:0.00} dB, near-end clips alone SNR {scene.NearSnr(near, rate):0.0} dB");
        }

        static bool Supports(IEchoContender c, int rate) => !(c is WebRtcAec) || WebRtcRuns(rate);

        /// <summary>WebRTC's AudioProcessing 0.3 runs its AEC at 8, 16, 32 and 48 kHz only.</summary>
        static bool WebRtcRuns(int rate) => rate == 8000 || rate == 16000 || rate == 32000 || rate == 48000;

        /// <summary>Parley alone: delay jumps and clock drift, which the references (given the true, fixed delay) cannot follow.</summary>
        static void Robustness(int rate) => AecRobustness.Print(rate, false);

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

            /// <summary>Mean over the near-end clips of the SNR after the best gain and lag (±30 ms).</summary>
            public double NearSnr(float[] output, int rate) =>
                NearSpans.Average(span => EchoScenes.NearEndSnrDb(Near, output, span.Start, span.End, rate * 3 / 100));
        }
    }
}
