using System;
using System.Collections.Generic;
using NUnit.Framework;
using Parley.Providers;
using Parley.Session;
using Parley.Session.Audio;
using Parley.Tests.Session.Support;
using Parley.Tests.Support;
using Parley.Transport;

namespace Parley.Tests.Session
{
    public class SessionMetricsTests
    {
        [Test]
        public void CostSplitsCachedInputFromTheRest()
        {
            var table = PriceTable.OpenAIExamples();
            var u = new TokenUsage { InputTextTokens = 1000, InputAudioTokens = 10000, CachedInputTokens = 3000, CachedInputAudioTokens = 2000, OutputTextTokens = 200, OutputAudioTokens = 5000 };
            // 3000 cached: 2000 of them audio (as the vendor reports), so 1000 text → text 0 + 1000 cached, audio 8000 + 2000 cached.
            var expected = (0 * 4 + 1000 * 0.4 + 8000 * 32 + 2000 * 0.4 + 200 * 16 + 5000 * 64) / 1e6;
            Assert.That(table.Cost("gpt-realtime-2025-08-28", u), Is.EqualTo(expected).Within(1e-12));
            Assert.That(table.Cost("some-other-model", u), Is.Null, "no prices, no estimate");
        }

        /// <summary>
        /// The real OpenAI provider under the session, fed the vendor's own GA example frames: the usage of a
        /// response.done and of an input transcription is counted once each, and priced by model.
        /// </summary>
        [Test]
        public void SessionCostIsTheTokensOfEachUsageTimesItsModelsPrices()
        {
            var wire = new ScriptedWebSocketTransport();
            var factory = new Func<IVoiceProvider>(() => new Parley.Providers.OpenAI.OpenAIRealtimeProvider(new Parley.Providers.OpenAI.OpenAIRealtimeOptions
            {
                Credentials = new Parley.Providers.Auth.StaticCredential("sk-unit-test"), TransportFactory = () => wire,
            }));
            wire.EnqueueText("{\"type\":\"session.created\",\"event_id\":\"e1\",\"session\":{\"type\":\"realtime\",\"model\":\"gpt-realtime\"}}");
            wire.EnqueueText("{\"type\":\"session.updated\",\"event_id\":\"e2\",\"session\":{\"type\":\"realtime\"}}");
            var events = new List<SessionEvent>();
            using (var s = new VoiceSession(factory, new VoiceSessionOptions { Loop = SessionLoop.Inline }, new InlineDispatcher(), new FakeSpeaker(24000)))
            {
                s.EventRaised += e => { lock (events) events.Add(e); };
                Assert.That(s.StartAsync(System.Threading.CancellationToken.None).Wait(TimeSpan.FromSeconds(10)), Is.True);
                var examples = Newtonsoft.Json.Linq.JObject.Parse(System.IO.File.ReadAllText(PackagePaths.Fixture("protocols", "openai-realtime", "ga-examples.json")))["valid"];
                wire.EnqueueText(examples["RealtimeServerEventConversationItemInputAudioTranscriptionCompleted"].ToString(Newtonsoft.Json.Formatting.None));
                wire.EnqueueText(examples["RealtimeServerEventResponseDone"].ToString(Newtonsoft.Json.Formatting.None));
                // A sentinel behind them: the session handles events in order, so once its event reached the host
                // every usage the two examples could have produced (a double count included) has too.
                wire.EnqueueText(examples["RealtimeServerEventRateLimitsUpdated"].ToString(Newtonsoft.Json.Formatting.None));
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (DateTime.UtcNow < deadline && Count<RateLimitsEvent>(events) == 0) System.Threading.Thread.Sleep(5);
                Assert.That(Count<RateLimitsEvent>(events), Is.GreaterThan(0), "the sentinel arrived");
                Assert.That(Count<UsageEvent>(events), Is.EqualTo(2));

                var m = s.Metrics.Snapshot();
                // response.done: 253 tokens; the transcription: 22 (gpt-4o-mini-transcribe, the default model).
                Assert.That(m.Tokens.TotalTokens, Is.EqualTo(253 + 22));
                // gpt-realtime: 119 text in of which 64 cached, 13 audio in, 30 text out, 91 audio out; transcription 22 x $3.
                var response = ((119 - 64) * 4 + 64 * 0.4 + 13 * 32 + 30 * 16 + 91 * 64) / 1e6;
                var transcription = 22 * 3 / 1e6;
                Assert.That(m.CostUsd, Is.EqualTo(response + transcription).Within(1e-12));
                Assert.That(s.Metrics.CostUsd, Is.EqualTo(m.CostUsd));
            }
        }

        static int Count<T>(List<SessionEvent> events)
        {
            lock (events) return events.FindAll(e => e is T).Count;
        }

