using System;
using System.Threading;
using NUnit.Framework;
using Parley.Providers;
using Parley.Session;
using Parley.Session.Metrics;
using Parley.Tests.Session.Support;

namespace Parley.Tests.Session
{
    public class VoiceSessionTurnTests
    {
        [Test]
        public void ServerVadTurnWalksTheStatesAndMeasuresLatencies()
        {
            using (var f = new SessionFixture())
            {
                var s = f.Start();
                var p = f.Provider;
                Assert.That(s.State, Is.EqualTo(SessionState.Listening));
                Assert.That(p.Config.TurnDetection.Mode, Is.EqualTo(TurnDetectionMode.ServerVad));

                p.Raise(new UserSpeechStarted { ItemId = "u1" });
                Assert.That(s.State, Is.EqualTo(SessionState.UserSpeaking));
                f.Clock.Advance(2000);
                p.Raise(new UserSpeechStopped { ItemId = "u1" });
                Assert.That(s.State, Is.EqualTo(SessionState.AgentThinking));
                p.Raise(new UserTranscript { ItemId = "u1", Text = "Can you sharpen my sword before sunset?", IsFinal = true });

                f.Clock.Advance(300);
                p.Raise(new ResponseStarted { ResponseId = "r1" });
                f.Clock.Advance(200);
                var reply = SessionFixture.Speech("npc-greeting");
                p.Raise(new AgentTranscript { ItemId = "a1", Text = "Hello traveller, what brings you to my forge?", IsFinal = true });
                p.Audio("a1", reply);
                var usage = new TokenUsage { InputAudioTokens = 100, OutputAudioTokens = 200, TotalTokens = 300 };
                p.Raise(new ResponseDone { ResponseId = "r1", Status = ResponseStatus.Completed, Usage = usage });
                p.Raise(new UsageReported { Usage = usage, Source = "response" });
                s.Tick();
                Assert.That(s.State, Is.EqualTo(SessionState.AgentThinking), "nothing rendered yet");

                f.Clock.Advance(50);
                f.Speaker.Render(20);
                s.Tick();
                Assert.That(s.State, Is.EqualTo(SessionState.AgentSpeaking));

                var replyMs = reply.Length * 1000 / 24000;
                while (f.Speaker.Render(20) > 0) { f.Clock.Advance(20); s.Tick(); }
                s.Tick();
                Assert.That(s.State, Is.EqualTo(SessionState.Listening));
                Assert.That(f.Speaker.Rendered.Count, Is.EqualTo(reply.Length), "the whole reply reached the speaker");
                Assert.That(f.Speaker.Ended, Does.Contain("a1"), "the playout was told the item is complete");

                Assert.That(f.States(), Is.EqualTo(new[] { SessionState.Connecting, SessionState.Listening, SessionState.UserSpeaking,
                    SessionState.AgentThinking, SessionState.AgentSpeaking, SessionState.Listening }));
                var turns = f.Of<TurnCompleted>();
                Assert.That(turns.Count, Is.EqualTo(1));
                var t = turns[0].Turn;
                Assert.That(t.Outcome, Is.EqualTo(TurnOutcome.Completed));
                Assert.That(t.Trigger, Is.EqualTo("voice"));
                Assert.That(t.TtfbMs, Is.EqualTo(500).Within(0.01));
                Assert.That(t.TimeToFirstAudioMs, Is.EqualTo(550).Within(0.01));
                Assert.That(t.UserStopToBotStartMs, Is.EqualTo(550).Within(0.01));
                Assert.That(t.PlayedMs, Is.EqualTo(replyMs).Within(1));
                Assert.That(s.Metrics.Tokens.TotalTokens, Is.EqualTo(300));
                Assert.That(s.Metrics.TurnCompletionRate, Is.EqualTo(1.0));

                var h = s.History();
                Assert.That(h.Count, Is.EqualTo(2));
                Assert.That(h[0].Role, Is.EqualTo(HistoryRole.User));
                Assert.That(h[1].Text, Is.EqualTo("Hello traveller, what brings you to my forge?"));
            }
        }

