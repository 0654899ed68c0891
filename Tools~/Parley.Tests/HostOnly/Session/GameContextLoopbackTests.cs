using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.Gemini;
using Parley.Providers.OpenAI;
using Parley.Servers.Gemini;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Tests.Session.Support;

namespace Parley.Tests.HostOnly.Session
{
    /// <summary>
    /// Game context without a reply (<see cref="VoiceSession.AddContextAsync"/>) over real sockets: the server gets
    /// the context in the shape its schema requires, starts no response for it, the next reply's request carries it,
    /// it is safe while the agent speaks and survives a reconnect. Outages are held open by a gate, not by sleeping.
    /// </summary>
    public class GameContextLoopbackTests
    {
        static readonly TimeSpan T = SessionEventRecorder.T;
        const string Key = "sk-test-emulator-key";
        const string Lantern = "The player picked up the lantern.";
        const string Gate = "The north gate is now open.";

        static T2 Done<T2>(Task<T2> t)
        {
            Assert.That(t.Wait(T), Is.True, "timed out");
            return t.Result;
        }

        static int Count(IEnumerable<string> events, string type) => events.Count(e => e.Contains("\"type\":\"" + type + "\""));

        [Test]
        public void OpenAI_context_while_the_agent_speaks_is_a_system_item_with_no_response_and_the_next_reply_carries_it()
        {
            var emulator = OpenAIRealtimeEmulator.StartAsync(new OpenAIRealtimeEmulatorOptions { ExpectedKey = Key }).WaitAsync(T).GetAwaiter().GetResult();
            try
            {
                var guard = (OverlapGuardProvider)null;
                Func<IVoiceProvider> factory = () => guard = new OverlapGuardProvider(
                    new OpenAIRealtimeProvider(new OpenAIRealtimeOptions { Credentials = new StaticCredential(Key), BaseUrl = emulator.Uri.ToString() }), false);
                var speaker = new FakeSpeaker(24000);
                var rec = new SessionEventRecorder();
                using (var s = new VoiceSession(factory, new VoiceSessionOptions(), new InlineDispatcher(), speaker))
                {
                    s.EventRaised += rec.Add;
                    Assert.That(s.StartAsync(CancellationToken.None).Wait(T), Is.True);
                    s.SendTextAsync("Hello?", CancellationToken.None).Wait(T);
                    Assert.That(rec.WaitFor(() => rec.Of<AgentFirstAudio>().Count == 1, s), Is.True, rec.Names());
                    speaker.Render(100); // the agent is speaking
                    Assert.That(rec.WaitFor(() => s.State == SessionState.AgentSpeaking, s), Is.True, rec.Names());

                    Assert.That(Done(s.AddContextAsync(Lantern)), Is.EqualTo(ContextDelivery.Sent), "OpenAI takes an item mid-response");
                    Assert.That(s.State, Is.EqualTo(SessionState.AgentSpeaking), "the reply goes on");
                    // The reply plays out whole: nothing cut it.
                    Assert.That(rec.WaitFor(() => rec.Of<AgentPlaybackDone>().Count == 1, s, () => speaker.Render(200)), Is.True, rec.Names());
                    Assert.That(rec.Of<Interrupted>(), Is.Empty);

                    var events = emulator.ClientEvents.ToList();
                    var item = events.Select(JObject.Parse).Single(e => (string)e["type"] == "conversation.item.create" && (string)e.SelectToken("item.role") == "system");
                    Assert.That((string)item.SelectToken("item.content[0].type"), Is.EqualTo("input_text"));
                    Assert.That((string)item.SelectToken("item.content[0].text"), Is.EqualTo(Lantern));
                    Assert.That(Count(events, "response.create"), Is.EqualTo(1), "no response for the context");
                    Assert.That(emulator.ResponseContexts.Count, Is.EqualTo(1));
                    Assert.That(rec.Of<ResponseStartedEvent>().Count, Is.EqualTo(1));

                    s.SendTextAsync("What do you sell?", CancellationToken.None).Wait(T);
                    Assert.That(rec.WaitFor(() => rec.Of<AgentPlaybackDone>().Count == 2, s, () => speaker.Render(200)), Is.True, rec.Names());
                    var second = emulator.ResponseContexts.Last();
                    Assert.That(second, Is.EqualTo(new[] { "user: Hello?", "system: " + Lantern, "user: What do you sell?" }), "the next reply is built with the context");
                    Assert.That(s.History().Where(h => h.Role == HistoryRole.System).Select(h => h.Text), Is.EqualTo(new[] { Lantern }));
                }
                Assert.That(emulator.Violations, Is.Empty, "every frame valid against the GA client schema");
                Assert.That(guard.Violations, Is.Empty);
            }
            finally { emulator.DisposeAsync().AsTask().Wait(T); }
        }

