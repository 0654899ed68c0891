using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NUnit.Framework;
using Parley.Servers.MiniCpmo;
using Parley.Tests.HostOnly.SelfHosted;
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
        static List<(double Start, double End, string Id)> Segments() =>
            System.IO.File.ReadAllLines(PackagePaths.Fixture("audio", "conversation", "user-turns.segments.csv")).Skip(1).Where(l => l.Length > 0)
                .Select(l => l.Split(',')).Select(c => (double.Parse(c[0], CultureInfo.InvariantCulture), double.Parse(c[1], CultureInfo.InvariantCulture), c[2])).ToList();

        /// <summary>A room at 16 kHz (RT60, delay) whose echo is about <paramref name="levelDb"/> against what is played.</summary>
        static string Room(TalkRun run, double rt60, double delayMs, double levelDb, int seed)
        {
            var h = EchoScenes.RoomImpulse(16000, rt60, delayMs, seed);
            // Scale by the response's energy: white-ish speech comes out at levelDb (EchoScenes.Echo measures it exactly).
            double e = 0;
            foreach (var v in h) e += (double)v * v;
            var g = (float)(Math.Pow(10, levelDb / 20) / Math.Sqrt(e));
            for (var i = 0; i < h.Length; i++) h[i] *= g;
            var path = run.PathOf("room.wav");
            TestWav.Write(path, h, 16000, 1);
            return path;
        }

        /// <summary>
        /// Labelled onset of "Wait, stop, I changed my mind." on the bundled conversation's timeline (BundledAudio: 700,
        /// 5000 and 1800 ms of silence before the utterances, each cut with 100 ms on both sides), which the emulator's
        /// second reply is still playing over.
        /// </summary>
        static double BundledBargeInOnsetMs()
        {
            var seg = Segments();
            var silences = new[] { 700.0, 5000.0, 1800.0 };
            double at = 0;
            for (var i = 0; i < 2; i++) at += silences[i] + (seg[i].End - seg[i].Start) + 200;
            return at + silences[2] + 100;
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
                Assert.That(ci.Count(e => (double)e["audio_ms"] < onset), Is.EqualTo(0), "the local VAD behind the echo guard");
                Assert.That(ci, Has.Count.EqualTo(1), "the player's barge-in");
                Assert.That((string)ci[0]["source"], Is.EqualTo("local_vad"));
                var latency = (double)ci[0]["audio_ms"] - onset;
                TestContext.WriteLine("silero: labelled onset → interrupt sent " + latency.ToString("0", CultureInfo.InvariantCulture) + " ms (server VAD path: "
                    + string.Join(", ", bi.Select(e => ((double)e["audio_ms"] - onset).ToString("0", CultureInfo.InvariantCulture))) + " ms)");
                Assert.That(latency, Is.GreaterThan(0).And.LessThanOrEqualTo(120));
                Assert.That((double)ci[0]["latency_ms"], Is.InRange(5, 20), "flush + fade");
            }
        }

        static MiniCpmoServer MiniCpmo()
        {
            // After /stop the server ignores input a while (model_server.py's extra wait; shortened: the timeline runs 8×).
            var script = new MiniCpmoScript { ExtraWait = TimeSpan.FromMilliseconds(400) };
            // A long reply, so the player talks over it after the echo guard has learned the room.
            var reply = Pcm.Speech("npc-quest", 24000).Concat(Pcm.Speech("trainer-answer", 24000)).Concat(Pcm.Speech("npc-price", 24000)).ToArray();
            script.Replies.Enqueue((Pcm.Text("npc-quest"), reply));
            script.Replies.Enqueue((Pcm.Text("npc-greeting"), Pcm.Speech("npc-greeting", 24000)));
            return CascadeHarness.Run(MiniCpmoServer.StartAsync(script));
        }

        [Test]
        public void MiniCpmo_gets_stop_soon_after_the_onset_and_then_the_players_words()
        {
            var input = PackagePaths.Fixture("audio", "speech", "user-question-48k.wav");
            const string clip = "user-interrupt";
            var first = MiniCpmo();
            var second = MiniCpmo();
            try
            {
                using (var whole = new TalkRun())
                using (var cut = new TalkRun())
                {
                    var room = Room(whole, 0.4, 100, -6, 4);
                    string[] Args(MiniCpmoServer s) => new[] { "--provider", "minicpmo", "--url", s.BaseUri.ToString(), "--input", input, "--echo", room, "--vad", "silero" };
                    var a = whole.Talk(Args(first));
                    Assert.That(a.ExitCode, Is.EqualTo(0), a.ToString());
                    var audible = (double)whole.Events("agent.audible")[0]["audio_ms"];
                    var bargeAt = (int)audible + 2500;
                    var b = cut.Talk(Args(second).Concat(new[] { "--barge-in-at", bargeAt.ToString(CultureInfo.InvariantCulture), "--barge-in-wav", PackagePaths.Fixture("audio", "speech", clip + "-48k.wav") }));
                    Assert.That(b.ExitCode, Is.EqualTo(0), b.ToString());

                    var interrupted = cut.Events("interrupted");
                    Assert.That(interrupted, Has.Count.EqualTo(1), b.ToString());
                    Assert.That((string)interrupted[0]["source"], Is.EqualTo("local_vad"));
                    Assert.That(second.Stops, Is.EqualTo(1), "POST /stop");
                    var onset = bargeAt + VadCorpus.SpeechIntervals(clip)[0].Start;
                    var latency = (double)interrupted[0]["audio_ms"] - onset;
                    TestContext.WriteLine("MiniCPM-o: labelled onset → /stop posted " + latency.ToString("0", CultureInfo.InvariantCulture) + " ms");
                    Assert.That(latency, Is.GreaterThan(0).And.LessThanOrEqualTo(300));

                    // The server ignored the player while it spoke; the kept audio reached it after the stop as a turn.
                    Assert.That(second.TurnAudio.Count, Is.EqualTo(2), "the question, then the barge-in");
                    var turn = second.TurnAudio.ToArray()[1].Select(v => v / 32768f).ToArray();
                    var words = TestWav.Speech(clip, 16000).Samples;
                    var (lag, whole_) = BestMatch(turn, words);
                    TestContext.WriteLine("the barge-in turn matches the player's clip: correlation " + whole_.ToString("0.00", CultureInfo.InvariantCulture) + " at " + (lag / 16.0).ToString("0", CultureInfo.InvariantCulture) + " ms");
                    Assert.That(whole_, Is.GreaterThan(0.5), "the player's words are in the turn the server heard");
                    // From the first word: the clip's first 400 ms of speech line up there too.
                    var s0 = VadCorpus.SpeechIntervals(clip)[0].Start * 16;
                    var head = Ncc(turn, lag + s0, words, s0, 16 * 400);
                    TestContext.WriteLine("first 400 ms of speech: correlation " + head.ToString("0.00", CultureInfo.InvariantCulture));
                    Assert.That(head, Is.GreaterThan(0.5), "the onset was kept, not only what followed the stop");
                    Assert.That(cut.Events("agent.audible"), Has.Count.EqualTo(2), "the agent answered the barge-in");
                }
            }
            finally
            {
                CascadeHarness.Run(first.DisposeAsync().AsTask());
                CascadeHarness.Run(second.DisposeAsync().AsTask());
            }
        }

        /// <summary>The lag of <paramref name="y"/> in <paramref name="x"/> with the highest normalised correlation (FFT).</summary>
        static (int Lag, double Ncc) BestMatch(float[] x, float[] y)
        {
            var rev = y.Reverse().ToArray();
            var c = EchoScenes.Convolve(x, rev, x.Length + y.Length - 1);
            var best = 0;
            for (var i = y.Length - 1; i < c.Length; i++) if (c[i] > c[best]) best = i;
            var lag = best - (y.Length - 1);
            return (lag, Ncc(x, lag, y, 0, y.Length));
        }

        static double Ncc(float[] x, int xAt, float[] y, int yAt, int n)
        {
            double xy = 0, xx = 0, yy = 0;
            for (var i = 0; i < n; i++)
            {
                var a = xAt + i >= 0 && xAt + i < x.Length ? x[xAt + i] : 0f;
                var b = yAt + i < y.Length ? y[yAt + i] : 0f;
                xy += a * b; xx += a * a; yy += b * b;
            }
            return xy / Math.Sqrt(xx * yy + 1e-20);
        }
    }
}
