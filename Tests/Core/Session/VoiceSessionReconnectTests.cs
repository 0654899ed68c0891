using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Providers;
using Parley.Session;
using Parley.Tests.Session.Support;

namespace Parley.Tests.Session
{
    public class VoiceSessionReconnectTests
    {
        [Test]
        public void AudioSpokenDuringAReconnectIsSentAfterIt()
        {
            using (var f = new SessionFixture())
            {
                var s = f.Start();
                var first = f.Provider;
                var speech = SessionFixture.Speech("npc-price");
                var a = new short[speech.Length / 2];
                var b = new short[speech.Length - a.Length];
                Array.Copy(speech, a, a.Length);
                Array.Copy(speech, a.Length, b, 0, b.Length);
                s.SendAudio(a);
                Assert.That(f.Server.WaitFor(() => first.SentSamples == a.Length), Is.True);

                f.Server.ConnectGate = new TaskCompletionSource<bool>(); // the new connection hangs until released
                f.Server.FailConnects = 1;                               // and the first retry fails
                first.Drop();
                Assert.That(f.Server.WaitFor(() => s.State == SessionState.Reconnecting), Is.True);
                s.SendAudio(b); // the player keeps talking
                Assert.That(s.PendingInputSamples, Is.EqualTo(b.Length));
                f.Server.ConnectGate.SetResult(true);
                Assert.That(s.WaitForReconnectAsync().Wait(TimeSpan.FromSeconds(10)), Is.True);
                Assert.That(s.State, Is.EqualTo(SessionState.Listening));
                var second = f.Provider;
                Assert.That(second, Is.Not.SameAs(first));
                Assert.That(f.Server.WaitFor(() => second.SentSamples == b.Length), Is.True, "buffered audio sent after the reconnect");
                Assert.That(second.SentAudio.ToArray(), Is.EqualTo(b));
                var r = f.Of<ReconnectedEvent>();
                Assert.That(r.Count, Is.EqualTo(1));
                Assert.That(r[0].Attempts, Is.EqualTo(2));
                Assert.That(r[0].BufferedAudioMs, Is.EqualTo(b.Length * 1000.0 / 24000).Within(0.1));
                Assert.That(f.Of<ReconnectingEvent>().Count, Is.EqualTo(2));
                Assert.That(s.Metrics.Reconnects, Is.EqualTo(1));
            }
        }

        [Test]
        public void BufferedAudioIsBoundedAndDropsTheOldest()
        {
            using (var f = new SessionFixture())
            {
                f.Options.Reconnect.MaxBufferedAudio = TimeSpan.FromMilliseconds(500);
                var s = f.Start();
                f.Server.ConnectGate = new TaskCompletionSource<bool>();
                f.Provider.Drop();
                Assert.That(f.Server.WaitFor(() => s.State == SessionState.Reconnecting), Is.True);
                var speech = SessionFixture.Speech("npc-quest"); // longer than the 500 ms bound
                s.SendAudio(speech);
                Assert.That(s.PendingInputSamples, Is.EqualTo(12000));
                f.Server.ConnectGate.SetResult(true);
                Assert.That(s.WaitForReconnectAsync().Wait(TimeSpan.FromSeconds(10)), Is.True);
                var p = f.Provider;
                Assert.That(f.Server.WaitFor(() => p.SentSamples == 12000), Is.True);
                var tail = new short[12000];
                Array.Copy(speech, speech.Length - 12000, tail, 0, 12000);
                Assert.That(p.SentAudio.ToArray(), Is.EqualTo(tail), "the newest 500 ms survive");
                Assert.That(f.Of<ReconnectedEvent>()[0].DroppedAudioSamples, Is.EqualTo(speech.Length - 12000));
            }
        }

