using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Providers;
using Parley.Session;
using Parley.Tests.Session.Support;

namespace Parley.Tests.Session
{
    /// <summary>The session as an actor: one loop, no overlapping control calls, the transition table, bounded state, no dropped events.</summary>
    public class VoiceSessionActorTests
    {
        static readonly SessionState[] AllStates = (SessionState[])Enum.GetValues(typeof(SessionState));

        [Test]
        public void TheTransitionTableHasNoWayOutOfClosedAndNoWayBackToIdle()
        {
            Assert.That(SessionTransitions.From(SessionState.Closed), Is.Empty);
            foreach (var from in AllStates)
            {
                Assert.That(SessionTransitions.IsAllowed(from, SessionState.Idle), Is.False, from + " → Idle");
                Assert.That(SessionTransitions.IsAllowed(from, from), Is.False, "no self-loops: " + from);
                if (from != SessionState.Closed) Assert.That(SessionTransitions.IsAllowed(from, SessionState.Closed), Is.True, from + " can close");
            }
            // Only the first connect leads out of Connecting, and only Reconnecting's two exits lead back from a reconnect.
            Assert.That(SessionTransitions.From(SessionState.Connecting), Is.EquivalentTo(new[] { SessionState.Listening, SessionState.Closed }));
            Assert.That(SessionTransitions.From(SessionState.Reconnecting), Is.EquivalentTo(new[] { SessionState.Listening, SessionState.AgentThinking, SessionState.AgentSpeaking, SessionState.Closed }));
            Assert.That(AllStates.Where(s => SessionTransitions.IsAllowed(s, SessionState.AgentSpeaking)), Is.EquivalentTo(new[] { SessionState.AgentThinking, SessionState.Reconnecting }),
                "audible from AgentThinking, or still playing across a reconnect");
        }

        [Test]
        public void ControlCallsNeverOverlapUnderConcurrentHostCallsProviderEventsAndToolResults()
        {
            var server = new ScriptedServer { SlowControlCalls = true };
            var options = new VoiceSessionOptions { TurnTaking = TurnTaking.PushToTalk, Loop = SessionLoop.Background, RandomSeed = 1 };
            options.Tools.Register("ping", "answers", "{\"type\":\"object\"}", args => "{\"pong\":true}");
            var events = new List<SessionEvent>();
            using (var s = new VoiceSession(server.Create, options, new InlineDispatcher(), new FakeSpeaker(24000)))
            {
                s.EventRaised += e => { lock (events) events.Add(e); };
                Assert.That(s.StartAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(10)), Is.True);
                var p = server.Current;
                const int N = 60;
                var texts = new List<Task>();
                var host = Task.Run(() =>
                {
                    for (var i = 0; i < N; i++)
                    {
                        s.BeginUserTurn();
                        s.SendAudio(new short[480]);
                        s.EndUserTurn();
                        s.Interrupt();
                        s.Tick();
                    }
                });
                var typing = Task.Run(() =>
                {
                    for (var i = 0; i < N; i++) lock (texts) texts.Add(s.SendTextAsync("line " + i, CancellationToken.None));
                });
                var serverSide = Task.Run(() =>
                {
                    for (var i = 0; i < N; i++)
                    {
                        p.Raise(new ResponseStarted { ResponseId = "r" + i });
                        p.Audio("a" + i, new short[960]);
                        p.Raise(new ToolCallRequested { CallId = "call_" + i, Name = "ping", ArgumentsJson = "{}" });
                        p.Raise(new ResponseDone { ResponseId = "r" + i });
                    }
                });
                Assert.That(Task.WaitAll(new[] { host, typing, serverSide }, TimeSpan.FromSeconds(30)), Is.True);
                Task[] sent;
                lock (texts) sent = texts.ToArray();
                Assert.That(Task.WaitAll(sent, TimeSpan.FromSeconds(30)), Is.True, "every text was taken");
                Assert.That(server.WaitFor(() => p.ToolResults.Count == N, 30000), Is.True, "every tool result went out: " + p.ToolResults.Count);
                var calls = p.CallsSnapshot();
                Assert.That(server.WaitFor(() => p.CallsSnapshot().Count(c => c == "end_turn") == N, 30000), Is.True);
                calls = p.CallsSnapshot();
                Assert.That(calls.Count(c => c == "start_turn"), Is.EqualTo(N));
                Assert.That(calls.Count(c => c.StartsWith("text:")), Is.EqualTo(N));
                Assert.That(server.Overlaps(), Is.Empty, "control calls overlapped");
                Assert.That(server.Guards[0].Calls, Is.GreaterThanOrEqualTo(4 * N), "the guard saw the calls");
                Assert.That(s.RefusedTransitions, Is.EqualTo(0));
                lock (events)
                    foreach (var e in events.OfType<StateChanged>())
                        Assert.That(SessionTransitions.IsAllowed(e.From, e.To), Is.True, e.From + " → " + e.To);
            }
        }

