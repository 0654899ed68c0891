using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Servers.OpenAI;
using Parley.Session;

namespace Parley.Tests.HostOnly.OpenAI
{
    /// <summary>OpenAI's 60-minute cap: the session renews the connection before it and the new one gets the conversation back.</summary>
    public partial class OpenAIRealtimeConformanceTests
    {
        [Test]
        public void SessionCap_VoiceSessionRenewsBeforeSixtyMinutes_AndReplaysWhatWasSaid()
        {
            Start(new OpenAIRealtimeEmulatorOptions());
            var clock = new ManualClock();
            var events = new List<SessionEvent>();
            using (var session = new VoiceSession(() => NewProvider(), new VoiceSessionOptions { Loop = SessionLoop.Inline }, new InlineDispatcher(), clock: clock))
            {
                session.EventRaised += e => { lock (events) events.Add(e); };
                session.StartAsync(CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
                Assert.That(session.Capabilities.MaxSessionDuration, Is.EqualTo(TimeSpan.FromMinutes(60)));
                session.SendTextAsync("Where is the smith?", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
                WaitSession(session, events, () => events.OfType<TurnCompleted>().Any(), "the first turn");

                clock.Advance(TimeSpan.FromMinutes(57).TotalMilliseconds);
                session.Tick();
                Assert.That(session.WaitForReconnectAsync(), Is.SameAs(Task.CompletedTask), "three minutes left: no renewal started yet");
                clock.Advance(TimeSpan.FromMinutes(1.5).TotalMilliseconds);
                session.Tick();
                Assert.That(session.WaitForReconnectAsync().Wait(T), Is.True);
                Assert.That(_emulator.Connections, Is.EqualTo(2));
                lock (events) Assert.That(events.OfType<ReconnectingEvent>().Single().Reason, Does.Contain("cap"));

                // The new connection: session.update, then the conversation as items (no response asked for). The
                // emulator records frames as it reads them, so wait for both.
                List<string> client = null, replay = null;
                var second = -1;
                var deadline = DateTime.UtcNow + T;
                do
                {
                    if (replay != null) Thread.Sleep(20);
                    client = _emulator.ClientEvents.ToList();
                    second = client.FindLastIndex(e => e.Contains("\"session.update\""));
                    replay = client.Skip(second + 1).Where(e => e.Contains("conversation.item.create")).ToList();
                } while (replay.Count < 2 && DateTime.UtcNow < deadline);
                Assert.That(replay.Count, Is.EqualTo(2));
                Assert.That(replay[0], Does.Contain("\"role\":\"user\"").And.Contain("Where is the smith?"));
                Assert.That(replay[1], Does.Contain("\"role\":\"assistant\"").And.Contain("\"output_text\"")
                    .And.Contain(OpenAIRealtimeEmulator.DefaultReplyTexts["npc-greeting"]));
                Assert.That(client.Skip(second + 1).Any(e => e.Contains("response.create")), Is.False);
                lock (events) Assert.That(events.OfType<SessionErrorEvent>(), Is.Empty);
            }
        }

        static void WaitSession(VoiceSession session, List<SessionEvent> events, Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + T;
            while (true)
            {
                session.Tick();
                lock (events) if (condition()) return;
                if (DateTime.UtcNow > deadline) Assert.Fail("Timed out waiting for " + what + ".");
                Thread.Sleep(20);
            }
        }
    }
}