        [Test]
        public void WithoutResumptionTheHeardHistoryIsReplayed()
        {
            using (var f = new SessionFixture())
            {
                var s = f.Start();
                var p = f.Provider;
                p.Raise(new UserSpeechStopped { ItemId = "u1" });
                p.Raise(new UserTranscript { ItemId = "u1", Text = "How much is the blade?", IsFinal = true });
                p.Raise(new ResponseStarted { ResponseId = "r1" });
                p.Raise(new AgentTranscript { ItemId = "a1", Text = "A fine blade like this costs forty gold pieces.", IsFinal = true });
                p.Audio("a1", SessionFixture.Speech("npc-price"));
                p.Raise(new ResponseDone { ResponseId = "r1" });
                while (f.Speaker.Render(100) > 0) s.Tick();
                s.Tick();
                Assert.That(s.State, Is.EqualTo(SessionState.Listening));
                p.Drop();
                Assert.That(f.Server.WaitFor(() => f.Server.ConnectionCount == 2), Is.True);
                Assert.That(s.WaitForReconnectAsync().Wait(TimeSpan.FromSeconds(10)), Is.True);
                var cfg = f.Provider.Config;
                Assert.That(cfg.ResumeHandle, Is.Null);
                Assert.That(cfg.History.Count, Is.EqualTo(2));
                Assert.That(cfg.History[0].Text, Is.EqualTo("How much is the blade?"));
                Assert.That(cfg.History[1].Role, Is.EqualTo(HistoryRole.Agent));
            }
        }

        [Test]
        public void WithResumptionTheHandleIsUsedInsteadOfHistory()
        {
            using (var f = new SessionFixture())
            {
                f.Server.Capabilities.Resumption = true;
                var s = f.Start();
                f.Provider.Raise(new UserTranscript { ItemId = "u1", Text = "Hello", IsFinal = true });
                f.Provider.Raise(new ResumptionHandleUpdated { Handle = "handle-42" });
                f.Provider.Raise(new GoingAway { TimeLeft = TimeSpan.FromSeconds(50) });
                s.Tick(); // quiet moment: act on goAway now
                Assert.That(f.Server.WaitFor(() => f.Server.ConnectionCount == 2), Is.True);
                Assert.That(s.WaitForReconnectAsync().Wait(TimeSpan.FromSeconds(10)), Is.True);
                Assert.That(f.Provider.Config.ResumeHandle, Is.EqualTo("handle-42"));
                Assert.That(f.Provider.Config.History, Is.Empty);
                Assert.That(f.Of<ReconnectedEvent>()[0].ByHandle, Is.True);
                Assert.That(f.Server.Created[0].CallsSnapshot(), Does.Contain("disconnect"), "the old connection is closed by us");
            }
        }

        [Test]
        public void SessionIsRenewedBeforeTheProviderCap()
        {
            using (var f = new SessionFixture())
            {
                f.Server.Capabilities.MaxSessionDuration = TimeSpan.FromMinutes(60);
                var s = f.Start();
                f.Clock.Advance(TimeSpan.FromMinutes(57).TotalMilliseconds);
                s.Tick();
                Assert.That(f.Server.ConnectionCount, Is.EqualTo(1), "not yet: 3 minutes left, renewal at 2");
                f.Clock.Advance(TimeSpan.FromMinutes(1.5).TotalMilliseconds);
                s.Tick();
                Assert.That(f.Server.WaitFor(() => f.Server.ConnectionCount == 2), Is.True);
                Assert.That(s.WaitForReconnectAsync().Wait(TimeSpan.FromSeconds(10)), Is.True);
                Assert.That(f.Of<ReconnectingEvent>()[0].Reason, Does.Contain("cap"));
                Assert.That(f.Of<ReconnectingEvent>()[0].DelayMs, Is.EqualTo(0), "a planned renewal does not back off");
            }
        }

        [Test]
        public void ToolResultThatArrivesDuringAReconnectIsQueuedAndSentAfter()
        {
            using (var f = new SessionFixture())
            {
                var release = new TaskCompletionSource<bool>();
                f.Options.Tools.Register("check_stock", "stock of an item", "{\"type\":\"object\",\"properties\":{\"item\":{\"type\":\"string\"}}}",
                    async (args, ct) => { await release.Task; return "{\"count\":3}"; });
                var s = f.Start();
                var first = f.Provider;
                Assert.That(first.Config.Tools.Count, Is.EqualTo(1));
                first.Raise(new ToolCallRequested { CallId = "call_1", Name = "check_stock", ArgumentsJson = "{\"item\":\"sword\"}" });
                f.Server.ConnectGate = new TaskCompletionSource<bool>();
                first.Drop();
                Assert.That(f.Server.WaitFor(() => s.State == SessionState.Reconnecting), Is.True);
                release.SetResult(true); // the tool finishes while the connection is down
                Assert.That(f.Server.WaitFor(() => f.Of<ToolCallFinished>().Count == 1), Is.True);
                Assert.That(f.Of<ToolCallFinished>()[0].Queued, Is.True);
                Assert.That(first.ToolResults, Is.Empty);
                f.Server.ConnectGate.SetResult(true);
                Assert.That(s.WaitForReconnectAsync().Wait(TimeSpan.FromSeconds(10)), Is.True);
                var second = f.Provider;
                Assert.That(f.Server.WaitFor(() => second.ToolResults.Count == 1), Is.True, "sent on the new connection");
                Assert.That(second.ToolResults[0].callId, Is.EqualTo("call_1"));
                Assert.That(second.ToolResults[0].json, Is.EqualTo("{\"count\":3}"));
                Assert.That(f.Of<ReconnectedEvent>()[0].QueuedToolResults, Is.EqualTo(1));
                Assert.That(second.Config.History.Exists(h => h.Role == HistoryRole.ToolCall && h.CallId == "call_1"), Is.True);
            }
        }

