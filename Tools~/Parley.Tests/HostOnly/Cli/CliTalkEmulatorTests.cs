using System;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// The README's main job, end to end: `parley talk --fast` against the bundled emulator over a real loopback
    /// WebSocket, through the package's own capture front end, playout and resampler.
    /// </summary>
    public class CliTalkEmulatorTests
    {
        string _dir;

        [SetUp]
        public void MakeDir()
        {
            _dir = Path.Combine(Path.GetTempPath(), "parley-talk-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void Clean()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        CliProcess.Result Talk(params string[] extra)
        {
            var args = new[] { "talk", "--fast", "--output", Path.Combine(_dir, "reply.wav"), "--events", Path.Combine(_dir, "events.jsonl"), "--metrics", Path.Combine(_dir, "metrics.json") };
            return CliProcess.Run(args.Concat(extra), 180000);
        }

        [Test]
        public void Talk_against_the_emulator_hears_replies_and_writes_events_metrics_and_audio()
        {
            var r = Talk();
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            var events = File.ReadAllLines(Path.Combine(_dir, "events.jsonl")).Select(JObject.Parse).ToList();
            var names = events.Select(e => (string)e["event"]).ToList();
            Assert.That(names, Does.Contain("connected"));
            Assert.That(names, Does.Contain("user.speech_started"));
            Assert.That(names, Does.Contain("agent.audible"));
            var times = events.Select(e => (double)e["t_ms"]).ToList();
            Assert.That(times, Is.Ordered, "t_ms is monotonic");

            var metrics = JObject.Parse(File.ReadAllText(Path.Combine(_dir, "metrics.json")));
            Assert.That((int)metrics["session"]["turns"], Is.GreaterThanOrEqualTo(2));
            // The bundled conversation is laid out to show both outcomes: whole replies, then one barge-in.
            Assert.That((int)metrics["session"]["completed_turns"], Is.GreaterThanOrEqualTo(1), "a reply heard to the end");
            Assert.That((int)metrics["session"]["interrupted_turns"], Is.GreaterThanOrEqualTo(1), "the third utterance interrupts");
            Assert.That(names, Does.Contain("interrupted"));

            // What the virtual speaker played: agent speech (the emulator's bundled clips), not silence.
            var reply = TestWav.Read(Path.Combine(_dir, "reply.wav"));
            var loud = reply.Samples.Count(s => Math.Abs(s) > 0.05f);
            Assert.That(loud, Is.GreaterThan(reply.SampleRate / 2), "at least half a second of audible agent speech");
        }
    }
}
