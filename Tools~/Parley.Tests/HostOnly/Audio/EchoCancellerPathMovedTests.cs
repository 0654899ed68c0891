using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// For 6 s after the echo path moves (a converged foreground dropped, or one dropped just after the latch let go; a
    /// re-seed installed; the alignment moved off a held path), the output's suppression also removes the echo the
    /// Kalman update expects the re-learning filter still to miss (<c>EchoState.MissWeight</c> at 16 kHz,
    /// <c>SendMissWeight</c> at 24 kHz). Measured against a control
    /// without it: the 24 kHz jump that took longest in the same room (aec-robust seed 47, 250 → 30 ms) and jumps into
    /// another room (aec-robust --new-room) at both rates, the output's time to a settled canceller's level; the
    /// guard's view at 24 kHz (unchanged), and the player's voice spoken in the window (what it costs). Host-only: it sets
    /// the canceller's internal state.
    /// </summary>
    public class EchoCancellerPathMovedTests
    {
        const int Rate = 24000;
        static readonly (double, double, double, double) Path = (250, 30, 0.4, -6);

        [Test]
        public void After_the_path_moves_the_output_is_back_at_a_settled_cancellers_level_within_two_seconds()
        {
            var scene = EchoPathScenes.JumpScene.Make(Rate, Path, 47);
            var settled = EchoScenes.Stream(new EchoCanceller(Rate), scene.SettledMic, scene.Far);
            var aec = new EchoCanceller(Rate);
            var view = new float[scene.Mic.Length];
            var output = EchoScenes.Stream(aec, scene.Mic, scene.Far, view);
            var control = Control(Rate);
            var controlView = new float[scene.Mic.Length];
            var controlOutput = EchoScenes.Stream(control, scene.Mic, scene.Far, controlView);
            AssertBackWithinTwoSeconds(scene, settled, output, controlOutput, Rate, $"; re-seeds {aec.State.Reseeds}");
            // The guard's view (its bars, its barge-ins) does not see the send suppression.
            Assert.That(Signals.FirstDifference(view, controlView), Is.EqualTo(-1), "the guard's view against the control's");
            // Only the window's output differs: it opens at most 2 s after the jump and lasts 6 s (plus the comfort
            // noise's one-block overlap after it).
            var first = Signals.FirstDifference(output, controlOutput);
            Assert.That(first, Is.GreaterThanOrEqualTo(scene.Jump), "the output differs before the jump");
            var windowEnd = scene.Jump + 8 * Rate;
            Assert.That(Signals.FirstDifference(output, controlOutput, windowEnd), Is.EqualTo(-1), "the output differs 8 s after the jump");
        }

        /// <summary>
        /// A device change into another room (the room after the jump is aec-robust's seed + 100): bins the reference had
        /// not yet sounded in the new room leak seconds after the filter first cancels it again, past a 3 s window
        /// (aec-robust --new-room, seeds 40-49: 38 and 30 of 50 jumps over 2 s at 16 and 24 kHz without the window, 0 and
        /// 0 with it). Two of those jumps, each back within 2 s with the window and not without it.
        /// </summary>
        [TestCase(16000, 40, 60, 260, 0.3)]
        [TestCase(24000, 41, 250, 30, 0.4)]
        public void After_a_jump_into_another_room_the_output_is_back_within_two_seconds(int rate, int seed, double from, double to, double rt60)
        {
            var scene = EchoPathScenes.JumpScene.Make(rate, (from, to, rt60, -6), seed, afterSeed: seed + 100);
            var settled = EchoScenes.Stream(new EchoCanceller(rate), scene.SettledMic, scene.Far);
            var output = EchoScenes.Stream(new EchoCanceller(rate), scene.Mic, scene.Far);
            var controlOutput = EchoScenes.Stream(Control(rate), scene.Mic, scene.Far);
            AssertBackWithinTwoSeconds(scene, settled, output, controlOutput, rate, "");
        }

        /// <summary>
        /// The player speaks 0.5 s and 1.7 s after the jump (2.2 and 2.7 s of speech; the matcher's move opens the window
        /// at once): what the output keeps of their voice against the control. Measured (stop 49): 2.41 and 0.48 dB less at
        /// 24 kHz (0.74 / 3.15 dB and 8.21 / 8.69 dB), 1.54 and 0.93 dB less at 16 kHz (1.40 / 2.94 and 6.03 / 6.96): the
        /// price of the window, 4 times the expected miss while the player may be talking and 4 times what the reference
        /// explains (0.95 / 8.39 and 1.48 / 6.09 dB without the latter). At one weight of 8 in every block (stop 38) it was
        /// 2.54 / 1.18 dB at 24 kHz and 3.70 / 1.23 dB at 16 kHz (BENCHMARKS.md, "After the path moves"). Since stop 52
        /// the 16 kHz filter is no longer restarted by non-moves under the margin: 4.57 / 4.41 and 7.16 / 7.98 dB.
        /// </summary>
        [TestCase(24000)]
        [TestCase(16000)]
        public void The_player_speaking_while_the_filter_relearns_costs_under_3_dB(int rate)
        {
            var scene = EchoPathScenes.JumpScene.Make(rate, Path, 47);
            var jump = scene.Jump / (double)rate;
            var at = new[] { jump + 0.5, jump + 1.7 };
            var near = EchoScenes.NearClipsAt(rate, scene.Mic.Length, at);
            var mic = EchoScenes.Sum(scene.Mic, near);
            var output = EchoScenes.Stream(new EchoCanceller(rate), mic, scene.Far);
            var controlOutput = EchoScenes.Stream(Control(rate), mic, scene.Far);
            AssertNearEnd(near, output, controlOutput, at, jump, rate, 3, "near end (dB), with / without the expected miss:");
        }

        /// <summary>
        /// The agent stops 1.5 s after a jump into another room and the player answers 1 s later, inside the window: the
        /// expected miss follows the aligned reference down to nothing, so the answer keeps its voice as without the
        /// window. Held at the last spoken block's value (stop 38's first form) it was suppressed as missed echo until the
        /// window closed: 9.13 dB against 33.81 at 16 kHz, 2.22 against 28.33 at 24 kHz.
        /// </summary>
        [TestCase(16000)]
        [TestCase(24000)]
        public void The_player_answering_in_the_agents_pause_keeps_their_voice(int rate)
        {
            var path = (From: 60.0, To: 260.0, Rt60: 0.3, EchoDb: -6.0);
            var scene = EchoPathScenes.JumpScene.Make(rate, path, 40, afterSeed: 140);
            var stop = scene.Jump + 3 * rate / 2;
            var far = (float[])scene.Far.Clone();
            for (var i = stop; i < far.Length; i++) far[i] = 0f;
            var before = EchoScenes.Echo(far, EchoScenes.RoomImpulse(rate, path.Rt60, path.From, 40), path.EchoDb);
            var after = EchoScenes.Echo(far, EchoScenes.RoomImpulse(rate, path.Rt60, path.To, 140), path.EchoDb);
            var at = (stop + rate) / (double)rate;
            var near = EchoScenes.NearClipsAt(rate, far.Length, new[] { at });
            var mic = new float[far.Length];
            for (var i = 0; i < mic.Length; i++) mic[i] = (i < scene.Jump ? before[i] : after[i]) + scene.Noise[i] + near[i];
            var output = EchoScenes.Stream(new EchoCanceller(rate), mic, far);
            var controlOutput = EchoScenes.Stream(Control(rate), mic, far);
            var start = (int)(at * rate);
            var end = Math.Min(start + EchoScenes.NearClip(0, rate).Length, mic.Length);
            var snr = EchoScenes.NearEndSnrDb(near, output, start, end, rate * 3 / 100);
            var snrControl = EchoScenes.NearEndSnrDb(near, controlOutput, start, end, rate * 3 / 100);
            var report = $"the answer's SNR {snr:0.00} dB with the window, {snrControl:0.00} dB without";
            TestContext.WriteLine(report);
            Assert.That(snr, Is.GreaterThan(snrControl - 0.5), report);
        }

        /// <summary>
        /// Where the echo estimate explains the microphone the echo is alone and the window takes 16 times its weight (64 ×
        /// the expected miss):
        /// the 20 → 400 ms jump into another room (RT60 0.2 s, 0 dB, seed 42) is back within 2 s; at one weight of 8
        /// in every block (stop 38) the new room's unlearnt bins leaked 3.25–4.25 s after the jump (4.75 s).
        /// </summary>
        [Test]
        public void Where_the_echo_is_alone_the_window_takes_16_times_the_weight()
        {
            AssertLongJumpBack(16000, 42, aec =>
            {
                aec.State.MissWeight = 8f;
                aec.State.MissEchoScale = 1f;
            }, " at one weight of 8");
        }

        /// <summary>
        /// In the window the output also removes the echo the aligned reference explains in the error
        /// (<c>EchoState.RefCoherentWeight</c>), where the Kalman variance under-reads a new room's miss. The 24 kHz
        /// 20 → 400 ms jump into another room (RT60 0.2 s, 0 dB, seed 61): 2.7 s after the jump the filter's error equalled the
        /// microphone, the incoherent power was 3–10 times the expected miss, and the output sat 10–21 dB under the
        /// microphone for 30 ms (2.75 s without it). The 16 kHz 250 → 30 ms jump (RT60 0.4 s, −6 dB, seed 70): the same
        /// 2.2 s after it (2.25 s).
        /// </summary>
        [TestCase(24000, 61, 20, 400, 0.2, 0)]
        [TestCase(16000, 70, 250, 30, 0.4, -6)]
        public void In_the_window_the_output_removes_what_the_reference_explains(int rate, int seed, double from, double to, double rt60, double echoDb)
        {
            AssertLongJumpBack(rate, seed, aec => aec.State.RefCoherentWeight = 0f, " without the reference's share", (from, to, rt60, echoDb));
        }

        /// <summary>
        /// In the window the echo is also alone where the incoherent power is under 4 times what the reference explains
        /// (<c>EchoState.MissEchoReference</c>): at an onset in bins the new room's filter has not learnt, the estimate is
        /// incoherent with the echo, the share (0.53-0.94) took it for the player, the window weighed 4 times the expected
        /// miss, not 64, and the output sat 15-25 dB under the microphone for 20-30 ms. Measured (stop 52): the 16 kHz
        /// 250 -> 30 ms jump (seed 100) 2.25 -> 0.50 s, the 24 kHz 20 -> 400 ms jump (seed 86) 2.75 -> 0.75 s.
        /// </summary>
        [TestCase(16000, 100, 250, 30, 0.4, -6)]
        [TestCase(24000, 86, 20, 400, 0.2, 0)]
        public void In_the_window_the_echo_is_alone_where_the_reference_explains_the_error(int rate, int seed, double from, double to, double rt60, double echoDb)
        {
            AssertLongJumpBack(rate, seed, aec => aec.State.MissEchoReference = 0f, " with the echo alone on the share only", (from, to, rt60, echoDb));
        }

        /// <summary>
        /// A held filter's blocks count towards a drop (it adds echo) only while the reference at its direct path was playing
        /// (<c>EchoState.DropNeedsDirectPath</c>). The 16 kHz 20 → 400 ms jump into another room (RT60 0.2 s, 0 dB, seed 83,
        /// outside the seeds the canceller was tuned on): 4.4 s after the jump the agent paused, the direct path heard
        /// silence while the last word still excited the filter's tail, and the filter, held at 16 dB, put 10–14 dB over the
        /// microphone's noise floor for 64 ms; it was dropped and relearnt (4.75 s without the rule).
        /// </summary>
        [Test]
        public void A_pause_at_the_direct_path_drops_no_held_filter()
        {
            AssertLongJumpBack(16000, 83, aec => aec.State.DropNeedsDirectPath = 0, " dropping on the tail's excess alone");
        }

        /// <summary>
        /// In the window the foreground takes a better background after 8 blocks in a row (<c>WindowCopyBlocks</c>), not
        /// the 16 it waits for elsewhere at 24 kHz. Seed 88's 250 → 30 ms jump into another room (RT60 0.4 s, −6 dB, outside
        /// the seeds the canceller was tuned on) relearns slowly, the background a few dB ahead of the foreground, and the
        /// foreground's lag leaked single 100 ms spans at far-end onsets up to 2.50 s after the jump.
        /// </summary>
        [Test]
        public void In_the_window_the_foreground_follows_the_background_sooner()
        {
            AssertLongJumpBack(Rate, 88, aec => aec.State.WindowCopyBlocks = aec.State.CopyBlocks, " copying after 16 blocks", Path);
        }

        /// <summary>
        /// In the window the send suppression's double-talk floor needs more than the incoherent share: more incoherent
        /// power than the expected miss explains, and a background not far ahead of the foreground (both below). The 24 kHz
        /// 20 → 400 ms jump into another room (RT60 0.2 s, 0 dB, seed 48) is back within 2 s (1.00 s); on the share alone
        /// the floor let the fading echo through at −10 dB in single 100 ms spans 2.8 and 3.1 s after the jump (3.00 s).
        /// </summary>
        [Test]
        public void In_the_window_the_send_floor_needs_more_than_the_share()
        {
            AssertLongJumpBack(24000, 48, aec =>
            {
                aec.State.SendDoubleTalkMiss = 0f;
                aec.State.WindowBgBar = 0f;
            }, " on the share alone");
        }

        /// <summary>
        /// In the window the send floor also holds off where the expected miss explains the incoherent power: at 24 kHz seed
        /// 64's 60 → 260 ms jump into another room (RT60 0.3 s, −6 dB) armed the floor 2.6 s after the jump on a gauge of
        /// 12 dB, and as the far end resumed from a pause the new room's echo came back 53-83 % incoherent with the
        /// estimate, passing at the floor's −10 dB for 60 ms (2.75 s). Its incoherent power was 0.3-1.7 times the
        /// expected miss there; a player's voice over it adds more.
        /// </summary>
        [Test]
        public void In_the_window_the_send_floor_holds_off_where_the_expected_miss_explains()
        {
            AssertLongJumpBack(24000, 64, aec =>
            {
                aec.State.SendDoubleTalkMiss = 0f;
                aec.State.WindowBgBar = 0f;
            }, " with the floor on the share alone", (60, 260, 0.3, -6));
        }

        /// <summary>
        /// In the window the send floor also holds off where the background's error is under 0.7 × the foreground's
        /// (<c>EchoState.WindowBgBar</c>): the relearning background removes what the foreground misses, so that miss is
        /// the room, not the player, whose voice raises both errors alike. At 24 kHz seed 112's 20 → 400 ms jump into
        /// another room (RT60 0.2 s, 0 dB) the floor fired on the new room's tail after a far-end offset, passing it at
        /// −10 dB in 100 ms spans until 2.75 s after the jump.
        /// </summary>
        [Test]
        public void In_the_window_the_send_floor_holds_off_where_the_background_explains_the_miss()
        {
            AssertLongJumpBack(24000, 112, aec => aec.State.WindowBgBar = 0f, " with the floor on the foreground's error alone");
        }

        /// <summary>
        /// A foreground dropped for adding echo disarms the double-talk floor, as an alignment move does: at 16 kHz seed
        /// 58's 20 → 400 ms jump into another room dropped its converging filter 2.4 s after the jump (the far end resumed
        /// while the microphone, 400 ms behind, held only noise), and the floor, still armed, then read the unlearnt echo
        /// as the player for 100 ms spans 3–5 s after the jump (4.75 s then, 4.50 s since stop 49). That drop was a pause at
        /// the direct path, which a held filter no longer drops on (<see cref="A_pause_at_the_direct_path_drops_no_held_filter"/>:
        /// with that rule both cancellers are back in 1.00 s), so every canceller here runs without it.
        /// </summary>
        [Test]
        public void A_dropped_foreground_disarms_the_double_talk_floor()
        {
            AssertLongJumpBack(16000, 58, aec => aec.State.DisarmOnDrop = 0, " with the floor armed through the drop", every: aec => aec.State.DropNeedsDirectPath = 0);
        }

        /// <summary>
        /// The double-talk floor arms only on a gauge that holds 10 dB (for 64 ms at 16 kHz). Seed 57's 60 → 260 ms jump into
        /// another room (RT60 0.3 s, −6 dB): the re-seed installed the old room's taps 1.4 s after the jump on one block's
        /// fit, their gauge read 10 dB for a block and fell to 1-5 dB, and the floor, armed by it, read the unlearnt echo as
        /// the player for 1 s spans 1-3 s after the jump (3.00 s). Seed 67's 250 → 30 ms jump (RT60 0.4 s, −6 dB): the
        /// relearning filter's gauge touched 10 dB 2 s after the jump and fell to 4-5 dB, and the floor fired in single
        /// talk (2.50 s).
        /// </summary>
        [TestCase(57, 60, 260, 0.3)]
        [TestCase(67, 250, 30, 0.4)]
        public void The_double_talk_floor_arms_only_on_a_gauge_that_holds(int seed, double from, double to, double rt60)
        {
            AssertLongJumpBack(16000, seed, aec => aec.State.DoubleTalkArmBlocks = 0, " armed at the gauge's first block over 10 dB", (from, to, rt60, -6));
        }

        /// <summary>
        /// A foreground dropped for adding echo just after the latch let go is a held path that moved: at 24 kHz seed 64's
        /// 120 → 180 ms jump into another room (RT60 0.3 s, −6 dB) took the gauge under 2 dB within 200 ms, before the
        /// drop's 8 tuning blocks, so the window never opened and the output was at a settled canceller's level only
        /// 4.25 s after the jump. The window now opens on that drop: 2.75 s (over the 2 s target still: the new room
        /// leaks 1.75-2.75 s after the jump, BENCHMARKS.md).
        /// </summary>
        [Test]
        public void A_drop_just_after_the_latch_let_go_opens_the_window()
        {
            const int rate = 24000;
            var scene = EchoPathScenes.JumpScene.Make(rate, (120, 180, 0.3, -6), 64, afterSeed: 164);
            var settled = EchoScenes.Stream(new EchoCanceller(rate), scene.SettledMic, scene.Far);
            var output = EchoScenes.Stream(new EchoCanceller(rate), scene.Mic, scene.Far);
            var control = new EchoCanceller(rate);
            control.State.DropAfterLetGoBlocks = 0;
            var controlOutput = EchoScenes.Stream(control, scene.Mic, scene.Far);
            var t = EchoPathScenes.ReconvergenceToSettled(scene, output, settled, rate, 3);
            var tControl = EchoPathScenes.ReconvergenceToSettled(scene, controlOutput, settled, rate, 3);
            var report = $"{t:0.00} s to a settled canceller's level (every 1 s span within 3 dB); the window closed on the drop {tControl:0.00} s";
            TestContext.WriteLine(report);
            Assert.That(t, Is.LessThanOrEqualTo(tControl - 1.0), report);
        }

        /// <summary>
        /// What the background's bar costs the player: seed 48's jump into another room, the player 3.0 and 4.6 s after it,
        /// where the send floor is armed again and fires for them (and for the fading echo); abrupt, or fading in over
        /// 600 ms (a player who starts softly). The bar holds back some floor blocks there, and the player keeps their
        /// voice within half a dB of the floor without the bar.
        /// </summary>
        [TestCase(0)]
        [TestCase(600)]
        public void The_background_bar_costs_a_player_in_the_window_under_half_a_dB(int fadeInMs)
        {
            const int rate = 24000;
            var scene = EchoPathScenes.JumpScene.Make(rate, (20, 400, 0.2, 0), 48, afterSeed: 148);
            var jump = scene.Jump / (double)rate;
            var at = new[] { jump + 3.0, jump + 4.6 };
            var near = EchoScenes.NearClipsAt(rate, scene.Mic.Length, at);
            var fade = fadeInMs * rate / 1000;
            foreach (var a in at)
                for (int start = (int)(a * rate), i = 0; i < fade && start + i < near.Length; i++) near[start + i] *= (float)i / fade;
            var mic = EchoScenes.Sum(scene.Mic, near);
            var aec = new EchoCanceller(rate);
            var output = EchoScenes.Stream(aec, mic, scene.Far);
            var noBar = new EchoCanceller(rate);
            noBar.State.WindowBgBar = 0f;
            var controlOutput = EchoScenes.Stream(noBar, mic, scene.Far);
            var blocks = $"{aec.State.SendDoubleTalkBlocks} / {noBar.State.SendDoubleTalkBlocks}";
            // The scene exercises the rule: the floor fires in the window, and the bar holds some of it back.
            Assert.That(aec.State.SendDoubleTalkBlocks, Is.LessThan(noBar.State.SendDoubleTalkBlocks), "floor blocks " + blocks);
            AssertNearEnd(near, output, controlOutput, at, jump, rate, 0.5, $"near end (dB), with / without the bar ({blocks} floor blocks):");
        }

        /// <summary>
        /// A jump into another room (the room after it from seed + 100; by default 20 → 400 ms, RT60 0.2 s, 0 dB) back
        /// within 2 s, and not with the control's canceller as <paramref name="control"/> sets it (every canceller, the
        /// settled one too, as <paramref name="every"/> sets it first).
        /// </summary>
        static void AssertLongJumpBack(int rate, int seed, Action<EchoCanceller> control, string extra, (double, double, double, double)? path = null, Action<EchoCanceller> every = null)
        {
            EchoCanceller Make()
            {
                // The start without the cold start's replay, as each jump was chosen on: the replay acts before the jump
                // only, and a different start would test a different jump (two controls came back in time with it).
                var aec = new EchoCanceller(rate) { ColdStartReplay = false };
                every?.Invoke(aec);
                return aec;
            }
            var scene = EchoPathScenes.JumpScene.Make(rate, path ?? (20, 400, 0.2, 0), seed, afterSeed: seed + 100);
            var settled = EchoScenes.Stream(Make(), scene.SettledMic, scene.Far);
            var output = EchoScenes.Stream(Make(), scene.Mic, scene.Far);
            var controlAec = Make();
            control(controlAec);
            AssertBackWithinTwoSeconds(scene, settled, output, EchoScenes.Stream(controlAec, scene.Mic, scene.Far), rate, extra);
        }

        /// <summary>
        /// The near-end SNR of each player clip (placed at <paramref name="at"/> s, <see cref="EchoScenes.NearClipsAt"/>) in
        /// the output, at most <paramref name="maxCostDb"/> under the control's.
        /// </summary>
        static void AssertNearEnd(float[] near, float[] output, float[] controlOutput, double[] at, double jump, int rate, double maxCostDb, string report)
        {
            var snr = new double[at.Length];
            var snrControl = new double[at.Length];
            for (var i = 0; i < at.Length; i++)
            {
                var start = (int)(at[i] * rate);
                var end = Math.Min(start + EchoScenes.NearClip(i, rate).Length, near.Length);
                snr[i] = EchoScenes.NearEndSnrDb(near, output, start, end, rate * 3 / 100);
                snrControl[i] = EchoScenes.NearEndSnrDb(near, controlOutput, start, end, rate * 3 / 100);
                report += $" +{at[i] - jump:0.0} s {snr[i]:0.00} / {snrControl[i]:0.00};";
            }
            TestContext.WriteLine(report);
            for (var i = 0; i < at.Length; i++) Assert.That(snr[i], Is.GreaterThan(snrControl[i] - maxCostDb), report);
        }

        /// <summary>The output within 2 s of the jump at a settled canceller's level (every 1 s span within 3 dB), the control's not.</summary>
        static void AssertBackWithinTwoSeconds(EchoPathScenes.JumpScene scene, float[] settled, float[] output, float[] controlOutput, int rate, string extra)
        {
            var t = EchoPathScenes.ReconvergenceToSettled(scene, output, settled, rate, 3);
            var tControl = EchoPathScenes.ReconvergenceToSettled(scene, controlOutput, settled, rate, 3);
            var report = $"with the expected miss {t:0.00} s to a settled canceller's level (every 1 s span within 3 dB), the control {tControl:0.00} s{extra}";
            TestContext.WriteLine(report);
            Assert.That(t, Is.LessThanOrEqualTo(2.0), report);
            Assert.That(tControl, Is.GreaterThan(2.0), "the control: " + report);
        }

        static EchoCanceller Control(int rate)
        {
            var aec = new EchoCanceller(rate);
            aec.State.MissWeight = aec.State.SendMissWeight = 0f;
            aec.State.RefCoherentWeight = 0f;
            aec.State.SendDoubleTalkMiss = 0f;
            aec.State.WindowBgBar = 0f;
            return aec;
        }
    }
}
