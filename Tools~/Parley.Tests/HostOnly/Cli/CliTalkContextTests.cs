using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Servers.OpenAI;
using Parley.Tests.HostOnly.SelfHosted;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>`parley talk --context-at MS:TEXT`: game context on the scripted conversation's timeline, without a reply.</summary>
    public class CliTalkContextTests
    {
        [Test]
        public void Context_at_a_time_reaches_the_server_as_a_system_item_and_the_reply_is_built_with_it_without_one_of_its_own()
        {
            const string note = "The player holds a lantern.";
            var key = "sk-test-" + Guid.NewGuid().ToString("N");
            var emulator = CascadeHarness.Run(OpenAIRealtimeEmulator.StartAsync(new OpenAIRealtimeEmulatorOptions { ExpectedKey = key, PlaybackSpeed = 1 }));
            using (var run = new TalkRun())
            {
                CliProcess.Result r;
                try
                {
                    r = run.Talk(new[]
                    {
                        "--speed", "1",   // this emulator runs in the test process (as in CliTalkReconnectTests)
                        "--provider", "openai", "--url", emulator.Uri.GetLeftPart(UriPartial.Authority), "--model", "gpt-realtime-mini",
                        "--input", PackagePaths.Fixture("audio", "speech", "user-question-48k.wav"),
                        "--context-at", "300:" + note,
                    }, new Dictionary<string, string> { ["OPENAI_API_KEY"] = key });
                }
                finally
                {
                    CascadeHarness.Run(emulator.DisposeAsync().AsTask());
                }
                Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
                var added = run.Events("context.added").Single();
                Assert.That((string)added["text"], Is.EqualTo(note));
                Assert.That((string)added["delivery"], Is.EqualTo("sent"));
                Assert.That((double)added["audio_ms"], Is.InRange(300, 310));
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