        [Test]
        public void ToolCallInASessionIsAnsweredAndTimed()
        {
            using (var f = new SessionFixture())
            {
                f.Options.Tools.Register("ring_bell", "rings", "{\"type\":\"object\"}", args => "{\"rung\":true}");
                var s = f.Start();
                var p = f.Provider;
                p.Raise(new UserSpeechStopped { ItemId = "u1" });
                p.Raise(new ResponseStarted { ResponseId = "r1" });
                p.Raise(new ToolCallRequested { CallId = "c9", Name = "ring_bell", ArgumentsJson = "{}" });
                p.Raise(new ResponseDone { ResponseId = "r1" });
                Assert.That(f.Server.WaitFor(() => p.ToolResults.Count == 1), Is.True);
                Assert.That(p.ToolResults[0].json, Is.EqualTo("{\"rung\":true}"));
                Assert.That(s.State, Is.EqualTo(SessionState.AgentThinking), "waiting for the reply to the tool result");
                p.Raise(new ResponseStarted { ResponseId = "r2" });
                p.Audio("a2", SessionFixture.Speech("npc-greeting"));
                p.Raise(new ResponseDone { ResponseId = "r2" });
                while (f.Speaker.Render(100) > 0) s.Tick();
                s.Tick();
                Assert.That(s.State, Is.EqualTo(SessionState.Listening));
                var turns = f.Of<TurnCompleted>();
                Assert.That(turns.Count, Is.EqualTo(1), "tool round trip and reply are one turn");
                Assert.That(turns[0].Turn.ToolCallDurationsMs.Count, Is.EqualTo(1));
                Assert.That(s.Metrics.Snapshot().ToolCallDuration.Count, Is.EqualTo(1));
            }
        }

        [Test]
        public void OneGoAwayGivesExactlyOneResumeByHandleEvenWhenRepeatedAndFollowedByTheClose()
        {
            using (var f = new SessionFixture())
            {
                f.Server.Capabilities.Resumption = true;
                var s = f.Start();
                var first = f.Provider;
                first.Raise(new ResumptionHandleUpdated { Handle = "handle-1" });
                first.Raise(new GoingAway { TimeLeft = TimeSpan.FromSeconds(50) });
                first.Raise(new GoingAway { TimeLeft = TimeSpan.FromSeconds(4) }); // the same warning again
                Assert.That(f.Server.WaitFor(() => f.Server.ConnectionCount == 2), Is.True);
                Assert.That(s.WaitForReconnectAsync().Wait(TimeSpan.FromSeconds(10)), Is.True);
                first.Drop(); // the old connection's end, reported late: not a new cause
                s.Tick();
                Assert.That(f.Server.ConnectionCount, Is.EqualTo(2));
                Assert.That(f.Of<ReconnectingEvent>().Count, Is.EqualTo(1));
                Assert.That(f.Of<ReconnectingEvent>()[0].Mode, Is.EqualTo(ReconnectMode.Resume));
                Assert.That(f.Of<ReconnectingEvent>()[0].Planned, Is.True);
                Assert.That(f.Provider.Config.ResumeHandle, Is.EqualTo("handle-1"));
                Assert.That(s.Metrics.Reconnects, Is.EqualTo(1));
                Assert.That(f.Of<SessionErrorEvent>(), Is.Empty, "a planned renewal is not an error");
                Assert.That(f.Of<Closed>(), Is.Empty);
            }
        }

