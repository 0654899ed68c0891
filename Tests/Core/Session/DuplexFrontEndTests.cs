using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Session
{
    /// <summary>
    /// The duplex front end on real speech through synthetic rooms: the agent's own voice never raises a barge-in,
    /// the player's voice does, soon after its labelled onset; half duplex gates the microphone while the agent can be
    /// heard; the echo path the hosts simulate is the exact convolution.
    /// </summary>
    public class DuplexFrontEndTests
    {
        /// <summary>
        /// The guard with the residual predictors on: broadband (<see cref="DuplexFrontEndOptions.EchoGuardTailMs"/>) and per
        /// band (<see cref="DuplexFrontEndOptions.EchoGuardBands"/>), both must agree (the best measured: the defaults, spelled out so the tests pin them).
        /// </summary>
        internal static DuplexFrontEndOptions Predicting() => new DuplexFrontEndOptions
        {
            EchoGuardTailMs = 1280, EchoGuardBands = 4, EchoGuardBandsNeeded = 2, EchoGuardBandsWithTail = true, EchoGuardReliefDb = 7,
            EchoGuardStrongReliefDb = 16, EchoGuardIncoherentRiseDb = 12, EchoGuardCoherenceBelow = 0.4, EchoGuardReliefRawRiseDb = 1,
            EchoGuardReliefRawRiseMs = 200, EchoGuardReliefHoldFrames = 2,
        };

        /// <summary>The guard against the loudest learned residual alone (the predictors off: the default until they were measured).</summary>
        static DuplexFrontEndOptions Broadband() => new DuplexFrontEndOptions { EchoGuardTailMs = 0, EchoGuardBands = 0 };

        static IEnumerable<TestCaseData> RoomCases() =>
            new[] { false, true }.SelectMany(predict => DuplexScenes.Rooms().Select((r, i) => new TestCaseData(r.Rt60, r.DelayMs, r.EchoDb, i, predict)
                .SetName("Echo only, RT60 " + r.Rt60 + " s, " + r.DelayMs + " ms, " + r.EchoDb + " dB" + (predict ? ", predicted residual" : ""))));

        [TestCaseSource(nameof(RoomCases))]
        public void The_agents_own_voice_through_a_room_raises_no_barge_in(double rt60, double delayMs, double echoDb, int seed, bool predict)
        {
            var scene = DuplexScenes.Make(8, rt60, delayMs, echoDb, 100 + seed);
            using (var f = DuplexScenes.EnergyFrontEnd(24000, predict ? Predicting() : Broadband()))
            {
                var r = DuplexScenes.Run(f, scene);
                Assert.That(r.Raised, Is.EqualTo(0), "self-interruptions (guarded onsets: " + r.Guarded + ")");
            }
        }

        [Test]
        public void Without_the_canceller_the_echo_is_heard_as_speech()
        {
            // The control: the same scene with the canceller off and no guard margin is full of "speech".
            var scene = DuplexScenes.Make(8, 0.4, 100, -6, 7);
            using (var f = DuplexScenes.EnergyFrontEnd(24000, new DuplexFrontEndOptions { EchoCancellation = false, EchoGuardMarginDb = 0, EchoGuardHoldMs = 10 }))
            {
                var r = DuplexScenes.Run(f, scene);
                Assert.That(r.Raised, Is.GreaterThan(0));
            }
        }

        /// <summary>
        /// The player (−6 dB against the played voice) 4 s into the reply, in nine rooms (RT60 0.2–0.6 s, echo −6..−20 dB).
        /// Never a raise before the player's onset or more than one. With the residual predicted from the played signal
        /// (the tail beyond the canceller's filter included) every player is heard within issue 13's 120 ms of the labelled
        /// onset (measured 30–110 ms). Before the relief on strong evidence (<see cref="DuplexFrontEndOptions.EchoGuardReliefDb"/>)
        /// the pin was 140 ms: the player's first frames, which the canceller could not explain, were still under the 10 dB
        /// margin in three rooms (110–140 ms). The guard against only the
        /// loudest residual holds some back for the whole utterance. Both are pinned at what was measured (BENCHMARKS.md,
        /// "Barge-in") so they cannot regress. The broadband guard (not the default) heard 4 until the canceller's
        /// low-delay suppressor; with it, 3 (30, 60, 110 ms): its smoothed gains leave a different residual, which the
        /// default predictor follows (9 of 9) and the broadband bar does not.
        /// </summary>
        [TestCase(false, 3, 150)]
        [TestCase(true, 9, 120)]
        public void The_players_voice_over_the_reply_raises_a_barge_in_soon_after_its_onset(bool predict, int heardAtLeast, double withinMs)
        {
            var heard = new List<double>();
            var i = 0;
            foreach (var rt in new[] { 0.2, 0.4, 0.6 })
                foreach (var (d, e) in new[] { (100.0, -6.0), (200.0, -12.0), (300.0, -20.0) })
                {
                    var scene = DuplexScenes.Make(8, rt, d, e, 300 + i++, "user-interrupt", 4000, -6);
                    using (var f = DuplexScenes.EnergyFrontEnd(24000, predict ? Predicting() : Broadband()))
                    {
                        var r = DuplexScenes.Run(f, scene);
                        var latency = r.FirstRaisedAtMs - scene.OnsetMs;
                        TestContext.WriteLine("RT60 " + rt + " s, " + d + " ms, " + e + " dB: " + (r.Raised == 0 ? "not heard" : "onset → raised " + latency.ToString("0") + " ms"));
                        Assert.That(r.Raised, Is.LessThanOrEqualTo(1), "no raise but the player's");
                        if (r.Raised == 0) continue;
                        Assert.That(latency, Is.GreaterThanOrEqualTo(0).And.LessThanOrEqualTo(withinMs));
                        heard.Add(latency);
                    }
                }
            Assert.That(heard.Count, Is.GreaterThanOrEqualTo(heardAtLeast), "barge-ins heard of 9");
        }

        /// <summary>
        /// Players of two other seed draws (as EchoGuardSweep's SEEDOFF 1000 and 2000) whose first frames the 7 dB relief
        /// alone leaves under the bars: RT60 0.6 s / 100 ms / −6 dB, seeds 1303 (raised only at 660 ms) and 2300 (650 ms).
        /// With the stronger relief on the canceller's spectra (<see cref="DuplexFrontEndOptions.EchoGuardStrongReliefDb"/>:
        /// the microphone incoherent with the echo estimate and its incoherent power risen 12 dB) both are heard within
        /// issue 13's 120 ms (measured 80 and 90 ms); without it (the control) neither is. The scenes moved three times as the
        /// canceller got better and the relief alone came to hear the old ones in time: RT60 0.2 s seed 2300 after the
        /// alignment move kept the filter, then 0.2 s seed 2302 and 0.4 s seed 1303 after the Kalman update (heard at 60
        /// and 70 ms without it), then 0.6 s seed 2308 after the Kalman update's wrap-bounded constraint (heard at 120 ms
        /// without it). Searched with the Kalman update: RT60 0.2, 0.4 and 0.6 s, seeds 1300–1311 and 2300–2311; the
        /// stronger relief decides in none of the 0.2 and 0.4 s scenes and in 11 of the 24 at 0.6 s (BENCHMARKS.md).
        /// Re-searched with the wrap-bounded constraint (0.4 and 0.6 s, same seeds): in 1 of the 24 at 0.4 s (1301: 80 ms
        /// with it, 140 without) and 10 of the 24 at 0.6 s (without it: 1301, 1308, 2301 never; 1303, 2300, 2306 at
        /// 640–660 ms; 1305, 1309, 2303, 2309 at 130–140 ms).
        /// </summary>
        [TestCase(0.6, 1303, true)]
        [TestCase(0.6, 2300, true)]
        [TestCase(0.6, 1303, false)]
        [TestCase(0.6, 2300, false)]
        public void The_cancellers_spectra_hear_players_the_relief_alone_held_back(double rt60, int seed, bool spectral)
        {
            var scene = DuplexScenes.Make(8, rt60, 100, -6, seed, "user-interrupt", 4000, -6);
            var options = Predicting();
            if (!spectral) options.EchoGuardStrongReliefDb = 0;
            using (var f = DuplexScenes.EnergyFrontEnd(24000, options))
            {
                var r = DuplexScenes.Run(f, scene);
                var latency = r.Raised == 0 ? double.PositiveInfinity : r.FirstRaisedAtMs - scene.OnsetMs;
                TestContext.WriteLine("raised " + r.Raised + ", onset → raised " + latency.ToString("0") + " ms");
                Assert.That(r.Raised, Is.LessThanOrEqualTo(1), "no raise but the player's");
                if (spectral) Assert.That(latency, Is.InRange(0, 120));
                else Assert.That(latency, Is.GreaterThan(120));
            }
        }

        /// <summary>
        /// The room where a stronger relief interrupted itself (RT60 0.8 s, 200 ms, −20 dB, seeds +1000): at a word's end the
        /// echo fades past the canceller's 200 ms filter, its coherence with the echo estimate falls from 0.87 to 0.02 as
        /// the player's would, and the cleaned energy rises 10 dB as the suppressor lets go. Its incoherent power rises at
        /// most 10 dB: with the 12 dB rise required, no raise; on the coherence alone (the control) the agent interrupts itself.
        /// That room (seed 1156) no longer leaks since the canceller keeps its filter through the first alignment move, so
        /// the scene is now RT60 0.8 s / 100 ms / −12 dB, seed 4153 (the sweep's room 53 at seeds +4000): the only one of
        /// the 16 RT60 0.8 s rooms at seeds +0…+7000 (128 scenes) where the coherence alone still lets the echo raise an
        /// onset, and the 12 dB rise keeps it out (searched before the move's stop at the filter's peak; still so with it).
        /// </summary>
        [TestCase(true)]
        [TestCase(false)]
        public void An_echo_fading_past_the_filter_is_not_taken_for_the_player(bool needRise)
        {
            var scene = DuplexScenes.Make(8, 0.8, 100, -12, 4153);
            var options = Predicting();
            options.EchoGuardStrongReliefDb = 20;
            if (!needRise) options.EchoGuardIncoherentRiseDb = 0;
            using (var f = DuplexScenes.EnergyFrontEnd(24000, options))
            {
                var r = DuplexScenes.Run(f, scene);
                Assert.That(r.Raised, needRise ? Is.EqualTo(0) : Is.GreaterThan(0), "self-interruptions");
            }
        }

        /// <summary>A front end without a local VAD (the provider's decides): what it sends is all the provider hears.</summary>
        static DuplexFrontEnd ServerVadFrontEnd(bool gateOnStrongOnset, double residualGateDb = -60)
        {
            var options = Predicting();
            options.ResidualGateOnStrongOnset = gateOnStrongOnset;
            options.ResidualGateDb = residualGateDb;
            var f = new DuplexFrontEnd(AudioFormat.Mono(DuplexScenes.EngineRate), DuplexScenes.EngineRate / 10, null, options);
            f.Configure(24000);
            return f;
        }

        /// <summary>
        /// Without a local VAD the provider's own VAD (here the emulator's: 3 frames over −42 dBFS) hears only what the
        /// residual gate lets through. The player (−6 dB against the played voice, about −26 dBFS: far over that bar) 4 s
        /// into the reply, in the nine rooms of the barge-in test: with the gate opening on the guard's full evidence
        /// (<see cref="DuplexFrontEndOptions.ResidualGateOnStrongOnset"/>) the provider hears every player soon after the
        /// labelled onset, and nothing before it; on the broadband rule alone (the control) it hears fewer: 8 of 9 since the
        /// canceller's cold start replay (6 of 9 with the Kalman update before it, 3 of 9 with the normalised step alone).
        /// </summary>
        [TestCase(true, 9, 150)]
        [TestCase(false, 8, 150)]
        public void The_residual_gate_lets_the_provider_hear_the_players_barge_in(bool gateOnStrongOnset, int heardAtLeast, double withinMs)
        {
            var heard = 0;
            var i = 0;
            foreach (var rt in new[] { 0.2, 0.4, 0.6 })
                foreach (var (d, e) in new[] { (100.0, -6.0), (200.0, -12.0), (300.0, -20.0) })
                {
                    var scene = DuplexScenes.Make(8, rt, d, e, 300 + i++, "user-interrupt", 4000, -6);
                    using (var f = ServerVadFrontEnd(gateOnStrongOnset))
                    {
                        var sent = new List<short>();
                        DuplexScenes.Run(f, scene, sent);
                        var at = DuplexScenes.ProviderHearsAtMs(sent, 24000);
                        TestContext.WriteLine("RT60 " + rt + " s, " + d + " ms, " + e + " dB: " + (at < 0 ? "not heard" : "onset → provider hears " + (at - scene.OnsetMs).ToString("0") + " ms"));
                        if (at < 0) continue;
                        Assert.That(at, Is.GreaterThanOrEqualTo(scene.OnsetMs), "nothing before the player's onset");
                        if (at - scene.OnsetMs <= withinMs) heard++;
                    }
                }
            TestContext.WriteLine("heard " + heard + " of 9 within " + withinMs + " ms");
            if (gateOnStrongOnset) Assert.That(heard, Is.GreaterThanOrEqualTo(heardAtLeast), "barge-ins the provider hears of 9");
            else Assert.That(heard, Is.LessThanOrEqualTo(heardAtLeast), "the control: the broadband rule alone");
        }

        static IEnumerable<TestCaseData> GateRoomCases() =>
            DuplexScenes.Rooms().Select((r, i) => new TestCaseData(r.Rt60, r.DelayMs, r.EchoDb, i)
                .SetName("Gate, echo only, RT60 " + r.Rt60 + " s, " + r.DelayMs + " ms, " + r.EchoDb + " dB"));

        /// <summary>
        /// The agent's voice alone through the 64 rooms (echo −20..0 dB: −40..−20 dBFS at the microphone, over the provider's
        /// −42 dBFS): with the gate opening on the guard's full evidence too, the provider never hears the echo.
        /// </summary>
        [TestCaseSource(nameof(GateRoomCases))]
        public void The_residual_gate_stays_shut_on_the_agents_echo_alone(double rt60, double delayMs, double echoDb, int seed)
        {
            var scene = DuplexScenes.Make(8, rt60, delayMs, echoDb, 100 + seed);
            using (var f = ServerVadFrontEnd(true))
            {
                var sent = new List<short>();
                DuplexScenes.Run(f, scene, sent);
                Assert.That(DuplexScenes.ProviderHearsAtMs(sent, 24000), Is.EqualTo(-1), "the provider's VAD heard the echo");
            }
        }

        /// <summary>
        /// The control: without the residual gate the provider's VAD hears the residual of a loud echo (after the canceller's
        /// first 2 s). Two RT60 0.8 s rooms: since the gauge's residual, the output's suppression leaves too little of the
        /// RT60 0.4 s rooms' echo for it (0 dB, seeds 100–102, delays 20–300 ms: heard in 5 of 12 before, in 1 of 12 now;
        /// RT60 0.8 s, in 12 of 12 before, 10 of 12 now).
        /// </summary>
        [Test]
        public void Without_the_residual_gate_the_provider_hears_the_echo()
        {
            var heard = 0;
            foreach (var (rt, d) in new[] { (0.8, 20.0), (0.8, 100.0) })
                using (var f = ServerVadFrontEnd(true, 0))
                {
                    var sent = new List<short>();
                    DuplexScenes.Run(f, DuplexScenes.Make(8, rt, d, 0, 100), sent);
                    var at = DuplexScenes.ProviderHearsAtMs(sent, 24000, 2000);
                    TestContext.WriteLine("RT60 " + rt + " s, " + d + " ms, 0 dB: " + (at < 0 ? "not heard" : "heard at " + at.ToString("0") + " ms"));
                    if (at >= 0) heard++;
                }
            Assert.That(heard, Is.EqualTo(2));
        }

        /// <summary>
        /// Echo-only rooms (no player: any raise is the agent interrupting itself) where the guard let the canceller's echo
        /// through at one block phase of eight (EchoGuardSweep, 8 phases × 3 room draws; BENCHMARKS.md, "Barge-in", block
        /// phases). RT60 0.8 s / 100 ms / −20 dB, seeds 0, phase 2: the never-converged canceller's 60 ms echo burst, 36–81 %
        /// coherent with its echo estimate, took the 7 dB relief (<see cref="DuplexFrontEndOptions.EchoGuardReliefCoherenceBelow"/>).
        /// The same room on seeds +2000 (phase 2) and 0.8 s / 20 ms / −20 dB on +1000 (phase 5): the canceller re-aligned its
        /// delay and removed none of the echo (ERLE 1.4–2.2 dB), so its output matched the microphone, incoherent with a
        /// wrong estimate, and took the 16 dB relief (<see cref="DuplexFrontEndOptions.EchoGuardReliefErleDb"/>). RT60 0.4 s /
        /// 200 ms / 0 dB on +1000 (phase 2): a converged canceller leaked 20 dB for 50 ms just as the resume bar ended, 78–92 %
        /// coherent with its estimate (<see cref="DuplexFrontEndOptions.EchoGuardOnsetCoherenceBelow"/>). With the rules no
        /// raise; with the one rule off (the control), the raise that was measured. The relief's raw-rise rule, which also
        /// catches the first room, is off here: each rule is pinned on its own (An_output_rising… pins that one).
        /// The two ERLE-rule rooms are gone since the canceller keeps its filter through the first alignment move: neither
        /// leaks with that rule off, and no other was found (the 16 rooms of RT60 0.8 s at seeds +0…+4000, of 0.6 s at
        /// +0…+2000 and of 0.4 s at +0 and +1000, 8 phases each: 1,280 scenes; the 7 that raise with the rule off, in 3 rooms, raise
        /// with it on too; searched before the move's stop at the filter's peak, which removed one of those leaks). The rule
        /// stays for a canceller that loses the echo; it has no control scene now.
        /// Since the Kalman update the first room no longer leaks with the coherence rule off; its scene is now RT60 0.6 s /
        /// 300 ms / −20 dB at seeds 0, phase 6 (seed 144), one of three scenes among the 32 rooms of RT60 0.6 and 0.8 s at
        /// seeds 0, 8 phases each, that raise with that rule off and not with it on (the other two, RT60 0.6 s / 200 ms /
        /// 0 dB at phases 1 and 2, are the raw-rise rule's). The onset-coherence room (RT60 0.4 s / 200 ms / 0 dB at +1000)
        /// no longer leaks with its rule off either, and no other was found (the 48 rooms of RT60 0.4, 0.6 and 0.8 s at
        /// seeds +0, +1000 and +2000, 8 phases each: 1,152 scenes); that rule stays, for a canceller that leaks a converged
        /// echo, without a control scene.
        /// Since the 24 kHz filter is held at 7 % of its energy in the peak partition (<c>EchoState.Held</c>: the matcher
        /// no longer moves it) that room no longer leaks with the rule off either; the scene is now RT60 0.8 s / 300 ms /
        /// −12 dB at seeds 0, phase 6 (seed 161), the one scene among the same 32 rooms × 8 phases that raises with the
        /// rule off and not with it on, besides the raw-rise rule's 0.6 s / 200 ms / 0 dB room (EchoGuardSweep.RuleSearch).
        /// The rule's share is 0.45 since stop 45 (0.4 before): at 0.5 this scene raised with the rule on.
        /// Since the played voice's first frames set no held ratio (stop 59) that room raises neither way; the scene is now
        /// RT60 0.6 s / 100 ms / −12 dB at seeds 0, phase 0 (seed 137), the one scene among the same 32 rooms × 8 phases
        /// that raises with the rule off and not with it on (RuleSearch, SWEEP=EchoGuardReliefRawRiseDb=0).
        /// </summary>
        [TestCase(0.6, 100.0, -12.0, 0, 0, nameof(DuplexFrontEndOptions.EchoGuardReliefCoherenceBelow))]
        public void An_echo_the_canceller_lets_through_is_not_taken_for_the_player(double rt60, double delayMs, double echoDb, int seedOffset, int phase, string rule)
        {
            var scene = DuplexScenes.EchoOnly((rt60, delayMs, echoDb), seedOffset, phase);
            foreach (var on in new[] { true, false })
            {
                var options = new DuplexFrontEndOptions { EchoGuardReliefCoherenceBelow = 0.45, EchoGuardReliefErleDb = 3, EchoGuardOnsetCoherenceBelow = 0.8, EchoGuardReliefRawRiseDb = 0 };
                if (!on) typeof(DuplexFrontEndOptions).GetField(rule).SetValue(options, 0.0);
                using (var f = DuplexScenes.EnergyFrontEnd(24000, options))
                {
                    var r = DuplexScenes.Run(f, scene);
                    Assert.That(r.Raised, on ? Is.EqualTo(0) : Is.EqualTo(1), (on ? "with " : "without ") + rule + ": self-interruptions");
                }
            }
        }

        /// <summary>
        /// The speakers get 14 dB louder just as the player speaks over the reply (the canceller's residual jumps and takes
        /// a while to come down). The guard must follow the grown residual once the player stops: a guard that learned only
        /// while closed kept the old, low bar, stayed open on the residual and raised onset after onset.
        /// Measured on three rooms; RT60 0.2 s / 300 ms / −14 dB still raises a second onset 120 ms after the player's
        /// speech ends, with the residual predictor or without (BENCHMARKS.md, "Barge-in": open).
        /// </summary>
        [TestCase(0.4, 100.0, -20.0, false)]
        [TestCase(0.4, 100.0, -20.0, true)]
        [TestCase(0.6, 200.0, -20.0, true)]
        public void A_residual_that_grows_while_the_player_speaks_is_learned_after_the_player_stops(double rt60, double delayMs, double echoDb, bool predict)
        {
            var scene = DuplexScenes.Make(12, rt60, delayMs, echoDb, 41, "user-interrupt", 4000, 0, echoStepDb: 14);
            using (var f = DuplexScenes.EnergyFrontEnd(24000, predict ? Predicting() : Broadband()))
            {
                var r = DuplexScenes.Run(f, scene);
                TestContext.WriteLine("raised " + r.Raised + ", first " + (r.FirstRaisedAtMs - scene.OnsetMs).ToString("0") + " ms after the onset");
                Assert.That(r.Raised, Is.EqualTo(1), "the player's barge-in and nothing after it");
                Assert.That(r.FirstRaisedAtMs - scene.OnsetMs, Is.InRange(0, 120));
            }
        }

        [TestCase(1, 1)]
        [TestCase(9, 1)]
        [TestCase(4, 5)]
        [TestCase(4, 0)]
        public void Band_counts_out_of_range_are_refused(int bands, int needed)
        {
            var o = new DuplexFrontEndOptions { EchoGuardBands = bands, EchoGuardBandsNeeded = needed };
            Assert.Throws<ArgumentOutOfRangeException>(() => new DuplexFrontEnd(AudioFormat.Mono(48000), 480, null, o));
        }

        [Test]
        public void Half_duplex_sends_silence_while_the_agent_can_be_heard_and_the_microphone_after()
        {
            var scene = DuplexScenes.Make(4, 0.4, 100, -6, 11, "user-thanks", 5000, 0);
            // The reply stops at 4 s of an 8 s stream: the player speaks after it.
            var played = new float[scene.Mic.Length * 2];
            Array.Copy(scene.Played, played, scene.Played.Length);
            var mic = new float[played.Length];
            Array.Copy(scene.Mic, mic, scene.Mic.Length);
            var clip = TestWav.Speech("user-thanks", DuplexScenes.EngineRate).Samples;
            var at = 5 * DuplexScenes.EngineRate;
            for (var i = 0; i < clip.Length && at + i < mic.Length; i++) mic[at + i] += clip[i];
            using (var f = DuplexScenes.EnergyFrontEnd(16000, new DuplexFrontEndOptions { Mode = DuplexMode.HalfDuplex }))
            {
                var tick = DuplexScenes.EngineRate / 100;
                var pcm = new short[f.MaxOutputSamples(tick)];
                double during = 0, after = 0;
                var raised = new List<double>();
                f.VoiceActivity += s => { if (s) raised.Add(f.CapturedSamples / 16.0); };
                for (var s = 0; s + tick <= mic.Length; s += tick)
                {
                    f.WriteReference(s, new ReadOnlySpan<float>(played, s, tick));
                    var n = f.Process(new ReadOnlySpan<float>(mic, s, tick), pcm);
                    double e = 0;
                    for (var i = 0; i < n; i++) e += (double)pcm[i] * pcm[i];
                    if (s < 4 * DuplexScenes.EngineRate) during += e;
                    else if (s >= at) after += e;
                }
                Assert.That(during, Is.EqualTo(0), "gated while the agent spoke");
                Assert.That(after, Is.GreaterThan(0), "the player's voice passes once the agent is quiet");
                Assert.That(raised, Has.Count.EqualTo(1));
                Assert.That(raised[0], Is.GreaterThan(5000).And.LessThan(5400));
            }
        }

        [Test]
        public void Push_to_talk_raises_no_voice_activity()
        {
            var scene = DuplexScenes.Make(8, 0.2, 20, -20, 5, "user-interrupt", 4000, 0);
            using (var f = DuplexScenes.EnergyFrontEnd(24000, new DuplexFrontEndOptions { Mode = DuplexMode.PushToTalk }))
                Assert.That(DuplexScenes.Run(f, scene).Raised, Is.EqualTo(0));
        }

        [Test]
        public void The_echo_path_is_the_exact_convolution_streamed_in_any_chunks()
        {
            const int rate = 48000;
            var h = EchoScenes.RoomImpulse(rate, 0.3, 3, 1);   // 3 ms: the direct path inside the first block
            var x = EchoScenes.Noise(rate, -20, 2);
            var expected = EchoScenes.Convolve(x, h, x.Length);
            var path = new EchoPath(h, rate, -6);
            var y = new float[x.Length];
            var r = new Random(3);
            for (var at = 0; at < x.Length;)
            {
                var n = Math.Min(x.Length - at, 1 + r.Next(900));
                path.Process(new ReadOnlySpan<float>(x, at, n), new Span<float>(y, at, n));
                at += n;
            }
            double err = 0, sig = 0;
            var g = Math.Pow(10, -6 / 20.0);
            for (var i = 0; i < x.Length; i++) { var d = y[i] - expected[i] * g; err += d * d; sig += expected[i] * g * expected[i] * g; }
            Assert.That(10 * Math.Log10(sig / err), Is.GreaterThan(80), "SNR of the streamed convolution against the offline one, dB");
            Assert.That(path.DelayMs, Is.EqualTo(3).Within(0.05));
        }

        [Test]
        public void An_impulse_response_at_another_rate_keeps_its_delay()
        {
            var h = EchoScenes.RoomImpulse(16000, 0.2, 120, 4);
            var path = EchoPath.FromImpulse(h, 16000, 48000);
            var x = new float[48000];
            x[0] = 1f;
            var y = new float[x.Length];
            path.Process(x, y);
            var max = y.Max(v => Math.Abs(v));
            var first = Array.FindIndex(y, v => Math.Abs(v) > 0.3 * max);
            Assert.That(first / 48.0, Is.EqualTo(120).Within(1.0), "the direct path, ms");
        }

        /// <summary>
        /// The same room at another rate gives the same echo: speech through a 16 kHz response brought to 48 kHz (and a 48
        /// kHz one brought to 16 kHz) is as loud as the same speech convolved with the response at its own rate. The
        /// resampled taps once kept their values, which put the echo 9.5 dB over the gain asked for at 48 kHz.
        /// </summary>
        [TestCase(16000, 48000)]
        [TestCase(48000, 16000)]
        [TestCase(24000, 16000)]
        public void An_impulse_response_at_another_rate_keeps_its_gain(int impulseRate, int micRate)
        {
            var h = EchoScenes.RoomImpulse(impulseRate, 0.4, 100, 1);
            foreach (var clip in new[] { "npc-price", "user-interrupt" })
            {
                var atItsRate = TestWav.Speech(clip, impulseRate).Samples;
                var expected = EchoScenes.Rms(EchoScenes.Convolve(atItsRate, h, atItsRate.Length));
                var x = TestWav.Speech(clip, micRate).Samples;
                var y = new float[x.Length];
                EchoPath.FromImpulse(h, impulseRate, micRate).Process(x, y);
                var gotDb = 20 * Math.Log10(EchoScenes.Rms(y) / expected);
                TestContext.WriteLine($"{clip}: {impulseRate} Hz room at {micRate} Hz, echo {(gotDb >= 0 ? "+" : "") + gotDb.ToString("0.00")} dB against the room at its own rate");
                Assert.That(gotDb, Is.EqualTo(0).Within(0.5), clip + ": the echo level, dB against the room at its own rate");
            }
        }

        /// <summary>
        /// A conversation that starts on the microphone's noise floor (−60 dBFS, a quiet room) raises no speech onset: the
        /// local VAD seeds its floor from its first frame, which must be the microphone, not the canceller's leading zeros
        /// (it raised one 40 ms into every conversation before).
        /// </summary>
        [TestCase(16000)]
        [TestCase(24000)]
        public void A_conversation_that_starts_on_the_microphones_noise_raises_no_onset(int providerRate)
        {
            const int rate = DuplexScenes.EngineRate;
            using (var fe = new DuplexFrontEnd(AudioFormat.Mono(rate), rate / 10, new Parley.Audio.Vad.EnergyVoiceActivityDetector(16000)))
            {
                fe.Configure(providerRate);
                Assert.That(fe.EchoCanceller.LatencySamples, Is.GreaterThan(0), "the canceller has a latency to skip");
                var noise = EchoScenes.Noise(rate * 2, DuplexScenes.NoiseDbfs, 3);
                var pcm = new short[fe.MaxOutputSamples(rate / 100)];
                for (var at = 0; at + rate / 100 <= noise.Length; at += rate / 100) fe.Process(new ReadOnlySpan<float>(noise, at, rate / 100), pcm);
                Assert.That(fe.RaisedOnsets + fe.GuardedOnsets, Is.Zero, "2 s of noise, no onset");
            }
        }
    }
}