        [Test]
        public void InputIgnoredLatencyAndRateLimitsReachTheHost()
        {
            using (var f = new SessionFixture())
            {
                f.Start();
                f.Provider.Raise(new InputIgnored { Milliseconds = 400, Reason = "speaking" });
                f.Provider.Raise(new LatencyReported { ResponseId = "r1", AsrFinalDelayMs = 120, LlmFirstTokenMs = 300, TtsFirstByteMs = 90, UserStopToFirstAudioMs = 640 });
                f.Provider.Raise(new RateLimitsUpdated { Name = "tokens", Limit = 1000, Remaining = 10, ResetSeconds = 2.5 });
                var ignored = f.Of<InputIgnoredEvent>().Single();
                Assert.That(ignored.Milliseconds, Is.EqualTo(400));
                Assert.That(ignored.Reason, Is.EqualTo("speaking"));
                var latency = f.Of<LatencyEvent>().Single();
                Assert.That(new[] { latency.AsrFinalDelayMs, latency.LlmFirstTokenMs, latency.TtsFirstByteMs, latency.UserStopToFirstAudioMs }, Is.EqualTo(new[] { 120.0, 300, 90, 640 }));
                Assert.That(latency.ResponseId, Is.EqualTo("r1"));
                var limits = f.Of<RateLimitsEvent>().Single();
                Assert.That((limits.LimitName, limits.Limit, limits.Remaining, limits.ResetSeconds), Is.EqualTo(("tokens", 1000L, 10L, 2.5)));
            }
        }

        [Test]
        public void PerItemStateStaysBoundedOverALongSession()
        {
            using (var f = new SessionFixture())
            {
                f.Options.MaxHistoryItems = 50;
                var s = f.Start();
                var p = f.Provider;
                var reply = new short[2400];
                for (var turn = 0; turn < 400; turn++)
                {
                    p.Raise(new UserSpeechStarted { ItemId = "u" + turn });
                    p.Raise(new UserSpeechStopped { ItemId = "u" + turn });
                    if (turn % 3 != 0) p.Raise(new UserTranscript { ItemId = "u" + turn, Text = "question " + turn, IsFinal = true }); // some never get one
                    p.Raise(new ResponseStarted { ResponseId = "r" + turn });
                    p.Raise(new AgentTranscript { ItemId = "a" + turn, Text = "answer " + turn, IsFinal = false });
                    p.Audio("a" + turn, reply);
                    p.Raise(new ResponseDone { ResponseId = "r" + turn });
                    while (f.Speaker.Render(100) > 0) s.Tick();
                    s.Tick();
                    Assert.That(s.TrackedItems, Is.LessThanOrEqualTo(32), "turn " + turn);
                }
                Assert.That(s.History().Count, Is.LessThanOrEqualTo(50));
                Assert.That(s.History().Last().Text, Is.EqualTo("answer 399"));
                Assert.That(s.Metrics.Snapshot().CompletedTurns, Is.EqualTo(400));
            }
        }

        /// <summary>A provider whose audio sends complete only when the test says (a socket with no room).</summary>
        sealed class BusySocketProvider : ForwardingProvider
        {
            public readonly List<int> Sends = new List<int>();
            public TaskCompletionSource<bool> Pending;
            public BusySocketProvider(IVoiceProvider inner) : base(inner) { }
            public override ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken ct)
            {
                lock (Sends) Sends.Add(pcm.Length);
                var busy = Pending;
                if (busy == null) return Inner.SendAudioAsync(pcm, ct);
                return new ValueTask(busy.Task.ContinueWith(_ => Inner.SendAudioAsync(pcm, ct).AsTask(), TaskScheduler.Default).Unwrap());
            }
        }

        [Test]
        public void InlineSessionsSendThePlayersAudioOnTickAndWaitForABusySocketWithoutResending()
        {
            // WebGL's mode: SendAudio only copies (no thread-pool hop, no socket work in a capture callback); Tick sends
            // what the socket takes and looks again at a send still in flight on the next tick.
            var server = new ScriptedServer { Capabilities = { InputSampleRate = 16000 } };
            BusySocketProvider busy = null;
            var options = new VoiceSessionOptions { Loop = SessionLoop.Inline, SendChunkMs = 20 };
            using (var s = new VoiceSession(() => busy = new BusySocketProvider(server.Create()), options, new InlineDispatcher()))
            {
                Assert.That(s.StartAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(10)), Is.True);
                var p = server.Current;
                var frame = new short[320];
                for (var i = 0; i < frame.Length; i++) frame[i] = (short)(i + 1);

                s.SendAudio(frame);
                Assert.That(busy.Sends, Is.Empty, "SendAudio does not call the provider");
                Assert.That(s.PendingInputSamples, Is.EqualTo(320));
                s.Tick();
                Assert.That(busy.Sends, Is.EqualTo(new[] { 320 }));
                Assert.That(p.SentAudio, Is.EqualTo(frame), "sent whole on the tick");
                Assert.That(s.PendingInputSamples, Is.EqualTo(0));

                busy.Pending = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                s.SendAudio(frame);
                s.Tick();
                s.SendAudio(frame);
                s.Tick();
                s.Tick();
                Assert.That(busy.Sends, Is.EqualTo(new[] { 320, 320 }), "one send in flight: the socket is not given more until it finishes");
                Assert.That(s.PendingInputSamples, Is.EqualTo(640), "nothing leaves the backlog before its send succeeded");
                busy.Pending.SetResult(true);
                Assert.That(SpinWait.SpinUntil(() => p.SentAudio.Count == 640, TimeSpan.FromSeconds(30)), Is.True);
                busy.Pending = null;
                for (var t = 0; t < 3; t++) s.Tick();
                Assert.That(busy.Sends, Is.EqualTo(new[] { 320, 320, 320 }), "the next tick sent the rest once");
                Assert.That(p.SentAudio.Count, Is.EqualTo(960));
                Assert.That(p.SentAudio.Skip(640), Is.EqualTo(frame));
                Assert.That(s.PendingInputSamples, Is.EqualTo(0));
            }
        }
    }
}