        [Test]
        public void OpenAI_context_survives_a_dropped_socket_before_and_during_the_outage_exactly_once()
        {
            var emulator = OpenAIRealtimeEmulator.StartAsync(new OpenAIRealtimeEmulatorOptions
            {
                ExpectedKey = Key, Fault = EmulatorFault.DropMidReply, FaultLimit = 1, FaultAfterChunks = 3,
            }).WaitAsync(T).GetAwaiter().GetResult();
            try
            {
                var outage = new HeldReconnects(() => new OpenAIRealtimeProvider(new OpenAIRealtimeOptions { Credentials = new StaticCredential(Key), BaseUrl = emulator.Uri.ToString() }));
                Func<IVoiceProvider> factory = outage.Make;
                var options = new VoiceSessionOptions { RandomSeed = 5 };
                options.Reconnect.InitialDelay = TimeSpan.FromMilliseconds(50);
                var speaker = new FakeSpeaker(24000);
                var rec = new SessionEventRecorder();
                using (var s = new VoiceSession(factory, options, new InlineDispatcher(), speaker))
                {
                    s.EventRaised += rec.Add;
                    Assert.That(s.StartAsync(CancellationToken.None).Wait(T), Is.True);
                    Assert.That(Done(s.AddContextAsync(Lantern)), Is.EqualTo(ContextDelivery.Sent));
                    s.SendTextAsync("Hello?", CancellationToken.None).Wait(T);
                    Assert.That(rec.WaitFor(() => rec.Of<ReconnectingEvent>().Count == 1, s), Is.True, rec.Names());

                    // During the outage: held for the new connection.
                    Assert.That(Done(s.AddContextAsync(Gate)), Is.EqualTo(ContextDelivery.Queued));
                    outage.Release();
                    Assert.That(rec.WaitFor(() => rec.Of<ReconnectedEvent>().Count == 1, s), Is.True, rec.Names());
                    s.SendTextAsync("Which way now?", CancellationToken.None).Wait(T);
                    Assert.That(rec.WaitFor(() => emulator.ResponseContexts.Count == 2, s, () => speaker.Render(200)), Is.True, rec.Names());

                    var fresh = emulator.ResponseContexts.Last();
                    Assert.That(fresh.Count(x => x == "system: " + Lantern), Is.EqualTo(1), string.Join(" | ", fresh));
                    Assert.That(fresh.Count(x => x == "system: " + Gate), Is.EqualTo(1), string.Join(" | ", fresh));
                    Assert.That(Array.IndexOf(fresh, "system: " + Lantern), Is.LessThan(Array.IndexOf(fresh, "user: Hello?")), "replayed in the order it happened");
                    Assert.That(fresh.Last(), Is.EqualTo("user: Which way now?"));
                    Assert.That(Count(emulator.ClientEvents, "response.create"), Is.EqualTo(2), "one per typed message, none for context");
                    Assert.That(s.History().Where(h => h.Role == HistoryRole.System).Select(h => h.Text), Is.EqualTo(new[] { Lantern, Gate }));
                    Assert.That(s.Metrics.Reconnects, Is.EqualTo(1));
                }
                Assert.That(emulator.Violations, Is.Empty);
                foreach (var g in outage.Guards) Assert.That(g.Violations, Is.Empty);
            }
            finally { emulator.DisposeAsync().AsTask().Wait(T); }
        }

