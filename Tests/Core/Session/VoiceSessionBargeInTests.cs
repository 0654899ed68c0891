using NUnit.Framework;
using Parley.Providers;
using Parley.Session;
using Parley.Session.Metrics;
using Parley.Tests.Session.Support;

namespace Parley.Tests.Session
{
    public class VoiceSessionBargeInTests
    {
        const string QuestText = "The bridge to the north washed away in the storm last night.";

        static (SessionFixture f, short[] reply) SpeakingAgent()
        {
            var f = new SessionFixture();
            var s = f.Start();
            var p = f.Provider;
            p.Raise(new UserSpeechStarted { ItemId = "u1" });
            p.Raise(new UserSpeechStopped { ItemId = "u1" });
            p.Raise(new ResponseStarted { ResponseId = "r1" });
            var reply = SessionFixture.Speech("npc-quest");
            // Half the reply has arrived when the player interrupts (the server streams faster than real time).
            var half = new short[reply.Length / 2];
            System.Array.Copy(reply, half, half.Length);
            p.Raise(new AgentTranscript { ItemId = "a1", Text = QuestText, IsFinal = false });
            p.Audio("a1", half);
            return (f, reply);
        }

        [Test]
        public void ProviderVadBargeInTruncatesAtThePlayedCursorAndKeepsHeardText()
        {
            var (f, reply) = SpeakingAgent();
            using (f)
            {
                var s = f.Session;
                var p = f.Provider;
                for (var i = 0; i < 50; i++) { f.Speaker.Render(20); f.Clock.Advance(20); s.Tick(); } // 1000 ms heard
                Assert.That(s.State, Is.EqualTo(SessionState.AgentSpeaking));

                f.Clock.Advance(5);
                p.Raise(new UserSpeechStarted { ItemId = "u2" });
                Assert.That(s.State, Is.EqualTo(SessionState.Interrupted));
                Assert.That(f.Speaker.Flushes, Is.EqualTo(1));
                Assert.That(f.Server.WaitFor(() => p.Interrupts.Count == 1), Is.True);
                Assert.That(p.Interrupts[0].ItemId, Is.EqualTo("a1"));
                Assert.That(p.Interrupts[0].PlayedMs, Is.EqualTo(1000));

                // Audio of the cancelled reply still in flight is not played.
                var before = f.Speaker.WrittenSamples;
                p.Audio("a1", reply);
                Assert.That(f.Speaker.WrittenSamples, Is.EqualTo(before));

                var ev = f.Of<Interrupted>();
                Assert.That(ev.Count, Is.EqualTo(1));
                Assert.That(ev[0].Source, Is.EqualTo(InterruptionSource.ProviderVad));
                Assert.That(ev[0].LatencyMs, Is.EqualTo(f.Speaker.FlushFadeMs).Within(0.01), "flush happens on the signal; only the fade remains");
                // 1000 of ~1780 ms received: the heard text is a whole-word prefix of the transcript, shorter than it.
                var receivedMs = reply.Length / 2 * 1000 / 24000;
                Assert.That(QuestText.StartsWith(ev[0].HeardText), Is.True);
                Assert.That(ev[0].HeardText.Length, Is.LessThan(QuestText.Length).And.GreaterThan(0));
                Assert.That(ev[0].HeardText.Length, Is.EqualTo(HeardText.Cut(QuestText, 1000, receivedMs).Length));
                var history = s.History();
                Assert.That(history[history.Count - 1].Role, Is.EqualTo(HistoryRole.Agent));
                Assert.That(history[history.Count - 1].Text, Is.EqualTo(ev[0].HeardText));

                // The final transcript of the cancelled item does not overwrite what was heard.
                p.Raise(new AgentTranscript { ItemId = "a1", Text = QuestText, IsFinal = true });
                Assert.That(s.History()[s.History().Count - 1].Text, Is.EqualTo(ev[0].HeardText));

                f.Clock.Advance(20);
                s.Tick();
                Assert.That(s.State, Is.EqualTo(SessionState.UserSpeaking));
                var turn = f.Of<TurnCompleted>()[0].Turn;
                Assert.That(turn.Outcome, Is.EqualTo(TurnOutcome.Interrupted));
                Assert.That(turn.PlayedMs, Is.EqualTo(1000));
                Assert.That(s.Metrics.TurnCompletionRate, Is.EqualTo(0.0));
            }
        }

