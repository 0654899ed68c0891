using System.Collections.Generic;
using NUnit.Framework;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Session
{
    /// <summary>
    /// <see cref="DuplexFrontEndOptions.EchoGuardFastMarginDb"/>: an onset whose frames clear the residual predictor's bar
    /// by 5 dB more counts after two frames instead of three. Measured against the rule off on the nine players of
    /// <c>DuplexFrontEndTests</c> (−6 dB against the played voice, RT60 0.2–0.6 s): none later, some a frame sooner, and
    /// still no raise before the onset. The echo-only rooms run with it on by default (the room cases of
    /// <c>DuplexFrontEndTests</c>; <c>An_echo_the_canceller_lets_through_is_not_taken_for_the_player</c> interrupted itself
    /// with the rule until it also needed the microphone itself to rise). The barge-in sweep over every echo-only reply is in
    /// BENCHMARKS.md, "A clear onset counts a frame sooner".
    /// </summary>
    public class DuplexFrontEndClearOnsetTests
    {
        [Test]
        public void A_clear_onset_is_heard_a_frame_sooner_and_none_later()
        {
            var sooner = 0;
            var i = 0;
            foreach (var rt in new[] { 0.2, 0.4, 0.6 })
                foreach (var (d, e) in new[] { (100.0, -6.0), (200.0, -12.0), (300.0, -20.0) })
                {
                    var seed = 300 + i++;
                    var withRule = Latency(rt, d, e, seed, new DuplexFrontEndOptions());
                    var without = Latency(rt, d, e, seed, new DuplexFrontEndOptions { EchoGuardFastMarginDb = 0 });
                    TestContext.WriteLine($"RT60 {rt} s, {d} ms, {e} dB: onset → raised {withRule:0} ms with the rule, {without:0} ms without");
                    Assert.That(withRule, Is.GreaterThanOrEqualTo(0).And.LessThanOrEqualTo(without), "never later than without the rule");
                    if (withRule <= without - 10) sooner++;
                }
            Assert.That(sooner, Is.GreaterThanOrEqualTo(1), "players heard a 10 ms frame sooner, of 9");
        }

        [TestCase(-1)]
        [TestCase(60)]
        public void A_margin_out_of_range_is_refused(double db)
        {
            var e = Assert.Throws<System.ArgumentOutOfRangeException>(() => DuplexScenes.EnergyFrontEnd(24000, new DuplexFrontEndOptions { EchoGuardFastMarginDb = db }).Dispose());
            Assert.That(e.ParamName, Is.EqualTo(nameof(DuplexFrontEndOptions.EchoGuardFastMarginDb)));
        }

        static double Latency(double rt60, double delayMs, double echoDb, int seed, DuplexFrontEndOptions options)
        {
            var scene = DuplexScenes.Make(8, rt60, delayMs, echoDb, seed, "user-interrupt", 4000, -6);
            using (var f = DuplexScenes.EnergyFrontEnd(24000, options))
            {
                var r = DuplexScenes.Run(f, scene);
                Assert.That(r.Raised, Is.EqualTo(1), "the player's raise alone");
                return r.FirstRaisedAtMs - scene.OnsetMs;
            }
        }
    }
}