        [Test]
        public void Gemini_context_while_the_model_generates_is_held_until_turnComplete_then_sent_as_clientContent_without_a_reply()
        {
            var server = GeminiLiveServer.StartAsync().GetAwaiter().GetResult();
            var scenario = new GeminiContextScenario();
            server.Script = scenario.Script;
            try
            {
                var outage = new HeldReconnects(() => new GeminiLiveProvider(new StaticCredential(server.ExpectedKey), new GeminiLiveOptions { Host = server.Host }));
                Func<IVoiceProvider> factory = outage.Make;
                var options = new VoiceSessionOptions();
                options.Reconnect.InitialDelay = TimeSpan.FromMilliseconds(50);
                var speaker = new FakeSpeaker(24000);
                var rec = new SessionEventRecorder();
                using (var s = new VoiceSession(factory, options, new InlineDispatcher(), speaker))
                {
                    s.EventRaised += rec.Add;
                    Assert.That(s.StartAsync(CancellationToken.None).Wait(T), Is.True);
                    s.SendTextAsync("Hello?", CancellationToken.None).Wait(T);
                    Assert.That(rec.WaitFor(() => rec.Of<AgentFirstAudio>().Count == 1, s), Is.True, rec.Names());

                    // The model is generating (held by the server's gate): clientContent now would cut it.
                    Assert.That(Done(s.AddContextAsync(Lantern)), Is.EqualTo(ContextDelivery.Queued));
                    s.Tick();
                    Assert.That(scenario.ClientContents, Is.Empty, "nothing sent while the model generates");
                    scenario.Release.Release();
                    Assert.That(rec.WaitFor(() => scenario.ClientContents.Count == 1, s, () => speaker.Render(100)), Is.True, rec.Names());
                    Assert.That(rec.WaitFor(() => rec.Of<AgentPlaybackDone>().Count == 1, s, () => speaker.Render(100)), Is.True, rec.Names());
                    var sent = scenario.ClientContents.Single();
                    Assert.That(sent.TurnComplete, Is.False, "context asks for no reply");
                    Assert.That(sent.Texts, Is.EqualTo(new[] { "user: " + Lantern }));
                    Assert.That(scenario.InterruptedByClientContent, Is.EqualTo(0));
                    Assert.That(scenario.RepliesStarted, Is.EqualTo(1), "no reply for the context");
                    Assert.That(rec.Of<Interrupted>(), Is.Empty);
                    Assert.That(rec.Of<AgentPlaybackDone>().Single().PlayedMs, Is.EqualTo(scenario.ReplyChunks * 100), "the reply played whole");

                    // Idle now: straight on the wire.
                    Assert.That(Done(s.AddContextAsync(Gate)), Is.EqualTo(ContextDelivery.Sent));
                    Assert.That(rec.WaitFor(() => scenario.ClientContents.Count == 2, s), Is.True, "the server read it");
                    Assert.That(scenario.RepliesStarted, Is.EqualTo(1));

                    // A dropped connection; context given during the outage goes out on the resumed connection.
                    server.Accepted.Last().Abort();
                    Assert.That(rec.WaitFor(() => rec.Of<ReconnectingEvent>().Count == 1, s), Is.True, rec.Names());
                    Assert.That(Done(s.AddContextAsync("A storm is coming.")), Is.EqualTo(ContextDelivery.Queued));
                    outage.Release();
                    Assert.That(rec.WaitFor(() => rec.Of<ReconnectedEvent>().Count == 1, s), Is.True, rec.Names());
                    Assert.That(rec.Of<ReconnectedEvent>().Single().ByHandle, Is.True);

                    s.SendTextAsync("What now?", CancellationToken.None).Wait(T);
                    Assert.That(rec.WaitFor(() => scenario.HistoryAtReply.Count == 2, s), Is.True, rec.Names());
                    scenario.Release.Release();
                    var history = scenario.HistoryAtReply.Last();
                    Assert.That(history, Is.EqualTo(new[]
                    {
                        "user: Hello?", "model: Reply to Hello?.", "user: " + Lantern, "user: " + Gate, "user: A storm is coming.", "user: What now?",
                    }), "the next reply's context carries every note once, in order");
                    Assert.That(scenario.ClientContents.Select(c => c.TurnComplete), Is.All.False);
                    Assert.That(s.History().Where(h => h.Role == HistoryRole.System).Select(h => h.Text), Is.EqualTo(new[] { Lantern, Gate, "A storm is coming." }));
                    Assert.That(rec.WaitFor(() => rec.Of<AgentPlaybackDone>().Count == 2, s, () => speaker.Render(100)), Is.True, rec.Names());
                }
                Assert.That(server.Problems, Is.Empty);
                foreach (var g in outage.Guards) Assert.That(g.Violations, Is.Empty);
            }
            finally
            {
                scenario.Release.Release(10);
                server.DisposeAsync().AsTask().Wait(T);
            }
        }
    }
}
