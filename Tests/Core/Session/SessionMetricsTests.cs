using System;
using NUnit.Framework;
using Parley.Providers;
using Parley.Session;
using Parley.Session.Audio;
using Parley.Session.Metrics;
using Parley.Tests.Session.Support;

namespace Parley.Tests.Session
{
    public class SessionMetricsTests
    {
        [Test]
        public void CostSplitsCachedInputFromTheRest()
        {
            var cost = CostModel.OpenAIRealtime();
            var u = new TokenUsage { InputTextTokens = 1000, InputAudioTokens = 10000, CachedInputTokens = 3000, OutputTextTokens = 200, OutputAudioTokens = 5000 };
            // 3000 cached: 1000 from text, 2000 from audio → text 0, audio 8000, cached 3000.
            var expected = (0 * 4 + 8000 * 32 + 3000 * 0.4 + 200 * 16 + 5000 * 64) / 1e6;
            Assert.That(cost.CostUsd(u), Is.EqualTo(expected).Within(1e-12));
            Assert.That(CostModel.Free().CostUsd(u), Is.EqualTo(0));
        }

        [Test]
        public void CompletionRateAndSummariesCoverEveryTurn()
        {
            using (var f = new SessionFixture())
            {
                f.Options.Cost = CostModel.OpenAIRealtime();
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
                    p.Raise(new ResponseDone { ResponseId = "r" + turn, Usage = new TokenUsage { InputAudioTokens = 1000, OutputAudioTokens = 1000, TotalTokens = 2000 } });
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
                var usage = f.Of<UsageEvent>();
                Assert.That(usage[usage.Count - 1].CostUsd, Is.EqualTo(m.CostUsd).Within(1e-12));
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
