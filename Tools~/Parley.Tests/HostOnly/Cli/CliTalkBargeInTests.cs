using System;
using System.Linq;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>`--barge-in-at MS`: the second utterance cuts the reply, and the reply WAV stops where the player stopped hearing it.</summary>
    public class CliTalkBargeInTests
    {
        [Test]
        public void A_barge_in_cuts_the_first_reply_where_it_was_heard()
        {
            var input = PackagePaths.Fixture("audio", "speech", "user-question-48k.wav");
            using (var whole = new TalkRun())
            using (var cut = new TalkRun())
            {
                var a = whole.Talk(new[] { "--input", input });
                Assert.That(a.ExitCode, Is.EqualTo(0), a.ToString());
                // The first reply starts about 2.9 s in (speech ends ~2.2 s, then 500 ms of VAD silence); cut it 1 s later.
                var firstAudible = whole.Events("agent.audible").First();
                var bargeAt = (int)(double)firstAudible["audio_ms"] + 1000;
                var b = cut.Talk(new[] { "--input", input, "--barge-in-at", bargeAt.ToString() });
                Assert.That(b.ExitCode, Is.EqualTo(0), b.ToString());

                var full = whole.Events("agent.playback_done").First();
                var fullMs = (double)full["played_ms"];
                Assert.That(whole.Events("interrupted"), Is.Empty);
                var interrupted = cut.Events("interrupted").Single();
                var heardMs = (double)interrupted["played_ms"];
                Assert.That((string)interrupted["source"], Is.EqualTo("provider_vad"));
                Assert.That(heardMs, Is.LessThan(fullMs - 500), "the interrupted reply is shorter");
                Assert.That((string)interrupted["heard_text"], Is.Not.Empty.And.Length.LessThan(((string)whole.Events("agent.transcript").Last(e => (bool)e["is_final"])["text"]).Length));

                // In the WAVs: the same reply until the cut; after it, silence in the interrupted run where the whole run still speaks.
                var cutAudible = (double)cut.Events("agent.audible").First()["audio_ms"];
                var cutAt = (double)interrupted["audio_ms"];
                Assert.That(cutAt - cutAudible, Is.EqualTo(heardMs).Within(100), "played_ms is what the speaker rendered");
                var w = whole.Reply();
                var c = cut.Reply();
                int At(double ms) => (int)(ms * w.SampleRate / 1000);
                Assert.That(TalkRun.RmsDb(c.Samples, At(cutAudible), At(cutAt - 20)), Is.GreaterThan(-35), "the reply was playing before the cut");
                var next = cut.Events("agent.audible").Skip(1).Select(e => (double)e["audio_ms"]).DefaultIfEmpty(cutAt + 1500).First();
                var after = At(cutAt + 30);
                var until = At(Math.Min(next, cutAt + 1500));
                Assert.That(until - after, Is.GreaterThan(w.SampleRate / 5), "a window after the cut to measure");
                Assert.That(TalkRun.RmsDb(c.Samples, after, until), Is.LessThan(-60), "silence after the cut (the reply was flushed)");
                var sameWindowInWhole = At((double)firstAudible["audio_ms"] + (cutAt + 30 - cutAudible));
                Assert.That(TalkRun.RmsDb(w.Samples, sameWindowInWhole, sameWindowInWhole + (until - after)), Is.GreaterThan(-40), "the uninterrupted reply was still speaking there");
            }
        }
    }
}
