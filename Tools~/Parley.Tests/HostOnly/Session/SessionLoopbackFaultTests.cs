using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.Gemini;
using Parley.Providers.OpenAI;
using Parley.Servers.Gemini;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Session.Audio;
using Parley.Tests.Session.Support;

namespace Parley.Tests.HostOnly.Session
{
    /// <summary>
    /// The session's one reconnect against the loopback servers (real sockets), for the failures of issue 10:
    /// an OpenAI socket reset mid-reply, a Gemini goAway followed by a reply on the resumed connection, and a
    /// refused resume that falls back to a fresh connection seeded with the history.
    /// Outages are held open by a gate on the next connect, not by sleeping; every provider is behind the
    /// overlap guard.
    /// </summary>
    public class SessionLoopbackFaultTests
    {
        static readonly TimeSpan T = SessionEventRecorder.T;
        const string Key = "sk-test-emulator-key";

        [Test]
        public void OpenAI_socket_reset_mid_reply_reconnects_once_keeps_what_was_heard_and_delivers_the_outage_speech()
        {
            var emulator = OpenAIRealtimeEmulator.StartAsync(new OpenAIRealtimeEmulatorOptions
            {
                ExpectedKey = Key, Fault = EmulatorFault.DropMidReply, FaultLimit = 1, FaultAfterChunks = 3,
            }).WaitAsync(T).GetAwaiter().GetResult();
            try
            {
                var tokenRequests = 0;
                var credentials = new DelegateCredential(ct => { Interlocked.Increment(ref tokenRequests); return Task.FromResult(new Credential(Key)); });
                var outage = new HeldReconnects(() => new OpenAIRealtimeProvider(new OpenAIRealtimeOptions { Credentials = credentials, BaseUrl = emulator.Uri.ToString() }));
                Func<IVoiceProvider> factory = outage.Make;
                var speaker = new FakeSpeaker(24000);
                var options = new VoiceSessionOptions { RandomSeed = 3 };
                options.Reconnect.InitialDelay = TimeSpan.FromMilliseconds(200);
                var rec = new SessionEventRecorder();
                using (var s = new VoiceSession(factory, options, new InlineDispatcher(), speaker))
                {
                    s.EventRaised += rec.Add;
                    Assert.That(s.StartAsync(CancellationToken.None).Wait(T), Is.True);
                    s.SendTextAsync("Hello?", CancellationToken.None).Wait(T);
                    Assert.That(rec.WaitFor(r => r.Of<AgentFirstAudio>().Count == 1, s), Is.True, rec.Names());
                    speaker.Render(60); // the player hears the start of the reply
                    Assert.That(rec.WaitFor(r => r.Of<ReconnectingEvent>().Count == 1, s), Is.True, rec.Names());

                    // The outage: the player keeps talking (2.2 s of speech), the next connect is held.
                    Assert.That(s.State, Is.EqualTo(SessionState.Reconnecting));
                    var speech = SessionFixture.Speech("npc-price");
                    var heardBefore = emulator.HeardMs;
                    for (var i = 0; i < speech.Length; i += 480) s.SendAudio(new ReadOnlySpan<short>(speech, i, Math.Min(480, speech.Length - i)));
                    var silence = new short[24000]; // then a second of silence, so the server's VAD ends the turn
                    s.SendAudio(silence);
                    Assert.That(s.PendingInputSamples, Is.EqualTo(speech.Length + silence.Length));
                    outage.Release();

                    Assert.That(rec.WaitFor(r => r.Of<ReconnectedEvent>().Count == 1, s), Is.True, rec.Names());
                    Assert.That(rec.WaitFor(r => emulator.HeardMs - heardBefore >= (speech.Length + silence.Length) / 24.0 - 1, s), Is.True,
                        "the outage speech reached the new connection: " + (emulator.HeardMs - heardBefore) + " ms");
                    // The new connection answers the speech said during the outage.
                    Assert.That(rec.WaitFor(r => r.Of<TurnCompleted>().Any(t => t.Turn.Outcome == Parley.Session.Metrics.TurnOutcome.Completed) || r.Of<AgentFirstAudio>().Count == 2, s), Is.True, rec.Names());

                    var reconnecting = rec.Of<ReconnectingEvent>().Single();
                    Assert.That(reconnecting.DelayMs, Is.LessThanOrEqualTo(200), "first retry within the policy's initial delay (well under a second)");
                    Assert.That(reconnecting.Mode, Is.EqualTo(ReconnectMode.Fresh), "OpenAI cannot resume: history replayed");
                    var reconnected = rec.Of<ReconnectedEvent>().Single();
                    Assert.That(reconnected.BufferedAudioMs, Is.EqualTo((speech.Length + silence.Length) / 24.0).Within(0.01));
                    Assert.That(reconnected.DroppedAudioSamples, Is.EqualTo(0));
                    Assert.That(s.Metrics.Reconnects, Is.EqualTo(1));

                    // The cut reply is recorded as interrupted at what was heard.
                    var cut = rec.Of<Interrupted>().Single();
                    Assert.That(cut.Source, Is.EqualTo(InterruptionSource.ConnectionLost));
                    // 60 ms were rendered unless the reset outran the test (then nothing was heard): the truncation
                    // point is exactly what the speaker played either way.
                    Assert.That(cut.PlayedMs, Is.EqualTo(speaker.PlayedMs(cut.ItemId)));
                    Assert.That(cut.PlayedMs, Is.EqualTo(60).Or.EqualTo(0));
                    Assert.That(rec.Of<TurnCompleted>()[0].Turn.Outcome, Is.EqualTo(Parley.Session.Metrics.TurnOutcome.Interrupted));
                    var errors = rec.Of<SessionErrorEvent>();
                    Assert.That(errors.Count, Is.EqualTo(1), "one cause, reported once");
                    Assert.That(errors[0].Kind, Is.EqualTo(ProviderErrorKind.Transport));
                    Assert.That(errors[0].Recovery, Is.EqualTo(ErrorRecovery.Reconnecting));
                    Assert.That(errors[0].IsFatal, Is.False, "a recovered error never looks terminal");
                    Assert.That(rec.Of<Closed>(), Is.Empty);
                    Assert.That(emulator.Connections, Is.EqualTo(2));
                    Assert.That(tokenRequests, Is.EqualTo(2), "the credential source is asked again, once, for the reconnect");
                    Assert.That(s.RefusedTransitions, Is.EqualTo(0));

                    s.CloseAsync(CancellationToken.None).Wait(T);
                    Assert.That(rec.WaitFor(r => r.Of<Closed>().Count == 1, s), Is.True);
                    Assert.That(rec.Of<Closed>().Single().Kind, Is.EqualTo(CloseReason.ClosedByHost));
                }
                foreach (var g in outage.Guards) Assert.That(g.Violations, Is.Empty);
            }
            finally
            {
                emulator.DisposeAsync().AsTask().Wait(T);
            }
        }

