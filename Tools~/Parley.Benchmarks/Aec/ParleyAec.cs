using System;
using Parley.Tests.Support;
using Parley.Audio;

namespace Parley.Benchmarks.Aec
{
    /// <summary>Parley's <see cref="EchoCanceller"/> through its streaming API in 10 ms frames, not told the delay.</summary>
    public sealed class ParleyAec : IEchoContender
    {
        readonly double m_FilterMs;
        readonly bool m_Told;
        /// <param name="told">Start aligned on the true delay (its direct path on the filter's margin), to tell the delay search's share from the filter's.</param>
        public ParleyAec(double filterMs, bool told = false) { m_FilterMs = filterMs; m_Told = told; }

        public string Name => m_Told ? "Parley EchoCanceller, told the delay" : "Parley EchoCanceller";
        public string Settings => $"filter {m_FilterMs} ms, defaults otherwise; " + (m_Told ? "starts aligned on the true delay" : "finds the delay itself (not given the true delay)") + "; output shifted by its latency";

        public float[] Run(float[] mic, float[] far, int rate, int trueDelay)
        {
            var aec = new EchoCanceller(rate, m_FilterMs);
            Tune(ref aec.State, Environment.GetEnvironmentVariable("PARLEY_AEC_TUNE"));
            if (m_Told) aec.State.Delay = Math.Max(0, trueDelay / aec.State.Block - aec.State.Margin);
            return EchoScenes.Stream(aec, mic, far);
        }