        [Test]
        public void CompletionRateAndSummariesCoverEveryTurn()
        {
            using (var f = new SessionFixture())
            {
                var s = f.Start();
                var p = f.Provider;
                var reply = SessionFixture.Speech("npc-greeting");
                for (var turn = 0; turn < 3; turn++)
                {
                    p.Raise(new UserSpeechStarted { ItemId = "u" + turn });
                    f.Clock.Advance(1000);
                    p.Raise(new UserSpeechStopped { ItemId = "u" + turn });
                    f.Clock.Advance(100 * (turn + 1));
                    p.Raise(new ResponseStarted { ResponseId = "r" + turn });
                    p.Audio("a" + turn, reply);
                    var usage = new TokenUsage { InputAudioTokens = 1000, OutputAudioTokens = 1000, TotalTokens = 2000 };
                    p.Raise(new ResponseDone { ResponseId = "r" + turn, Usage = usage });
                    p.Raise(new UsageReported { Usage = usage, Source = "response", Model = "gpt-realtime", EstimatedCostUsd = PriceTable.OpenAIExamples().Cost("gpt-realtime", usage) });
                    f.Speaker.Render(20);
                    s.Tick();
                    if (turn < 2) { while (f.Speaker.Render(100) > 0) s.Tick(); s.Tick(); }
                    else p.Raise(new UserSpeechStarted { ItemId = "barge" });
                }
                var m = s.Metrics.Snapshot();
                Assert.That(m.Turns, Is.EqualTo(3));
                Assert.That(m.CompletedTurns, Is.EqualTo(2));
                Assert.That(m.InterruptedTurns, Is.EqualTo(1));
                Assert.That(m.TurnCompletionRate, Is.EqualTo(2 / 3.0).Within(1e-9));
                Assert.That(m.Ttfb.Count, Is.EqualTo(3));
                Assert.That(m.Ttfb.P50, Is.EqualTo(200).Within(1e-9));
                Assert.That(m.Ttfb.Max, Is.EqualTo(300).Within(1e-9));
                Assert.That(m.InterruptionLatency.Count, Is.EqualTo(1));
                Assert.That(m.Tokens.TotalTokens, Is.EqualTo(6000));
                Assert.That(m.CostUsd, Is.EqualTo((3000 * 32 + 3000 * 64) / 1e6).Within(1e-12));
                var usageEvents = f.Of<UsageEvent>();
                Assert.That(usageEvents.Count, Is.EqualTo(3), "the usage on ResponseDone is the same tokens: counted once");
                Assert.That(usageEvents[usageEvents.Count - 1].CostUsd, Is.EqualTo(m.CostUsd).Within(1e-12));
            }
        }

        [Test]
        public void Usage_without_prices_is_counted_as_unpriced_not_as_free()
        {
            using (var f = new SessionFixture())
            {
                var s = f.Start();
                var priced = new TokenUsage { InputAudioTokens = 1000, OutputAudioTokens = 500, TotalTokens = 1500 };
                var unpriced = new TokenUsage { InputAudioTokens = 400, TotalTokens = 400 };
                f.Provider.Raise(new UsageReported { Usage = priced, Source = "response", Model = "gpt-realtime", EstimatedCostUsd = 0.064 });
                f.Provider.Raise(new UsageReported { Usage = unpriced, Source = "response", Model = "unknown-model" });
                f.Provider.Raise(new UsageReported { Usage = new TokenUsage(), Source = "response", Model = "unknown-model" });
                s.Tick();
                var m = s.Metrics.Snapshot();
                Assert.That(m.Tokens.TotalTokens, Is.EqualTo(1900));
                Assert.That(m.CostUsd, Is.EqualTo(0.064).Within(1e-12));
                Assert.That(m.UnpricedUsageReports, Is.EqualTo(1), "an empty report costs nothing and is not unpriced");
            }
        }

        [Test]
        public void InputBacklogKeepsOrderAcrossTheWrap()
        {
            var b = new InputBacklog(10);
            b.Write(new short[] { 1, 2, 3, 4, 5, 6, 7 });
            var tmp = new short[4];
            Assert.That(b.Peek(tmp), Is.EqualTo(4));
            b.Consume(4);
            b.Write(new short[] { 8, 9, 10, 11, 12, 13, 14, 15 }); // 3 + 8 = 11 > 10: drops 5
            Assert.That(b.Count, Is.EqualTo(10));
            Assert.That(b.Dropped, Is.EqualTo(1));
            var all = new short[10];
            Assert.That(b.Peek(all), Is.EqualTo(10));
            Assert.That(all, Is.EqualTo(new short[] { 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 }));
        }
    }
}
