using System;
using System.Collections.Generic;
using System.Linq;
using Parley.Tests.Support;

namespace Parley.Benchmarks.Aec
{
    /// <summary>
    /// Parley's canceller where the references cannot follow (they are given the true, fixed delay): echo-path delay
    /// jumps over 20–400 ms and ±0.5 % clock drift over a minute (the drift given through ClockDriftPpm, and not), at 16 and 24 kHz. Run:
    /// dotnet run -c Release --project "Tools~/Parley.Benchmarks" -- aec-robust [--rate R] [--windows].
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
                var sc = EchoPathScenes.JumpScene.Make(rates[0], Jumps[tr], 40 + tr);
                return ParleyAec.Trace(new AecComparison.Scene { Far = sc.Far, MicSingle = sc.Mic, MicDouble = sc.Mic, Echo = sc.Echo, Noise = sc.Noise, Delay = (int)(Jumps[tr].To * rates[0] / 1000) }, rates[0], false);
            }
            var onlyDrift = args.Contains("--drift");
            foreach (var rate in rates) Print(rate, windows, !onlyDrift, !onlyJumps);
            return 0;
        }

        /// <summary>The jump and drift tables at one rate (also printed by aec-compare after the comparison).</summary>
        public static void Print(int rate, bool windows, bool jumps = true, bool drifts = true)
        {
            {
                if (jumps)
                {
                    Console.WriteLine($"\nDelay jumps at {rate} Hz (10 s before, 10 s after; ERLE over 1 s spans every 250 ms; steady range: the spans of the 4 s before the jump)\n");
                    Console.WriteLine("| jump | room | ERLE 4 s before (dB) | worst 1 s span before (dB) | first span back within 3 dB of it (s) | re-converged: every span from here to 6 s within 3 dB (s) | ERLE 2–10 s after (dB) | against a settled canceller: every span to 6 s within 3 dB of its (s) |");
                    Console.WriteLine("|---|---|---|---|---|---|---|---|");
                    double worst = 0, worstSettled = 0;
                    for (var j = 0; j < Jumps.Length; j++)
                    {
                        var sc = EchoPathScenes.JumpScene.Make(rate, Jumps[j], Environment.GetEnvironmentVariable("PARLEY_SEED") != null ? int.Parse(Environment.GetEnvironmentVariable("PARLEY_SEED")!) : 40 + j);
                        var output = new ParleyAec(200).Run(sc.Mic, sc.Far, rate, 0);
                        var r = EchoPathScenes.Reconvergence(sc.Mic, output, sc.Echo, sc.Noise, rate, sc.Jump, 3);
                        var after = EchoScenes.ErleDb(sc.Mic, output, sc.Echo, sc.Noise, rate, sc.Jump + 2 * rate);
                        var settled = new ParleyAec(200).Run(sc.SettledMic, sc.Far, rate, 0);
                        var toSettled = EchoPathScenes.ReconvergenceToSettled(sc, output, settled, rate, 3);
                        worst = Math.Max(worst, r.Seconds);
                        worstSettled = Math.Max(worstSettled, toSettled);
                        var (from, to, rt60, db) = Jumps[j];
                        Console.WriteLine($"| {from:0} → {to:0} ms | RT60 {rt60:0.0} s, echo {db:0} dB | {r.SteadyDb:0.0} | {r.SteadyFloorDb:0.0} | {r.FirstBackSeconds:0.00} | {r.Seconds:0.00} | {after:0.0} | {toSettled:0.00} |");
                        if (windows)
                            for (var w = sc.Jump - 4 * rate; w + rate <= output.Length; w += rate / 4)
                                Console.WriteLine($"    {(w - sc.Jump) / (double)rate:0.00} s: 1 s span {EchoScenes.ErleDb(sc.Mic, output, sc.Echo, sc.Noise, rate, w, w + rate):0.0} dB; settled {EchoScenes.ErleDb(sc.SettledMic, settled, sc.SettledEcho, sc.Noise, rate, w, w + rate):0.0} dB");
                    }
                    Console.WriteLine($"\nworst re-convergence {worst:0.00} s; against a settled canceller {worstSettled:0.00} s");
                }
                if (drifts)
                {
                    Console.WriteLine($"\nClock drift at {rate} Hz, 60 s of agent speech, RT60 0.3 s, echo −6 dB (ERLE from 5 s)\n");
                    Console.WriteLine("| drift | path delay | ClockDriftPpm given: ERLE (dB) | last 10 s (dB) | not given (0): ERLE (dB) | last 10 s (dB) | no drift, same room (dB) |");
                    Console.WriteLine("|---|---|---|---|---|---|---|");
                    foreach (var drift in new[] { 0.005, -0.005 })
                    {
                        var sc = EchoPathScenes.DriftScene.Make(rate, drift, 60, 70);
                        var told = new Parley.Audio.EchoCanceller(rate) { ClockDriftPpm = drift * 1e6 };
                        var output = EchoScenes.Stream(told, sc.Mic, sc.Far);
                        var blind = EchoScenes.Stream(new Parley.Audio.EchoCanceller(rate), sc.Mic, sc.Far);
                        var still = EchoScenes.Stream(new Parley.Audio.EchoCanceller(rate), sc.StillMic, sc.Far);
                        Console.WriteLine($"| {drift * 100:+0.0;-0.0} % | {sc.StartMs:0} → {sc.EndMs:0} ms | {EchoScenes.ErleDb(sc.Mic, output, sc.Echo, sc.Noise, rate, 5 * rate):0.0} | "
                            + $"{EchoScenes.ErleDb(sc.Mic, output, sc.Echo, sc.Noise, rate, 50 * rate):0.0} | {EchoScenes.ErleDb(sc.Mic, blind, sc.Echo, sc.Noise, rate, 5 * rate):0.0} | "
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