        [Test]
        public void TurnPolicyBeyondTheProviderIsRefusedAtStart()
        {
            var server = new ScriptedServer();
            server.Capabilities.ManualTurns = false;
            var s = new VoiceSession(server.Create, new VoiceSessionOptions { TurnTaking = TurnTaking.PushToTalk }, new InlineDispatcher());
            var e = Assert.Throws<SessionConfigurationException>(() => s.StartAsync(CancellationToken.None).GetAwaiter().GetResult());
            Assert.That(e.Message, Does.Contain("PushToTalk").And.Contain("ServerVad"));
            Assert.That(s.State, Is.EqualTo(SessionState.Idle));
            Assert.That(server.ConnectionCount, Is.EqualTo(0));
        }

        [Test]
        public void SemanticVadIsPassedToTheProvider()
        {
            using (var f = new SessionFixture())
            {
                f.Options.TurnTaking = TurnTaking.SemanticVad;
                f.Start();
                Assert.That(f.Provider.Config.TurnDetection.Mode, Is.EqualTo(TurnDetectionMode.SemanticVad));
            }
        }

        [Test]
        public void PushToTalkSendsManualTurnsAndTimesFromRelease()
        {
            using (var f = new SessionFixture())
            {
                f.Options.TurnTaking = TurnTaking.PushToTalk;
                var s = f.Start();
                Assert.That(f.Provider.Config.TurnDetection.Mode, Is.EqualTo(TurnDetectionMode.Manual));
                s.BeginUserTurn();
                Assert.That(s.State, Is.EqualTo(SessionState.UserSpeaking));
                var speech = SessionFixture.Speech("npc-price");
                s.SendAudio(speech);
                Assert.That(f.Server.WaitFor(() => f.Provider.SentSamples == speech.Length), Is.True, "audio reached the provider");
                f.Clock.Advance(1000);
                s.EndUserTurn();
                Assert.That(s.State, Is.EqualTo(SessionState.AgentThinking));
                Assert.That(f.Server.WaitFor(() => f.Provider.CallsSnapshot().Contains("end_turn")), Is.True);
                Assert.That(f.Provider.CallsSnapshot().IndexOf("start_turn"), Is.LessThan(f.Provider.CallsSnapshot().IndexOf("end_turn")));
                Assert.That(f.Provider.SentAudio.ToArray(), Is.EqualTo(speech));

                f.Clock.Advance(400);
                f.Provider.Raise(new ResponseStarted { ResponseId = "r" });
                f.Provider.Audio("a", SessionFixture.Speech("npc-quest"));
                f.Clock.Advance(100);
                f.Speaker.Render(20);
                s.Tick();
                Assert.That(s.State, Is.EqualTo(SessionState.AgentSpeaking));
                Assert.That(f.Of<AgentAudible>()[0].TimeToFirstAudioMs, Is.EqualTo(500).Within(0.01));
            }
        }

        [Test]
        public void ServerVadSessionRejectsManualTurnCalls()
        {
            using (var f = new SessionFixture())
            {
                var s = f.Start();
                Assert.Throws<InvalidOperationException>(() => s.BeginUserTurn());
            }
        }

        [Test]
        public void EventsReachTheHostOnTheThreadThatPumpsTheDispatcher()
        {
            var server = new ScriptedServer();
            var dispatcher = new QueuedDispatcher();
            var s = new VoiceSession(server.Create, new VoiceSessionOptions { Loop = SessionLoop.Inline }, dispatcher);
            var threads = new System.Collections.Generic.List<int>();
            var names = new System.Collections.Generic.List<string>();
            s.EventRaised += e => { threads.Add(Thread.CurrentThread.ManagedThreadId); names.Add(e.Name); };
            var start = System.Threading.Tasks.Task.Run(() => s.StartAsync(CancellationToken.None));
            Assert.That(start.Wait(TimeSpan.FromSeconds(10)), Is.True);
            // A provider event raised on another thread, like a receive task.
            Assert.That(System.Threading.Tasks.Task.Run(() => server.Current.Raise(new UserSpeechStarted { ItemId = "u" })).Wait(TimeSpan.FromSeconds(30)), Is.True);
            Assert.That(names, Is.Empty, "nothing runs before the host pumps");
            var ran = dispatcher.RunPending();
            Assert.That(ran, Is.GreaterThanOrEqualTo(4));
            Assert.That(names, Does.Contain("state").And.Contain("connected").And.Contain("user.speech_started"));
            Assert.That(threads, Is.All.EqualTo(Thread.CurrentThread.ManagedThreadId));
            s.Dispose();
        }
    }
}