        /// <summary>
        /// Prints the canceller's alignment, delay estimate and filter state every 0.25 s of a single-talk scene (fed one
        /// block at a time, so the linear error is the block's); with TRACE_FINE_FROM=T, also every 100 ms for 3 s from T:
        /// the last 100 ms's ERLE of the output and of the linear filter (lin), the latches, moves and restarts, and the
        /// blocks left of the expected-miss window (miss); with TRACE_BLOCKS=T, every block within 60 ms of T (microphone,
        /// linear error and output energies, the incoherent share, the speech band's incoherent power over its expected miss
        /// and over what the reference explains, the incoherent rise, the send floor, its arming, and the window's blocks left).
        /// </summary>
        public static int Trace(AecComparison.Scene scene, int rate, bool doubleTalk)
        {
            var aec = new EchoCanceller(rate);
            Tune(ref aec.State, Environment.GetEnvironmentVariable("PARLEY_AEC_TUNE"));
            var frame = aec.State.Block;
            var o = new float[frame];
            Console.WriteLine($"true delay {scene.Delay * 1000.0 / rate:0} ms");
            if (doubleTalk)
            {
                var c = new ParleyAec(200);
                var single = c.Run(scene.MicSingle, scene.Far, rate, scene.Delay);
                var both = c.Run(scene.MicDouble, scene.Far, rate, scene.Delay);
                var diff = new float[both.Length];
                for (var i = 0; i < diff.Length; i++) diff[i] = both[i] - single[i];
                foreach (var span in scene.NearSpans)
                    Console.WriteLine($"near {span.Start / (double)rate:0.0}-{span.End / (double)rate:0.0} s: SNR {EchoScenes.NearEndSnrDb(scene.Near, both, span.Start, span.End, rate * 3 / 100):0.0} dB, "
                        + $"of the difference double − single talk {EchoScenes.NearEndSnrDb(scene.Near, diff, span.Start, span.End, rate * 3 / 100):0.0} dB, "
                        + $"mic {EchoScenes.NearEndSnrDb(scene.Near, scene.MicDouble, span.Start, span.End, rate * 3 / 100):0.0} dB");
            }
            var mic = doubleTalk ? scene.MicDouble : scene.MicSingle;
            var fineFrom = double.TryParse(Environment.GetEnvironmentVariable("TRACE_FINE_FROM"), out var ff) ? ff : -1;
            var fineTo = fineFrom + 3;
            var blocksAt = double.TryParse(Environment.GetEnvironmentVariable("TRACE_BLOCKS"), out var tb) ? tb : -1;
            var outAll = new float[mic.Length];
            var lat = aec.LatencySamples;
            double linMic = 0, linErr = 0;
            for (var s = 0; s + frame <= mic.Length; s += frame)
            {
                aec.Process(mic.AsSpan(s, frame), scene.Far.AsSpan(s, frame), o);
                var lin = aec.LinearError;
                for (var j = 0; j < frame; j++) { linMic += (double)mic[s + j] * mic[s + j]; linErr += (double)lin[j] * lin[j]; }
                for (var j = 0; j < frame; j++) if (s + j - lat >= 0) outAll[s + j - lat] = o[j];
                if (blocksAt >= 0 && Math.Abs(s / (double)rate - blocksAt) < 0.06)
                {
                    double bm = 0, be = 0, bo = 0, bx = 0, bf = 0;
                    for (var j = 0; j < frame; j++) { bm += (double)mic[s + j] * mic[s + j]; be += (double)lin[j] * lin[j]; bo += (double)o[j] * o[j]; }
                    // The echo in this block and the far end the true delay back: a far-end onset against a tail after its offset.
                    for (var j = 0; j < frame; j++) { bx += (double)scene.Echo[s + j] * scene.Echo[s + j]; var d = s + j - scene.Delay; if (d >= 0) bf += (double)scene.Far[d] * scene.Far[d]; }
                    var missBand = aec.ExpectedMissInBand;
                    Console.WriteLine($"BLK {s / (double)rate:0.0000} mic {10 * Math.Log10(bm + 1e-12):0.0} echo {10 * Math.Log10(bx + 1e-12):0.0} far@delay {10 * Math.Log10(bf + 1e-12):0.0} lin {10 * Math.Log10(be + 1e-12):0.0} out(lat) {10 * Math.Log10(bo + 1e-12):0.0} share {aec.State.IncoherentShare:0.00} micBlocks {aec.State.MicBlocks} fg {aec.State.FgErleDb:0.0} copies {aec.State.ForegroundCopies} incoh/miss {(aec.State.CoherenceMicPower - aec.State.CoherentPower) / (missBand + 1e-30):0.00} incoh/ref {(aec.State.CoherenceMicPower - aec.State.CoherentPower) / (aec.ReferenceMissInBand + 1e-30):0.00} send floor {aec.State.SendDoubleTalkHeld} armed {aec.State.DoubleTalkArmed} window {aec.State.MissBlocks} bg/fg(block) {10 * Math.Log10((aec.State.BlockErrBg + 1e-12) / (aec.State.BlockErrFg + 1e-12)):0.0}");
                }
                var t = s / (double)rate;
                var tick = s / (rate / 10) != (s + frame) / (rate / 10);
                if (tick && !(fineFrom >= 0 && t >= fineFrom && t < fineTo)) linMic = linErr = 0;
                if (fineFrom >= 0 && t >= fineFrom && t < fineTo && tick && s - lat - rate / 10 >= 0)
                {
                    ref var q = ref aec.State;
                    var a = s - lat - rate / 10;
                    Console.WriteLine($"FINE {t:0.00} erle100 {EchoScenes.ErleDb(mic, outAll, scene.Echo, scene.Noise, rate, a, a + rate / 10):0.0} fg {q.FgErleDb:0.0} conv {q.Converged} held {q.Held} delay {q.Delay} moves {q.FilterMoves} inits {q.KalmanInits} fresh {q.KalmanFresh} reseeds {q.Reseeds} copies {q.ForegroundCopies} bg/fg {10 * Math.Log10(q.ErrBgSmooth / q.ErrFgSmooth):0.0} leak {q.LeakPey / q.LeakPyy:0.000} badfg {q.BadFg} dtBlocks {q.DoubleTalkBlocks} armed {q.DoubleTalkArmed} share {q.IncoherentShare:0.00} lin {10 * Math.Log10((linMic + 1e-12) / (linErr + 1e-12)):0.0} miss {q.MissBlocks} micBlocks {q.MicBlocks}");
                    linMic = linErr = 0;
                }
                if (s / (rate / 4) == (s + frame) / (rate / 4)) continue;
                ref var st = ref aec.State;
                Console.WriteLine($"{s / (double)rate:0.0} s: aligned {aec.DelayMs:0} ms, estimate {aec.EstimatedDelayMs:0} ms (candidate {st.Candidate}, votes {st.CandidateVotes}), "
                    + $"foreground ERLE {st.FgErleDb:0.0} dB, copies {st.ForegroundCopies}, leak {st.LeakPey / st.LeakPyy:0.000}, converged {st.Converged}, held {st.Held}, reseeds {st.Reseeds} seedPeak {st.SeedPeak}, bg/fg {10 * Math.Log10(st.ErrBgSmooth / st.ErrFgSmooth):0.0} dB, drift {aec.EstimatedClockDriftPpm:0} + {aec.ClockDriftTrimPpm:0.0} ppm");
            }
            return 0;
        }

        /// <summary>Tuning experiments: PARLEY_AEC_TUNE="Step=0.5,OverSubtraction=3" sets float fields of the state.</summary>
        internal static void Tune(ref Parley.Audio.Kernels.EchoState state, string spec)
        {
            if (string.IsNullOrEmpty(spec)) return;
            object boxed = state;
            foreach (var pair in spec.Split(','))
            {
                var kv = pair.Split('=');
                var field = typeof(Parley.Audio.Kernels.EchoState).GetField(kv[0])!;
                field.SetValue(boxed, Convert.ChangeType(double.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture), field.FieldType));
            }
            state = (Parley.Audio.Kernels.EchoState)boxed;
        }
    }
}
