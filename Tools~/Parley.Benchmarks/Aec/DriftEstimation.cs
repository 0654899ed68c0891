using System;
using System.Collections.Generic;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Benchmarks.Aec
{
    /// <summary>
    /// The clock-drift estimate over EchoPathScenes.DriftScene (60 s, seed 70): `aec-drift` prints the estimator's
    /// compensation, fit and error every 5 s for ±0.5 %, 0, +1000 and −300 ppm at 16 and 24 kHz; `aec-drift --aec RATE
    /// DRIFT [TOLD_PPM]` runs a canceller on one scene (told TOLD_PPM, else learning it) and prints its estimate, ERLE,
    /// delay and latches every 2.5 s and the last 10 s's ERLE (BENCHMARKS.md, "Clock drift learnt from the streams").
    /// </summary>
    public static class DriftEstimation
    {
        public static int Run(string[] args)
        {
            if (args.Length > 1 && args[1] == "--aec")
            {
                var rate = int.Parse(args[2]);
                var drift = double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
                var sc = EchoPathScenes.DriftScene.Make(rate, drift, 60, 70);
                var aec = new EchoCanceller(rate);
                if (args.Length > 4) aec.ClockDriftPpm = double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
                var lat = aec.LatencySamples;
                var output = new float[sc.Mic.Length];
                var frame = rate / 100;
                var o = new float[frame];
                var line = new List<string>();
                for (var i = 0; i + frame <= sc.Mic.Length; i += frame)
                {
                    aec.Process(new ReadOnlySpan<float>(sc.Mic, i, frame), new ReadOnlySpan<float>(sc.Far, i, frame), o);
                    for (var j = 0; j < frame; j++) if (i + j - lat >= 0) output[i + j - lat] = o[j];
                    if ((i / frame) % 250 == 249)
                    {
                        var st = aec.State;
                        Console.WriteLine($"{(i + frame) / (double)rate:0.0}s est {aec.EstimatedClockDriftPpm:0} trim {aec.ClockDriftTrimPpm:0.0} erle {EchoScenes.ErleDb(sc.Mic, output, sc.Echo, sc.Noise, rate, i + frame - rate * 5 / 2, i + frame - lat):0.0} delay {aec.DelayMs:0} est {aec.EstimatedDelayMs:0} fg {st.FgErleDb:0.0} conv {st.Converged} held {st.Held}");
                    }
                }
                // Up to the last sample put out, and where the scene's echo ends (a slow microphone's ends early).
                Console.WriteLine($"last 10 s {EchoScenes.ErleDb(sc.Mic, output, sc.Echo, sc.Noise, rate, sc.Mic.Length - 10 * rate, Math.Min(sc.EchoLength, sc.Mic.Length - lat)):0.0}");
                return 0;
            }
            foreach (var rate in new[] { 16000, 24000 })
                foreach (var drift in new[] { 0.005, -0.005, 0.0, 0.001, -0.0003 })
                {
                    var sc = EchoPathScenes.DriftScene.Make(rate, drift, 60, 70);
                    var est = new ClockDriftEstimator(rate);
                    var frame = rate / 100;
                    var line = new List<string>();
                    for (var i = 0; i + frame <= sc.Mic.Length; i += frame)
                    {
                        est.Feed(new ReadOnlySpan<float>(sc.Mic, i, frame), new ReadOnlySpan<float>(sc.Far, i, frame));
                        if ((i / frame) % 500 == 499) line.Add($"{(i + frame) / rate}s:{est.CompensationPpm:0}({est.FitPpm:0}±{est.FitErrorPpm:0})");
                    }
                    Console.WriteLine($"{rate} {drift * 1e6:0} ppm, usable {est.UsableWindows}: " + string.Join(" ", line));
                }
            return 0;
        }
    }
}
