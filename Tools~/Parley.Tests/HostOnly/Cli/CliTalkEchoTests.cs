using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// `parley talk --echo`: the agent's voice through a synthetic room into the microphone, over the loopback
    /// emulators. Without the canceller the provider's VAD hears the agent and it interrupts itself; with it (and the
    /// local VAD's echo guard) it never does, and the player's own voice over the reply interrupts it soon after the
    /// labelled onset. Timings are on the CLI's audio timeline (`audio_ms` of the events), not the wall clock.
    /// </summary>
    public class CliTalkEchoTests
    {
        /// <summary>The bundled conversation's labelled utterances (start_ms, end_ms, id).</summary>
        internal static List<(double Start, double End, string Id)> Segments() =>
            System.IO.File.ReadAllLines(PackagePaths.Fixture("audio", "conversation", "user-turns.segments.csv")).Skip(1).Where(l => l.Length > 0)
                .Select(l => l.Split(',')).Select(c => (double.Parse(c[0], CultureInfo.InvariantCulture), double.Parse(c[1], CultureInfo.InvariantCulture), c[2])).ToList();

        /// <summary>A room at 16 kHz (RT60, delay) whose echo is about <paramref name="levelDb"/> against what is played.</summary>
        internal static string Room(TalkRun run, double rt60, double delayMs, double levelDb, int seed)
        {
            var path = run.PathOf("room.wav");
            TestWav.Write(path, RoomTaps(rt60, delayMs, levelDb, seed), 16000, 1);
            return path;
        }

        /// <summary>The taps of <see cref="Room"/>'s room.wav, at <see cref="RoomRate"/>.</summary>
        internal static float[] RoomTaps(double rt60, double delayMs, double levelDb, int seed)
        {
            var h = EchoScenes.RoomImpulse(RoomRate, rt60, delayMs, seed);
            // Scale by the response's energy: white-ish speech comes out at levelDb (EchoScenes.Echo measures it exactly).
            double e = 0;
            foreach (var v in h) e += (double)v * v;
            var g = (float)(Math.Pow(10, levelDb / 20) / Math.Sqrt(e));
            for (var i = 0; i < h.Length; i++) h[i] *= g;
            return h;
        }

        internal const int RoomRate = 16000;

        /// <summary>BundledAudio's layout: the silence before each utterance, ms; each is cut with <see cref="BundledPadMs"/> on both sides.</summary>
        internal static readonly int[] BundledSilencesMs = { 700, 5000, 1800 };
        internal const int BundledPadMs = 100;

        /// <summary>
        /// Labelled onset of "Wait, stop, I changed my mind." on the bundled conversation's timeline (BundledAudio: 700,
        /// 5000 and 1800 ms of silence before the utterances, each cut with 100 ms on both sides), which the emulator's
        /// second reply is still playing over.
        /// </summary>
        internal static double BundledBargeInOnsetMs()
        {
            var seg = Segments();
            double at = 0;
            for (var i = 0; i < 2; i++) at += BundledSilencesMs[i] + (seg[i].End - seg[i].Start) + 2 * BundledPadMs;
            return at + BundledSilencesMs[2] + BundledPadMs;
        }

        [Test]
        public void The_agents_echo_interrupts_it_without_the_canceller_and_only_the_player_does_with_it()
        {
            var onset = BundledBargeInOnsetMs();
            using (var off = new TalkRun())
            using (var server = new TalkRun())
            using (var local = new TalkRun())
            {
                var room = Room(off, 0.4, 100, -6, 1);
                var a = off.Talk(new[] { "--echo", room, "--aec", "off" });
                Assert.That(a.ExitCode, Is.EqualTo(0), a.ToString());
                var selfInterruptions = off.Events("interrupted").Count(e => (double)e["audio_ms"] < onset);
                Assert.That(selfInterruptions, Is.GreaterThan(0), "control: the provider's VAD hears the uncancelled echo");

                var b = server.Talk(new[] { "--echo", room });
                Assert.That(b.ExitCode, Is.EqualTo(0), b.ToString());
                var bi = server.Events("interrupted");
                Assert.That(bi.Count(e => (double)e["audio_ms"] < onset), Is.EqualTo(0), "cancelled and gated: the provider's VAD hears no agent");

                var c = local.Talk(new[] { "--echo", room, "--vad", "silero" });
                Assert.That(c.ExitCode, Is.EqualTo(0), c.ToString());
                var ci = local.Events("interrupted");
                TestContext.WriteLine("silero interrupts: " + string.Join("; ", ci.Select(e => e.ToString(Newtonsoft.Json.Formatting.None))));
                Assert.That(ci.Count(e => (double)e["audio_ms"] < onset), Is.EqualTo(0), "the local VAD behind the echo guard");
                Assert.That(ci.Count, Is.LessThanOrEqualTo(1), "at most the player's barge-in");
                // Whether the guard let the player's "Wait, stop" through is measured, not asserted (BENCHMARKS.md, "Barge-in":
                // the guard holds a player who is not clearly louder than the canceller's residual back).
                TestContext.WriteLine("silero: the player's barge-in " + (ci.Count == 0 ? "not heard" : "heard, labelled onset → interrupt sent "
                    + ((double)ci[0]["audio_ms"] - onset).ToString("0", CultureInfo.InvariantCulture) + " ms, " + (string)ci[0]["source"])
                    + "; server VAD path: " + (bi.Count == 0 ? "not heard" : string.Join(", ", bi.Select(e => ((double)e["audio_ms"] - onset).ToString("0", CultureInfo.InvariantCulture) + " ms"))));
                if (ci.Count == 1) Assert.That((double)ci[0]["latency_ms"], Is.InRange(5, 20), "flush + fade");
            }
        }
    }
}
