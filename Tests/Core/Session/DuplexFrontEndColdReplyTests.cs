using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.Session
{
    /// <summary>
    /// Barge-in early in a cold canceller's first reply (no room remembered): the canceller has removed nothing yet, so
    /// the guard judges the microphone against the echo it learnt as it is. Traced in the barge-in sweep's RT60 0.2 s /
    /// 300 ms / -20 dB room (BENCHMARKS.md, "Barge-in", the cold first reply): the tail bar held the ratios its predictor
    /// was judged by before the echo first arrived (25 dB from the microphone's noise against the voice's first frames,
    /// 12 dB as the echo arrived), and a resume's 10 dB stood on them, though a canceller that removes nothing leaks
    /// nothing at a resume. The player, 14 dB over the echo, was never heard in that reply.
    /// </summary>
    public class DuplexFrontEndColdReplyTests
    {
        /// <summary>
        /// The player (-6 dB) <paramref name="atMs"/> into the first reply is raised once, within 120 ms of the onset. Eight
        /// of the sweep's scenes (seed offset 0, phase 0), each room never heard before. The first four: 100, 70, 70 and 80 ms
        /// now. The next two, 1 s into a 300 ms room, come while the tail relearns after the cold start: the canceller had not
        /// found the echo yet, the broadband bar (learnt from the echo as it is) let the player through, and the tail's
        /// cold bar held them back all the same. 80 ms each now.
        /// The last two, 1 s into a 100 ms room, also come while the tail relearns: 18-43 dB over what the relearn had
        /// learnt so far, never heard under the cold bar; its verdict now stands on that ratio with 10 dB of headroom
        /// (BENCHMARKS.md, "The tail's verdict during its relearn"). 70 and 100 ms.
        /// </summary>
        [TestCase(0.2, 300, -20, 302, 1500)]
        [TestCase(0.4, 100, -6, 303, 2000)]
        [TestCase(0.6, 100, -6, 306, 2000)]
        [TestCase(0.6, 300, -20, 308, 2000)]
        [TestCase(0.2, 300, -20, 302, 1000)]
        [TestCase(0.6, 300, -20, 308, 1000)]
        [TestCase(0.4, 100, -6, 303, 1000)]
        [TestCase(0.6, 100, -6, 306, 1000)]
        public void A_player_early_in_a_cold_first_reply_is_heard(double rt60, double delayMs, double echoDb, int seed, int atMs)
        {
            var scene = DuplexScenes.Make(8, rt60, delayMs, echoDb, seed, "user-interrupt", atMs, -6);
            using (var f = DuplexScenes.EnergyFrontEnd(24000))
            {
                var r = DuplexScenes.Run(f, scene);
                TestContext.WriteLine("raised " + r.Raised + ", onset to raised " + (r.FirstRaisedAtMs - scene.OnsetMs).ToString("0") + " ms");
                Assert.That(f.EchoCanceller.StartedWarm, Is.False, "a cold start");
                Assert.That(r.Raised, Is.EqualTo(1), "one onset: the player's");
                Assert.That(r.FirstRaisedAtMs - scene.OnsetMs, Is.InRange(0.0, 120.0), "onset to raised, ms");
            }
        }

        /// <summary>
        /// The agent alone in the fresh draw's RT60 0.8 s / 100 ms / -12 dB room (seeds +3000, phases 3 and 4). The canceller
        /// removed nothing yet (its gauge 0.3 dB) when the echo of a word after a pause arrived 1.31-1.43 s in, 21-27 dB over
        /// the ratio the tail had relearnt so far: with the relearn's headroom alone the agent interrupted itself 1.36 s in.
        /// The headroom waits for a canceller that removes 2 dB of the echo (<c>EchoGuard.TailRelearnErleDb</c>).
        /// </summary>
        [TestCase(3)]
        [TestCase(4)]
        public void The_echo_of_a_word_after_a_pause_is_not_judged_by_the_relearn_before_the_canceller_removes_any(int phase)
        {
            TheAgentAloneIsNeverRaised(DuplexScenes.EchoOnly((0.8, 100.0, -12.0), 3000, phase));
        }

        /// <summary>
        /// The agent's own voice alone in a fresh room draw (the barge-in sweep's RT60 0.4 s / 200 ms / 0 dB room at seeds
        /// +5000, phase 0). The canceller found the delay 1.2 s in and removed nothing yet. The tail's relearn after the cold
        /// start ran over a pause of the agent, so its held ratio came from the pause's faint echo, and the echo of the next
        /// words stood 2-4 dB over that bar for three frames: the agent interrupted itself 1.43 s in. Only frames whose
        /// microphone carries the echo (within 20 dB of the loudest held) count toward the relearn now; it ends on the echo
        /// of those words, and the VAD's onsets on the echo are all held back.
        /// </summary>
        [Test]
        public void The_echo_after_a_pause_in_the_tails_relearn_is_not_taken_for_the_player()
        {
            TheAgentAloneIsNeverRaised(DuplexScenes.EchoOnly((0.4, 200.0, 0.0), 5000, 0));
        }

        /// <summary>The agent alone, its canceller started cold: no onset raised, and the VAD did hear the echo (so the guard had onsets to hold back).</summary>
        static void TheAgentAloneIsNeverRaised(DuplexScenes.Scene scene)
        {
            using (var f = DuplexScenes.EnergyFrontEnd(24000))
            {
                var r = DuplexScenes.Run(f, scene);
                TestContext.WriteLine("raised " + r.Raised + ", held back " + r.Guarded);
                Assert.That(f.EchoCanceller.StartedWarm, Is.False, "a cold start");
                Assert.That(r.Raised, Is.EqualTo(0), "self-interruptions");
                Assert.That(r.Guarded, Is.GreaterThan(0), "onsets the VAD heard in the echo, held back");
            }
        }
    }
}
