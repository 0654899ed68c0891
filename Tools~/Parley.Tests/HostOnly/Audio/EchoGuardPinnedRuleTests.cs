using NUnit.Framework;
using Parley.Session.Audio;
using Parley.Tests.Session;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// Echo-guard rules whose one scene found is a canceller's leak the canceller no longer makes: pinned on the canceller
    /// that made it. Both scenes were found without the cold start's replay (<see cref="DuplexFrontEndOptions.ColdStartReplay"/>,
    /// stop 66) and with a fine step earlier bringing in a partition at the initial variance (<c>EchoState.FineEarlierSure</c>
    /// 0, stop 68). With the sure partition (the default) neither control shows the leak any more, so both moved here from
    /// Tests/Core: they set the canceller's internal state. Every other rule and its options as before.
    /// </summary>
    public class EchoGuardPinnedRuleTests
    {
        /// <summary>
        /// A room where the canceller's output rises while the microphone falls: at a drop of the played voice the output
        /// climbs to the microphone's own level for a few frames while the microphone falls, and the 7 dB relief opens on
        /// it. The relief also needs the microphone itself to rise (<see cref="DuplexFrontEndOptions.EchoGuardReliefRawRiseDb"/>).
        /// The coherence and ERLE rules, which also catch such rooms (An_echo_the_canceller_lets_through…), are off here:
        /// the raw-rise rule is pinned on its own, and with them off this room interrupts itself once either way; the rule
        /// takes away a second raise (the control: without it, two).
        /// The room was RT60 0.8 s / 100 ms / −20 dB, seed 152, phase 2 (EchoGuardSweep at seeds 0) until the Kalman
        /// update removed that echo; then RT60 0.6 s / 200 ms / 0 dB, seed 143, phase 2, then phase 1 (stop 34). Since the
        /// played voice's first frames set no held ratio (stop 59) that room raises neither way, and EchoGuardSweep.RuleSearch
        /// (RULEOFF=EchoGuardReliefRawRiseDb, the options below) over the 32 rooms of RT60 0.6 and 0.8 s at seeds +0, +1000
        /// and +2000, 8 phases each (768 scenes), finds no scene that raises without the rule and not with it: of those that
        /// raise, this one alone (RT60 0.8 s / 300 ms / −20 dB, seed 1160, phase 4) raises less with it. With the coherence
        /// and ERLE rules on (the defaults) none of the 256 scenes at +0 raises either way. With the replay the control
        /// raises once, as the rule does; with the sure partition, too.
        /// </summary>
        [Test]
        public void An_output_rising_while_the_microphone_falls_gets_no_relief()
        {
            var scene = DuplexScenes.Late(DuplexScenes.Make(8, 0.8, 300, -20, 1160), 4, 1160);
            var raised = new int[2];
            foreach (var rawRise in new[] { true, false })
            {
                var options = DuplexFrontEndTests.Predicting();
                options.ColdStartReplay = false;
                options.EchoGuardReliefCoherenceBelow = 0;
                options.EchoGuardReliefErleDb = 0;
                options.EchoGuardOnsetCoherenceBelow = 0;
                if (!rawRise) options.EchoGuardReliefRawRiseDb = 0;
                raised[rawRise ? 0 : 1] = RunPinned(scene, options);
            }
            TestContext.WriteLine("self-interruptions with the rule " + raised[0] + ", without " + raised[1]);
            Assert.That(raised[0], Is.EqualTo(1), "self-interruptions with the raw-rise rule");
            Assert.That(raised[1], Is.EqualTo(2), "self-interruptions without it (the control)");
        }

        /// <summary>
        /// What counts as a pause in the played voice (<see cref="DuplexFrontEndOptions.EchoGuardPauseDb"/>). An echo-only
        /// room of a fresh seed draw (<c>EchoGuardSweep</c>, seed +4000), with a 300 ms delay. It raised once, 30–80 ms after
        /// the reply paused at 7.5 s: the word before that pause began after a dip of the played voice 27–30 dB under its
        /// level, no pause at 40 dB, so its echo, arriving 300 ms later, met no resume bar, and the canceller let it through.
        /// At 30 dB the dip is a pause: no raise. The control: at 40 dB it still raises once. Two more rooms (RT60 0.8 s /
        /// 300 ms at 0 dB, +3000, phase 2; at −12 dB, +4000, phase 3) raise neither way since the played voice's first frames
        /// set no held ratio (stop 59); RuleSearch (RULEOFF=EchoGuardPauseDb, RULEVAL=40) over the 32 rooms of RT60 0.6 and
        /// 0.8 s at +3000 and +4000, 8 phases each, finds this one alone. With the replay, or with the sure partition, the
        /// canceller learns this room sooner and the word's echo raises at neither depth; with the defaults it raises none.
        /// </summary>
        [TestCase(0.6, 300.0, -20.0, 4000, 5)]
        public void A_word_after_a_deep_dip_gets_the_resume_bar(double rt60, double delayMs, double echoDb, int seedOffset, int phase)
        {
            var scene = DuplexScenes.EchoOnly((rt60, delayMs, echoDb), seedOffset, phase);
            foreach (var pauseDb in new[] { 30.0, 40.0 })
            {
                var raised = RunPinned(scene, new DuplexFrontEndOptions { EchoGuardPauseDb = pauseDb, ColdStartReplay = false });
                Assert.That(raised, Is.EqualTo(pauseDb == 30 ? 0 : 1), "self-interruptions with a pause at " + pauseDb + " dB");
            }
            using (var f = DuplexScenes.EnergyFrontEnd(24000, new DuplexFrontEndOptions()))
                Assert.That(DuplexScenes.Run(f, scene).Raised, Is.EqualTo(0), "self-interruptions with the defaults");
        }

        /// <summary>Barge-ins the scene raises at 24 kHz with <paramref name="options"/>, a fine step earlier at the initial variance.</summary>
        static int RunPinned(DuplexScenes.Scene scene, DuplexFrontEndOptions options)
        {
            using (var f = DuplexScenes.EnergyFrontEnd(24000, options))
            {
                f.EchoCanceller.State.FineEarlierSure = 0;
                return DuplexScenes.Run(f, scene).Raised;
            }
        }
    }
}
