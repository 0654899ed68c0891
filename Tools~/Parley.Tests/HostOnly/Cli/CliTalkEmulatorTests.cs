using System;
using System.Linq;
using NUnit.Framework;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// `parley talk --fast` end to end (the README's main job runs the same conversation through `scene`) against the bundled emulator over a real loopback
    /// WebSocket, through the package's own capture front end, playout and resampler.
    /// </summary>
    public class CliTalkEmulatorTests
    {
        [Test]
        public void Talk_against_the_emulator_hears_replies_and_writes_events_metrics_and_audio()
        {
            using (var run = new TalkRun())
            {
                var r = run.Talk(new string[0]);
                Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
                var events = run.Events();
                var names = events.Select(e => (string)e["event"]).ToList();
                Assert.That(names, Does.Contain("connected"));
                Assert.That(names, Does.Contain("user.speech_started"));
                Assert.That(names, Does.Contain("agent.audible"));
                var times = events.Select(e => (double)e["t_ms"]).ToList();
                Assert.That(times, Is.Ordered, "t_ms is monotonic");

                var metrics = run.Metrics();
                Assert.That((int)metrics["session"]["turns"], Is.GreaterThanOrEqualTo(2));
                // The bundled conversation is laid out to show both outcomes: whole replies, then one barge-in.
                Assert.That((int)metrics["session"]["completed_turns"], Is.GreaterThanOrEqualTo(1), "a reply heard to the end");
                Assert.That((int)metrics["session"]["interrupted_turns"], Is.GreaterThanOrEqualTo(1), "the third utterance interrupts");
                Assert.That(names, Does.Contain("interrupted"));

                // What the virtual speaker played: agent speech (the emulator's bundled clips), not silence.
                var reply = run.Reply();
                var loud = reply.Samples.Count(s => Math.Abs(s) > 0.05f);
                Assert.That(loud, Is.GreaterThan(reply.SampleRate / 2), "at least half a second of audible agent speech");
            }
        }
    }
}