        [Test]
        public void ResumptionRefusedStartsAFreshSessionWithTheHistoryReplayed_OneReconnect()
        {
            using (var f = new SessionFixture())
            {
                f.Server.Capabilities.Resumption = true;
                var s = f.Start();
                var p = f.Provider;
                p.Raise(new UserSpeechStopped { ItemId = "u1" });
                p.Raise(new UserTranscript { ItemId = "u1", Text = "Where is the smith?", IsFinal = true });
                p.Raise(new ResumptionHandleUpdated { Handle = "stale-handle" });
                f.Server.FailConnects = 1; // the server refuses the resume
                p.Drop();
                Assert.That(s.WaitForReconnectAsync().Wait(TimeSpan.FromSeconds(10)), Is.True);
                Assert.That(s.State, Is.EqualTo(SessionState.AgentThinking).Or.EqualTo(SessionState.Listening));
                var tries = f.Server.Created;
                Assert.That(tries.Count, Is.EqualTo(3));
                Assert.That(tries[1].Config.ResumeHandle, Is.EqualTo("stale-handle"), "first: resume by handle");
                Assert.That(tries[2].Config.ResumeHandle, Is.Null, "then: fresh");
                Assert.That(tries[2].Config.History.Exists(h => h.Text == "Where is the smith?"), Is.True, "with the history replayed");
                var rec = f.Of<ReconnectingEvent>();
                Assert.That(rec.ConvertAll(r => r.Mode), Is.EqualTo(new[] { ReconnectMode.Resume, ReconnectMode.Fresh }));
                Assert.That(f.Of<ReconnectedEvent>().Count, Is.EqualTo(1));
                Assert.That(f.Of<ReconnectedEvent>()[0].ByHandle, Is.False);
                Assert.That(s.Metrics.Reconnects, Is.EqualTo(1));
                Assert.That(f.Of<SessionErrorEvent>().TrueForAll(e => e.Recovery == ErrorRecovery.Reconnecting && !e.IsFatal), Is.True, "recovered errors never look terminal");
            }
        }

        [Test]
        public void AReplyThatHadFullyArrivedPlaysOnAcrossAReconnectAndItsTurnCompletes()
        {
            using (var f = new SessionFixture())
            {
                var s = f.Start();
                var p = f.Provider;
                p.Raise(new UserSpeechStopped { ItemId = "u1" });
                p.Raise(new ResponseStarted { ResponseId = "r1" });
                p.Raise(new AgentTranscript { ItemId = "a1", Text = "Hello traveller, what brings you to my forge?", IsFinal = true });
                var reply = SessionFixture.Speech("npc-greeting");
                p.Audio("a1", reply);
                p.Raise(new ResponseDone { ResponseId = "r1" });
                f.Speaker.Render(200);
                s.Tick();
                Assert.That(s.State, Is.EqualTo(SessionState.AgentSpeaking));
                p.Drop(); // everything of the reply had arrived: nothing is cut
                Assert.That(s.WaitForReconnectAsync().Wait(TimeSpan.FromSeconds(10)), Is.True);
                Assert.That(s.State, Is.EqualTo(SessionState.AgentSpeaking), "still playing");
                Assert.That(f.Of<Interrupted>(), Is.Empty);
                while (f.Speaker.Render(100) > 0) s.Tick();
                s.Tick();
                Assert.That(s.State, Is.EqualTo(SessionState.Listening));
                Assert.That(f.Of<AgentPlaybackDone>().Single().PlayedMs, Is.EqualTo(reply.Length / 24));
                Assert.That(f.Of<TurnCompleted>().Single().Turn.Outcome, Is.EqualTo(Parley.Session.Metrics.TurnOutcome.Completed));
                Assert.That(s.History().Last().Text, Is.EqualTo("Hello traveller, what brings you to my forge?"));
            }
        }

