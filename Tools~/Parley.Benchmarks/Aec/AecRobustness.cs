using System;
using System.Collections.Generic;
using System.Linq;
using Parley.Tests.Support;

namespace Parley.Benchmarks.Aec
{
    /// <summary>
    /// Parley's canceller where the references cannot follow (they are given the true, fixed delay): echo-path delay
    /// jumps over 20–400 ms and ±0.5 % clock drift over a minute (the drift given through ClockDriftPpm, learnt by the canceller, and neither), at 16 and 24 kHz. Run:
    /// dotnet run -c Release --project "Tools~/Parley.Benchmarks" -- aec-robust [--rate R] [--jumps|--drift] [--windows];
    /// --seeds 40-49 repeats the jumps in other rooms (--new-room: into another room as well, [--windows] its spans; --cold: every canceller, the references
    /// too, started cold at a jump into another room, [--windows] its spans); --trace J [--new-room] prints the canceller's state through jump J
    /// (PARLEY_TRACE_SETTLED=1: through its settled scene, the new path from the start).
    /// Re-convergence is judged on the output alone (<see cref="EchoPathScenes.Reconvergence"/>).
    /// </summary>
    public static class AecRobustness
    {
        const double NoiseDbfs = -60;

        /// <summary>Delay jumps (ms before → after, room RT60, echo level): both directions, the range's ends.</summary>
        public static readonly (double From, double To, double Rt60, double EchoDb)[] Jumps =
        {
            (60, 260, 0.3, -6),
            (250, 30, 0.4, -6),
            (20, 400, 0.2, 0),
            (400, 120, 0.6, -12),
            (120, 180, 0.3, -6),
        };

        public static int Run(string[] args)
        {
            var rateAt = Array.IndexOf(args, "--rate");
            var rates = rateAt >= 0 ? new[] { int.Parse(args[rateAt + 1]) } : new[] { 16000, 24000 };
            var windows = args.Contains("--windows");
            var onlyJumps = args.Contains("--jumps");
            var traceAt = Array.IndexOf(args, "--trace");
            if (traceAt >= 0)
            {
                var tr = int.Parse(args[traceAt + 1]);
                var sc = EchoPathScenes.JumpScene.Make(rates[0], Jumps[tr], SeedFor(tr), afterSeed: args.Contains("--new-room") ? SeedFor(tr) + 100 : -1);
                Console.WriteLine($"jump at {sc.Jump / (double)rates[0]:0.00} s");
                var traced = Environment.GetEnvironmentVariable("PARLEY_TRACE_SETTLED") == "1" ? sc.SettledMic : sc.Mic;
                return ParleyAec.Trace(new AecComparison.Scene { Far = sc.Far, MicSingle = traced, MicDouble = traced, Echo = sc.Echo, Noise = sc.Noise, Delay = (int)(Jumps[tr].To * rates[0] / 1000) }, rates[0], false);
            }
            var seedsAt = Array.IndexOf(args, "--seeds");
            if (seedsAt >= 0)
            {
                var range = args[seedsAt + 1].Split('-');
                foreach (var rate in rates)
                    if (args.Contains("--cold")) ColdSweep(rate, int.Parse(range[0]), int.Parse(range[range.Length - 1]), windows);
                    else Sweep(rate, int.Parse(range[0]), int.Parse(range[range.Length - 1]), args.Contains("--new-room"), windows);
                return 0;
            }
            var onlyDrift = args.Contains("--drift");
            foreach (var rate in rates) Print(rate, windows, !onlyDrift, !onlyJumps);
            return 0;
        }

        /// <summary>Room seed of jump <paramref name="j"/>: PARLEY_SEED for all five when set (the unit tests' 40), else 40 + j.</summary>
        static int SeedFor(int j)
        {
            var seed = Environment.GetEnvironmentVariable("PARLEY_SEED");
            return seed != null ? int.Parse(seed) : 40 + j;
        }