        /// <summary>"Hello?" and its reply, the reconnect the server causes after it, then "And now?" and its reply, all played.</summary>
        static void TwoRepliesAroundAReconnect(VoiceSession s, PlayoutSpeaker speaker, SessionEventRecorder rec)
        {
            s.EventRaised += rec.Add;
            Assert.That(s.StartAsync(CancellationToken.None).Wait(T), Is.True);
            var buffer = new float[480];
            s.SendTextAsync("Hello?", CancellationToken.None).Wait(T);
            Assert.That(rec.WaitFor(r => { speaker.Render(buffer, 1); return r.Of<AgentPlaybackDone>().Count == 1; }, s), Is.True, rec.Names());
            Assert.That(rec.WaitFor(r => r.Of<ReconnectedEvent>().Count == 1, s), Is.True, rec.Names());
            s.SendTextAsync("And now?", CancellationToken.None).Wait(T);
            Assert.That(rec.WaitFor(r => { speaker.Render(buffer, 1); return r.Of<AgentPlaybackDone>().Count == 2; }, s), Is.True, rec.Names());
        }

        [Test]
        public void Gemini_one_goAway_gives_one_resume_and_the_next_reply_plays_with_a_fresh_item_id()
        {
            var server = GeminiLiveServer.StartAsync().GetAwaiter().GetResult();
            try
            {
                const int replySamples = 4800;
                server.Script = GeminiScenarios.GoAwayBetweenReplies(replySamples);
                var guards = new List<OverlapGuardProvider>();
                Func<IVoiceProvider> factory = () =>
                {
                    var g = new OverlapGuardProvider(new GeminiLiveProvider(new StaticCredential(server.ExpectedKey), new GeminiLiveOptions { Host = server.Host }), false);
                    lock (guards) guards.Add(g);
                    return g;
                };
                // The real speaker: it refuses audio for an item that has ended (what made the old session fail).
                var speaker = new PlayoutSpeaker(24000, 24000, 480);
                var rec = new SessionEventRecorder();
                using (var s = new VoiceSession(factory, new VoiceSessionOptions(), new InlineDispatcher(), speaker))
                {
                    TwoRepliesAroundAReconnect(s, speaker, rec);

                    Assert.That(server.Connections, Is.EqualTo(2), "one goAway, one resume");
                    Assert.That(rec.Of<ReconnectingEvent>().Count, Is.EqualTo(1));
                    Assert.That(rec.Of<ReconnectingEvent>()[0].Mode, Is.EqualTo(ReconnectMode.Resume));
                    Assert.That(rec.Of<ReconnectedEvent>()[0].ByHandle, Is.True);
                    var items = rec.Of<AgentPlaybackDone>().Select(d => d.ItemId).ToList();
                    Assert.That(items[0], Is.Not.EqualTo(items[1]), "item ids are unique for the session's life");
                    Assert.That(items, Is.EqualTo(new[] { "gemini-turn-1", "gemini-turn-1@c3" }), "the provider restarts its numbering; the session scopes it");
                    Assert.That(rec.Of<AgentPlaybackDone>().Select(d => d.PlayedMs), Is.All.EqualTo(replySamples / 24));
                    Assert.That(rec.Of<SessionErrorEvent>(), Is.Empty, "no internal exception surfaces as an error");
                    Assert.That(s.Metrics.PlayoutOverflows, Is.EqualTo(0));
                    Assert.That(s.Metrics.Reconnects, Is.EqualTo(1));
                    Assert.That(rec.Of<TurnCompleted>().Select(t => t.Turn.Outcome), Is.All.EqualTo(Parley.Session.Metrics.TurnOutcome.Completed));
                    Assert.That(s.RefusedTransitions, Is.EqualTo(0));
                }
                Assert.That(server.Problems, Is.Empty);
                lock (guards) foreach (var g in guards) Assert.That(g.Violations, Is.Empty);
            }
            finally
            {
                server.DisposeAsync().AsTask().Wait(T);
            }
        }
    
