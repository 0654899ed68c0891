using System;
using NUnit.Framework;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Session
{
    /// <summary>
    /// What counts as a pause in the played voice (<see cref="DuplexFrontEndOptions.EchoGuardPauseDb"/>): the voice's
    /// return from one raises the echo guard's bar for <see cref="DuplexFrontEndOptions.EchoGuardResumeMs"/>, because the
    /// canceller leaks on a sound that follows a pause.
    /// </summary>
    public class DuplexFrontEndPauseTests
    {
        /// <summary>
        /// An echo-only room of a fresh seed draw (<c>EchoGuardSweep</c>, seed +4000), with a 300 ms delay. It raised once,
        /// 30–80 ms after the reply paused at 7.5 s: the word before that pause began after a dip of the played voice
        /// 27–30 dB under its level, no pause at 40 dB, so its echo, arriving 300 ms later, met no resume bar, and the
        /// canceller let it through. At 30 dB the dip is a pause: no raise. The control: at 40 dB it still raises once.
        /// Two more rooms (RT60 0.8 s / 300 ms at 0 dB, +3000, phase 2; at −12 dB, +4000, phase 3) raise neither way since
        /// the played voice's first frames set no held ratio (stop 59); RuleSearch (RULEOFF=EchoGuardPauseDb, RULEVAL=40)
        /// over the 32 rooms of RT60 0.6 and 0.8 s at +3000 and +4000, 8 phases each, finds this one alone. Found, and
        /// pinned, without the canceller's cold start replay (<see cref="DuplexFrontEndOptions.ColdStartReplay"/>): with it
        /// (the default) the canceller learns this room sooner and the word's echo raises at neither depth.
        /// </summary>
        [TestCase(0.6, 300.0, -20.0, 4000, 5)]
        public void A_word_after_a_deep_dip_gets_the_resume_bar(double rt60, double delayMs, double echoDb, int seedOffset, int phase)
        {
            var scene = DuplexScenes.EchoOnly((rt60, delayMs, echoDb), seedOffset, phase);
            foreach (var pauseDb in new[] { 30.0, 40.0 })
                using (var f = DuplexScenes.EnergyFrontEnd(24000, new DuplexFrontEndOptions { EchoGuardPauseDb = pauseDb, ColdStartReplay = false }))
                {
                    var r = DuplexScenes.Run(f, scene);
                    Assert.That(r.Raised, Is.EqualTo(pauseDb == 30 ? 0 : 1), "self-interruptions with a pause at " + pauseDb + " dB");
                }
            using (var f = DuplexScenes.EnergyFrontEnd(24000, new DuplexFrontEndOptions()))
                Assert.That(DuplexScenes.Run(f, scene).Raised, Is.EqualTo(0), "self-interruptions with the defaults");
        }

        [TestCase(19.9)]
        [TestCase(60.0)]
        [TestCase(double.NaN)]
        public void A_pause_depth_out_of_range_is_refused(double db)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => DuplexScenes.EnergyFrontEnd(24000, new DuplexFrontEndOptions { EchoGuardPauseDb = db }).Dispose());
            // The error names the option, not the options object.
            Assert.That(e.ParamName, Is.EqualTo(nameof(DuplexFrontEndOptions.EchoGuardPauseDb)));
        }
    }
}