        /// <summary>
        /// The five jumps in the rooms of every seed from <paramref name="first"/> to <paramref name="last"/> (one seed for
        /// all five, as PARLEY_SEED does): re-convergence against a settled canceller, one line a seed, and how many of
        /// the scenes take over 2 s. One seed's rooms are a sample of five; the target is for every room. With
        /// <paramref name="newRoom"/> the room after the jump is another one too (seed + 100: headset to speakers); with
        /// <paramref name="windows"/> each scene's 1 s spans for 7 s from the jump, the output's and the settled one's.
        /// </summary>
        static void Sweep(int rate, int first, int last, bool newRoom, bool windows)
        {
            Console.WriteLine($"\nDelay jumps{(newRoom ? " into another room" : "")} at {rate} Hz, seeds {first}–{last}: against a settled canceller (s), per jump {string.Join(", ", Jumps.Select(j => $"{j.From:0} → {j.To:0} ms"))}\n");
            var all = new List<double>();
            for (var seed = first; seed <= last; seed++)
            {
                var row = new List<double>();
                foreach (var jump in Jumps)
                {
                    var sc = EchoPathScenes.JumpScene.Make(rate, jump, seed, afterSeed: newRoom ? seed + 100 : -1);
                    var output = new ParleyAec(200).Run(sc.Mic, sc.Far, rate, 0);
                    var settled = new ParleyAec(200).Run(sc.SettledMic, sc.Far, rate, 0);
                    row.Add(EchoPathScenes.ReconvergenceToSettled(sc, output, settled, rate, 3));
                    if (windows)
                    {
                        Console.Write($"  seed {seed} {jump.From:0} → {jump.To:0} ms, 1 s spans from the jump, output / settled (dB):");
                        for (var w = sc.Jump; w + rate <= sc.Jump + 7 * rate; w += rate / 4)
                            Console.Write($" {EchoScenes.ErleDb(sc.Mic, output, sc.Echo, sc.Noise, rate, w, w + rate):0.0}/{EchoScenes.ErleDb(sc.SettledMic, settled, sc.SettledEcho, sc.Noise, rate, w, w + rate):0.0}");
                        Console.WriteLine();
                    }
                }
                all.AddRange(row);
                Console.WriteLine($"seed {seed}: {string.Join(" ", row.Select(t => t.ToString("0.00")))}");
            }
            Console.WriteLine($"{all.Count(t => t > 2)} of {all.Count} over 2 s; mean {all.Average():0.00} s, worst {all.Max():0.00} s");
        }

