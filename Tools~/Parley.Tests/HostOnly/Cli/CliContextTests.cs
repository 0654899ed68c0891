using System.Linq;
using NUnit.Framework;
using Parley.Servers.OpenAI;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// `parley talk|scene --context-at MS:TEXT`: game context on the scripted conversation's timeline, without a reply
    /// (scene: the simulated game calls VoiceAgent.AddContext when the player's clock reaches MS).
    /// </summary>
    public class CliContextTests
    {
        // Both stamp the note with the clock as it read when the game gave it, not when the send completed: talk's 10 ms
        // input slices, scene's player frames (60 per second, 10 % jitter). Stamping the delivery instead let a loaded
        // machine push the scene's time 102.7 ms late (stop 48's verify).
        [TestCase("talk", 10)]
        [TestCase("scene", 1000.0 / 60 * 1.1)]
        public void Context_at_a_time_reaches_the_server_as_a_system_item_and_the_reply_is_built_with_it_without_one_of_its_own(string command, double lateMs)
        {
            const string note = "The player holds a lantern.";
            using (var run = new TalkRun())
            {
                var r = run.AgainstOpenAIEmulator(command, new OpenAIRealtimeEmulatorOptions { PlaybackSpeed = 1 }, out var emulator, "--context-at", "300:" + note);
                Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
                var added = run.Events("context.added").Single();
                Assert.That((string)added["text"], Is.EqualTo(note));
                Assert.That((string)added["delivery"], Is.EqualTo("sent"));
                TestContext.WriteLine(command + ": context.added at " + added["audio_ms"] + " ms");
                Assert.That((double)added["audio_ms"], Is.InRange(300, 300 + lateMs));
                Assert.That(emulator.ClientEvents.Count(e => e.Contains("\"role\":\"system\"") && e.Contains(note)), Is.EqualTo(1));
                Assert.That(emulator.ClientEvents.Count(e => e.Contains("\"type\":\"response.create\"")), Is.Zero, "server VAD answers the question; nothing asked for a reply");
                Assert.That(emulator.ResponseContexts.Count, Is.EqualTo(1), "one reply: the question's");
                Assert.That(emulator.ResponseContexts.Single(), Is.EqualTo(new[] { "system: " + note }), "the reply is built with the context");
                Assert.That(run.Events("agent.response_started").Count, Is.EqualTo(1));
                Assert.That(emulator.Violations, Is.Empty);
            }
        }

        [Test]
        public void A_malformed_context_note_is_a_usage_error()
        {
            using (var run = new TalkRun())
            {
                var r = run.Talk(new[] { "--context-at", "soon:the lantern" });
                Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
                Assert.That(r.Stderr, Does.Contain("--context-at takes MS:TEXT"));
            }
        }
    }
}
