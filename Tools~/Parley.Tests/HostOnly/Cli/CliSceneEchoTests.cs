using System;
using System.Linq;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// `parley scene --echo` (issue 13 item 5 inside Unity): what the AudioListener heard goes through a synthetic room
    /// into the simulated microphone on the device's own clock, and the real VoiceAgent's front end (the canceller on
    /// every agent's played voice, the echo guard, the local VAD) cleans it. The player's virtual clock runs the scene
    /// (no sleeps); event times are its `audio_ms`. Without the canceller the emulator's VAD hears the agent and it
    /// interrupts itself (the control: the echo does reach the microphone); with it, never.
    /// </summary>
    public class CliSceneEchoTests
    {
        /// <summary>The bundled conversation's first question, then 8 s of silence: the agent's reply plays over no player speech.</summary>
        static string QuestionOnly(TalkRun run)
        {
            var clip = TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav"));
            var q = CliTalkEchoTests.Segments()[0];
            var end = (int)((q.End + 200) * clip.SampleRate / 1000);
            var x = new float[end + 8 * clip.SampleRate];
            Array.Copy(clip.Samples, x, end);
            var path = run.PathOf("question.wav");
            TestWav.Write(path, x, clip.SampleRate, 1);
            return path;
        }

        [Test]
        public void With_the_echo_at_0_dB_and_no_player_speech_the_agent_never_interrupts_itself_and_without_the_canceller_it_does()
        {
            using (var off = new TalkRun())
            using (var server = new TalkRun())
            using (var local = new TalkRun())
            {
                var room = CliTalkEchoTests.Room(off, 0.4, 100, 0, 1);
                var input = QuestionOnly(off);

                var a = off.Scene(new[] { "--input", input, "--echo", room, "--aec", "off", "--max-seconds", "20" });
                Assert.That(a.ExitCode, Is.EqualTo(0), a.ToString());
                var aFront = off.Metrics()["scene"]["front_end"];
                Assert.That((string)aFront["canceller"], Is.EqualTo("none"));
                Assert.That((long)aFront["room_frames_heard"], Is.GreaterThan(48000 * 2), "the microphone heard the speakers");
                Assert.That(off.Events("interrupted").Count, Is.GreaterThan(0), "control: the provider's VAD hears the agent's uncancelled echo");

                var b = server.Scene(new[] { "--input", input, "--echo", room });
                Assert.That(b.ExitCode, Is.EqualTo(0), b.ToString());
                var bMetrics = server.Metrics();
                TestContext.WriteLine("server VAD: " + bMetrics["scene"]["front_end"]);
                Assert.That((string)bMetrics["scene"]["front_end"]["canceller"], Is.EqualTo("parley"));
                Assert.That(server.Events("interrupted"), Is.Empty, "cancelled: the provider's VAD never hears the agent");
                Assert.That((int)bMetrics["session"]["completed_turns"], Is.EqualTo(1), "the reply was heard whole");

                var c = local.Scene(new[] { "--input", input, "--echo", room, "--vad", "energy" });
                Assert.That(c.ExitCode, Is.EqualTo(0), c.ToString());
                var cMetrics = local.Metrics();
                TestContext.WriteLine("energy VAD: " + cMetrics["scene"]["front_end"]);
                Assert.That(local.Events("interrupted"), Is.Empty, "the local VAD behind the echo guard never fires on the agent");
                Assert.That((int)cMetrics["scene"]["front_end"]["raised_onsets"], Is.LessThanOrEqualTo(1), "at most the question's onset (before any reply)");
                Assert.That((int)cMetrics["session"]["completed_turns"], Is.EqualTo(1));
            }
        }

        /// <summary>
        /// `--echo-room DIR` keeps the agent's echo path between runs as a game does (the simulated player's
        /// persistentDataPath, MicrophoneCapture.KeepEchoPathBetweenRuns): the first run through a room starts cold and
        /// writes one file; a second run on the same directory reads it and its canceller starts warm; a run without the
        /// option, on the same room, starts cold.
        /// </summary>
        [Test]
        public void With_echo_room_the_next_run_through_the_same_room_starts_warm()
        {
            using (var first = new TalkRun())
            using (var second = new TalkRun())
            using (var without = new TalkRun())
            {
                var room = CliTalkEchoTests.Room(first, 0.4, 100, -6, 1);
                var dir = first.PathOf("player-data");

                var a = first.Scene(new[] { "--echo", room, "--echo-room", dir });
                Assert.That(a.ExitCode, Is.EqualTo(0), a.ToString());
                var aFront = first.Metrics()["scene"]["front_end"];
                TestContext.WriteLine("first run: " + aFront);
                Assert.That((bool)aFront["started_warm"], Is.False);
                Assert.That((int)aFront["echo_rooms_loaded"], Is.EqualTo(0));
                var files = System.IO.Directory.GetFiles(System.IO.Path.Combine(dir, "Parley", "EchoPaths"));
                Assert.That(files, Has.Length.EqualTo(1), "one room written when the conversation ended");

                var b = second.Scene(new[] { "--echo", room, "--echo-room", dir });
                Assert.That(b.ExitCode, Is.EqualTo(0), b.ToString());
                var bFront = second.Metrics()["scene"]["front_end"];
                TestContext.WriteLine("second run: " + bFront);
                Assert.That((int)bFront["echo_rooms_loaded"], Is.EqualTo(1));
                Assert.That((bool)bFront["started_warm"], Is.True, "the room the first run learnt was installed");

                var c = without.Scene(new[] { "--echo", room });
                Assert.That(c.ExitCode, Is.EqualTo(0), c.ToString());
                var cFront = without.Metrics()["scene"]["front_end"];
                Assert.That((bool)cFront["started_warm"], Is.False, "the control: no room kept");
                Assert.That(cFront["echo_rooms_loaded"].Type, Is.EqualTo(Newtonsoft.Json.Linq.JTokenType.Null));
            }
        }

        [Test]
        public void An_echo_room_that_is_a_file_is_refused()
        {
            using (var run = new TalkRun())
            {
                var file = run.PathOf("not-a-dir");
                System.IO.File.WriteAllText(file, "x");
                var r = run.Scene(new[] { "--echo-room", file });
                Assert.That(r.ExitCode, Is.EqualTo(3), r.ToString());
                Assert.That(r.Stderr, Does.Contain("--echo-room"));
            }
        }

        [Test]
        public void A_player_barge_in_over_the_echoed_reply_interrupts_it_on_the_local_VAD()
        {
            var onset = CliTalkEchoTests.BundledBargeInOnsetMs();
            using (var run = new TalkRun())
            {
                // −30 dB: the echo guard lets a player through who is clearly above the canceller's residual. At 0 and
                // −10 dB the bundled "Wait, stop" is held back, and at −20 dB it depends on the room (BENCHMARKS.md,
                // "Barge-in on the cancelled microphone": the front end's open item, the same in `talk`).
                var room = CliTalkEchoTests.Room(run, 0.4, 100, -30, 1);
                var r = run.Scene(new[] { "--echo", room, "--vad", "energy" });
                Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
                var interrupted = run.Events("interrupted");
                TestContext.WriteLine("labelled onset " + onset + " ms; interrupts: " + string.Join(", ", interrupted.Select(e => e["audio_ms"] + " ms (" + e["source"] + ")"))
                                      + "; front end " + run.Metrics()["scene"]["front_end"]);
                Assert.That(interrupted.Count, Is.EqualTo(1), "the player's barge-in, and nothing else");
                Assert.That((double)interrupted[0]["audio_ms"], Is.InRange(onset, onset + 400), "after the labelled onset, soon");
                Assert.That((string)interrupted[0]["source"], Is.EqualTo("local_vad"));
                Assert.That((double)interrupted[0]["latency_ms"], Is.InRange(5, 20), "flush + fade");
            }
        }
    }
}