        /// <summary>
        /// A device change the runtime reports (the canceller restarts): every canceller started cold at the jump into
        /// another room (seed + 100), judged as <see cref="Sweep"/> against its own run on the new path from the start. The
        /// references are given the new path's true delay, and so is a second Parley (to tell the delay search's share);
        /// WebRTC 0.3 runs at 48 kHz for 24 kHz. The last contender's settled run is also every canceller's common bar.
        /// </summary>
        static void ColdSweep(int rate, int first, int last, bool windows)
        {
            var contenders = new List<IEchoContender> { new ParleyAec(200), new ParleyAec(200, told: true), new SpeexAec(200) };
            contenders.Add(rate == 16000 ? new WebRtcAec() : new ResampledContender(new WebRtcAec(), 48000));
            Console.WriteLine($"\nCold starts at a jump into another room, {rate} Hz, seeds {first}–{last}: each canceller against its own settled run (s), per jump {string.Join(", ", Jumps.Select(j => $"{j.From:0} → {j.To:0} ms"))}\n");
            var all = contenders.Select(_ => new List<double>()).ToArray();
            var common = contenders.Select(_ => new List<double>()).ToArray();
            for (var seed = first; seed <= last; seed++)
                foreach (var jump in Jumps)
                {
                    var sc = EchoPathScenes.JumpScene.Make(rate, jump, seed, afterSeed: seed + 100);
                    // Judged on the new path alone: from the jump on, the microphone is the settled one.
                    var judged = new EchoPathScenes.JumpScene { Far = sc.Far, Noise = sc.Noise, Jump = sc.Jump, Mic = sc.SettledMic, Echo = sc.SettledEcho, SettledMic = sc.SettledMic, SettledEcho = sc.SettledEcho };
                    var delay = (int)(jump.To * rate / 1000);
                    var tailMic = sc.SettledMic.Skip(sc.Jump).ToArray();
                    var tailFar = sc.Far.Skip(sc.Jump).ToArray();
                    var settled = new float[contenders.Count][];
                    var cold = new float[contenders.Count][];
                    for (var c = 0; c < contenders.Count; c++)
                    {
                        settled[c] = contenders[c].Run(sc.SettledMic, sc.Far, rate, delay);
                        cold[c] = sc.FromJump(contenders[c].Run(tailMic, tailFar, rate, delay));
                    }
                    // The common bar: WebRTC settled (the issue's ERLE target).
                    var bar = settled[contenders.Count - 1];
                    for (var c = 0; c < contenders.Count; c++)
                    {
                        all[c].Add(EchoPathScenes.ReconvergenceToSettled(judged, cold[c], settled[c], rate, 3));
                        common[c].Add(EchoPathScenes.ReconvergenceToSettled(judged, cold[c], bar, rate, 3));
                        if (!windows) continue;
                        Console.Write($"seed {seed} {jump.From:0} → {jump.To:0} ms, {contenders[c].Name}: 1 s spans from the jump, cold / settled (dB):");
                        for (var w = sc.Jump; w + rate <= sc.Jump + 7 * rate; w += rate / 4)
                            Console.Write($" {EchoScenes.ErleDb(judged.Mic, cold[c], judged.Echo, sc.Noise, rate, w, w + rate):0.0}/{EchoScenes.ErleDb(judged.Mic, settled[c], judged.Echo, sc.Noise, rate, w, w + rate):0.0}");
                        Console.WriteLine();
                    }
                }
            for (var c = 0; c < contenders.Count; c++)
            {
                Console.WriteLine($"{contenders[c].Name}: against its own settled run {all[c].Count(t => t > 2)} of {all[c].Count} over 2 s, mean {all[c].Average():0.00} s, worst {all[c].Max():0.00} s; "
                    + $"against {contenders[contenders.Count - 1].Name}'s settled run {common[c].Count(t => t > 2)} over 2 s, mean {common[c].Average():0.00} s, worst {common[c].Max():0.00} s");
                Console.WriteLine($"  per jump, own / WebRTC's: {string.Join(" ", all[c].Select((t, i) => $"{t:0.00}/{common[c][i]:0.00}"))}");
            }
        }

