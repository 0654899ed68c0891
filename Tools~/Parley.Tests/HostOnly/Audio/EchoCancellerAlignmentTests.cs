using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// Where the filter's window sits once it has found the echo. A cold canceller starts with its window from 0 ms, so in
    /// `parley scene`'s room (RT60 0.4 s, 100 ms) the direct path lands halfway in and the window holds only the first
    /// 100 ms of the room's tail. Once the filter holds the echo, the window moves to a tuning block before the filter's
    /// peak at once (<c>EchoState.FineJump</c>, the default since stop 48), not one block per 170 ms (the step that follows
    /// clock drift), which was still walking when reply 1 ended.
    /// Host-only: it reads the canceller's linear error and its state.
    /// </summary>
    public class EchoCancellerAlignmentTests
    {
        const int Rate = 24000;
        const double Seconds = 14.5;

        [Test]
        public void A_converged_filter_moves_its_window_to_the_direct_path_at_once()
        {
            var jump = Run(aec => { });
            var walk = Run(aec => aec.State.FineJump = 0);
            var report = $"at once: 20 dB after {jump.To20:0.00} s of agent speech, window at {jump.AlignedMs:0} ms; "
                + $"block by block: {walk.To20:0.00} s, {walk.AlignedMs:0} ms";
            TestContext.WriteLine(report);
            // The room's direct path is at 100 ms; the margin lands a tuning block (10.7 ms) or two before it. The walk is
            // still on its way when reply 1 ends.
            Assert.That(jump.AlignedMs, Is.InRange(100 - 2 * 10.7, 100.0), report);
            Assert.That(walk.AlignedMs, Is.LessThan(jump.AlignedMs - 10), "the control: " + report);
            // The target is 2 s. Reply 1 holds 2.67 s of speech; the first span of reply 2 is at 2.87 s.
            Assert.That(jump.To20, Is.LessThanOrEqualTo(3.0), report);
            Assert.That(walk.To20, Is.GreaterThan(4.0), "the control: " + report);
        }

        /// <summary>
        /// The move stops at the room's onset (the earliest partition within 6 dB of the strongest): in the barge-in sweep's
        /// RT60 0.6 s / 200 ms / −12 dB room (seed 307, phase 5) the filter latched while its strongest partition was a late
        /// lobe 4 blocks past the margin and the direct path 3 blocks before it. A move to a tuning block before that lobe
        /// (<c>FineJumpOnset</c> 0) dropped the direct path out of the window: the gauge fell from 6 to 2–3 dB for good and
        /// the player speaking 4 s into the reply was never heard. Pinned without the cold start's replay
        /// (<see cref="EchoCanceller.ColdStartReplay"/>), which learns this room before the lobe leads, so that either move
        /// hears the player; with it (the default) the player is heard too.
        /// </summary>
        [Test]
        public void The_move_stops_at_the_rooms_onset_and_the_player_over_the_reply_is_heard()
        {
            var onset = Player(aec => aec.ColdStartReplay = false);
            var lobe = Player(aec => { aec.ColdStartReplay = false; aec.State.FineJumpOnset = 0f; });
            var replayed = Player(aec => { });
            var report = $"stopping at the onset: heard {onset.Raised} time(s), {onset.AtMs:0} ms after the onset; onto the lobe: {lobe.Raised}; "
                + $"with the replay {replayed.Raised}, {replayed.AtMs:0} ms";
            TestContext.WriteLine(report);
            Assert.That(onset.Raised, Is.EqualTo(1), report);
            Assert.That(onset.AtMs, Is.LessThanOrEqualTo(120), report);
            Assert.That(lobe.Raised, Is.EqualTo(0), "the control: " + report);
            Assert.That(replayed.Raised, Is.EqualTo(1), report);
            Assert.That(replayed.AtMs, Is.LessThanOrEqualTo(120), report);
        }

        /// <summary>
        /// A jump into another room whose echo lands under the window's margin (250 -> 30 ms, RT60 0.4 s, -6 dB, 16 kHz):
        /// the matcher asks for a lag under 0, which clamps to where the window already is. Before stop 52 that
        /// non-move still cleared the background and restarted its Kalman update each block the matcher asked, about
        /// every second block: 140-150 moves in 2 s, a filter that learnt nothing, and 2.25 s back (seeds 108 and 113).
        /// A path jump takes a handful of moves.
        /// </summary>
        [TestCase(108)]
        [TestCase(113)]
        public void A_lag_under_the_margin_does_not_restart_the_filter_every_block(int seed)
        {
            const int rate = 16000;
            var scene = EchoPathScenes.JumpScene.Make(rate, (250, 30, 0.4, -6), seed, afterSeed: seed + 100);
            var aec = new EchoCanceller(rate);
            var output = EchoScenes.Stream(aec, scene.Mic, scene.Far);
            var settled = EchoScenes.Stream(new EchoCanceller(rate), scene.SettledMic, scene.Far);
            var t = EchoPathScenes.ReconvergenceToSettled(scene, output, settled, rate, 3);
            var report = $"{aec.State.FilterMoves} filter moves in {scene.Mic.Length / (double)rate:0} s; back at a settled canceller's level {t:0.00} s after the jump";
            TestContext.WriteLine(report);
            Assert.That(aec.State.FilterMoves, Is.LessThanOrEqualTo(10), report);
            Assert.That(t, Is.LessThanOrEqualTo(2.0), report);
        }

        /// <summary>
        /// A step earlier keeps the window on the direct path. In the barge-in sweep's RT60 0.6 s / 200 ms / −20 dB room at
        /// 16 kHz (seed 2140, phase 0, the agent alone) the filter latched with the direct path in its window's first
        /// partition, and the fine steering moved the window a block earlier. The partition that came in started with the
        /// Kalman update's initial variance, 20–28 dB above the learnt partitions': the background learnt noise there, the
        /// foreground took it, and that partition's peak moved the window earlier again, ten times in 1.3 s, to 56 ms before
        /// the direct path. The filter was then dropped, and 2 s later the suppressor let a new sound through whole: the
        /// agent interrupted itself. The partition now comes in as sure as its neighbour (<c>EchoState.FineEarlierSure</c>).
        /// </summary>
        [Test]
        public void A_step_earlier_keeps_the_window_on_the_direct_path()
        {
            var sure = Reply(0.6, 200, 2140, 0, aec => { });
            var unsure = Reply(0.6, 200, 2140, 0, aec => aec.State.FineEarlierSure = 0);
            var report = $"the incoming partition as sure as its neighbour: direct path placed at {sure.EarliestMs:0} ms at the earliest, "
                + $"{sure.Raised} barge-in(s); with the initial variance: {unsure.EarliestMs:0} ms, {unsure.Raised}";
            TestContext.WriteLine(report);
            // The room's direct path is at 200 ms: the window may place it up to two blocks (16 ms) early.
            Assert.That(sure.EarliestMs, Is.GreaterThanOrEqualTo(200 - 16), report);
            Assert.That(sure.Raised, Is.EqualTo(0), report);
            Assert.That(unsure.EarliestMs, Is.LessThan(200 - 16), "the control: " + report);
            Assert.That(unsure.Raised, Is.GreaterThan(0), "the control: " + report);
        }

        /// <summary>
        /// A cold filter that found the echo and dipped is not moved past the direct path. In the barge-in sweep's RT60
        /// 0.8 s / 100 ms / −20 dB room at 16 kHz (seed 3152, phase 4, the agent alone) the matcher's first move was right,
        /// and the filter's gauge rose to 5.7 dB and fell back to 2–2.5 dB without latching (a latch needs 6 dB). At 3.08 s,
        /// with the gauge at 1.1 dB, the matcher, dragged late by the room's tail (its bias is learnt only once the filter
        /// latches), moved the window through the branch for a filter that lost the echo, which has no cap: the window
        /// started at 128 ms, 28 ms past the direct path, the gauge stayed under 2 dB, and 170 ms later the agent
        /// interrupted itself. A cold filter whose gauge has reached 2 dB now takes the branch that stops a tuning block
        /// before its peak (<c>EchoState.ColdMoveByGaugePeak</c>).
        /// </summary>
        [Test]
        public void A_cold_filter_whose_gauge_dips_is_not_moved_past_the_direct_path()
        {
            var found = Reply(0.8, 100, 3152, 4, aec => { });
            var lost = Reply(0.8, 100, 3152, 4, aec => aec.State.ColdMoveByGaugePeak = 0);
            var report = $"a dip kept as found: window from {found.LatestStartMs:0} ms at the latest, {found.Raised} barge-in(s); "
                + $"moved as lost: {lost.LatestStartMs:0} ms, {lost.Raised}";
            TestContext.WriteLine(report);
            // The room's direct path is at 100 ms: it must stay in the window.
            Assert.That(found.LatestStartMs, Is.LessThanOrEqualTo(100), report);
            Assert.That(found.Raised, Is.EqualTo(0), report);
            Assert.That(lost.LatestStartMs, Is.GreaterThan(100), "the control: " + report);
            Assert.That(lost.Raised, Is.GreaterThan(0), "the control: " + report);
        }

        /// <summary>A 16 kHz echo-only reply of the barge-in sweep (−20 dB): the earliest the canceller placed the direct path
        /// (its margin) and the latest its window started once the matcher had moved the window, and the barge-ins raised.</summary>
        static (double EarliestMs, double LatestStartMs, int Raised) Reply(double rt60, int delayMs, int seed, int phase, Action<EchoCanceller> setup)
        {
            var scene = DuplexScenes.Late(DuplexScenes.Make(8, rt60, delayMs, -20, seed), phase, seed);
            using (var f = DuplexScenes.EnergyFrontEnd(16000))
            {
                setup(f.EchoCanceller);
                double earliest = double.PositiveInfinity, latest = double.NegativeInfinity;
                f.GuardTraced = g =>
                {
                    if (f.EchoCanceller.State.FilterMoves == 0) return;
                    earliest = Math.Min(earliest, f.EchoCanceller.DelayMs);
                    var s = f.EchoCanceller.State;
                    latest = Math.Max(latest, 1000.0 * s.Delay * s.Block / s.SampleRate);
                };
                var raised = DuplexScenes.Run(f, scene).Raised;
                return (earliest, latest, raised);
            }
        }

        static (int Raised, double AtMs) Player(Action<EchoCanceller> setup)
        {
            var scene = DuplexScenes.Late(DuplexScenes.Make(8, 0.6, 200, -12, 307, "user-interrupt", 4000, -6), 5, 307);
            using (var f = DuplexScenes.EnergyFrontEnd(Rate))
            {
                setup(f.EchoCanceller);
                var r = DuplexScenes.Run(f, scene);
                return (r.Raised, r.Raised > 0 ? r.FirstRaisedAtMs - scene.OnsetMs : double.NaN);
            }
        }

        /// <summary>
        /// The scene's replies through its room at 0 dB with −60 dBFS noise (as `aec-scene`): seconds of agent speech until
        /// the linear ERLE of a 250 ms span first reaches 20 dB (blocks with echo 10 dB over the noise), and where the
        /// window's margin sits at the end of reply 1.
        /// </summary>
        static (double To20, double AlignedMs) Run(Action<EchoCanceller> setup)
        {
            var far = EchoScenes.SceneReplies(Rate, Seconds, out var spans);
            var n = far.Length;
            var echo = EchoScenes.Convolve(far, EchoScenes.ScaledRoom(EchoScenes.RoomImpulse(Rate, 0.4, 100, 1), 0), n);
            var mic = EchoScenes.Sum(echo, EchoScenes.Noise(n, -60, 7));
            var aec = new EchoCanceller(Rate);
            setup(aec);
            var b = aec.BlockSize;
            var output = new float[b];
            var span = Rate / 4 / b;
            var echoFloor = 10 * Math.Pow(10, -6.0) * b;
            double m = 0, e = 0, to20 = double.NaN, aligned = double.NaN;
            for (var j = 0; j < n / b; j++)
            {
                aec.Process(mic.AsSpan(j * b, b), far.AsSpan(j * b, b), output);
                double ec = 0, mj = 0, ej = 0;
                var err = aec.LinearError;
                for (var i = 0; i < b; i++)
                {
                    ec += (double)echo[j * b + i] * echo[j * b + i];
                    mj += (double)mic[j * b + i] * mic[j * b + i];
                    ej += (double)err[i] * err[i];
                }
                if (ec > echoFloor) { m += mj; e += ej; }
                var end = (j + 1) * b;
                if (double.IsNaN(aligned) && end >= spans[0].End) aligned = aec.DelayMs;
                if ((j + 1) % span != 0) continue;
                if (double.IsNaN(to20) && e > 0 && 10 * Math.Log10(m / e) >= 20)
                {
                    to20 = 0;
                    foreach (var s in spans) to20 += Math.Max(0, Math.Min(end, s.End) - s.Start) / (double)Rate;
                }
                m = e = 0;
            }
            return (double.IsNaN(to20) ? double.PositiveInfinity : to20, aligned);
        }
    }
}