        [Test]
        public void Gemini_refused_resume_falls_back_to_a_fresh_connection_seeded_with_the_history_one_reconnect()
        {
            var server = GeminiLiveServer.StartAsync().GetAwaiter().GetResult();
            try
            {
                const int replySamples = 4800;
                var seeded = new List<JArray>();
                server.Script = GeminiScenarios.GoAwayResumeRefused(replySamples, t => { lock (seeded) seeded.Add(t); });
                Func<IVoiceProvider> factory = () => new OverlapGuardProvider(new GeminiLiveProvider(new StaticCredential(server.ExpectedKey), new GeminiLiveOptions { Host = server.Host }), false);
                var speaker = new PlayoutSpeaker(24000, 24000, 480);
                var rec = new SessionEventRecorder();
                using (var s = new VoiceSession(factory, new VoiceSessionOptions(), new InlineDispatcher(), speaker))
                {
                    TwoRepliesAroundAReconnect(s, speaker, rec);

                    Assert.That(server.Connections, Is.EqualTo(3), "the first, the refused resume, the fresh one");
                    Assert.That(rec.Of<ReconnectingEvent>().Select(r => r.Mode), Is.EqualTo(new[] { ReconnectMode.Resume, ReconnectMode.Fresh }));
                    Assert.That(rec.Of<ReconnectedEvent>().Single().ByHandle, Is.False);
                    Assert.That(s.Metrics.Reconnects, Is.EqualTo(1));
                    // The fresh connection was told what was said before: the player's line and the agent's answer.
                    JArray turns;
                    lock (seeded) turns = seeded.Single();
                    var said = turns.Select(t => (string)t["role"] + ":" + (string)t.SelectToken("parts[0].text")).ToList();
                    Assert.That(said, Is.EqualTo(new[] { "user:Hello?", "model:Hello there traveller." }));
                    Assert.That(rec.Of<SessionErrorEvent>().All(e => e.Recovery == ErrorRecovery.Reconnecting), Is.True, "the refusal is recovered, never terminal");
                    Assert.That(rec.Of<Closed>(), Is.Empty);
                    Assert.That(rec.Of<TurnCompleted>().Select(t => t.Turn.Outcome), Is.All.EqualTo(Parley.Session.Metrics.TurnOutcome.Completed));
                    Assert.That(s.RefusedTransitions, Is.EqualTo(0));
                }
                Assert.That(server.Problems, Is.Empty);
            }
            finally
            {
                server.DisposeAsync().AsTask().Wait(T);
            }
        }
}
}
