using System;
using System.Collections.Generic;
using Parley.Audio;

namespace Parley.Tests.Support
{
    /// <summary>
    /// Echo paths that change under the canceller, built independently of it from the speech fixtures and synthetic
    /// rooms of <see cref="EchoScenes"/>: a delay jump (a device change) and clock drift between microphone and output;
    /// and the re-convergence measure, taken on the output alone. Shared with the benchmark project.
    /// </summary>
    public static class EchoPathScenes
    {
        const double NoiseDbfs = -60;

        /// <summary>What <see cref="Reconvergence"/> measured, in seconds after the jump.</summary>
        public struct Reconverged
        {
            /// <summary>ERLE over the 4 s before the jump (dB).</summary>
            public double SteadyDb;
            /// <summary>The worst 1 s span of those 4 s (dB): the bottom of the range the canceller held on the old path.</summary>
            public double SteadyFloorDb;
            /// <summary>Start of the first span after the jump back within the margin of <see cref="SteadyFloorDb"/>.</summary>
            public double FirstBackSeconds;
            /// <summary>From here on every span is back within the margin (the re-convergence time).</summary>
            public double Seconds;
        }

        /// <summary>
        /// Re-convergence after a path change at sample <paramref name="jump"/>, judged on the output alone. ERLE is taken
        /// over 1 s spans starting every 250 ms (energy over the 20 ms frames with echo, as <see cref="EchoScenes.ErleDb"/>).
        /// The steady range is what the spans of the 4 s before the jump held; the canceller has re-converged at the start
        /// of the first span after which no span (up to <paramref name="horizonSeconds"/> after the jump) falls more than
        /// <paramref name="marginDb"/> under the worst of them. The horizon keeps later steady-state variation (a span of an
        /// unusual passage seconds later) from counting as slow re-convergence; ERLE further on is measured on its own.
        /// Spans, not 250 ms windows: speech alone moves a steady canceller's 250 ms windows by more than 3 dB a quarter
        /// of the time. The signal's remaining length is returned when it never stays back.
        /// </summary>
        public static Reconverged Reconvergence(float[] mic, float[] output, float[] echo, float[] noise, int rate, int jump, double marginDb, double horizonSeconds = 6)
        {
            var r = new Reconverged { SteadyDb = EchoScenes.ErleDb(mic, output, echo, noise, rate, jump - 4 * rate, jump), SteadyFloorDb = double.MaxValue, FirstBackSeconds = -1 };
            var step = rate / 4;
            var n = Math.Min(Math.Min(mic.Length, output.Length), jump + (int)(horizonSeconds * rate));
            for (var s = jump - 4 * rate; s + rate <= jump; s += step)
                r.SteadyFloorDb = Math.Min(r.SteadyFloorDb, EchoScenes.ErleDb(mic, output, echo, noise, rate, s, s + rate));
            var settled = jump;
            for (var s = jump; s + rate <= n; s += step)
            {
                var back = EchoScenes.ErleDb(mic, output, echo, noise, rate, s, s + rate) >= r.SteadyFloorDb - marginDb;
                if (back && r.FirstBackSeconds < 0) r.FirstBackSeconds = (s - jump) / (double)rate;
                if (!back) settled = s + step;
            }
            if (settled + rate > n) settled = n;
            r.Seconds = (settled - jump) / (double)rate;
            return r;
        }

        /// <summary>
        /// Re-convergence judged against a canceller settled on the new path (<paramref name="settled"/>: the same canceller's
        /// output on <see cref="JumpScene.SettledMic"/>, whose path never jumped): the start of the first span after which
        /// every 1 s span up to <paramref name="horizonSeconds"/> is within <paramref name="marginDb"/> of the settled
        /// output's same span. Unlike <see cref="Reconvergence"/> it does not move with how well the canceller did before
        /// the jump, only with how far it is from where it ends up; the passage's own variation is in both.
        /// </summary>
        public static double ReconvergenceToSettled(JumpScene scene, float[] output, float[] settled, int rate, double marginDb, double horizonSeconds = 6)
        {
            var step = rate / 4;
            var n = Math.Min(Math.Min(output.Length, settled.Length), scene.Jump + (int)(horizonSeconds * rate));
            var back = scene.Jump;
            for (var s = scene.Jump; s + rate <= n; s += step)
            {
                var now = EchoScenes.ErleDb(scene.Mic, output, scene.Echo, scene.Noise, rate, s, s + rate);
                var goal = EchoScenes.ErleDb(scene.SettledMic, settled, scene.SettledEcho, scene.Noise, rate, s, s + rate);
                if (now < goal - marginDb) back = s + step;
            }
            if (back + rate > n) back = n;
            return (back - scene.Jump) / (double)rate;
        }