        [Test]
        public void NCausesGiveExactlyNReconnects()
        {
            using (var f = new SessionFixture())
            {
                var s = f.Start();
                for (var i = 0; i < 5; i++)
                {
                    var p = f.Provider;
                    // Each loss is reported three ways (error, disconnect, a failed send): still one cause.
                    p.Drop();
                    s.SendAudio(new short[480]);
                    Assert.That(f.Server.WaitFor(() => f.Server.ConnectionCount == i + 2), Is.True);
                    Assert.That(s.WaitForReconnectAsync().Wait(TimeSpan.FromSeconds(10)), Is.True);
                }
                s.Tick();
                Assert.That(f.Server.ConnectionCount, Is.EqualTo(6));
                Assert.That(s.Metrics.Reconnects, Is.EqualTo(5));
                Assert.That(f.Of<ReconnectingEvent>().Count, Is.EqualTo(5));
                Assert.That(f.Of<ReconnectedEvent>().Count, Is.EqualTo(5));
                Assert.That(f.Of<Closed>(), Is.Empty);
                Assert.That(s.State, Is.EqualTo(SessionState.Listening));
            }
        }

        [Test]
        public void AnErrorTheProviderCannotRecoverFromClosesWithATypedReason()
        {
            using (var f = new SessionFixture())
            {
                var s = f.Start();
                f.Provider.Raise(new ProviderError { ErrorKind = ProviderErrorKind.Authentication, Code = "invalid_api_key", Message = "bad key", IsFatal = true });
                Assert.That(s.State, Is.EqualTo(SessionState.Closed));
                var closed = f.Of<Closed>().Single();
                Assert.That(closed.Kind, Is.EqualTo(CloseReason.ProviderRefused));
                Assert.That(closed.ErrorKind, Is.EqualTo(ProviderErrorKind.Authentication));
                Assert.That(closed.ErrorCode, Is.EqualTo("invalid_api_key"));
                Assert.That(f.Of<SessionErrorEvent>().Single().Recovery, Is.EqualTo(ErrorRecovery.Closing));
                Assert.That(f.Server.ConnectionCount, Is.EqualTo(1), "no reconnect for a refused key");
            }
        }

        [Test]
        public void ANonFatalProviderErrorIsReportedAndTheSessionGoesOn()
        {
            using (var f = new SessionFixture())
            {
                var s = f.Start();
                f.Provider.Raise(new ProviderError { ErrorKind = ProviderErrorKind.Protocol, Code = "malformed_json", Message = "skipped", IsFatal = false });
                var e = f.Of<SessionErrorEvent>().Single();
                Assert.That(e.Recovery, Is.EqualTo(ErrorRecovery.None));
                Assert.That(e.IsFatal, Is.False);
                Assert.That(s.State, Is.EqualTo(SessionState.Listening));
                Assert.That(f.Of<Closed>(), Is.Empty);
            }
        }

        [Test]
        public void FailedReconnectClosesTheSessionWithAnError()
        {
            using (var f = new SessionFixture())
            {
                f.Options.Reconnect.MaxAttempts = 2;
                var s = f.Start();
                f.Server.FailConnects = 5;
                f.Provider.Drop();
                Assert.That(f.Server.WaitFor(() => s.State == SessionState.Closed), Is.True);
                var err = f.Of<SessionErrorEvent>();
                Assert.That(err[err.Count - 1].Code, Is.EqualTo("reconnect_failed"));
                Assert.That(err[err.Count - 1].Recovery, Is.EqualTo(ErrorRecovery.Closing));
                Assert.That(err.GetRange(0, err.Count - 1).TrueForAll(e => !e.IsFatal), Is.True, "only the last error is terminal");
                Assert.That(f.Of<ReconnectingEvent>().Count, Is.EqualTo(2));
                Assert.That(f.Of<Closed>().Single().Kind, Is.EqualTo(CloseReason.ReconnectFailed));
            }
        }

        [Test]
        public void BackoffGrowsWithJitterAndIsCapped()
        {
            var p = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(2), Multiplier = 2, Jitter = 0.5 };
            var rnd = new Random(1);
            var seen = new System.Collections.Generic.HashSet<double>();
            for (var i = 0; i < 50; i++)
            {
                var d1 = p.DelayFor(1, rnd).TotalMilliseconds;
                var d3 = p.DelayFor(3, rnd).TotalMilliseconds;
                var d9 = p.DelayFor(9, rnd).TotalMilliseconds;
                Assert.That(d1, Is.InRange(50.0, 100.0));
                Assert.That(d3, Is.InRange(200.0, 400.0));
                Assert.That(d9, Is.InRange(1000.0, 2000.0));
                seen.Add(d3);
            }
            Assert.That(seen.Count, Is.GreaterThan(40), "jitter spreads the retries");
        }
    }
}