        /// <summary>The jump and drift tables at one rate (also printed by aec-compare after the comparison).</summary>
        public static void Print(int rate, bool windows, bool jumps = true, bool drifts = true)
        {
            {
                if (jumps)
                {
                    Console.WriteLine($"\nDelay jumps at {rate} Hz (10 s before, 10 s after; ERLE over 1 s spans every 250 ms; steady range: the spans of the 4 s before the jump)\n");
                    Console.WriteLine("| jump | room | ERLE 4 s before (dB) | worst 1 s span before (dB) | first span back within 3 dB of it (s) | re-converged: every span from here to 6 s within 3 dB (s) | ERLE 2–10 s after (dB) | against a settled canceller: every span to 6 s within 3 dB of its (s) | CPU (ms per s, best of 3) |");
                    Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
                    double worst = 0, worstSettled = 0;
                    for (var j = 0; j < Jumps.Length; j++)
                    {
                        var sc = EchoPathScenes.JumpScene.Make(rate, Jumps[j], SeedFor(j));
                        // The whole scene's CPU, the re-seed trials after the jump included (best of 3 runs).
                        float[] output = null!;
                        var cpu = double.MaxValue;
                        for (var run = 0; run < 3; run++)
                        {
                            var watch = System.Diagnostics.Stopwatch.StartNew();
                            output = new ParleyAec(200).Run(sc.Mic, sc.Far, rate, 0);
                            cpu = Math.Min(cpu, watch.Elapsed.TotalMilliseconds * rate / sc.Mic.Length);
                        }
                        var r = EchoPathScenes.Reconvergence(sc.Mic, output, sc.Echo, sc.Noise, rate, sc.Jump, 3);
                        var after = EchoScenes.ErleDb(sc.Mic, output, sc.Echo, sc.Noise, rate, sc.Jump + 2 * rate);
                        var settled = new ParleyAec(200).Run(sc.SettledMic, sc.Far, rate, 0);
                        var toSettled = EchoPathScenes.ReconvergenceToSettled(sc, output, settled, rate, 3);
                        worst = Math.Max(worst, r.Seconds);
                        worstSettled = Math.Max(worstSettled, toSettled);
                        var (from, to, rt60, db) = Jumps[j];
                        Console.WriteLine($"| {from:0} → {to:0} ms | RT60 {rt60:0.0} s, echo {db:0} dB | {r.SteadyDb:0.0} | {r.SteadyFloorDb:0.0} | {r.FirstBackSeconds:0.00} | {r.Seconds:0.00} | {after:0.0} | {toSettled:0.00} | {cpu:0.0} |");
                        if (windows)
                            for (var w = sc.Jump - 4 * rate; w + rate <= output.Length; w += rate / 4)
                                Console.WriteLine($"    {(w - sc.Jump) / (double)rate:0.00} s: 1 s span {EchoScenes.ErleDb(sc.Mic, output, sc.Echo, sc.Noise, rate, w, w + rate):0.0} dB; settled {EchoScenes.ErleDb(sc.SettledMic, settled, sc.SettledEcho, sc.Noise, rate, w, w + rate):0.0} dB");
                    }
                    Console.WriteLine($"\nworst re-convergence {worst:0.00} s; against a settled canceller {worstSettled:0.00} s");
                }
                if (drifts)
                {
                    Console.WriteLine($"\nClock drift at {rate} Hz, 60 s of agent speech, RT60 0.3 s, echo −6 dB (ERLE from 5 s)\n");
                    Console.WriteLine("| drift | path delay | ClockDriftPpm given: ERLE (dB) | last 10 s (dB) | not given, learnt: ERLE (dB) | last 10 s (dB) | learnt (ppm) | not given, estimate off: ERLE (dB) | last 10 s (dB) | no drift, same room (dB) |");
                    Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
                    foreach (var drift in new[] { 0.005, -0.005 })
                    {
                        var sc = EchoPathScenes.DriftScene.Make(rate, drift, 60, 70);
                        var told = new Parley.Audio.EchoCanceller(rate) { ClockDriftPpm = drift * 1e6 };
                        var output = EchoScenes.Stream(told, sc.Mic, sc.Far);
                        var learner = new Parley.Audio.EchoCanceller(rate);
                        var learnt = EchoScenes.Stream(learner, sc.Mic, sc.Far);
                        var blind = EchoScenes.Stream(new Parley.Audio.EchoCanceller(rate) { EstimateClockDrift = false, TrimClockDrift = false }, sc.Mic, sc.Far);
                        var still = EchoScenes.Stream(new Parley.Audio.EchoCanceller(rate), sc.StillMic, sc.Far);
                        Console.WriteLine($"| {drift * 100:+0.0;-0.0} % | {sc.StartMs:0} → {sc.EndMs:0} ms | {EchoScenes.ErleDb(sc.Mic, output, sc.Echo, sc.Noise, rate, 5 * rate):0.0} | "
                            + $"{EchoScenes.ErleDb(sc.Mic, output, sc.Echo, sc.Noise, rate, 50 * rate):0.0} | {EchoScenes.ErleDb(sc.Mic, learnt, sc.Echo, sc.Noise, rate, 5 * rate):0.0} | "
                            + $"{EchoScenes.ErleDb(sc.Mic, learnt, sc.Echo, sc.Noise, rate, 50 * rate):0.0} | {learner.EstimatedClockDriftPpm:0.0} | {EchoScenes.ErleDb(sc.Mic, blind, sc.Echo, sc.Noise, rate, 5 * rate):0.0} | "
                            + $"{EchoScenes.ErleDb(sc.Mic, blind, sc.Echo, sc.Noise, rate, 50 * rate):0.0} | {EchoScenes.ErleDb(sc.StillMic, still, sc.StillEcho, sc.Noise, rate, 5 * rate):0.0} |");
                        if (windows)
                            for (var s = 0; s < 60; s += 5)
                                Console.WriteLine($"    {s}–{s + 5} s: {EchoScenes.ErleDb(sc.Mic, output, sc.Echo, sc.Noise, rate, s * rate, (s + 5) * rate):0.0} dB");
                    }
                }
            }
        }
    }
}