        /// <summary>ERLE of every 250 ms window from <paramref name="from"/> on that holds echo (start sample, dB).</summary>
        public static List<(int At, double Db)> WindowErle(float[] mic, float[] output, float[] echo, float[] noise, int rate, int from)
        {
            var list = new List<(int, double)>();
            var win = rate / 4;
            var n = Math.Min(mic.Length, output.Length);
            for (var s = from; s + win <= n; s += win)
            {
                var frames = 0;
                for (var f = s; f + rate / 50 <= s + win; f += rate / 50)
                    if (Energy(echo, f, rate / 50) >= 10 * Energy(noise, f, rate / 50)) frames++;
                if (frames == 0) continue;
                list.Add((s, EchoScenes.ErleDb(mic, output, echo, noise, rate, s, s + win)));
            }
            return list;
        }

        static double Energy(float[] x, int start, int count)
        {
            double s = 0;
            var end = Math.Min(x.Length, start + count);
            for (var i = start; i < end; i++) s += (double)x[i] * x[i];
            return s;
        }

        /// <summary>
        /// The agent's speech through one room whose delay jumps half way (10 s before, 10 s after; a device change: the
        /// same room shape at another delay), with noise at −60 dBFS; and the same speech through the new path all along
        /// (<see cref="SettledEcho"/>, <see cref="SettledMic"/>: what a canceller that never saw the jump is measured on).
        /// With an <c>afterSeed</c> the room after the jump is another one as well (headset to speakers).
        /// </summary>
        public sealed class JumpScene
        {
            public float[] Far, Echo, Noise, Mic, SettledEcho, SettledMic;
            public int Jump;

            public static JumpScene Make(int rate, (double From, double To, double Rt60, double EchoDb) path, int seed, double seconds = 20, int afterSeed = -1)
            {
                var s = new JumpScene { Far = EchoScenes.FarSpeech(rate, seconds), Jump = (int)(seconds / 2 * rate) };
                var before = EchoScenes.Echo(s.Far, EchoScenes.RoomImpulse(rate, path.Rt60, path.From, seed), path.EchoDb);
                var after = EchoScenes.Echo(s.Far, EchoScenes.RoomImpulse(rate, path.Rt60, path.To, afterSeed >= 0 ? afterSeed : seed), path.EchoDb);
                s.Echo = new float[s.Far.Length];
                for (var i = 0; i < s.Echo.Length; i++) s.Echo[i] = i < s.Jump ? before[i] : after[i];
                s.Noise = EchoScenes.Noise(s.Far.Length, NoiseDbfs, seed + 1);
                s.Mic = EchoScenes.Sum(s.Echo, s.Noise);
                s.SettledEcho = after;
                s.SettledMic = EchoScenes.Sum(after, s.Noise);
                return s;
            }

            /// <summary>A run over the scene from the jump on, placed in a scene-long output (silent before the jump).</summary>
            public float[] FromJump(float[] run)
            {
                var output = new float[SettledMic.Length];
                Array.Copy(run, 0, output, Jump, Math.Min(run.Length, output.Length - Jump));
                return output;
            }
        }

        /// <summary>
        /// Clock drift: the microphone samples the room at (1 + drift) × the output's rate, so its echo is the echo at the
        /// output's clock resampled by that ratio (the <see cref="Resampler"/>, an independent windowed-sinc), and the path
        /// delay moves drift × 1000 ms every second. The path starts at 60 ms for a fast microphone (the delay grows) and
        /// at 380 ms for a slow one (it shrinks), so a minute stays inside 20–440 ms. RT60 0.3 s, echo −6 dB.
        /// </summary>
        public sealed class DriftScene
        {
            public float[] Far, Echo, Noise, Mic, StillEcho, StillMic;
            public double StartMs, EndMs;
            /// <summary>
            /// Samples of the microphone that carry the echo of the whole reference: with the microphone slow (drift &lt; 0)
            /// the stretched echo ends |drift| × the length early while the reference plays on (10 ms at −166 ppm).
            /// </summary>
            public int EchoLength;

            public static DriftScene Make(int rate, double drift, double seconds, int seed)
            {
                var s = new DriftScene { Far = EchoScenes.FarSpeech(rate, seconds) };
                s.StartMs = drift > 0 ? 60 : 380;
                s.EndMs = s.StartMs + drift * seconds * 1000;
                s.StillEcho = EchoScenes.Echo(s.Far, EchoScenes.RoomImpulse(rate, 0.3, s.StartMs, seed), -6);
                var stretched = new Resampler(rate, (int)Math.Round(rate * (1 + drift))).ConvertClip(s.StillEcho);
                s.Echo = new float[s.Far.Length];
                Array.Copy(stretched, s.Echo, Math.Min(stretched.Length, s.Echo.Length));
                s.EchoLength = Math.Min(stretched.Length, s.Echo.Length);
                s.Noise = EchoScenes.Noise(s.Far.Length, NoiseDbfs, seed + 1);
                s.Mic = EchoScenes.Sum(s.Echo, s.Noise);
                s.StillMic = EchoScenes.Sum(s.StillEcho, s.Noise);
                return s;
            }
        }
    }
}