        [Test]
        public void HostInterruptBeforeAnythingWasHeardTruncatesAtZero()
        {
            var (f, _) = SpeakingAgent();
            using (f)
            {
                f.Session.Interrupt();
                Assert.That(f.Server.WaitFor(() => f.Provider.Interrupts.Count == 1), Is.True);
                Assert.That(f.Provider.Interrupts[0].PlayedMs, Is.EqualTo(0));
                Assert.That(f.Of<Interrupted>()[0].HeardText, Is.EqualTo(""));
                f.Clock.Advance(50);
                f.Session.Tick();
                Assert.That(f.Session.State, Is.EqualTo(SessionState.Listening));
            }
        }

        [Test]
        public void ServerInterruptedFlushesPlayback()
        {
            var (f, _) = SpeakingAgent();
            using (f)
            {
                f.Speaker.Render(300);
                f.Session.Tick();
                f.Provider.Raise(new ServerInterrupted());
                Assert.That(f.Speaker.Flushes, Is.EqualTo(1));
                Assert.That(f.Speaker.QueuedSamples, Is.EqualTo(0));
                Assert.That(f.Of<Interrupted>()[0].Source, Is.EqualTo(InterruptionSource.Provider));
                Assert.That(f.Of<Interrupted>()[0].PlayedMs, Is.EqualTo(300));
            }
        }

        [Test]
        public void WithoutBargeInThePlayerCannotCutTheAgentOff()
        {
            var f = new SessionFixture();
            f.Options.BargeIn = false;
            using (f)
            {
                var s = f.Start();
                var p = f.Provider;
                Assert.That(p.Config.TurnDetection.InterruptResponse, Is.False);
                p.Raise(new UserSpeechStarted { ItemId = "u1" });
                p.Raise(new UserSpeechStopped { ItemId = "u1" });
                p.Raise(new ResponseStarted { ResponseId = "r1" });
                p.Audio("a1", SessionFixture.Speech("npc-greeting"));
                f.Speaker.Render(200);
                s.Tick();
                p.Raise(new UserSpeechStarted { ItemId = "u2" });
                Assert.That(f.Speaker.Flushes, Is.EqualTo(0));
                Assert.That(p.Interrupts, Is.Empty);
                Assert.That(s.State, Is.EqualTo(SessionState.AgentSpeaking));
            }
        }

        [Test]
        public void LateCancelledResponseDoesNotEndTheNextTurn()
        {
            var (f, _) = SpeakingAgent();
            using (f)
            {
                var s = f.Session;
                var p = f.Provider;
                f.Speaker.Render(400);
                s.Tick();
                p.Raise(new UserSpeechStarted { ItemId = "u2" });
                p.Raise(new UserSpeechStopped { ItemId = "u2" });
                Assert.That(s.State, Is.EqualTo(SessionState.AgentThinking));
                // The cancelled reply's done arrives after the player's next turn began.
                p.Raise(new ResponseDone { ResponseId = "r1", Status = ResponseStatus.Cancelled, Reason = "turn_detected" });
                Assert.That(s.State, Is.EqualTo(SessionState.AgentThinking), "still waiting for the answer to u2");
                p.Raise(new ResponseStarted { ResponseId = "r2" });
                p.Audio("a2", SessionFixture.Speech("npc-greeting"));
                p.Raise(new ResponseDone { ResponseId = "r2" });
                while (f.Speaker.Render(100) > 0) s.Tick();
                s.Tick();
                var turns = f.Of<TurnCompleted>();
                Assert.That(turns.Count, Is.EqualTo(2));
                Assert.That(turns[0].Turn.Outcome, Is.EqualTo(TurnOutcome.Interrupted));
                Assert.That(turns[1].Turn.Outcome, Is.EqualTo(TurnOutcome.Completed));
                Assert.That(turns[1].Turn.ItemId, Is.EqualTo("a2"));
            }
        }

        [TestCase("Hello traveller, what brings you to my forge?", 1000, 2000, "Hello traveller, what")]
        [TestCase("Hello traveller, what brings you to my forge?", 0, 2000, "")]
        [TestCase("Hello traveller, what brings you to my forge?", 2500, 2000, "Hello traveller, what brings you to my forge?")]
        [TestCase("Hello traveller", 500, 2000, "")]
        public void HeardTextCutsAtWholeWords(string text, int played, int received, string expected)
        {
            Assert.That(HeardText.Cut(text, played, received), Is.EqualTo(expected));
        }
    }
}
