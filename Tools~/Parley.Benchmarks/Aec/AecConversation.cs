using System;
using System.Linq;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Benchmarks.Aec
{
    /// <summary>
    /// The canceller's linear filter in `parley scene --echo`'s conversation without the player: the emulator's two
    /// replies at the scene's times (npc-greeting at 3.51 s, npc-price at 11.33 s; the player's barge-in is labelled at
    /// 12.748 s) through EchoScenes.RoomImpulse(rate, RT60 0.4 s, 100 ms, seed 1) scaled to 0 dB, plus −60 dBFS noise,
    /// into an <see cref="EchoCanceller"/> at the scene's processing rate (the provider's: 24 kHz). Every 250 ms: the
    /// foreground's own gauge (FgErleDb), the linear ERLE measured (microphone over linear error energy in the span's
    /// blocks with echo ≥ 10 dB over the noise, before the suppressor), the delay estimate and Converged. Run:
    /// dotnet run -c Release --project "Tools~/Parley.Benchmarks" -- aec-scene [--rate R] [--offset-ms MS] [--echo-db G] [--quiet|--trace]
    /// (--trace adds the two-path state: the background filter's ERLE, foreground copies, background over foreground
    /// error, re-seeds; --echo-db sets the path's gain, 0 dB unless given). --warm runs the scene once first and starts
    /// the measured canceller from the room the first one learnt (EchoCanceller.StartFrom: the next conversation on the
    /// same devices); --warm-other does the same with a room learnt in another room (RT60 0.6 s, 40 ms, seed 2): a
    /// memory from other devices, which must cost nothing.
    /// </summary>
    public static class AecConversation
    {
        public const double BargeInSeconds = 12.748;
        const double Seconds = 14.5;

        public sealed class Result
        {
            /// <summary>Seconds of the agent's speech until the measured linear ERLE first reached 20 dB (NaN: never).</summary>
            public double To20Seconds = double.NaN;
            /// <summary>Measured linear ERLE over reply 1 from 2 s of speech on, and over reply 2 up to the barge-in.</summary>
            public double Reply1LateDb, Reply2BeforeBargeInDb;
            /// <summary>The same two spans for the background filter (the one that adapts), and its first 20 dB span.</summary>
            /// <summary>Wall time in the canceller per second of audio (ms; a loaded machine inflates it).</summary>
            public double CpuMsPerSecond;
            public double BackgroundReply1LateDb, BackgroundReply2Db, BackgroundTo20Seconds = double.NaN;
            /// <summary>Linear residual at the microphone over reply 2's last 0.5 s before the barge-in, dBFS.</summary>
            public double ResidualDbfs;
            /// <summary>The room the canceller learnt (EchoCanceller.SaveRoom at the end), and whether it started warm.</summary>
            public EchoRoom Room;
            public bool StartedWarm;
        }

        public static int Run(string[] args)
        {
            var rateAt = Array.IndexOf(args, "--rate");
            var rate = rateAt >= 0 ? int.Parse(args[rateAt + 1]) : 24000;
            var offAt = Array.IndexOf(args, "--offset-ms");
            var offset = offAt >= 0 ? double.Parse(args[offAt + 1], System.Globalization.CultureInfo.InvariantCulture) : 0;
            var gainAt = Array.IndexOf(args, "--echo-db");
            var echoDb = gainAt >= 0 ? double.Parse(args[gainAt + 1], System.Globalization.CultureInfo.InvariantCulture) : 0;
            EchoRoom start = null;
            if (args.Contains("--warm") || args.Contains("--warm-other"))
            {
                var other = args.Contains("--warm-other");
                start = Measure(rate, offset, false, false, echoDb, roomImpulse: other ? EchoScenes.RoomImpulse(rate, 0.6, 40, 2) : null).Room;
                Console.WriteLine(start == null ? "the first run saved no room: a cold start" : $"starting from the room learnt in a first run{(other ? " in another room (RT60 0.6 s, 40 ms, seed 2)" : "")}: path {start.PathDelayMs:0.0} ms");
            }
            var r = Measure(rate, offset, !args.Contains("--quiet"), args.Contains("--trace"), echoDb, start);
            if (start != null) Console.WriteLine(r.StartedWarm ? "\nthe room was installed (a warm start)" : "\nthe room was not installed");
            var to20 = double.IsNaN(r.To20Seconds) ? "never" : $"after {r.To20Seconds:0.00} s of agent speech";
            Console.WriteLine($"\nlinear ERLE ≥ 20 dB in a 250 ms span: {to20}; reply 1 from 2 s: {r.Reply1LateDb:0.0} dB; "
                + $"reply 2 to the barge-in: {r.Reply2BeforeBargeInDb:0.0} dB; linear residual over its last 0.5 s: {r.ResidualDbfs:0.0} dBFS");
            var bg20 = double.IsNaN(r.BackgroundTo20Seconds) ? "never" : $"{r.BackgroundTo20Seconds:0.00} s";
            Console.WriteLine($"background filter: 20 dB {bg20}; reply 1 from 2 s: {r.BackgroundReply1LateDb:0.0} dB; reply 2 to the barge-in: {r.BackgroundReply2Db:0.0} dB; canceller {r.CpuMsPerSecond:0.0} ms per s");
            return 0;
        }

        /// <summary>The scene's echo-only conversation through a fresh canceller; prints a row every 250 ms when asked.</summary>
        public static Result Measure(int rate, double offsetMs, bool print, bool trace = false, double echoDb = 0, EchoRoom startFrom = null, float[] roomImpulse = null)
        {
            var far = EchoScenes.SceneReplies(rate, Seconds, out var spans);
            var n = far.Length;
            var echo = EchoScenes.Convolve(far, EchoScenes.ScaledRoom(roomImpulse ?? EchoScenes.RoomImpulse(rate, 0.4, 100 + offsetMs, 1), echoDb), n);
            var noise = EchoScenes.Noise(n, -60, 7);
            var mic = EchoScenes.Sum(echo, noise);

            var aec = new EchoCanceller(rate);
            ParleyAec.Tune(ref aec.State, Environment.GetEnvironmentVariable("PARLEY_AEC_TUNE"));
            if (startFrom != null) aec.StartFrom(startFrom);
            var b = aec.BlockSize;
            var blocks = n / b;
            var micE = new double[blocks];
            var errE = new double[blocks];
            var bgE = new double[blocks];
            var echoed = new bool[blocks];
            var output = new float[b];
            var result = new Result();
            var noiseBlock = Math.Pow(10, -6.0) * b;
            if (print)
            {
                Console.WriteLine($"{rate} Hz, block {b}, filter {aec.FilterMs:0} ms; replies at {string.Join(", ", EchoScenes.SceneReplyTimes.Select(x => x.At + " s"))}; barge-in {BargeInSeconds} s");
                Console.WriteLine("| t (s) | agent speech (s) | FgErleDb | linear ERLE, measured (dB) | delay estimate (ms) | aligned (ms) | Converged |");
                Console.WriteLine("|---|---|---|---|---|---|---|");
            }
            var span = rate / 4 / b;
            var watch = new System.Diagnostics.Stopwatch();
            for (var j = 0; j < blocks; j++)
            {
                watch.Start();
                aec.Process(mic.AsSpan(j * b, b), far.AsSpan(j * b, b), output);
                watch.Stop();
                double m = 0, er = 0, ec = 0, eb = 0;
                var err = aec.LinearError;
                var bg = aec.BackgroundError;
                for (var i = 0; i < b; i++)
                {
                    eb += (double)bg[i] * bg[i];
                    m += (double)mic[j * b + i] * mic[j * b + i];
                    er += (double)err[i] * err[i];
                    ec += (double)echo[j * b + i] * echo[j * b + i];
                }
                micE[j] = m; errE[j] = er; bgE[j] = eb; echoed[j] = ec > 10 * noiseBlock;
                var t = (j + 1) * b / (double)rate;
                var spoken = Spoken(spans, (j + 1) * b, rate);
                if ((j + 1) % span != 0) continue;
                var db = Erle(micE, errE, echoed, j + 1 - span, j + 1);
                if (double.IsNaN(result.To20Seconds) && db >= 20) result.To20Seconds = spoken;
                var bgDb = Erle(micE, bgE, echoed, j + 1 - span, j + 1);
                if (double.IsNaN(result.BackgroundTo20Seconds) && bgDb >= 20) result.BackgroundTo20Seconds = spoken;
                if (!print) continue;
                ref var st = ref aec.State;
                var extra = trace ? $" background's ERLE {bgDb:0.0} dB, copies {st.ForegroundCopies}, bg/fg {10 * Math.Log10((st.ErrBgSmooth + 1e-20) / (st.ErrFgSmooth + 1e-20)):0.0} dB, reseeds {st.Reseeds}" : "";
                Console.WriteLine($"| {t:0.00} | {spoken:0.00} | {st.FgErleDb:0.0} | {(double.IsNaN(db) ? "–" : db.ToString("0.0"))} | {aec.EstimatedDelayMs:0} | {aec.DelayMs:0} | {st.Converged} |{extra}");
            }
            int B(double seconds) => Math.Min(blocks, (int)(seconds * rate / b));
            result.Reply1LateDb = Erle(micE, errE, echoed, B(EchoScenes.SceneReplyTimes[0].At + 2), B(spans[0].End / (double)rate));
            result.Reply2BeforeBargeInDb = Erle(micE, errE, echoed, B(EchoScenes.SceneReplyTimes[1].At), B(BargeInSeconds));
            result.CpuMsPerSecond = watch.Elapsed.TotalMilliseconds / Seconds;
            result.BackgroundReply1LateDb = Erle(micE, bgE, echoed, B(EchoScenes.SceneReplyTimes[0].At + 2), B(spans[0].End / (double)rate));
            result.BackgroundReply2Db = Erle(micE, bgE, echoed, B(EchoScenes.SceneReplyTimes[1].At), B(BargeInSeconds));
            double res = 0;
            for (var j = B(BargeInSeconds - 0.5); j < B(BargeInSeconds); j++) res += errE[j];
            result.ResidualDbfs = 10 * Math.Log10(res / ((B(BargeInSeconds) - B(BargeInSeconds - 0.5)) * b) + 1e-20);
            result.Room = aec.SaveRoom();
            result.StartedWarm = aec.StartedWarm;
            return result;
        }

        static double Spoken((int Start, int End)[] spans, int at, int rate) =>
            spans.Sum(s => Math.Max(0, Math.Min(at, s.End) - s.Start)) / (double)rate;

        static double Erle(double[] mic, double[] err, bool[] echoed, int from, int to)
        {
            double m = 0, r = 0;
            for (var j = Math.Max(0, from); j < to; j++)
                if (echoed[j]) { m += mic[j]; r += err[j]; }
            return m > 0 ? 10 * Math.Log10(m / (r + 1e-20)) : double.NaN;
        }
    }
}
